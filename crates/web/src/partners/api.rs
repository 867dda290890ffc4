//! The partner channel's JSON API (PTN-1 to PTN-6): the operator's programme, feed tokens and
//! claims; the distributors' feed; the partner's devices, dashboards, alerts, repair queue and
//! claims; the device agent's enrolment and alerts; the end user's *View*.

use super::types::{
    Alert, Claim, Dashboard, Device, FeedAnswer, HistoryEntry, Programme, TransferAnswer,
};
use crate::auth::{ApiUser, bearer};
use crate::desk::types::{DeskCase, DeskList};
use crate::error::{AppResult, HttpError, Kind};
use crate::forms::{ApiJson, ApiPath, UserLang};
use crate::state::AppState;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_app::desk::work::{self, DeskParams};
use supportal_app::partners::alerts::{self, AlertBody};
use supportal_app::partners::claims::{self, ClaimBody, DecisionBody};
use supportal_app::partners::dashboards::{
    self, AgentBody, AlertsBody, EnrollBody, NewDashboardBody, TransferBody,
};
use supportal_app::partners::repair::{self, MissingBody, RepairBody};
use supportal_app::partners::{self, FeedTokenBody, ProgrammeBody, feed};
use supportal_domain::{AlertId, ClaimId, CompanyId, DashboardId, FeedTokenId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/partners", get(programmes))
        .route("/admin/partners/{company_id}/programme", put(set_programme))
        .route(
            "/admin/feed-tokens",
            get(feed_tokens).post(create_feed_token),
        )
        .route("/admin/feed-tokens/{id}", delete(revoke_feed_token))
        .route("/admin/claims", get(all_claims))
        .route("/admin/claims/{id}/decision", post(decide))
        .route("/partners/{company_id}/unassigned-devices", get(unassigned))
        .route("/partners/{company_id}/missing-devices", post(missing))
        .route(
            "/partners/{company_id}/customers",
            get(dashboards_list).post(create_dashboard),
        )
        .route("/partners/{company_id}/customers/{id}", get(dashboard))
        .route(
            "/partners/{company_id}/customers/{id}/devices",
            post(transfer),
        )
        .route(
            "/partners/{company_id}/customers/{id}/settings/alerts",
            get(alert_settings).put(set_alert_settings),
        )
        .route("/partners/{company_id}/devices/{serial}", get(device))
        .route(
            "/partners/{company_id}/devices/{serial}/agent-token",
            post(agent_token),
        )
        .route(
            "/partners/{company_id}/alerts/{id}/repair-case",
            post(partner_repair),
        )
        .route("/partners/{company_id}/cases", get(repair_queue))
        .route("/partners/{company_id}/claims", get(partner_claims))
        .route("/cases/{case_id}/claims", post(submit_claim))
        .route("/companies/{company_id}/devices", get(customer_devices))
        .route("/devices/enroll", post(enroll))
        .route("/devices/{serial}/alerts", post(report_alert))
        .route("/alerts/{id}", get(notified_alert))
        .route("/alerts/{id}/repair-case", post(notified_repair))
        .route("/alerts/view/{token}", get(linked_alert))
        .route("/alerts/view/{token}/repair-case", post(linked_repair))
}

/// The feed's route, with a body limit of its own (5,000 rows fit).
pub fn feed_routes() -> Router<AppState> {
    Router::new().route("/feeds/device-sales", post(device_sales))
}

/// The largest feed body: a JSON batch or a file.
pub const FEED_MAX_BYTES: usize = 16 * 1024 * 1024;

// --- Operator -------------------------------------------------------------------------------

