//! Device alerts (PTN-5, PTN-6): the agent's proof, the alert and who it went to, the end user's
//! *View* (by a signed-in notification or by the link the agent was given) and the repair case
//! made of it.

use super::PartnerScope;
use crate::cases::CaseKey;
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{AlertId, DashboardId, DeviceId, UserId};

/// A device agent's proof: a device token was shown. Only `agent` makes one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeviceAgent {
    #[sqlx(try_from = "i64")]
    pub(crate) device_id: DeviceId,
    pub serial_number: String,
    pub partner_company_id: i64,
    /// The dashboard's self-service switch, when the device is on one.
    pub dashboard_id: Option<i64>,
    pub self_service: Option<bool>,
    pub end_user_email: Option<String>,
    /// When the device reported its `cap`th newest alert (see `agent`): a cap per hour is
    /// reached when that is within the hour.
    pub cap_reached_at: Option<DateTime<Utc>>,
}

impl DeviceAgent {
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }
}

/// The device whose agent token has this hash, with when it reported its `cap`th newest alert
/// (read in the same statement, by the `(device_id, id)` index).
pub async fn agent(tx: &mut Tx, token_hash: &str, cap: i64) -> Result<Option<DeviceAgent>> {
    sql(
        "SELECT d.id AS device_id, d.serial_number, d.partner_company_id, d.dashboard_id,
                db.self_service_alerts AS self_service, d.end_user_email,
                (SELECT a.created_at FROM device_alerts a WHERE a.device_id = d.id
                 ORDER BY a.id DESC LIMIT 1 OFFSET $2) AS cap_reached_at
         FROM devices d LEFT JOIN dashboards db ON db.id = d.dashboard_id
         WHERE d.token_hash = $1",
    )
    .bind(token_hash)
    .bind(cap.max(1) - 1)
    .fetch_optional(tx)
    .await
}

pub struct NewAlert<'a> {
    pub code: &'a str,
    pub component: &'a str,
    pub severity: &'a str,
    pub message: &'a str,
    pub routed_to: &'a str,
    pub view_token_hash: &'a str,
    pub view_expires_at: DateTime<Utc>,
}

pub async fn record(
    tx: &mut Tx,
    agent: &DeviceAgent,
    a: &NewAlert<'_>,
    now: DateTime<Utc>,
) -> Result<AlertId> {
    sql("INSERT INTO device_alerts (device_id, code, component, severity, message, routed_to, dashboard_id,
             view_token_hash, view_expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id AS v")
    .bind(agent.device_id)
    .bind(a.code)
    .bind(a.component)
    .bind(a.severity)
    .bind(a.message)
    .bind(a.routed_to)
    .bind(agent.dashboard_id)
    .bind(a.view_token_hash)
    .bind(a.view_expires_at)
    .bind(now)
    .fetch_id(tx)
    .await
}

/// The account with this address, if any (the end user's in-app notification).
pub async fn user_by_email(tx: &mut Tx, email: &str) -> Result<Option<UserId>> {
    Ok(
        sql("SELECT id AS v FROM users WHERE email = $1 AND active = $2")
            .bind(email)
            .bind(true)
            .fetch_optional_i64(tx)
            .await?
            .map(UserId),
    )
}

/// An alert with its device, as the end user's *View* shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertView {
    #[sqlx(try_from = "i64")]
    pub id: AlertId,
    pub code: String,
    pub component: String,
    pub severity: String,
    pub message: String,
    pub routed_to: String,
    pub created_at: DateTime<Utc>,
    pub view_expires_at: DateTime<Utc>,
    #[sqlx(try_from = "i64")]
    pub device_id: DeviceId,
    pub serial_number: String,
    pub device_name: Option<String>,
    pub product_id: i64,
    pub product: String,
    pub product_line: String,
    pub service_plan: String,
    pub end_user_email: Option<String>,
    pub partner_company_id: i64,
    pub partner_name: String,
    pub programme: Option<String>,
    pub dashboard_id: Option<i64>,
    pub customer_company_id: Option<i64>,
    pub case_number: Option<String>,
}

