//! Resold devices (PTN-2), customer dashboards and how devices enter them (PTN-4), the alert
//! switch (PTN-6) and every device's history.

use super::{FeedScope, PartnerScope};
use crate::{Builder, Result, StoreError, Tx, sql};
use chrono::{DateTime, NaiveDate, Utc};
use supportal_domain::partner::Sale;
use supportal_domain::{CompanyId, DashboardId, DeviceId, UserId};

/// Rows per statement when many serials are read or written at once (well under SQLite's limit
/// of bound values).
const CHUNK: usize = 500;

#[derive(sqlx::FromRow)]
struct V {
    v: i64,
}

/// A device as reported before, for the feed's idempotency check.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Reported {
    pub serial_number: String,
    pub sku: String,
    pub service_plan: String,
    pub partner_company_id: i64,
    pub sold_on: NaiveDate,
    pub reference: String,
}

/// Runs `text` over `values`, `CHUNK` at a time: `{list}` in it stands for the chunk's values.
async fn chunked<T, R>(tx: &mut Tx, values: &[T], text: &str) -> Result<Vec<R>>
where
    T: Copy + Into<crate::Arg>,
    R: crate::db::Row,
{
    let mut out = Vec::new();
    for chunk in values.chunks(CHUNK) {
        let mut b = Builder::new();
        let list = chunk
            .iter()
            .map(|v| b.arg(*v))
            .collect::<Vec<_>>()
            .join(", ");
        b.push(&text.replace("{list}", &list));
        out.extend(b.query().fetch_all::<R>(tx).await?);
    }
    Ok(out)
}

/// The devices among `serials` that were reported before.
pub async fn reported(tx: &mut Tx, serials: &[&str]) -> Result<Vec<Reported>> {
    chunked(
        tx,
        serials,
        "SELECT serial_number, sku, service_plan, partner_company_id, sold_on, reference
         FROM devices WHERE serial_number IN ({list})",
    )
    .await
}

/// Products by SKU among `skus`: (sku, id).
pub async fn products(tx: &mut Tx, skus: &[&str]) -> Result<Vec<(String, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        sku: String,
        id: i64,
    }
    let rows: Vec<Row> = chunked(
        tx,
        skus,
        "SELECT sku, id FROM products WHERE sku IN ({list})",
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.sku, r.id)).collect())
}

/// The partner companies (of a partner kind, enrolled or not yet) among `ids`.
pub async fn partner_companies(tx: &mut Tx, ids: &[i64]) -> Result<Vec<i64>> {
    let rows: Vec<V> = chunked(
        tx,
        ids,
        "SELECT id AS v FROM companies WHERE id IN ({list})
         AND (kind <> 'customer' OR id IN (SELECT company_id FROM partner_programmes))",
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.v).collect())
}

/// A checked sale with its product, ready to write.
pub struct NewDevice<'a> {
    pub sale: &'a Sale,
    pub product_id: i64,
}

