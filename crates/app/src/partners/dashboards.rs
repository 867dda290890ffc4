//! A partner's unassigned devices (PTN-2), its customer dashboards and the three ways devices
//! enter them (PTN-4): the customer's enrolment with the cPIN, a file of serials, a transfer
//! from the unassigned list. Also the dashboards' alert switch (PTN-6).

use crate::auth::{random_token, sha256_hex};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use chrono::Duration;
use rand::Rng;
use serde::Deserialize;
use supportal_domain::entitlement::SerialNumber;
use supportal_domain::partner::{DEVICE_NAME_MAX, cpin_from, may_set_alerts, normalize_cpin};
use supportal_domain::validation::NAME_MAX;
use supportal_domain::{CompanyId, DashboardId, EmailAddress, FieldErrors};
use supportal_store::partners::devices::{
    self, DashboardRow, DeviceEvent, DeviceRow, Enrolment, Transfer,
};
use supportal_store::partners::{PartnerScope, alerts};
use supportal_store::{StoreError, throttle};

/// The longest page of devices.
pub const PAGE_MAX: i64 = 500;
/// Serials in one transfer or file.
pub const TRANSFER_MAX: usize = 1_000;

pub struct DevicePage {
    pub items: Vec<DeviceRow>,
    pub next_cursor: Option<String>,
}

/// The partner's unassigned devices, by serial, a page at a time (the cursor is the last serial).
pub async fn unassigned(
    ctx: &Context,
    scope: &PartnerScope,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> AppResult<DevicePage> {
    let limit = limit.unwrap_or(50).clamp(1, PAGE_MAX);
    let mut tx = ctx.db.read().await?;
    let mut items = devices::unassigned(&mut tx, scope, cursor, limit + 1).await?;
    tx.rollback().await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    Ok(DevicePage {
        next_cursor: more
            .then(|| items.last().map(|d| d.serial_number.clone()))
            .flatten(),
        items,
    })
}

pub async fn dashboards(ctx: &Context, scope: &PartnerScope) -> AppResult<Vec<DashboardRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = devices::dashboards(&mut tx, scope).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// `POST /partners/{company_id}/customers`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewDashboardBody {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "crate::input::optional_id")]
    pub customer_company_id: Option<i64>,
}

