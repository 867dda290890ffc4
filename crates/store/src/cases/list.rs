//! The case lists of CAS-11: a view, filters, a whitelisted sort and a page, read through the
//! viewer's visibility rule.

use super::{CASE, CaseRow, CaseViewer};
use crate::{Builder, Result, Tx, sql};

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

/// A customer's active companies, split by whether they administer them, read before the list
/// so that its rule names them: an administrator's company is then a plain `company_id` term
/// that PostgreSQL can read one page of in index order. (Written as the general rule's
/// `EXISTS (… role = 'admin')`, PostgreSQL guessed a few rows would pass, read every case of
/// the company and sorted them: 1.1 s a page at 100,000 cases.)
#[derive(Debug, Default)]
struct Reach {
    admin: Vec<i64>,
    member: Vec<i64>,
}

#[derive(sqlx::FromRow)]
struct Membership {
    company_id: i64,
    admin: bool,
}

async fn reach(tx: &mut Tx, viewer: &CaseViewer) -> Result<Option<Reach>> {
    let CaseViewer::Customer { user_id, .. } = viewer else {
        return Ok(None);
    };
    let rows: Vec<Membership> = sql(
        "SELECT company_id, role = 'admin' AS admin FROM memberships WHERE user_id = $1 AND active ORDER BY company_id",
    )
    .bind(*user_id)
    .fetch_all(tx)
    .await?;
    let mut reach = Reach::default();
    for row in rows {
        match row.admin {
            true => reach.admin.push(row.company_id),
            false => reach.member.push(row.company_id),
        }
    }
    Ok(Some(reach))
}

/// The customer's rule of `CaseViewer::visible` with their companies spelled out: every case
/// of the companies they administer, and of the others those they submitted or are a contact
/// of. `lead` false keeps the company terms from choosing an index (SQLite's `+`), for views
/// that name the company, the submitter or the serial, whose index should lead.
fn customer_visible(b: &mut Builder, viewer: &CaseViewer, reach: &Reach, lead: bool) -> String {
    let CaseViewer::Customer {
        user_id,
        email,
        repair_queue,
    } = viewer
    else {
        return "FALSE".to_owned();
    };
    let plus = if lead { "" } else { "+" };
    let mut terms = Vec::new();
    if !reach.admin.is_empty() {
        let ids: Vec<String> = reach.admin.iter().map(|id| b.arg(*id)).collect();
        terms.push(format!("{plus}c.company_id IN ({})", ids.join(", ")));
    }
    if !reach.member.is_empty() {
        let ids: Vec<String> = reach.member.iter().map(|id| b.arg(*id)).collect();
        let user = b.arg(*user_id);
        let email = b.arg(email.as_str());
        terms.push(format!(
            "({plus}c.company_id IN ({}) AND (c.submitter_id = {user} OR c.primary_email = {email} OR c.alternate_email = {email}
         OR EXISTS (SELECT 1 FROM case_contacts vc WHERE vc.case_id = c.id AND vc.email = {email})))",
            ids.join(", ")
        ));
    }
    if let Some(q) = repair_queue {
        terms.push(format!("c.queue_id = {}", b.arg(*q)));
    }
    match terms.is_empty() {
        true => "FALSE".to_owned(),
        false => format!("({})", terms.join(" OR ")),
    }
}

/// The list query of a view: every row, or (`paged`) one page and one row more, which tells
/// whether more follow.
fn list_sql(
    viewer: &CaseViewer,
    reach: Option<&Reach>,
    q: &ListQuery,
    paged: bool,
) -> crate::Query {
    let mut b = Builder::new();
    // The view names the company, the submitter or the serial, so that index leads; SQLite
    // otherwise drives the list from the membership list too and sorts every case of a large
    // company for one page. (PostgreSQL plans the same either way.)
    let lead = !(matches!(q.view, View::Company(_) | View::SubmittedByMe) || q.serial.is_some());
    let visible = match reach {
        Some(reach) => customer_visible(&mut b, viewer, reach, lead),
        None => viewer.visible(&mut b),
    };
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
    let reach = reach(tx, viewer).await?;
    list_sql(viewer, reach.as_ref(), q, true)
        .fetch_all(tx)
        .await
}

/// Every case of a view, in its order, handed to `to` in batches (for exports).
pub async fn send_all(
    tx: &mut Tx,
    viewer: &CaseViewer,
    q: &ListQuery,
    batch: usize,
    to: &tokio::sync::mpsc::Sender<Vec<CaseRow>>,
) -> Result<()> {
    let reach = reach(tx, viewer).await?;
    list_sql(viewer, reach.as_ref(), q, false)
        .send_batches(tx, batch, to)
        .await
}
