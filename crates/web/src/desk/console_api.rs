//! The desk's JSON routes (API.md, Support desk): the engineer's queues and lists, the actions
//! on a case, service-level setup, and the inbound mail hook.

use super::types::{Calendar, Created, DeskCase, DeskList, QueueCount, Sla};
use crate::auth::ApiUser;
use crate::cases::types::CaseDetails;
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use supportal_app::desk::inbound::{self, MAX_RAW_BYTES};
use supportal_app::desk::orders::{self, PartsBody, PartsPatch, ServiceBody, ServicePatch};
use supportal_app::desk::sla::{self, CalendarBody, SlaBody};
use supportal_app::desk::work::{
    self, AssignBody, DeskParams, RefundBody, ReplyBody, SeverityBody, StatusBody,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/queues", get(queues))
        .route("/desk/cases", get(cases))
        .route("/cases/{case_id}/assign", post(assign))
        .route("/cases/{case_id}/replies", post(reply))
        .route("/cases/{case_id}/status", post(status))
        .route("/cases/{case_id}/severity", post(severity))
        .route("/cases/{case_id}/refund", post(refund))
        .route("/cases/{case_id}/parts-orders", post(add_parts))
        .route("/cases/{case_id}/parts-orders/{id}", patch(update_parts))
        .route("/cases/{case_id}/service-orders", post(add_service))
        .route(
            "/cases/{case_id}/service-orders/{id}",
            patch(update_service),
        )
        .route("/admin/calendars", get(calendars).post(create_calendar))
        .route("/admin/slas", get(slas).post(put_sla))
        .route(
            "/inbound/email",
            post(inbound_email).layer(DefaultBodyLimit::max(MAX_RAW_BYTES)),
        )
}

async fn queues(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let rows = work::queues(&state, &user).await?;
    let items: Vec<QueueCount> = rows.iter().map(QueueCount::from).collect();
    Ok(Json(json!({ "items": items })))
}

async fn cases(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(params): Query<DeskParams>,
) -> AppResult<Json<DeskList>> {
    let page = work::list(&state, &user, &params).await?;
    Ok(Json(DeskList {
        items: page.items.iter().map(DeskCase::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

type Answer = AppResult<Json<CaseDetails>>;
type CreatedAnswer = AppResult<(StatusCode, Json<CaseDetails>)>;

async fn assign(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<AssignBody>,
) -> Answer {
    Ok(Json(
        work::assign(&state, &user, &number, body).await?.into(),
    ))
}

async fn reply(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> CreatedAnswer {
    let detail = work::reply(&state, &user, &number, body).await?;
    Ok((StatusCode::CREATED, Json(detail.into())))
}

async fn status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> Answer {
    Ok(Json(
        work::set_status(&state, &user, &number, body).await?.into(),
    ))
}

async fn severity(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<SeverityBody>,
) -> Answer {
    Ok(Json(
        work::set_severity(&state, &user, &number, body)
            .await?
            .into(),
    ))
}

async fn refund(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<RefundBody>,
) -> Answer {
    Ok(Json(
        work::refund(&state, &user, &number, body).await?.into(),
    ))
}

async fn add_parts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<PartsBody>,
) -> CreatedAnswer {
    let detail = orders::add_parts(&state, &user, &number, body).await?;
    Ok((StatusCode::CREATED, Json(detail.into())))
}

async fn update_parts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((number, id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<PartsPatch>,
) -> Answer {
    Ok(Json(
        orders::update_parts(&state, &user, &number, id, body)
            .await?
            .into(),
    ))
}

async fn add_service(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<ServiceBody>,
) -> CreatedAnswer {
    let detail = orders::add_service(&state, &user, &number, body).await?;
    Ok((StatusCode::CREATED, Json(detail.into())))
}

async fn update_service(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((number, id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<ServicePatch>,
) -> Answer {
    Ok(Json(
        orders::update_service(&state, &user, &number, id, body)
            .await?
            .into(),
    ))
}

async fn calendars(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Value>> {
    let staff = crate::admin::staff(&user, false)?;
    let rows = sla::calendars(&state, &staff).await?;
    let items: Vec<Calendar> = rows.iter().map(Calendar::from).collect();
    Ok(Json(json!({ "items": items })))
}

async fn create_calendar(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<CalendarBody>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let staff = crate::admin::staff(&user, true)?;
    let id = sla::create_calendar(&state, &staff, body).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

async fn slas(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let staff = crate::admin::staff(&user, false)?;
    let rows = sla::slas(&state, &staff).await?;
    let items: Vec<Sla> = rows.iter().map(Sla::from).collect();
    Ok(Json(json!({ "items": items })))
}

async fn put_sla(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<SlaBody>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let staff = crate::admin::staff(&user, true)?;
    let id = sla::put_sla(&state, &staff, body).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

/// The header the mail provider's hook sends the shared secret in.
pub const INBOUND_SECRET_HEADER: &str = "x-supportal-inbound-secret";

/// `POST /inbound/email`: a raw message from the mail provider, with the shared secret, which is
/// checked before the body is read. No secret set up refuses every message (503); a wrong one
/// is 401.
async fn inbound_email(
    State(state): State<AppState>,
    req: axum::extract::Request,
) -> AppResult<Json<Value>> {
    let secret = state
        .config
        .inbound_secret
        .as_ref()
        .map(|s| s.expose())
        .filter(|s| !s.is_empty());
    let Some(secret) = secret else {
        return Err(HttpError::from(
            supportal_app::error::AppError::unavailable(
                "inbound_mail_off",
                "no inbound secret is set",
            ),
        ));
    };
    let given = req
        .headers()
        .get(INBOUND_SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !supportal_app::auth::same_secret(given, secret) {
        return Err(HttpError::unauthorized());
    }
    let body = axum::body::to_bytes(req.into_body(), MAX_RAW_BYTES)
        .await
        .map_err(|_| HttpError::new(crate::error::Kind::TooLarge, "body_too_large"))?;
    let received = inbound::receive(&state, &body).await?;
    Ok(Json(
        json!({ "case_id": received.case_id, "added": received.added }),
    ))
}