/// Creates a customer dashboard with a fresh cPIN (PTN-4). A name the partner uses already is a
/// conflict; a customer company that does not exist, a field error.
pub async fn create(
    ctx: &Context,
    scope: &PartnerScope,
    body: NewDashboardBody,
) -> AppResult<DashboardRow> {
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &crate::input::without_nul(&body.name), NAME_MAX);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let customer = body.customer_company_id.map(CompanyId);
    if let Some(c) = customer
        && !devices::is_customer_company(&mut tx, c).await?
    {
        return Err(AppError::field("customer_company_id", "unknown_company"));
    }
    let mut made = None;
    for _ in 0..4 {
        let cpin = cpin_from(rand::thread_rng().r#gen());
        match devices::create_dashboard(&mut tx, scope, &name, customer, &cpin, now).await {
            Ok(id) => {
                made = Some(id);
                break;
            }
            Err(StoreError::Conflict(what)) if what.contains("cpin") => continue,
            Err(StoreError::Conflict(_)) => return Err(AppError::conflict("dashboard_name_taken")),
            Err(e) => return Err(e.into()),
        }
    }
    let id = made.ok_or_else(|| AppError::internal("no free cPIN after four draws"))?;
    let row = devices::dashboard(&mut tx, scope, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// One of the partner's dashboards with its devices and the alerts it received; 404 for
/// another partner's.
pub struct DashboardView {
    pub dashboard: DashboardRow,
    pub devices: Vec<DeviceRow>,
    pub alerts: Vec<alerts::AlertView>,
}

pub async fn dashboard(
    ctx: &Context,
    scope: &PartnerScope,
    id: DashboardId,
) -> AppResult<DashboardView> {
    let mut tx = ctx.db.read().await?;
    let dashboard = devices::dashboard(&mut tx, scope, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let devices = devices::on_dashboard(&mut tx, scope, id).await?;
    let alerts = alerts::on_dashboard(&mut tx, scope, id, 100).await?;
    tx.rollback().await?;
    Ok(DashboardView {
        dashboard,
        devices,
        alerts,
    })
}

/// `POST /partners/{company_id}/customers/{customer_id}/devices`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TransferBody {
    #[serde(default, deserialize_with = "crate::input::string_list")]
    pub serial_numbers: Vec<String>,
}

/// What a transfer did; nothing moves when a serial is not among the unassigned devices.
#[derive(Debug, Clone, Default)]
pub struct TransferReport {
    pub moved: Vec<String>,
    pub already: Vec<String>,
    pub not_unassigned: Vec<String>,
}

/// Reads serials as people paste them: one per line or separated by commas, semicolons or spaces.
pub fn serial_list(values: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut invalid = false;
    for piece in values
        .iter()
        .flat_map(|v| v.split(|c: char| c == ',' || c == ';' || c.is_whitespace()))
        .filter(|p| !p.trim().is_empty())
    {
        if out.len() >= TRANSFER_MAX {
            return Err(AppError::field("serial_numbers", "too_many"));
        }
        match SerialNumber::parse(piece) {
            Ok(s) if !out.contains(&s.to_string()) => out.push(s.to_string()),
            Ok(_) => {}
            Err(_) => invalid = true,
        }
    }
    if invalid {
        return Err(AppError::field("serial_numbers", "invalid_serial"));
    }
    if out.is_empty() {
        return Err(AppError::field("serial_numbers", "required"));
    }
    Ok(out)
}

/// Moves unassigned devices onto a dashboard (PTN-4), all or none.
pub async fn transfer(
    ctx: &Context,
    scope: &PartnerScope,
    id: DashboardId,
    serials: &[String],
) -> AppResult<TransferReport> {
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    devices::dashboard(&mut tx, scope, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut report = TransferReport::default();
    for serial in serials {
        match devices::transfer(&mut tx, scope, id, serial, now).await? {
            Transfer::Moved => report.moved.push(serial.clone()),
            Transfer::AlreadyThere => report.already.push(serial.clone()),
            Transfer::NotUnassigned => report.not_unassigned.push(serial.clone()),
        }
    }
    if !report.not_unassigned.is_empty() {
        tx.rollback().await?;
        report.moved.clear();
        return Ok(report);
    }
    tx.commit().await?;
    Ok(report)
}

/// A file of serials (CSV or XLSX with a `serial_number` column): the bulk enrolment of PTN-4.
pub async fn transfer_file(
    ctx: &Context,
    scope: &PartnerScope,
    id: DashboardId,
    bytes: Option<Vec<u8>>,
) -> AppResult<TransferReport> {
    let bytes = bytes.ok_or_else(|| AppError::field("file", "required"))?;
    let mut serials = Vec::new();
    for (_, parsed) in crate::loading::files::rows(&["serial_number"], bytes, Some(TRANSFER_MAX))? {
        let value = parsed.map_err(|(_, code)| AppError::field("file", code))?;
        if let Some(s) = value.get("serial_number").and_then(|v| v.as_str()) {
            serials.push(s.to_owned());
        }
    }
    let serials = serial_list(&serials)?;
    transfer(ctx, scope, id, &serials).await
}

/// `GET, PUT …/settings/alerts`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AlertsBody {
    #[serde(default, deserialize_with = "crate::input::checkbox")]
    pub enabled: bool,
}

/// Switches a dashboard's self-service alerts (PTN-6): off only once a device has arrived.
pub async fn set_alerts(
    ctx: &Context,
    scope: &PartnerScope,
    id: DashboardId,
    enabled: bool,
) -> AppResult<DashboardRow> {
    let mut tx = ctx.db.begin().await?;
    let current = devices::dashboard(&mut tx, scope, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    may_set_alerts(enabled, current.first_device_at.is_some()).map_err(AppError::conflict)?;
    devices::set_alerts(&mut tx, scope, id, enabled).await?;
    let row = devices::dashboard(&mut tx, scope, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// Wrong enrolments (cPIN or serial) one address may make in ten minutes.
pub const WRONG_ENROLMENTS: i64 = 30;

/// `POST /devices/enroll`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnrollBody {
    #[serde(default)]
    pub cpin: String,
    #[serde(default)]
    pub serial_number: String,
    #[serde(default)]
    pub device_name: Option<String>,
}

/// A device agent enrols its device into the dashboard of a cPIN (PTN-4) and gets its device
/// token. Wrong cPINs and devices not reported to that partner get the same answer.
pub async fn enroll(ctx: &Context, ip: &str, body: EnrollBody) -> AppResult<String> {
    let mut errors = FieldErrors::new();
    let cpin = normalize_cpin(&body.cpin);
    if body.cpin.trim().is_empty() {
        errors.add("cpin", "required");
    } else if cpin.is_none() {
        errors.add("cpin", "invalid_cpin");
    }
    let serial = match SerialNumber::parse(&body.serial_number) {
        Ok(s) => s.to_string(),
        Err(code) => {
            errors.add("serial_number", code);
            String::new()
        }
    };
    let name = errors.optional_text(
        "device_name",
        body.device_name
            .as_deref()
            .map(crate::input::without_nul)
            .as_deref(),
        DEVICE_NAME_MAX,
    );
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let cpin = cpin.unwrap_or_default();
    let token = format!("sdev_{}", random_token());
    let now = ctx.now();
    // Guessing cPINs from one address is bounded: a wrong one counts, a right one is given back.
    let bucket = format!("enroll:address:{ip}");
    let mut tx = ctx.db.begin().await?;
    let hits = throttle::take(
        &mut tx,
        &[(&bucket, WRONG_ENROLMENTS)],
        Duration::minutes(10),
        now,
    )
    .await?
    .map_err(|wait| AppError::throttled("too_many_requests", wait))?;
    let enrolled = match devices::by_cpin(&mut tx, &cpin).await? {
        Some(target) => {
            devices::enroll(
                &mut tx,
                &target,
                &serial,
                name.as_deref(),
                &sha256_hex(&token),
                now,
            )
            .await?
        }
        None => Enrolment::UnknownDevice,
    };
    if enrolled == Enrolment::Enrolled {
        throttle::release(&mut tx, &hits).await?;
        tx.commit().await?;
        return Ok(token);
    }
    // The miss is counted (committed), the enrolment not made.
    tx.commit().await?;
    Err(AppError::unprocessable("unknown_device_or_cpin"))
}

/// `POST /partners/{company_id}/devices/{serial}/agent-token`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgentBody {
    #[serde(default)]
    pub end_user_email: Option<String>,
}

/// The partner installs the agent on a device it sold (before any dashboard): a fresh device
/// token, with the end user's address for alerts.
pub async fn agent_token(
    ctx: &Context,
    scope: &PartnerScope,
    serial: &str,
    body: AgentBody,
) -> AppResult<String> {
    let email = match body.end_user_email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e) => Some(
            EmailAddress::parse(e)
                .map_err(|_| AppError::field("end_user_email", "invalid_email"))?
                .to_string(),
        ),
    };
    let serial = SerialNumber::parse(serial)
        .map_err(|_| AppError::not_found())?
        .to_string();
    let token = format!("sdev_{}", random_token());
    let mut tx = ctx.db.begin().await?;
    if !devices::set_agent(
        &mut tx,
        scope,
        &serial,
        &sha256_hex(&token),
        email.as_deref(),
        ctx.now(),
    )
    .await?
    {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(token)
}

/// One of the partner's devices with its history and alerts.
pub struct DeviceView {
    pub device: DeviceRow,
    pub history: Vec<DeviceEvent>,
    pub alerts: Vec<alerts::AlertView>,
}

pub async fn device(ctx: &Context, scope: &PartnerScope, serial: &str) -> AppResult<DeviceView> {
    let serial = SerialNumber::parse(serial)
        .map_err(|_| AppError::not_found())?
        .to_string();
    let mut tx = ctx.db.read().await?;
    let device = devices::device(&mut tx, scope, &serial)
        .await?
        .ok_or_else(AppError::not_found)?;
    let history = devices::history(&mut tx, scope, device.id).await?;
    let alerts = alerts::of_device(&mut tx, scope, device.id, 50).await?;
    tx.rollback().await?;
    Ok(DeviceView {
        device,
        history,
        alerts,
    })
}
