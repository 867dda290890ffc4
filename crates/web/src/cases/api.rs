//! `/api/v1/cases…`: open, read, list, and update cases.

use super::{CaseDetail, CaseInput, Page};
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::{ApiJson, ApiPath};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use supportal_domain::case::CustomerAction;
use supportal_store::cases::{ListQuery, View};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", post(create).get(list))
        .route("/cases/{case_id}", get(detail))
        .route("/cases/{case_id}/messages", post(message))
        .route("/cases/{case_id}/contacts", post(add_contact))
        .route("/cases/{case_id}/contacts/{email}", delete(remove_contact))
        .route("/cases/{case_id}/actions", post(action))
        .route(
            "/cases/{case_id}/favorite",
            put(favorite).delete(unfavorite),
        )
}

/// `Idempotency-Key`: 1 to 200 visible characters.
fn idempotency_key(headers: &HeaderMap) -> AppResult<Option<String>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => {
            let key = v
                .to_str()
                .map_err(|_| AppError::field("idempotency_key", "invalid_key"))?
                .trim();
            if key.is_empty() || key.len() > 200 {
                return Err(AppError::field("idempotency_key", "invalid_key"));
            }
            Ok(Some(key.to_owned()))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CaseInput>,
) -> AppResult<(StatusCode, Json<CaseDetail>)> {
    let key = idempotency_key(&headers)?;
    Ok((
        StatusCode::CREATED,
        Json(super::create(&state, &lang, &user, input, key.as_deref()).await?),
    ))
}

#[derive(Deserialize, Default)]
struct ListParams {
    view: Option<String>,
    company_id: Option<i64>,
    site_id: Option<i64>,
    serial: Option<String>,
    mine: Option<bool>,
    sort: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<ListParams>,
) -> AppResult<Json<Page>> {
    let view = match p.view.as_deref().unwrap_or("recent") {
        "recent" => View::Recent,
        "submitted_by_me" => View::SubmittedByMe,
        "favorites" => View::Favorites,
        "company" => match p.company_id {
            Some(id) => View::Company(id),
            None => {
                let scope = crate::entitlements::own_company(&state, &user)
                    .await?
                    .ok_or_else(|| AppError::forbidden("company_required"))?;
                View::Company(scope.company_id().get())
            }
        },
        "site" => View::Site(
            p.site_id
                .ok_or_else(|| AppError::field("site_id", "required"))?,
        ),
        _ => return Err(AppError::field("view", "invalid_choice")),
    };
    let sort = p.sort.as_deref().unwrap_or("-updated_at");
    let (name, descending) = match sort.strip_prefix('-') {
        Some(name) => (name, true),
        None => (sort, false),
    };
    let column =
        super::sort_column(name).ok_or_else(|| AppError::field("sort", "invalid_choice"))?;
    let offset = match p.cursor.as_deref() {
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|o| *o >= 0)
            .ok_or_else(|| AppError::field("cursor", "invalid_cursor"))?,
        None => 0,
    };
    let serial = match p.serial.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            supportal_domain::entitlement::SerialNumber::parse(s)
                .map_err(|code| AppError::field("serial", code))?
                .to_string(),
        ),
        None => None,
    };
    let query = ListQuery {
        view,
        serial,
        only_mine: p.mine.unwrap_or(false),
        sort: (column, descending),
        limit: p.limit.unwrap_or(50),
        offset,
    };
    Ok(Json(super::list(&state, &user, query).await?))
}

async fn detail(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
) -> AppResult<Json<CaseDetail>> {
    Ok(Json(super::detail(&state, &user, &number).await?))
}

#[derive(Deserialize)]
struct MessageBody {
    #[serde(default)]
    body: String,
}

async fn message(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<MessageBody>,
) -> AppResult<(StatusCode, Json<CaseDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(super::message(&state, &user, &number, &b.body).await?),
    ))
}

#[derive(Deserialize)]
struct ContactBody {
    #[serde(default)]
    email: String,
}

async fn add_contact(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<ContactBody>,
) -> AppResult<(StatusCode, Json<CaseDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(super::contact(&state, &user, &number, &b.email, true).await?),
    ))
}

async fn remove_contact(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((number, email)): ApiPath<(String, String)>,
) -> AppResult<Json<CaseDetail>> {
    Ok(Json(
        super::contact(&state, &user, &number, &email, false).await?,
    ))
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(default)]
    action: String,
}

async fn action(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> AppResult<Json<CaseDetail>> {
    let action = CustomerAction::parse(&b.action)
        .ok_or_else(|| AppError::field("action", "invalid_choice"))?;
    Ok(Json(super::act(&state, &user, &number, action).await?))
}

async fn favorite(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
) -> AppResult<StatusCode> {
    super::favorite(&state, &user, &number, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unfavorite(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
) -> AppResult<StatusCode> {
    super::favorite(&state, &user, &number, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
