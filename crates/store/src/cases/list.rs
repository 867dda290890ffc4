//! The case lists of CAS-11: a view, filters, a whitelisted sort and a page, read through the
//! viewer's visibility rule.

use super::{CASE, CaseRow, CaseViewer};
use crate::{Builder, Result, Tx};

/// The views of CAS-11 that this layer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Everything the viewer may see, newest activity first.
    Recent,
    /// One company's cases (all sites) the viewer may see.
    Company(i64),
    SubmittedByMe,
    Favorites,
    Site(i64),
    /// CAS-11 "recent parts orders": cases with a parts order.
    PartsOrders,
    /// CAS-11 "recent service orders": cases with an onsite service order.
    ServiceOrders,
}

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub view: View,
    pub serial: Option<String>,
    /// CAS-11 "by product": only cases about this product.
    pub product_id: Option<supportal_domain::ProductId>,
    pub only_mine: bool,
    /// A whitelisted column and the direction.
    pub sort: (&'static str, bool),
    pub limit: i64,
    pub offset: i64,
}

/// The list query of a view: every row, or (`paged`) one page and one row more, which tells
/// whether more follow.
fn list_sql(viewer: &CaseViewer, q: &ListQuery, paged: bool) -> crate::Query {
    let mut b = Builder::new();
    let mut visible = viewer.visible(&mut b);
    if matches!(q.view, View::Company(_) | View::SubmittedByMe) || q.serial.is_some() {
        // The view names the company, the submitter or the serial, so that index leads; SQLite
        // otherwise drives the list from the membership list too and sorts every case of a large
        // company for one page. (`+` only stops the term from choosing an index; PostgreSQL
        // plans the same either way.)
        visible = visible.replacen("c.company_id IN (", "+c.company_id IN (", 1);
    }
    let me = viewer.user_id().get();
    let view = match q.view {
        View::Recent => "TRUE".to_owned(),
        View::Company(id) => format!("c.company_id = {}", b.arg(id)),
        View::SubmittedByMe => format!("c.submitter_id = {}", b.arg(me)),
        View::Favorites => format!(
            "EXISTS (SELECT 1 FROM case_favorites f WHERE f.case_id = c.id AND f.user_id = {})",
            b.arg(me)
        ),
        View::Site(id) => format!("c.site_id = {}", b.arg(id)),
        View::PartsOrders => {
            "EXISTS (SELECT 1 FROM parts_orders po WHERE po.case_id = c.id)".to_owned()
        }
        View::ServiceOrders => {
            "EXISTS (SELECT 1 FROM service_orders so WHERE so.case_id = c.id)".to_owned()
        }
    };
    b.push(&format!("{CASE} WHERE {visible} AND {view}"));
    // Filters appear only when set: `($5 IS NULL OR …)` would hide the serial index.
    if let Some(serial) = &q.serial {
        let serial = b.arg(serial.as_str());
        b.push(&format!(" AND c.serial_number = {serial}"));
    }
    if let Some(product) = q.product_id {
        let product = b.arg(product);
        b.push(&format!(" AND c.product_id = {product}"));
    }
    if q.only_mine {
        let me = b.arg(me);
        b.push(&format!(" AND c.submitter_id = {me}"));
    }
    let (column, descending) = q.sort;
    let direction = if descending { "DESC" } else { "ASC" };
    b.push(&format!(" ORDER BY {column} {direction}, c.id {direction}"));
    if paged {
        let limit = b.arg(q.limit + 1);
        let offset = b.arg(q.offset);
        b.push(&format!(" LIMIT {limit} OFFSET {offset}"));
    }
    b.query()
}

/// One page of cases for a view; fetches one row more than asked to tell whether more follow.
pub async fn list(tx: &mut Tx, viewer: &CaseViewer, q: &ListQuery) -> Result<Vec<CaseRow>> {
    list_sql(viewer, q, true).fetch_all(tx).await
}

/// Every case of a view, in its order, handed to `to` in batches (for exports).
pub async fn send_all(
    tx: &mut Tx,
    viewer: &CaseViewer,
    q: &ListQuery,
    batch: usize,
    to: &tokio::sync::mpsc::Sender<Vec<CaseRow>>,
) -> Result<()> {
    list_sql(viewer, q, false).send_batches(tx, batch, to).await
}
