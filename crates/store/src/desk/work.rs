//! Working cases at the desk (SUP-3): the engineer's queues and lists, claiming and assigning,
//! severity and resolution, parts and onsite service orders, in-app notifications, and the
//! resolved cases that close by themselves.

use crate::cases::{CASE, CaseKey, CaseRow, CaseViewer};
use crate::{Builder, Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{PartsOrderId, QueueId, ServiceOrderId, UserId};

/// A queue on the console with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueCounts {
    #[sqlx(try_from = "i64")]
    pub id: QueueId,
    pub name: String,
    pub open: i64,
    pub unassigned: i64,
    pub breached: i64,
}

/// The queues `viewer` works (every queue for an operator admin), with their open, unassigned
/// and breached cases.
pub async fn queue_counts(tx: &mut Tx, viewer: &CaseViewer) -> Result<Vec<QueueCounts>> {
    let mut b = Builder::new();
    let mine = match viewer {
        CaseViewer::Staff { .. } => "q.partner_company_id IS NULL".to_owned(),
        CaseViewer::Engineer { user_id } => format!(
            "q.id IN (SELECT queue_id FROM queue_engineers WHERE user_id = {})",
            b.arg(*user_id)
        ),
        CaseViewer::Customer {
            repair_queue: Some(q),
            ..
        } => format!("q.id = {}", b.arg(*q)),
        CaseViewer::Customer { .. } => "FALSE".to_owned(),
    };
    b.push(&format!(
        "SELECT q.id, q.name,
           COUNT(c.id) AS open,
           COUNT(CASE WHEN c.assignee_id IS NULL THEN c.id END) AS unassigned,
           COUNT(CASE WHEN c.response_breached_at IS NOT NULL OR c.resolution_breached_at IS NOT NULL THEN c.id END) AS breached
         FROM queues q LEFT JOIN cases c ON c.queue_id = q.id AND c.finished_at IS NULL
         WHERE {mine} GROUP BY q.id, q.name ORDER BY q.name"
    ));
    b.query().fetch_all(tx).await
}

/// Whose cases a desk list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    Any,
    Nobody,
    User(UserId),
}

/// The service-level filter of a desk list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaFilter {
    Breached,
    /// A clock falls due before this time and has not breached.
    DueBefore(DateTime<Utc>),
}

#[derive(Debug, Clone)]
pub struct DeskQuery {
    pub queue: Option<QueueId>,
    pub assignee: Assignee,
    /// One status; open cases (not resolved, closed or cancelled) when absent.
    pub status: Option<String>,
    pub severity: Option<i64>,
    pub sla: Option<SlaFilter>,
    /// A whitelisted column and whether descending; due times sort with the unset last.
    pub sort: (&'static str, bool),
    pub limit: i64,
    pub offset: i64,
}

/// One page (and one row more) of the cases `viewer` works, by the query.
pub async fn list(tx: &mut Tx, viewer: &CaseViewer, q: &DeskQuery) -> Result<Vec<CaseRow>> {
    let mut b = Builder::new();
    let visible = viewer.visible(&mut b);
    let queued = match viewer {
        CaseViewer::Engineer { user_id } => format!(
            "c.queue_id IN (SELECT queue_id FROM queue_engineers WHERE user_id = {})",
            b.arg(*user_id)
        ),
        CaseViewer::Customer {
            repair_queue: Some(q),
            ..
        } => format!("c.queue_id = {}", b.arg(*q)),
        CaseViewer::Customer { .. } => "FALSE".to_owned(),
        _ => "c.queue_id IS NOT NULL".to_owned(),
    };
    b.push(&format!("{CASE} WHERE {visible} AND {queued}"));
    if let Some(queue) = q.queue {
        let queue = b.arg(queue);
        b.push(&format!(" AND c.queue_id = {queue}"));
    }
    match &q.status {
        Some(status) => {
            let status = b.arg(status.as_str());
            b.push(&format!(" AND c.status = {status}"));
        }
        None => {
            b.push(" AND c.finished_at IS NULL");
        }
    }
    match q.assignee {
        Assignee::Any => {}
        Assignee::Nobody => {
            b.push(" AND c.assignee_id IS NULL");
        }
        Assignee::User(user) => {
            let user = b.arg(user);
            b.push(&format!(" AND c.assignee_id = {user}"));
        }
    }
    if let Some(severity) = q.severity {
        let severity = b.arg(severity);
        b.push(&format!(" AND c.severity = {severity}"));
    }
    match q.sla {
        None => {}
        Some(SlaFilter::Breached) => {
            b.push(
                " AND (c.response_breached_at IS NOT NULL OR c.resolution_breached_at IS NOT NULL)",
            );
        }
        Some(SlaFilter::DueBefore(at)) => {
            let at = b.arg(at);
            b.push(&format!(
                " AND c.sla_due < {at} AND c.response_breached_at IS NULL AND c.resolution_breached_at IS NULL"
            ));
        }
    }
    let (column, descending) = q.sort;
    let direction = if descending { "DESC" } else { "ASC" };
    let nulls = if column == "c.sla_due" {
        " NULLS LAST"
    } else {
        ""
    };
    b.push(&format!(
        " ORDER BY {column} {direction}{nulls}, c.id {direction}"
    ));
    let limit = b.arg(q.limit + 1);
    let offset = b.arg(q.offset);
    b.push(&format!(" LIMIT {limit} OFFSET {offset}"));
    b.query().fetch_all(tx).await
}

/// A staff account that can take a case: active, with a staff role. Answers its name.
pub async fn staff_name(tx: &mut Tx, user: UserId) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct Name {
        name: String,
    }
    Ok(
        sql("SELECT name FROM users WHERE id = $1 AND staff_role IS NOT NULL AND active = $2")
            .bind(user)
            .bind(true)
            .fetch_optional::<Name>(tx)
            .await?
            .map(|n| n.name),
    )
}