/// Writes new devices and their `reported` history entries; returns how many were new.
/// A serial another feed wrote meanwhile is left as it is (counted out of the result).
pub async fn insert(
    tx: &mut Tx,
    feed: &FeedScope,
    devices: &[NewDevice<'_>],
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut written = 0;
    for chunk in devices.chunks(100) {
        let mut b = Builder::new();
        let now_arg = b.arg(now);
        let values = chunk
            .iter()
            .map(|d| {
                let s = d.sale;
                format!(
                    "({}, {}, {}, {}, {}, {}, {}, {now_arg}, {now_arg})",
                    b.arg(s.serial_number.as_str()),
                    b.arg(s.sku.as_str()),
                    b.arg(d.product_id),
                    b.arg(s.service_plan.as_str()),
                    b.arg(s.partner_company_id),
                    b.arg(s.sold_on),
                    b.arg(s.reference.as_str()),
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        b.push(&format!(
            "INSERT INTO devices (serial_number, sku, product_id, service_plan, partner_company_id, sold_on,
                 reference, created_at, updated_at) VALUES {values}
             ON CONFLICT (serial_number) DO NOTHING RETURNING id AS v"
        ));
        let ids = b.query().fetch_all::<V>(tx).await?;
        written += ids.len();
        if ids.is_empty() {
            continue;
        }
        let mut e = Builder::new();
        let now_arg = e.arg(now);
        let detail = e.arg(match feed.token_id {
            Some(id) => format!("feed:{id}"),
            None => "operator".to_owned(),
        });
        let values = ids
            .iter()
            .map(|id| format!("({}, 'reported', {detail}, {now_arg})", e.arg(id.v)))
            .collect::<Vec<_>>()
            .join(", ");
        e.push(&format!(
            "INSERT INTO device_events (device_id, kind, detail, at) VALUES {values}"
        ));
        e.query().execute(tx).await?;
    }
    Ok(written)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeviceRow {
    #[sqlx(try_from = "i64")]
    pub id: DeviceId,
    pub serial_number: String,
    pub sku: String,
    pub product: String,
    pub service_plan: String,
    pub sold_on: NaiveDate,
    pub reference: String,
    pub dashboard_id: Option<i64>,
    pub dashboard_name: Option<String>,
    pub device_name: Option<String>,
    pub end_user_email: Option<String>,
    pub has_agent: bool,
    pub updated_at: DateTime<Utc>,
}

const DEVICE: &str = "SELECT d.id, d.serial_number, d.sku, p.name AS product, d.service_plan, d.sold_on, d.reference,
    d.dashboard_id, db.name AS dashboard_name, d.device_name, d.end_user_email, d.token_hash IS NOT NULL AS has_agent,
    d.updated_at
    FROM devices d JOIN products p ON p.id = d.product_id LEFT JOIN dashboards db ON db.id = d.dashboard_id";

/// The partner's unassigned devices (PTN-2) by serial, a page after `after`.
pub async fn unassigned(
    tx: &mut Tx,
    scope: &PartnerScope,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DeviceRow>> {
    sql(format!(
        "{DEVICE} WHERE d.partner_company_id = $1 AND d.dashboard_id IS NULL AND d.serial_number > $2
         ORDER BY d.serial_number LIMIT $3"
    ))
    .bind(scope.company_id)
    .bind(after.unwrap_or(""))
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// One of the partner's devices, wherever it is.
pub async fn device(tx: &mut Tx, scope: &PartnerScope, serial: &str) -> Result<Option<DeviceRow>> {
    sql(format!(
        "{DEVICE} WHERE d.partner_company_id = $1 AND d.serial_number = $2"
    ))
    .bind(scope.company_id)
    .bind(serial)
    .fetch_optional(tx)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DashboardRow {
    #[sqlx(try_from = "i64")]
    pub id: DashboardId,
    pub name: String,
    pub customer_company_id: Option<i64>,
    pub customer_company_name: Option<String>,
    pub cpin: String,
    pub self_service_alerts: bool,
    pub first_device_at: Option<DateTime<Utc>>,
    pub devices: i64,
    pub alerts: i64,
    pub created_at: DateTime<Utc>,
}

const DASHBOARD: &str = "SELECT db.id, db.name, db.customer_company_id, cc.name AS customer_company_name, db.cpin,
    db.self_service_alerts, db.first_device_at,
    (SELECT COUNT(*) FROM devices dd WHERE dd.dashboard_id = db.id) AS devices,
    (SELECT COUNT(*) FROM device_alerts da WHERE da.dashboard_id = db.id AND da.routed_to = 'partner') AS alerts,
    db.created_at
    FROM dashboards db LEFT JOIN companies cc ON cc.id = db.customer_company_id";

pub async fn dashboards(tx: &mut Tx, scope: &PartnerScope) -> Result<Vec<DashboardRow>> {
    sql(format!(
        "{DASHBOARD} WHERE db.partner_company_id = $1 ORDER BY db.name, db.id"
    ))
    .bind(scope.company_id)
    .fetch_all(tx)
    .await
}

/// One of the partner's dashboards; `None` for another partner's.
pub async fn dashboard(
    tx: &mut Tx,
    scope: &PartnerScope,
    id: DashboardId,
) -> Result<Option<DashboardRow>> {
    sql(format!(
        "{DASHBOARD} WHERE db.partner_company_id = $1 AND db.id = $2"
    ))
    .bind(scope.company_id)
    .bind(id)
    .fetch_optional(tx)
    .await
}

/// Creates a dashboard; a name the partner uses already, or a cPIN drawn twice, is a conflict.
pub async fn create_dashboard(
    tx: &mut Tx,
    scope: &PartnerScope,
    name: &str,
    customer: Option<CompanyId>,
    cpin: &str,
    now: DateTime<Utc>,
) -> Result<DashboardId> {
    sql("INSERT INTO dashboards (partner_company_id, name, customer_company_id, cpin, self_service_alerts, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS v")
    .bind(scope.company_id)
    .bind(name)
    .bind(customer)
    .bind(cpin)
    .bind(false)
    .bind(now)
    .fetch_id(tx)
    .await
}

/// Whether a company exists and is a customer (for a dashboard's link to it).
pub async fn is_customer_company(tx: &mut Tx, id: CompanyId) -> Result<bool> {
    Ok(
        sql("SELECT COUNT(*) AS v FROM companies WHERE id = $1 AND kind = 'customer'")
            .bind(id)
            .fetch_i64(tx)
            .await?
            > 0,
    )
}

/// The devices on a dashboard, by serial.
pub async fn on_dashboard(
    tx: &mut Tx,
    scope: &PartnerScope,
    dashboard: DashboardId,
) -> Result<Vec<DeviceRow>> {
    sql(format!(
        "{DEVICE} WHERE d.partner_company_id = $1 AND d.dashboard_id = $2 ORDER BY d.serial_number"
    ))
    .bind(scope.company_id)
    .bind(dashboard)
    .fetch_all(tx)
    .await
}

/// A customer company's view of the dashboards made for it: their devices (PTN-4).
pub async fn customer_devices(tx: &mut Tx, scope: &crate::CompanyScope) -> Result<Vec<DeviceRow>> {
    sql(format!(
        "{DEVICE} WHERE d.dashboard_id IN (SELECT id FROM dashboards WHERE customer_company_id = $1)
         ORDER BY d.serial_number LIMIT 1000"
    ))
    .bind(scope.company_id)
    .fetch_all(tx)
    .await
}

/// Moves a device onto a dashboard with its history entry; the dashboard's first device switches
/// its self-service alerts on (PTN-6).
async fn arrive(
    tx: &mut Tx,
    device: DeviceId,
    dashboard: DashboardId,
    kind: &str,
    actor: Option<UserId>,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("UPDATE devices SET dashboard_id = $2, updated_at = $3 WHERE id = $1")
        .bind(device)
        .bind(dashboard)
        .bind(now)
        .execute(tx)
        .await?;
    sql("INSERT INTO device_events (device_id, kind, dashboard_id, actor_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(device)
        .bind(kind)
        .bind(dashboard)
        .bind(actor)
        .bind(detail)
        .bind(now)
        .execute(tx)
        .await?;
    sql(
        "UPDATE dashboards SET self_service_alerts = $2, first_device_at = $3
         WHERE id = $1 AND first_device_at IS NULL",
    )
    .bind(dashboard)
    .bind(true)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    dashboard_id: Option<i64>,
}

/// A partner's device by serial, its row locked until the transaction ends (PostgreSQL), so
/// two moves of one device are decided one after the other.
async fn locked(tx: &mut Tx, partner: i64, serial: &str) -> Result<Option<Row>> {
    let lock = tx.dialect().lock_case();
    sql(format!(
        "SELECT c.id, c.dashboard_id FROM devices c WHERE c.partner_company_id = $1 AND c.serial_number = $2{lock}"
    ))
    .bind(partner)
    .bind(serial)
    .fetch_optional(tx)
    .await
}

/// What a transfer found for one serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transfer {
    Moved,
    /// Already on this dashboard.
    AlreadyThere,
    /// Not among the partner's unassigned devices (unknown, another partner's, or elsewhere).
    NotUnassigned,
}

/// Moves the partner's unassigned devices onto one of its dashboards (PTN-4); the row of each
/// device is locked while it moves, so two transfers of one device move it once.
pub async fn transfer(
    tx: &mut Tx,
    scope: &PartnerScope,
    dashboard: DashboardId,
    serial: &str,
    now: DateTime<Utc>,
) -> Result<Transfer> {
    match locked(tx, scope.company_id.get(), serial).await? {
        Some(Row {
            dashboard_id: Some(d),
            ..
        }) if d == dashboard.get() => Ok(Transfer::AlreadyThere),
        Some(Row {
            id,
            dashboard_id: None,
        }) => {
            arrive(
                tx,
                DeviceId(id),
                dashboard,
                "transferred",
                Some(scope.user_id),
                "",
                now,
            )
            .await?;
            Ok(Transfer::Moved)
        }
        _ => Ok(Transfer::NotUnassigned),
    }
}

/// A dashboard found by its cPIN, for a device's enrolment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CpinTarget {
    #[sqlx(try_from = "i64")]
    pub dashboard_id: DashboardId,
    pub partner_company_id: i64,
}

pub async fn by_cpin(tx: &mut Tx, cpin: &str) -> Result<Option<CpinTarget>> {
    sql("SELECT id AS dashboard_id, partner_company_id FROM dashboards WHERE cpin = $1")
        .bind(cpin)
        .fetch_optional(tx)
        .await
}

/// What enrolling a device with a cPIN did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolment {
    Enrolled,
    /// The serial was not reported to the dashboard's partner.
    UnknownDevice,
}

/// Enrols a reported device of the dashboard's partner into it with the agent's token: from the
/// unassigned list or from another of that partner's dashboards (PTN-4).
pub async fn enroll(
    tx: &mut Tx,
    target: &CpinTarget,
    serial: &str,
    device_name: Option<&str>,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Enrolment> {
    let Some(row) = locked(tx, target.partner_company_id, serial).await? else {
        return Ok(Enrolment::UnknownDevice);
    };
    sql("UPDATE devices SET token_hash = $2, device_name = COALESCE($3, device_name), updated_at = $4 WHERE id = $1")
        .bind(row.id)
        .bind(token_hash)
        .bind(device_name)
        .bind(now)
        .execute(tx)
        .await?;
    let detail = match row.dashboard_id {
        Some(d) if d == target.dashboard_id.get() => "again",
        Some(_) => "moved",
        None => "",
    };
    arrive(
        tx,
        DeviceId(row.id),
        target.dashboard_id,
        "enrolled",
        None,
        detail,
        now,
    )
    .await?;
    Ok(Enrolment::Enrolled)
}

/// Gives an unassigned device of the partner its agent token (the partner installs the agent
/// before the sale; PTN-5), with the end user's address if known.
pub async fn set_agent(
    tx: &mut Tx,
    scope: &PartnerScope,
    serial: &str,
    token_hash: &str,
    end_user_email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let changed = sql(
        "UPDATE devices SET token_hash = $3, end_user_email = COALESCE($4, end_user_email), updated_at = $5
         WHERE partner_company_id = $1 AND serial_number = $2",
    )
    .bind(scope.company_id)
    .bind(serial)
    .bind(token_hash)
    .bind(end_user_email)
    .bind(now)
    .execute(tx)
    .await?;
    if changed > 0 {
        sql("INSERT INTO device_events (device_id, kind, actor_id, at)
             SELECT id, 'agent_token', $3, $4 FROM devices WHERE partner_company_id = $1 AND serial_number = $2")
        .bind(scope.company_id)
        .bind(serial)
        .bind(scope.user_id)
        .bind(now)
        .execute(tx)
        .await?;
    }
    Ok(changed > 0)
}

/// Switches a dashboard's self-service alerts (PTN-6); the caller checked the rule.
pub async fn set_alerts(
    tx: &mut Tx,
    scope: &PartnerScope,
    dashboard: DashboardId,
    enabled: bool,
) -> Result<()> {
    let changed = sql(
        "UPDATE dashboards SET self_service_alerts = $3 WHERE partner_company_id = $1 AND id = $2",
    )
    .bind(scope.company_id)
    .bind(dashboard)
    .bind(enabled)
    .execute(tx)
    .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeviceEvent {
    pub kind: String,
    pub dashboard_name: Option<String>,
    pub actor: Option<String>,
    pub detail: String,
    pub at: DateTime<Utc>,
}

/// A device's history, oldest first.
pub async fn history(
    tx: &mut Tx,
    scope: &PartnerScope,
    device: DeviceId,
) -> Result<Vec<DeviceEvent>> {
    sql(
        "SELECT e.kind, db.name AS dashboard_name, u.name AS actor, e.detail, e.at
         FROM device_events e JOIN devices d ON d.id = e.device_id
         LEFT JOIN dashboards db ON db.id = e.dashboard_id LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.device_id = $1 AND d.partner_company_id = $2 ORDER BY e.id",
    )
    .bind(device)
    .bind(scope.company_id)
    .fetch_all(tx)
    .await
}