const VIEW: &str = "SELECT a.id, a.code, a.component, a.severity, a.message, a.routed_to, a.created_at, a.view_expires_at,
    d.id AS device_id, d.serial_number, d.device_name, d.product_id, p.name AS product, pl.name AS product_line,
    d.service_plan, d.end_user_email, d.partner_company_id, pc.name AS partner_name, pp.kind AS programme,
    d.dashboard_id, db.customer_company_id, c.number AS case_number
    FROM device_alerts a JOIN devices d ON d.id = a.device_id JOIN products p ON p.id = d.product_id
    JOIN product_lines pl ON pl.id = p.product_line_id JOIN companies pc ON pc.id = d.partner_company_id
    LEFT JOIN partner_programmes pp ON pp.company_id = d.partner_company_id
    LEFT JOIN dashboards db ON db.id = d.dashboard_id LEFT JOIN cases c ON c.id = a.case_id";

/// The alert a *View* link opens, while the link lasts.
pub async fn by_view_token(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<AlertView>> {
    sql(format!(
        "{VIEW} WHERE a.view_token_hash = $1 AND a.view_expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(tx)
    .await
}

/// An alert the signed-in user was notified of.
pub async fn notified(tx: &mut Tx, user: UserId, alert: AlertId) -> Result<Option<AlertView>> {
    sql(format!(
        "{VIEW} WHERE a.id = $1 AND EXISTS (SELECT 1 FROM notifications n WHERE n.alert_id = a.id AND n.user_id = $2)"
    ))
    .bind(alert)
    .bind(user)
    .fetch_optional(tx)
    .await
}

/// An alert on one of the partner's devices.
pub async fn for_partner(
    tx: &mut Tx,
    scope: &PartnerScope,
    alert: AlertId,
) -> Result<Option<AlertView>> {
    sql(format!(
        "{VIEW} WHERE a.id = $1 AND d.partner_company_id = $2"
    ))
    .bind(alert)
    .bind(scope.company_id)
    .fetch_optional(tx)
    .await
}

/// Ties the repair case to its alert, once: false when another submission came first.
pub async fn set_case(tx: &mut Tx, alert: AlertId, case: CaseKey) -> Result<bool> {
    Ok(
        sql("UPDATE device_alerts SET case_id = $2 WHERE id = $1 AND case_id IS NULL")
            .bind(alert)
            .bind(case.get())
            .execute(tx)
            .await?
            > 0,
    )
}

/// Locks the alert for the case's submission (PostgreSQL), so two submissions make one case.
pub async fn lock(tx: &mut Tx, alert: AlertId) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        case_id: Option<i64>,
    }
    let lock = tx.dialect().lock_case();
    let row: Option<Row> = sql(format!(
        "SELECT c.case_id FROM device_alerts c WHERE c.id = $1{lock}"
    ))
    .bind(alert)
    .fetch_optional(tx)
    .await?;
    // The case in a statement of its own: one committed while this waited for the row is seen.
    let Some(case) = row.and_then(|r| r.case_id) else {
        return Ok(None);
    };
    #[derive(sqlx::FromRow)]
    struct Number {
        number: String,
    }
    let number: Option<Number> = sql("SELECT number FROM cases WHERE id = $1")
        .bind(case)
        .fetch_optional(tx)
        .await?;
    Ok(number.map(|n| n.number))
}

/// Keeps the end user's confirmed address on the device for its next alert.
pub async fn remember_end_user(tx: &mut Tx, device: DeviceId, email: &str) -> Result<()> {
    sql("UPDATE devices SET end_user_email = $2 WHERE id = $1")
        .bind(device)
        .bind(email)
        .execute(tx)
        .await?;
    Ok(())
}

/// Alerts a dashboard received instead of its end users (self-service off), newest first.
pub async fn on_dashboard(
    tx: &mut Tx,
    scope: &PartnerScope,
    dashboard: DashboardId,
    limit: i64,
) -> Result<Vec<AlertView>> {
    sql(format!(
        "{VIEW} WHERE d.partner_company_id = $1 AND a.dashboard_id = $2 ORDER BY a.id DESC LIMIT $3"
    ))
    .bind(scope.company_id)
    .bind(dashboard)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// The alerts of one of the partner's devices, newest first.
pub async fn of_device(
    tx: &mut Tx,
    scope: &PartnerScope,
    device: DeviceId,
    limit: i64,
) -> Result<Vec<AlertView>> {
    sql(format!(
        "{VIEW} WHERE d.partner_company_id = $1 AND a.device_id = $2 ORDER BY a.id DESC LIMIT $3"
    ))
    .bind(scope.company_id)
    .bind(device)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// The company a repair case belongs to: the dashboard's customer company, else the partner.
pub fn case_company(view: &AlertView) -> i64 {
    view.customer_company_id.unwrap_or(view.partner_company_id)
}
