//! `/api/v1/products`, `/warranty/{serial}`, `/companies/{id}/entitlements`, `/me/agreements`,
//! `/plans`, `/purchases` and the staff refund.

use super::{PlanQuery, types};
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
use types::{AgreementItem, EntitlementItem, IncidentUse, Plans, Product, Purchase, WarrantyCheck};

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
        json!({ "items": items(&super::search_products(&state, &q.q).await?, Product::from), "next_cursor": null }),
    ))
}

/// Public: anyone may check a serial's warranty.
async fn warranty(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(serial): ApiPath<String>,
) -> AppResult<Json<WarrantyCheck>> {
    let check = super::warranty_check(&state, &serial, &ip).await?;
    Ok(Json(WarrantyCheck::from(&check)))
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
        json!({ "items": items(&super::list(&state, &user, &scope, &filter).await?, EntitlementItem::from), "next_cursor": null }),
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
        json!({ "items": items(&super::my_agreements(&state, &user).await?, AgreementItem::from), "next_cursor": null }),
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
) -> AppResult<(StatusCode, Json<AgreementItem>)> {
    let view = super::register_agreement(&state, &user, &b.access_id, &b.agreement_id).await?;
    Ok((StatusCode::CREATED, Json(AgreementItem::from(&view))))
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
) -> AppResult<Json<Plans>> {
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
    Ok(Json(Plans::from(
        &super::plans(&state, &user, query).await?,
    )))
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
) -> AppResult<(StatusCode, Json<Purchase>)> {
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
    let bought = super::purchase(&state, &user, request).await?;
    Ok((StatusCode::CREATED, Json(Purchase::from(&bought))))
}

async fn refund(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<IncidentUse>> {
    let staff = crate::admin::staff(&user, false)?;
    let used = super::refund(&state, &staff, IncidentUseId(id)).await?;
    Ok(Json(IncidentUse::from(&used)))
}

/// The API shape of each item of a list.
fn items<'a, T: 'a, U>(rows: &'a [T], shape: impl Fn(&'a T) -> U) -> Vec<U> {
    rows.iter().map(shape).collect()
}