/// Sets who works a case and, when given, its queue.
pub async fn assign(
    tx: &mut Tx,
    case: CaseKey,
    assignee: Option<UserId>,
    queue: Option<QueueId>,
) -> Result<()> {
    let changed = match queue {
        Some(queue) => {
            sql("UPDATE cases SET assignee_id = $2, queue_id = $3 WHERE id = $1")
                .bind(case)
                .bind(assignee)
                .bind(queue)
                .execute(tx)
                .await?
        }
        None => {
            sql("UPDATE cases SET assignee_id = $2 WHERE id = $1")
                .bind(case)
                .bind(assignee)
                .execute(tx)
                .await?
        }
    };
    one(changed)
}

fn one(changed: u64) -> Result<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

pub async fn set_severity(tx: &mut Tx, case: CaseKey, severity: i64) -> Result<()> {
    let changed = sql("UPDATE cases SET severity = $2 WHERE id = $1")
        .bind(case)
        .bind(severity)
        .execute(tx)
        .await?;
    one(changed)
}

pub async fn set_resolution(tx: &mut Tx, case: CaseKey, code: Option<&str>) -> Result<()> {
    let changed = sql("UPDATE cases SET resolution_code = $2 WHERE id = $1")
        .bind(case)
        .bind(code)
        .execute(tx)
        .await?;
    one(changed)
}

/// The engineers of a queue (active staff), with their emails and names, for telling them.
pub async fn engineers(tx: &mut Tx, queue: i64) -> Result<Vec<(UserId, String, String)>> {
    #[derive(sqlx::FromRow)]
    struct E {
        id: i64,
        email: String,
        name: String,
    }
    let rows: Vec<E> = sql(
        "SELECT u.id, u.email, u.name FROM queue_engineers qe JOIN users u ON u.id = qe.user_id
         WHERE qe.queue_id = $1 AND u.active = $2 ORDER BY u.email",
    )
    .bind(queue)
    .bind(true)
    .fetch_all(tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|e| (UserId(e.id), e.email, e.name))
        .collect())
}

/// A parts order (SUP-3).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartsOrderRow {
    #[sqlx(try_from = "i64")]
    pub id: PartsOrderId,
    pub part_number: String,
    pub description: String,
    pub quantity: i64,
    pub ship_to: String,
    pub status: String,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub struct NewPartsOrder<'a> {
    pub part_number: &'a str,
    pub description: &'a str,
    pub quantity: i64,
    pub ship_to: &'a str,
}

pub async fn add_parts_order(
    tx: &mut Tx,
    case: CaseKey,
    o: &NewPartsOrder<'_>,
    now: DateTime<Utc>,
) -> Result<PartsOrderId> {
    sql("INSERT INTO parts_orders (case_id, part_number, description, quantity, ship_to, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id AS v")
    .bind(case)
    .bind(o.part_number)
    .bind(o.description)
    .bind(o.quantity)
    .bind(o.ship_to)
    .bind("ordered")
    .bind(now)
    .fetch_id(tx)
    .await
}

