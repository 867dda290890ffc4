//! The partner tenant's pages (PTN-1 to PTN-6): unassigned devices with the request for missing
//! ones, customer dashboards (cPIN, devices by transfer or file, Settings → Alerts, the alerts
//! the dashboard received) and a device's history; a service partner's repair queue and claims are
//! `claim_pages`. Only the enrolled partner's people reach them; everyone else gets 404.

use crate::auth::PageUser;
use crate::error::{AppError, AppResult};
use crate::forms::{Form, MultipartForm};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_app::partners::alerts as app_alerts;
use supportal_app::partners::dashboards::{
    self, AlertsBody, DashboardView, DeviceView, NewDashboardBody,
};
use supportal_app::partners::repair::{self, MissingBody, RepairBody};
use supportal_app::partners::{self};
use supportal_domain::{AlertId, CompanyId, DashboardId};
use supportal_store::partners::PartnerScope;
use supportal_store::partners::devices::{DashboardRow, DeviceRow};
use supportal_store::sessions::SessionUser;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partner/{company_id}/devices", get(devices_page))
        .route(
            "/partner/{company_id}/devices/transfer",
            post(transfer_selected),
        )
        .route("/partner/{company_id}/missing", post(missing))
        .route("/partner/{company_id}/devices/{serial}", get(device_page))
        .route("/partner/{company_id}/devices/{serial}/agent", post(agent))
        .route(
            "/partner/{company_id}/customers",
            get(customers_page).post(create_customer),
        )
        .route("/partner/{company_id}/customers/{id}", get(customer_page))
        .route(
            "/partner/{company_id}/customers/{id}/devices",
            post(transfer_typed),
        )
        .route(
            "/partner/{company_id}/customers/{id}/upload",
            post(transfer_file).layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route(
            "/partner/{company_id}/customers/{id}/alerts",
            post(set_alerts),
        )
        .route(
            "/partner/{company_id}/alerts/{id}/repair",
            post(partner_repair),
        )
}

pub(super) async fn scope_of(
    state: &AppState,
    user: &SessionUser,
    company: i64,
) -> AppResult<PartnerScope> {
    Ok(partners::scope(state, user, CompanyId(company)).await?)
}

// --- Unassigned devices ---------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "partners/devices.html")]
struct DevicesPage {
    c: Chrome,
    company: i64,
    devices: Vec<DeviceRow>,
    next: Option<String>,
    dashboards: Vec<DashboardRow>,
    missing: String,
    note: String,
}

#[derive(Deserialize, Default)]
struct After {
    after: Option<String>,
}

async fn render_devices(
    state: &AppState,
    c: Chrome,
    scope: &PartnerScope,
    after: Option<&str>,
    missing: (String, String),
) -> AppResult<Response> {
    let page = dashboards::unassigned(state, scope, after, Some(100)).await?;
    Ok(DevicesPage {
        c,
        company: scope.company_id().get(),
        devices: page.items,
        next: page.next_cursor,
        dashboards: dashboards::dashboards(state, scope).await?,
        missing: missing.0,
        note: missing.1,
    }
    .into_response())
}

async fn devices_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
    Query(q): Query<After>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let c = ctx.chrome(&state, "partner-devices-title").await?;
    render_devices(&state, c, &scope, q.after.as_deref(), Default::default()).await
}

/// The checked devices of the unassigned list onto the chosen dashboard.
async fn transfer_selected(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let serials: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "serial_numbers")
        .map(|(_, v)| v.clone())
        .collect();
    let dashboard = pairs
        .iter()
        .find(|(k, _)| k == "customer_id")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let outcome = async {
        let dashboard = dashboard.ok_or_else(|| AppError::field("customer_id", "required"))?;
        let serials = dashboards::serial_list(&serials)?;
        let report = dashboards::transfer(&state, &scope, DashboardId(dashboard), &serials).await?;
        match report.not_unassigned.is_empty() {
            true => Ok(dashboard),
            false => Err(AppError::field("serial_numbers", "invalid_choice")),
        }
    }
    .await;
    match outcome {
        Ok(d) => Ok(redirect_flash(
            &format!("/partner/{company}/customers/{d}"),
            "flash-devices-moved",
        )),
        Err(e) => {
            let c = ctx
                .chrome(&state, "partner-devices-title")
                .await?
                .failed(e)?;
            render_devices(&state, c, &scope, None, Default::default()).await
        }
    }
}

async fn missing(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
    Form(body): Form<MissingBody>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let c = ctx.chrome(&state, "partner-devices-title").await?;
    let kept = (body.serial_numbers.join("\n"), body.note.clone());
    match repair::missing_devices(&state, &c.lang, &user, &scope, body).await {
        Ok(number) => Ok(redirect_flash(
            &format!("/cases/{number}"),
            "flash-missing-sent",
        )),
        Err(e) => render_devices(&state, c.failed(e)?, &scope, None, kept).await,
    }
}

// --- One device -----------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "partners/device.html")]
struct DevicePage {
    c: Chrome,
    company: i64,
    v: DeviceView,
    token: Option<String>,
}

async fn device_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path((company, serial)): axum::extract::Path<(i64, String)>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let c = ctx.chrome(&state, "partner-device-title").await?;
    let v = dashboards::device(&state, &scope, &serial).await?;
    Ok(DevicePage {
        c,
        company,
        v,
        token: None,
    }
    .into_response())
}

#[derive(Deserialize, Default)]
struct AgentForm {
    #[serde(default)]
    end_user_email: String,
}