async fn programmes(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Value>> {
    let rows = partners::programmes(&state, &user).await?;
    let items: Vec<Programme> = rows.iter().map(Programme::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn set_programme(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProgrammeBody>,
) -> AppResult<Json<Programme>> {
    let row = partners::set_programme(&state, &user, CompanyId(id), body).await?;
    Ok(Json(Programme::from(&row)))
}

async fn feed_tokens(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Value>> {
    let rows = partners::feed_tokens(&state, &user).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|t| {
            json!({ "id": t.id.get(), "name": t.name, "created_at": t.created_at,
                    "last_used_at": t.last_used_at, "revoked_at": t.revoked_at })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn create_feed_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<FeedTokenBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let made = partners::create_feed_token(&state, &user, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": made.id.get(), "name": made.name, "token": made.token })),
    ))
}

async fn revoke_feed_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    partners::revoke_feed_token(&state, &user, FeedTokenId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct ClaimQuery {
    status: Option<String>,
}

async fn all_claims(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ClaimQuery>,
) -> AppResult<Json<Value>> {
    let rows = claims::all(&state, &user, q.status.as_deref()).await?;
    let items: Vec<Claim> = rows.iter().map(Claim::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn decide(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> AppResult<Json<Claim>> {
    let row = claims::decide(&state, &user, ClaimId(id), body).await?;
    Ok(Json(Claim::from(&row)))
}

// --- The feed -------------------------------------------------------------------------------

/// `POST /feeds/device-sales`: the feed token is checked before the body is read; a JSON array,
/// or a CSV/XLSX file as the body (`text/csv`, the spreadsheet type or `application/octet-stream`).
async fn device_sales(
    State(state): State<AppState>,
    UserLang(lang): UserLang,
    request: Request,
) -> AppResult<Response> {
    let scope = feed::feed_scope(&state, bearer(request.headers())).await?;
    let json_body = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("application/json"));
    let bytes = axum::body::to_bytes(request.into_body(), FEED_MAX_BYTES)
        .await
        .map_err(|_| HttpError::new(Kind::TooLarge, "body_too_large"))?;
    let report = if json_body {
        let values: Vec<Value> = serde_json::from_slice(&bytes)
            .map_err(|_| HttpError::new(Kind::Malformed, "malformed_json"))?;
        feed::report_json(&state, &lang, &scope, values).await?
    } else {
        feed::report_file(&state, &lang, &scope, Some(bytes.to_vec())).await?
    };
    let status = match report.error_count {
        0 => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, Json(FeedAnswer::from(&report))).into_response())
}

// --- The partner ----------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct PageQuery {
    cursor: Option<String>,
    #[serde(default, deserialize_with = "supportal_app::input::optional_id")]
    limit: Option<i64>,
}

async fn unassigned(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(company): ApiPath<i64>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<Value>> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let page = dashboards::unassigned(&state, &scope, q.cursor.as_deref(), q.limit).await?;
    let items: Vec<Device> = page.items.iter().map(Device::from).collect();
    Ok(Json(
        json!({ "items": items, "next_cursor": page.next_cursor }),
    ))
}

async fn missing(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    ApiPath(company): ApiPath<i64>,
    ApiJson(body): ApiJson<MissingBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let number = repair::missing_devices(&state, &lang, &user, &scope, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "number": number, "case_id": number })),
    ))
}

async fn dashboards_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(company): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let rows = dashboards::dashboards(&state, &scope).await?;
    let items: Vec<Dashboard> = rows.iter().map(Dashboard::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn create_dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(company): ApiPath<i64>,
    ApiJson(body): ApiJson<NewDashboardBody>,
) -> AppResult<(StatusCode, Json<Dashboard>)> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let row = dashboards::create(&state, &scope, body).await?;
    Ok((StatusCode::CREATED, Json(Dashboard::from(&row))))
}

async fn dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Value>> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let view = dashboards::dashboard(&state, &scope, DashboardId(id)).await?;
    let devices: Vec<Device> = view.devices.iter().map(Device::from).collect();
    let alerts: Vec<Alert> = view.alerts.iter().map(Alert::from).collect();
    Ok(Json(json!({
        "dashboard": Dashboard::from(&view.dashboard), "devices": devices, "alerts": alerts,
    })))
}

async fn transfer(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<TransferBody>,
) -> AppResult<Response> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let serials = dashboards::serial_list(&body.serial_numbers)?;
    let report = dashboards::transfer(&state, &scope, DashboardId(id), &serials).await?;
    let status = match report.not_unassigned.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, Json(TransferAnswer::from(&report))).into_response())
}

async fn alert_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Value>> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let view = dashboards::dashboard(&state, &scope, DashboardId(id)).await?;
    Ok(Json(alert_json(&view.dashboard)))
}

