//! Cases (CAS-1 to CAS-14): creation, the history, contacts and favourites, and every read
//! through a `CaseViewer`, which encodes who may see a case (CAS-13): an active member of the
//! case's company who submitted it, is its primary or an additional contact, or administers the
//! company; or operator staff. Anyone else finds nothing.

use crate::sessions::SessionUser;
use crate::{Builder, Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::UserId;

mod files;
mod list;
mod open;

pub use files::{AttachmentRow, NewAttachment, add_attachment, attachment_totals, attachments};
pub use list::{ListQuery, View, list, send_all};
pub use open::{Address, DeskStart, NewCase, Opened, Opening, new_number, open};

/// A case somebody was allowed to reach: made only inside the store, by reading through a
/// `CaseViewer` (`get`, `list`) or by opening a case. Every function that reads or changes one
/// case takes it, so a case id from a URL or a body cannot reach them unchecked.
///
/// ```compile_fail
/// let forged = supportal_store::cases::CaseKey(7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseKey(i64);

impl CaseKey {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<CaseKey> for crate::Arg {
    fn from(key: CaseKey) -> crate::Arg {
        key.0.into()
    }
}

/// How a `CaseKey` is read from a row: a type nobody outside the store can name or make.
pub(crate) mod read {
    #[derive(sqlx::Type)]
    #[sqlx(transparent)]
    pub struct CaseId(pub(super) i64);

    impl From<CaseId> for super::CaseKey {
        fn from(id: CaseId) -> super::CaseKey {
            super::CaseKey(id.0)
        }
    }
}

/// Who is looking at cases, and so which cases they see (CAS-13). Made only from a signed-in
/// session (`CaseViewer::of`). Each kind of viewer states its rule as SQL of its own
/// (`visible`); the support desk's engineers and service partners add kinds here.
#[derive(Debug, Clone)]
pub enum CaseViewer {
    /// A customer's user: cases of their active companies that they submitted, are the
    /// primary, alternate or an additional contact of, or administer.
    Customer {
        user_id: i64,
        email: String,
        /// A service partner's people also work the cases of its repair queue (PTN-5).
        repair_queue: Option<i64>,
    },
    /// A support engineer: the cases in their queues and those assigned to them (CAS-13).
    Engineer { user_id: i64 },
    /// An operator admin: every case.
    Staff { user_id: i64 },
}

impl CaseViewer {
    pub fn of(user: &SessionUser) -> CaseViewer {
        let user_id = user.user_id().get();
        match user.staff_role() {
            Some(supportal_domain::StaffRole::OperatorAdmin) => CaseViewer::Staff { user_id },
            Some(supportal_domain::StaffRole::Engineer) => CaseViewer::Engineer { user_id },
            None => CaseViewer::Customer {
                user_id,
                email: user.email.clone(),
                repair_queue: user.repair_queue(),
            },
        }
    }

    pub fn user_id(&self) -> UserId {
        match self {
            CaseViewer::Customer { user_id, .. }
            | CaseViewer::Engineer { user_id }
            | CaseViewer::Staff { user_id } => UserId(*user_id),
        }
    }

    /// Operator staff, who work cases and read internal notes.
    pub fn is_staff(&self) -> bool {
        !matches!(self, CaseViewer::Customer { .. })
    }

    /// Whether the viewer works a case of queue `queue` (staff who see it; a service partner's
    /// people for their repair queue): the desk's tools and internal notes.
    pub fn works(&self, queue: Option<i64>) -> bool {
        match self {
            CaseViewer::Customer { repair_queue, .. } => {
                repair_queue.is_some() && *repair_queue == queue
            }
            _ => true,
        }
    }

    /// The repair queue a partner's user works.
    pub fn repair_queue(&self) -> Option<i64> {
        match self {
            CaseViewer::Customer { repair_queue, .. } => *repair_queue,
            _ => None,
        }
    }

    /// The visibility rule as SQL over `c` (the case), its values added to `b`. A customer's
    /// rule starts from their companies (an index) rather than testing every case.
    pub(crate) fn visible(&self, b: &mut Builder) -> String {
        match self {
            CaseViewer::Staff { .. } => "TRUE".to_owned(),
            CaseViewer::Engineer { user_id } => {
                let user = b.arg(*user_id);
                format!(
                    "(c.queue_id IN (SELECT vq.queue_id FROM queue_engineers vq WHERE vq.user_id = {user}) OR c.assignee_id = {user})"
                )
            }
            CaseViewer::Customer {
                user_id,
                email,
                repair_queue,
            } => {
                let user = b.arg(*user_id);
                let email = b.arg(email.as_str());
                let queue = match repair_queue {
                    Some(q) => format!("c.queue_id = {} OR ", b.arg(*q)),
                    None => String::new(),
                };
                format!(
                    "({queue}c.company_id IN (SELECT vm.company_id FROM memberships vm WHERE vm.user_id = {user} AND vm.active)
    AND (c.submitter_id = {user} OR c.primary_email = {email} OR c.alternate_email = {email}
         OR EXISTS (SELECT 1 FROM case_contacts vc WHERE vc.case_id = c.id AND vc.email = {email})
         OR EXISTS (SELECT 1 FROM memberships va WHERE va.user_id = {user} AND va.company_id = c.company_id AND va.active AND va.role = 'admin')))"
                )
            }
        }
    }
}

/// Records an event in the case history (CAS-9, CAS-14) and moves the case's last update.
pub async fn event(
    tx: &mut Tx,
    case_id: CaseKey,
    actor: Option<UserId>,
    kind: &str,
    change: Option<(&str, &str)>,
    body: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    history_entry(tx, case_id, actor, kind, change, body, false, now).await?;
    touch(tx, case_id, now).await
}

/// Records a reply that came by email from `author` (with or without an account).
pub async fn emailed_event(
    tx: &mut Tx,
    case_id: CaseKey,
    actor: Option<UserId>,
    author: &str,
    kind: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO case_events (case_id, at, actor_id, kind, body, internal, author_email) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(case_id)
        .bind(now)
        .bind(actor.map(UserId::get))
        .bind(kind)
        .bind(body)
        .bind(false)
        .bind(author)
        .execute(tx)
        .await?;
    touch(tx, case_id, now).await
}

/// Records an internal note (SUP-3): in the history staff read, never in a customer's.
pub async fn internal_note(
    tx: &mut Tx,
    case_id: CaseKey,
    actor: UserId,
    body: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    history_entry(
        tx,
        case_id,
        Some(actor),
        "internal_note",
        None,
        body,
        true,
        now,
    )
    .await?;
    touch(tx, case_id, now).await
}

async fn touch(tx: &mut Tx, case_id: CaseKey, now: DateTime<Utc>) -> Result<()> {
    sql("UPDATE cases SET updated_at = $2 WHERE id = $1")
        .bind(case_id)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn history_entry(
    tx: &mut Tx,
    case_id: CaseKey,
    actor: Option<UserId>,
    kind: &str,
    change: Option<(&str, &str)>,
    body: &str,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO case_events (case_id, at, actor_id, kind, status_from, status_to, body, internal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(case_id)
        .bind(now)
        .bind(actor.map(UserId::get))
        .bind(kind)
        .bind(change.map(|(from, _)| from))
        .bind(change.map(|(_, to)| to))
        .bind(body)
        .bind(internal)
        .execute(tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    #[sqlx(try_from = "read::CaseId")]
    pub id: CaseKey,
    pub number: String,
    pub company_id: i64,
    pub company_name: String,
    pub submitter_id: Option<i64>,
    pub status: String,
    pub severity: i64,
    pub handling_24x7: bool,
    pub escalated: bool,
    pub title: String,
    pub description: String,
    pub troubleshooting: String,
    #[sqlx(try_from = "i64")]
    pub product_id: supportal_domain::ProductId,
    pub product_name: String,
    pub sku: String,
    pub serial_number: Option<String>,
    pub version: Option<String>,
    pub category: Option<String>,
    pub problem_type: Option<String>,
    pub entitlement_kind: String,
    pub entitlement_id: i64,
    pub incident_use_id: Option<i64>,
    pub country: String,
    pub time_zone: String,
    pub pin_id: Option<i64>,
    pub primary_name: String,
    pub primary_email: String,
    pub primary_phone: Option<String>,
    pub alternate_name: Option<String>,
    pub alternate_email: Option<String>,
    pub alternate_phone: Option<String>,
    pub site_id: Option<i64>,
    pub equipment_company: String,
    pub equipment_street: String,
    pub equipment_postal_code: String,
    pub equipment_city: String,
    pub equipment_country: String,
    pub parts_street: Option<String>,
    pub parts_postal_code: Option<String>,
    pub parts_city: Option<String>,
    pub parts_country: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The code of the case's PIN, for its page.
    pub pin_code: Option<String>,
    /// The desk's side (SUP-3, SUP-4): queue, assignee, resolution and service-level clocks.
    pub queue_id: Option<i64>,
    pub queue_name: Option<String>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub resolution_code: Option<String>,
    /// What its plan covers, as service-level targets name it.
    pub coverage: Option<String>,
    pub response_due: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    /// The resolution clock is stopped while the case waits on the customer.
    pub resolution_since: Option<DateTime<Utc>>,
    pub sla_due: Option<DateTime<Utc>>,
    pub breached: bool,
}

/// A case row with its names. The company and product are left joins (every case has both):
/// that keeps SQLite's planner from putting the one-row products table first, which made it sort
/// every case of a large company for one page.
pub(crate) const CASE: &str = "SELECT c.id, c.number, c.company_id, co.name AS company_name, c.submitter_id, c.status, c.severity, c.handling_24x7,
    c.escalated, c.title, c.description, c.troubleshooting, c.product_id, p.name AS product_name, p.sku, c.serial_number, c.version,
    c.category, c.problem_type, c.entitlement_kind, c.entitlement_id, c.incident_use_id, c.country, c.time_zone, c.pin_id,
    c.primary_name, c.primary_email, c.primary_phone, c.alternate_name, c.alternate_email, c.alternate_phone, c.site_id,
    c.equipment_company, c.equipment_street, c.equipment_postal_code, c.equipment_city, c.equipment_country,
    c.parts_street, c.parts_postal_code, c.parts_city, c.parts_country, c.created_at, c.updated_at, c.finished_at,
    pn.code AS pin_code, c.queue_id, dq.name AS queue_name, c.assignee_id, du.name AS assignee_name, c.resolution_code, c.coverage,
    c.response_due, c.responded_at, c.resolution_due, c.resolution_since, c.sla_due,
    (c.response_breached_at IS NOT NULL OR c.resolution_breached_at IS NOT NULL) AS breached
    FROM cases c LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN products p ON p.id = c.product_id
    LEFT JOIN company_pins pn ON pn.id = c.pin_id LEFT JOIN queues dq ON dq.id = c.queue_id
    LEFT JOIN users du ON du.id = c.assignee_id";

/// A case by its key, for the jobs that act on cases found by their own query; locked for the
/// rest of the transaction (PostgreSQL).
pub async fn get_by_key(tx: &mut Tx, key: CaseKey) -> Result<Option<CaseRow>> {
    let lock = tx.dialect().lock_case();
    let text = format!("{CASE} WHERE c.id = $1{lock}");
    sql(text).bind(key).fetch_optional(tx).await
}

/// `get` for a change: the case row stays locked until the transaction ends (PostgreSQL), so
/// two changes at once are decided one after the other on what the first left.
pub async fn get_for_update(
    tx: &mut Tx,
    viewer: &CaseViewer,
    number: &str,
) -> Result<Option<CaseRow>> {
    let mut b = Builder::new();
    let visible = viewer.visible(&mut b);
    let number = b.arg(number);
    let lock = tx.dialect().lock_case();
    b.push(&format!(
        "{CASE} WHERE c.number = {number} AND {visible}{lock}"
    ));
    b.query().fetch_optional(tx).await
}

/// A case the viewer may see, by number; `None` for unknown and for invisible alike.
pub async fn get(tx: &mut Tx, viewer: &CaseViewer, number: &str) -> Result<Option<CaseRow>> {
    let mut b = Builder::new();
    let visible = viewer.visible(&mut b);
    let number = b.arg(number);
    b.push(&format!("{CASE} WHERE c.number = {number} AND {visible}"));
    b.query().fetch_optional(tx).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    /// Written by operator staff: shown to customers as from support.
    pub from_support: bool,
    pub internal: bool,
    /// The sender of a reply that came by email.
    pub author_email: Option<String>,
    pub kind: String,
    pub status_from: Option<String>,
    pub status_to: Option<String>,
    pub body: String,
}

/// The history as `viewer` may read it: internal notes only for staff.
pub async fn events(tx: &mut Tx, viewer: &CaseViewer, case_id: CaseKey) -> Result<Vec<EventRow>> {
    let mut b = Builder::new();
    let case_id = b.arg(case_id);
    b.push(&format!("SELECT e.at, u.name AS actor, u.staff_role IS NOT NULL AS from_support, e.kind, e.status_from, e.status_to, e.body, e.internal, e.author_email
         FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = {case_id}"));
    if !viewer.is_staff() {
        let public = b.arg(false);
        match viewer.repair_queue() {
            Some(q) => {
                let q = b.arg(q);
                b.push(&format!(
                    " AND (e.internal = {public} OR EXISTS (SELECT 1 FROM cases wc WHERE wc.id = {case_id} AND wc.queue_id = {q}))"
                ));
            }
            None => {
                b.push(&format!(" AND e.internal = {public}"));
            }
        }
    }
    b.push(" ORDER BY e.at, e.id");
    b.query().fetch_all(tx).await
}

pub async fn contacts(tx: &mut Tx, case_id: CaseKey) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct C {
        email: String,
    }
    let rows: Vec<C> = sql("SELECT email FROM case_contacts WHERE case_id = $1 ORDER BY email")
        .bind(case_id)
        .fetch_all(tx)
        .await?;
    Ok(rows.into_iter().map(|c| c.email).collect())
}

/// Adds an additional contact; false when it was there already.
pub async fn add_contact(
    tx: &mut Tx,
    case_id: CaseKey,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(sql("INSERT INTO case_contacts (case_id, email, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(case_id)
        .bind(email)
        .bind(now)
        .execute(tx)
        .await?
        == 1)
}

pub async fn remove_contact(tx: &mut Tx, case_id: CaseKey, email: &str) -> Result<bool> {
    Ok(
        sql("DELETE FROM case_contacts WHERE case_id = $1 AND email = $2")
            .bind(case_id)
            .bind(email)
            .execute(tx)
            .await?
            == 1,
    )
}

pub async fn set_status(
    tx: &mut Tx,
    case_id: CaseKey,
    status: &str,
    finished: Option<DateTime<Utc>>,
) -> Result<()> {
    sql("UPDATE cases SET status = $2, finished_at = $3 WHERE id = $1")
        .bind(case_id)
        .bind(status)
        .bind(finished)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn set_escalated(tx: &mut Tx, case_id: CaseKey) -> Result<()> {
    sql("UPDATE cases SET escalated = $2 WHERE id = $1")
        .bind(case_id)
        .bind(true)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn is_favorite(tx: &mut Tx, viewer: &CaseViewer, case_id: CaseKey) -> Result<bool> {
    Ok(
        sql("SELECT COUNT(*) AS v FROM case_favorites WHERE case_id = $1 AND user_id = $2")
            .bind(case_id)
            .bind(viewer.user_id().get())
            .fetch_i64(tx)
            .await?
            > 0,
    )
}

pub async fn set_favorite(
    tx: &mut Tx,
    viewer: &CaseViewer,
    case_id: CaseKey,
    on: bool,
) -> Result<()> {
    if on {
        sql("INSERT INTO case_favorites (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(case_id)
            .bind(viewer.user_id().get())
            .execute(tx)
            .await?;
    } else {
        sql("DELETE FROM case_favorites WHERE case_id = $1 AND user_id = $2")
            .bind(case_id)
            .bind(viewer.user_id().get())
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// The case a client created earlier with this `Idempotency-Key`.
pub async fn by_idempotency_key(tx: &mut Tx, user: UserId, key: &str) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct N {
        number: String,
    }
    let row: Option<N> = sql("SELECT c.number FROM idempotency_keys k JOIN cases c ON c.id = k.case_id WHERE k.user_id = $1 AND k.key = $2")
        .bind(user.get())
        .bind(key)
        .fetch_optional(tx)
        .await?;
    Ok(row.map(|n| n.number))
}

pub async fn remember_idempotency_key(
    tx: &mut Tx,
    user: UserId,
    key: &str,
    case_id: CaseKey,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO idempotency_keys (user_id, key, case_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user.get())
        .bind(key)
        .bind(case_id)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

/// Someone who hears about a case (NTF-1): its contacts, and whether they have an account
/// (whose notification settings then decide how).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Follower {
    pub user_id: Option<i64>,
    pub email: String,
    pub name: Option<String>,
}

/// The people who hear about a case: primary and alternate contact and the additional
/// contacts, once each; a deactivated account hears nothing.
pub async fn followers(tx: &mut Tx, case_id: CaseKey) -> Result<Vec<Follower>> {
    sql("SELECT MAX(u.id) AS user_id, f.email, COALESCE(u.name, MAX(f.name)) AS name FROM (
             SELECT primary_email AS email, primary_name AS name FROM cases WHERE id = $1
             UNION ALL SELECT alternate_email, alternate_name FROM cases WHERE id = $1 AND alternate_email IS NOT NULL
             UNION ALL SELECT email, '' FROM case_contacts WHERE case_id = $1) f
         LEFT JOIN users u ON u.email = f.email
         WHERE u.id IS NULL OR u.active = $2
         GROUP BY f.email, u.name
         ORDER BY f.email")
    .bind(case_id)
    .bind(true)
    .fetch_all(tx)
    .await
}