const PARTS: &str = "SELECT id, part_number, description, quantity, ship_to, status, carrier, tracking, created_at, updated_at FROM parts_orders";

pub async fn parts_orders(tx: &mut Tx, case: CaseKey) -> Result<Vec<PartsOrderRow>> {
    let text = format!("{PARTS} WHERE case_id = $1 ORDER BY id");
    sql(text).bind(case).fetch_all(tx).await
}

/// One order of the case, locked for its change.
pub async fn parts_order(
    tx: &mut Tx,
    case: CaseKey,
    id: PartsOrderId,
) -> Result<Option<PartsOrderRow>> {
    let lock = tx.dialect().lock_rows();
    let text = format!("{PARTS} WHERE case_id = $1 AND id = $2{lock}");
    sql(text).bind(case).bind(id).fetch_optional(tx).await
}

pub async fn update_parts_order(
    tx: &mut Tx,
    id: PartsOrderId,
    status: &str,
    carrier: Option<&str>,
    tracking: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = sql("UPDATE parts_orders SET status = $2, carrier = COALESCE($3, carrier), tracking = COALESCE($4, tracking), updated_at = $5 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(carrier)
        .bind(tracking)
        .bind(now)
        .execute(tx)
        .await?;
    one(changed)
}

/// An onsite service order (SUP-3).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceOrderRow {
    #[sqlx(try_from = "i64")]
    pub id: ServiceOrderId,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub engineer: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn add_service_order(
    tx: &mut Tx,
    case: CaseKey,
    window: (DateTime<Utc>, DateTime<Utc>),
    engineer: &str,
    now: DateTime<Utc>,
) -> Result<ServiceOrderId> {
    sql("INSERT INTO service_orders (case_id, window_start, window_end, engineer, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id AS v")
    .bind(case)
    .bind(window.0)
    .bind(window.1)
    .bind(engineer)
    .bind("scheduled")
    .bind(now)
    .fetch_id(tx)
    .await
}

const SERVICE: &str = "SELECT id, window_start, window_end, engineer, status, created_at, updated_at FROM service_orders";

pub async fn service_orders(tx: &mut Tx, case: CaseKey) -> Result<Vec<ServiceOrderRow>> {
    let text = format!("{SERVICE} WHERE case_id = $1 ORDER BY id");
    sql(text).bind(case).fetch_all(tx).await
}

pub async fn service_order(
    tx: &mut Tx,
    case: CaseKey,
    id: ServiceOrderId,
) -> Result<Option<ServiceOrderRow>> {
    let lock = tx.dialect().lock_rows();
    let text = format!("{SERVICE} WHERE case_id = $1 AND id = $2{lock}");
    sql(text).bind(case).bind(id).fetch_optional(tx).await
}

pub async fn set_service_status(
    tx: &mut Tx,
    id: ServiceOrderId,
    status: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = sql("UPDATE service_orders SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(tx)
        .await?;
    one(changed)
}

/// A resolved case due to close.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ToClose {
    #[sqlx(try_from = "crate::cases::read::CaseId")]
    pub id: CaseKey,
}

/// Up to `limit` cases resolved before `before`, closed now (their resolution time stays),
/// skipping rows another process is closing.
pub async fn close_resolved(
    tx: &mut Tx,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<CaseKey>> {
    let skip = tx.dialect().skip_locked();
    let text = format!(
        "UPDATE cases SET status = $1 WHERE id IN (SELECT id FROM cases WHERE status = $2 AND finished_at < $3 ORDER BY finished_at LIMIT $4{skip})
         RETURNING id"
    );
    let rows: Vec<ToClose> = sql(text)
        .bind("closed")
        .bind("resolved")
        .bind(before)
        .bind(limit)
        .fetch_all(tx)
        .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// An active staff account, for the "assign to" choice.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// Every active staff account, by name.
pub async fn staff_members(tx: &mut Tx) -> Result<Vec<StaffMember>> {
    sql("SELECT id, name, email FROM users WHERE staff_role IS NOT NULL AND active = $1 ORDER BY name, id")
        .bind(true)
        .fetch_all(tx)
        .await
}
