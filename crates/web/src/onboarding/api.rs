//! `/api/v1/me`, `/me/access`, `/me/company-…`, `/access-requests`, `/invitations/…`.

use super::types::{AccessOutcome, AccessRequest, Me, PendingCompany};
use super::{AccessRequestInput, CompanyProfileInput};
use crate::auth::ApiUser;
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_domain::{AccessChoice, CompanyId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/access", post(access))
        .route("/me/company-join", post(company_join))
        .route("/me/company-profile", post(company_profile))
        .route("/access-requests", get(my_requests).post(request_access))
        .route("/invitations/{code}", get(invitation))
        .route("/invitations/{code}/accept", post(accept))
}

async fn me(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Me>> {
    Ok(Json(Me::from(&super::me(&state, &user).await?)))
}

#[derive(Deserialize)]
struct AccessBody {
    #[serde(default)]
    choice: String,
}

async fn access(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<AccessBody>,
) -> AppResult<Json<AccessOutcome>> {
    let choice = AccessChoice::parse(&b.choice)
        .ok_or_else(|| HttpError::field("choice", "invalid_choice"))?;
    let outcome = super::choose_access(&state, &user, choice).await?;
    Ok(Json(AccessOutcome::from(&outcome)))
}

#[derive(Deserialize)]
struct JoinBody {
    company_id: i64,
}

async fn company_join(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<JoinBody>,
) -> AppResult<Json<AccessOutcome>> {
    let outcome = super::join(&state, &user, CompanyId(b.company_id)).await?;
    Ok(Json(AccessOutcome::from(&outcome)))
}

#[derive(Deserialize, Default)]
struct AddressBody {
    #[serde(default)]
    street: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    country: String,
}

#[derive(Deserialize)]
struct ProfileBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: AddressBody,
    #[serde(default)]
    serial_number: Option<String>,
}

async fn company_profile(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<ProfileBody>,
) -> AppResult<(StatusCode, Json<PendingCompany>)> {
    let input = CompanyProfileInput {
        name: b.name,
        street: b.address.street,
        postal_code: b.address.postal_code,
        city: b.address.city,
        country: b.address.country,
        serial_number: b.serial_number,
    };
    let pending = super::submit_company_profile(&state, &user, input).await?;
    Ok((StatusCode::CREATED, Json(PendingCompany::from(&pending))))
}

#[derive(Deserialize)]
struct RequestBody {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    contact_method: String,
    #[serde(default)]
    page_url: String,
    #[serde(default)]
    intent: String,
    #[serde(default)]
    serial_number: Option<String>,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    site_address: String,
}

async fn request_access(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<RequestBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let input = AccessRequestInput {
        phone: b.phone,
        contact_method: b.contact_method,
        page_url: b.page_url,
        intent: b.intent,
        serial_number: b.serial_number,
        company_name: b.company_name,
        site_address: b.site_address,
    };
    let number = super::request_access(&state, &user, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "number": number, "status": "open" })),
    ))
}

async fn my_requests(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Value>> {
    let requests = super::my_requests(&state, &user).await?;
    let items: Vec<AccessRequest> = requests.iter().map(AccessRequest::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

async fn invitation(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<Value>> {
    let i = super::invitation(&state, &code).await?;
    Ok(Json(
        json!({ "company_name": i.company_name, "email": i.email, "role": i.role, "expires_at": i.expires_at, "accepted": i.accepted_at.is_some() }),
    ))
}

async fn accept(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<Value>> {
    let i = super::accept_invitation(&state, &user, &code).await?;
    Ok(Json(
        json!({ "company_id": i.company_id, "company_name": i.company_name, "role": i.role }),
    ))
}