/// A device token for the agent the partner installs; shown once, on this page.
async fn agent(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path((company, serial)): axum::extract::Path<(i64, String)>,
    Form(f): Form<AgentForm>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let mut c = ctx.chrome(&state, "partner-device-title").await?;
    let body = dashboards::AgentBody {
        end_user_email: Some(f.end_user_email),
    };
    let token = match dashboards::agent_token(&state, &scope, &serial, body).await {
        Ok(token) => Some(token),
        Err(e) => {
            c = c.failed(e)?;
            None
        }
    };
    let v = dashboards::device(&state, &scope, &serial).await?;
    Ok(DevicePage {
        c,
        company,
        v,
        token,
    }
    .into_response())
}

// --- Customer dashboards --------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "partners/customers.html")]
struct CustomersPage {
    c: Chrome,
    company: i64,
    dashboards: Vec<DashboardRow>,
    dashboard_name: String,
}

async fn customers_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let c = ctx.chrome(&state, "partner-customers-title").await?;
    Ok(CustomersPage {
        c,
        company,
        dashboards: dashboards::dashboards(&state, &scope).await?,
        dashboard_name: String::new(),
    }
    .into_response())
}

async fn create_customer(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(company): axum::extract::Path<i64>,
    Form(body): Form<NewDashboardBody>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let name = body.name.clone();
    match dashboards::create(&state, &scope, body).await {
        Ok(d) => Ok(redirect_flash(
            &format!("/partner/{company}/customers/{}", d.id),
            "flash-dashboard-created",
        )),
        Err(e) => {
            let c = ctx
                .chrome(&state, "partner-customers-title")
                .await?
                .failed(e)?;
            Ok(CustomersPage {
                c,
                company,
                dashboards: dashboards::dashboards(&state, &scope).await?,
                dashboard_name: name,
            }
            .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "partners/customer.html")]
struct CustomerPage {
    c: Chrome,
    company: i64,
    v: DashboardView,
    serials: String,
    moved: Vec<String>,
}

async fn render_customer(
    state: &AppState,
    c: Chrome,
    scope: &PartnerScope,
    id: i64,
    serials: String,
    moved: Vec<String>,
) -> AppResult<Response> {
    Ok(CustomerPage {
        c,
        company: scope.company_id().get(),
        v: dashboards::dashboard(state, scope, DashboardId(id)).await?,
        serials,
        moved,
    }
    .into_response())
}

async fn customer_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path((company, id)): axum::extract::Path<(i64, i64)>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let c = ctx.chrome(&state, "partner-customer-title").await?;
    render_customer(&state, c, &scope, id, String::new(), Vec::new()).await
}

#[derive(Deserialize, Default)]
struct SerialsForm {
    #[serde(default)]
    serial_numbers: String,
}

/// Devices typed or pasted (one per line) moved from the unassigned list.
async fn transfer_typed(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path((company, id)): axum::extract::Path<(i64, i64)>,
    Form(f): Form<SerialsForm>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let outcome = async {
        let serials = dashboards::serial_list(std::slice::from_ref(&f.serial_numbers))?;
        dashboards::transfer(&state, &scope, DashboardId(id), &serials).await
    }
    .await;
    after_transfer(&state, ctx, &scope, id, f.serial_numbers, outcome).await
}

/// Bulk enrolment from a file of serials (CSV or XLSX with a `serial_number` column).
async fn transfer_file(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path((company, id)): axum::extract::Path<(i64, i64)>,
    headers: axum::http::HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let form = MultipartForm::read_page(&headers, multipart, &["file"]).await?;
    let file = crate::admin::loading::upload_file(form);
    let outcome = dashboards::transfer_file(&state, &scope, DashboardId(id), file).await;
    after_transfer(&state, ctx, &scope, id, String::new(), outcome).await
}

async fn after_transfer(
    state: &AppState,
    ctx: Ctx,
    scope: &PartnerScope,
    id: i64,
    typed: String,
    outcome: Result<dashboards::TransferReport, AppError>,
) -> AppResult<Response> {
    let mut c = ctx.chrome(state, "partner-customer-title").await?;
    let moved = match outcome {
        Ok(report) if report.not_unassigned.is_empty() => {
            c.flash = Some(c.lang.t1("partner-moved", "count", report.moved.len()));
            report.moved
        }
        Ok(report) => {
            c.error = Some(c.lang.t1(
                "partner-not-unassigned",
                "serials",
                report.not_unassigned.join(", "),
            ));
            return render_customer(state, c, scope, id, typed, Vec::new()).await;
        }
        Err(e) => {
            c = c.failed(e)?;
            return render_customer(state, c, scope, id, typed, Vec::new()).await;
        }
    };
    render_customer(state, c, scope, id, String::new(), moved).await
}

async fn set_alerts(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path((company, id)): axum::extract::Path<(i64, i64)>,
    Form(body): Form<AlertsBody>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    match dashboards::set_alerts(&state, &scope, DashboardId(id), body.enabled).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/partner/{company}/customers/{id}#alerts"),
            "flash-saved",
        )),
        Err(e) => {
            let c = ctx
                .chrome(&state, "partner-customer-title")
                .await?
                .failed(e)?;
            render_customer(&state, c, &scope, id, String::new(), Vec::new()).await
        }
    }
}

/// The partner submits the repair case of an alert its dashboard received.
async fn partner_repair(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path((company, alert)): axum::extract::Path<(i64, i64)>,
    Form(body): Form<RepairBody>,
) -> AppResult<Response> {
    let scope = scope_of(&state, &user, company).await?;
    let lang = ctx.lang.clone();
    let number =
        app_alerts::submit_for_partner(&state, &lang, &user, &scope, AlertId(alert), body).await?;
    Ok(redirect_flash(
        &format!("/cases/{number}"),
        "flash-repair-sent",
    ))
}