fn alert_json(d: &supportal_store::partners::devices::DashboardRow) -> Value {
    json!({ "enabled": d.self_service_alerts, "switchable": d.first_device_at.is_some() })
}

async fn set_alert_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<AlertsBody>,
) -> AppResult<Json<Value>> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let row = dashboards::set_alerts(&state, &scope, DashboardId(id), body.enabled).await?;
    Ok(Json(alert_json(&row)))
}

async fn device(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((company, serial)): ApiPath<(i64, String)>,
) -> AppResult<Json<Value>> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let view = dashboards::device(&state, &scope, &serial).await?;
    let history: Vec<HistoryEntry> = view.history.iter().map(HistoryEntry::from).collect();
    let alerts: Vec<Alert> = view.alerts.iter().map(Alert::from).collect();
    Ok(Json(json!({
        "device": Device::from(&view.device), "history": history, "alerts": alerts,
    })))
}

async fn agent_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((company, serial)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<AgentBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let token = dashboards::agent_token(&state, &scope, &serial, body).await?;
    Ok((StatusCode::CREATED, Json(json!({ "device_token": token }))))
}

async fn partner_repair(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<RepairBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let number =
        alerts::submit_for_partner(&state, &lang, &user, &scope, AlertId(id), body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "number": number, "case_id": number })),
    ))
}

/// A service-delivery partner's repair queue: the desk's list of its queue.
async fn repair_queue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(company): ApiPath<i64>,
    Query(mut params): Query<DeskParams>,
) -> AppResult<Json<DeskList>> {
    partners::scope(&state, &user, CompanyId(company)).await?;
    let queue = user
        .repair_queue()
        .ok_or_else(|| HttpError::new(Kind::Forbidden, "service_partner_required"))?;
    params.queue_id = Some(queue);
    let page = work::list(&state, &user, &params).await?;
    Ok(Json(DeskList {
        items: page.items.iter().map(DeskCase::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

async fn partner_claims(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(company): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = partners::scope(&state, &user, CompanyId(company)).await?;
    let rows = claims::of_partner(&state, &scope).await?;
    let items: Vec<Claim> = rows.iter().map(Claim::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn submit_claim(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<ClaimBody>,
) -> AppResult<(StatusCode, Json<Claim>)> {
    let row = claims::submit(&state, &user, &number, body).await?;
    Ok((StatusCode::CREATED, Json(Claim::from(&row))))
}

async fn customer_devices(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(company): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = supportal_app::companies::scope(&state, &user, CompanyId(company)).await?;
    let rows = partners::customer_devices(&state, &scope).await?;
    let items: Vec<Device> = rows.iter().map(Device::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

// --- The device agent and the end user ------------------------------------------------------

async fn enroll(
    State(state): State<AppState>,
    crate::auth::ClientIp(ip): crate::auth::ClientIp,
    ApiJson(body): ApiJson<EnrollBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let token = dashboards::enroll(&state, &ip, body).await?;
    Ok((StatusCode::CREATED, Json(json!({ "device_token": token }))))
}

async fn report_alert(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(serial): ApiPath<String>,
    ApiJson(body): ApiJson<AlertBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let receipt = alerts::report(&state, bearer(&headers), &serial, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "alert_id": receipt.alert_id.get(), "routed_to": receipt.routed_to.as_str(),
            "view_url": receipt.view_url,
        })),
    ))
}

async fn notified_alert(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Alert>> {
    let view = alerts::notified(&state, &user, AlertId(id)).await?;
    Ok(Json(Alert::from(&view)))
}

async fn notified_repair(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RepairBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let number = alerts::submit_notified(&state, &lang, &user, AlertId(id), body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "number": number, "case_id": number })),
    ))
}

async fn linked_alert(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> AppResult<Json<Alert>> {
    let view = alerts::by_link(&state, &token).await?;
    Ok(Json(Alert::from(&view)))
}

async fn linked_repair(
    State(state): State<AppState>,
    UserLang(lang): UserLang,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<RepairBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let number = alerts::submit_by_link(&state, &lang, &token, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "number": number, "case_id": number })),
    ))
}
