//! `/api/v1/products`, `/warranty/{serial}`, `/companies/{id}/entitlements`, `/me/agreements`,
//! `/plans`, `/purchases` and the staff refund.

use super::PlanQuery;
use crate::auth::{ApiUser, ClientIp};
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_app::payments::Card;
use supportal_domain::{CompanyId, EntitlementId, IncidentUseId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/products", get(products))
        .route("/warranty/{serial}", get(warranty))
        .route("/companies/{company_id}/entitlements", get(list))
        .route("/companies/{company_id}/entitlements/{id}", delete(remove))
        .route("/me/agreements", get(my_agreements).post(register))
        .route("/plans", get(plans))
        .route("/purchases", post(purchase))
        .route("/admin/incident-uses/{id}/refund", post(refund))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn products(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        json!({ "items": super::search_products(&state, &q.q).await?, "next_cursor": null }),
    ))
}

/// Public: anyone may check a serial's warranty.
async fn warranty(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(serial): ApiPath<String>,
) -> AppResult<Json<super::WarrantyCheck>> {
    Ok(Json(super::warranty_check(&state, &serial, &ip).await?))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    kind: Option<String>,
    status: Option<String>,
    serial: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Value>> {
    let scope = crate::companies::scope(&state, &user, CompanyId(id)).await?;
    let filter = super::parse_filter(q.kind.as_deref(), q.status.as_deref(), q.serial.as_deref())?;
    Ok(Json(
        json!({ "items": super::list(&state, &user, &scope, &filter).await?, "next_cursor": null }),
    ))
}

async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    let scope = crate::companies::admin_scope(&state, &user, CompanyId(company)).await?;
    super::remove(&state, &scope, EntitlementId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn my_agreements(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Value>> {
    Ok(Json(
        json!({ "items": super::my_agreements(&state, &user).await?, "next_cursor": null }),
    ))
}

#[derive(Deserialize)]
struct RegisterBody {
    #[serde(default)]
    access_id: String,
    #[serde(default)]
    agreement_id: String,
}

async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(b): ApiJson<RegisterBody>,
) -> AppResult<(StatusCode, Json<super::AgreementView>)> {
    Ok((
        StatusCode::CREATED,
        Json(super::register_agreement(&state, &user, &b.access_id, &b.agreement_id).await?),
    ))
}

#[derive(Deserialize, Default)]
struct PlansQuery {
    serial: Option<String>,
    agreement_id: Option<String>,
    product_id: Option<String>,
    scope: Option<String>,
}

async fn plans(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PlansQuery>,
) -> AppResult<Json<super::Plans>> {
    let product_id = match q.product_id.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => Some(
            p.parse()
                .map_err(|_| HttpError::field("product_id", "invalid_choice"))?,
        ),
        None => None,
    };
    let query = PlanQuery {
        serial: q.serial.filter(|s| !s.is_empty()),
        agreement_id: q.agreement_id.filter(|s| !s.is_empty()),
        product_id,
        scope: q.scope,
        product: None,
    };
    Ok(Json(super::plans(&state, &user, query).await?))
}

#[derive(Deserialize)]
struct PurchaseBody {
    #[serde(default)]
    pack: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    card_holder: String,
}

/// Throttled per buyer and address; an `Idempotency-Key` makes a retry answer the first result.
async fn purchase(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<PurchaseBody>,
) -> AppResult<(StatusCode, Json<super::Purchase>)> {
    let key = crate::forms::idempotency_key(&headers)?;
    let request = super::PurchaseRequest {
        pack: &b.pack,
        region: &b.region,
        card: Card {
            number: b.card_number,
            holder: b.card_holder,
        },
        ip: &ip,
        key: key.as_deref(),
    };
    Ok((
        StatusCode::CREATED,
        Json(super::purchase(&state, &user, request).await?),
    ))
}

async fn refund(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let staff = crate::admin::staff(&user, false)?;
    Ok(Json(json!(
        super::refund(&state, &staff, IncidentUseId(id)).await?
    )))
}
