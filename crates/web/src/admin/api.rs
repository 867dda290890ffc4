//! `/api/v1/admin/…`: operator staff only.

use super::types::Created;
use super::{NewCompanyBody, ResolveBody};
use crate::auth::ApiUser;
use crate::companies::types::Company;
use crate::error::AppResult;
use crate::forms::{ApiJson, ApiPath};
use crate::onboarding::types::AccessRequest;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_domain::{AccessRequestId, CompanyId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/companies", get(companies).post(create_company))
        .route("/admin/companies/{company_id}/validate", post(validate))
        .route("/admin/companies/{company_id}/admins", post(appoint))
        .route("/admin/companies/{company_id}/domains", post(add_domain))
        .route("/admin/companies/{company_id}/pins", post(add_pin))
        .route("/admin/access-requests", get(queue))
        .route("/admin/access-requests/{id}/resolve", post(resolve))
}

async fn companies(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Value>> {
    let staff = super::staff(&user, false)?;
    Ok(Json(
        json!({ "items": super::list_companies(&state, &staff).await?.iter().map(Company::from).collect::<Vec<_>>(), "next_cursor": null }),
    ))
}

async fn create_company(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<NewCompanyBody>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let staff = super::staff(&user, true)?;
    Ok((
        StatusCode::CREATED,
        Json(Created::from(
            &super::create_company(&state, &staff, body).await?,
        )),
    ))
}

async fn validate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let staff = super::staff(&user, true)?;
    Ok(Json(json!(Company::from(
        &super::validate_company(&state, &staff, CompanyId(id)).await?
    ))))
}

#[derive(Deserialize)]
struct AppointBody {
    #[serde(default)]
    email: String,
}

async fn appoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AppointBody>,
) -> AppResult<Json<Value>> {
    let staff = super::staff(&user, true)?;
    let outcome = super::appoint_admin(&state, &staff, CompanyId(id), &body.email).await?;
    Ok(Json(json!({ "outcome": outcome })))
}

async fn queue(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let staff = super::staff(&user, false)?;
    Ok(Json(
        json!({ "items": super::request_queue(&state, &staff).await?.iter().map(AccessRequest::from).collect::<Vec<_>>(), "next_cursor": null }),
    ))
}

async fn resolve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResolveBody>,
) -> AppResult<Json<Value>> {
    let staff = super::staff(&user, false)?;
    Ok(Json(json!(AccessRequest::from(
        &super::resolve_request(&state, &staff, AccessRequestId(id), body).await?
    ))))
}

#[derive(Deserialize)]
struct DomainBody {
    #[serde(default)]
    domain: String,
}

async fn add_domain(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DomainBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let staff = super::staff(&user, true)?;
    super::add_domain(&state, &staff, CompanyId(id), &body.domain).await?;
    Ok((StatusCode::CREATED, Json(json!({ "status": "added" }))))
}

#[derive(Deserialize)]
struct PinBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    description: String,
}

async fn add_pin(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PinBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let staff = super::staff(&user, true)?;
    super::add_pin(&state, &staff, CompanyId(id), &body.code, &body.description).await?;
    Ok((StatusCode::CREATED, Json(json!({ "status": "added" }))))
}
