//! `/api/v1/me/notifications`, `/me/notifications/read` and `/me/notification-settings`.

use crate::auth::ApiUser;
use crate::error::{AppResult, HttpError, Kind};
use crate::forms::{ApiJson, UserLang};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use supportal_app::i18n::Lang;
use supportal_app::notices::{self, Page};
use supportal_domain::notice::{Delivery, NoticeKind};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/notifications", get(list))
        .route("/me/notifications/read", post(mark_read))
        .route(
            "/me/notification-settings",
            get(settings).put(save_settings),
        )
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    /// Notifications older than this id (the previous page's `next_before`).
    pub before: Option<i64>,
    /// Only the unread ones.
    #[serde(default)]
    pub unread: bool,
}

/// `GET /me/notifications`: the caller's notifications, newest first, fifty a page.
async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    Query(p): Query<ListParams>,
) -> AppResult<Json<Value>> {
    let page = notices::list(&state, &user, p.before, p.unread).await?;
    Ok(Json(page_json(&state, &lang, &page)))
}

fn page_json(state: &AppState, lang: &Lang, page: &Page) -> Value {
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|n| {
            json!({ "id": n.id, "kind": n.kind, "title": notices::title(lang, n),
                    "link": format!("{}{}", state.config.base_url, notices::link(n)),
                    "read": n.read_at.is_some(), "created_at": n.created_at, "read_at": n.read_at,
                    "case_id": n.case_number, "alert_id": n.alert_id,
                    "serial_number": n.alert_serial, "component": n.alert_component,
                    "case_draft": n.alert_id.map(|id| format!("{}/alerts/{id}", state.config.base_url)) })
        })
        .collect();
    json!({ "items": items, "unread": page.unread, "next_before": page.next })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadBody {
    /// The notifications to mark read; none or absent: all of them.
    pub ids: Option<Vec<i64>>,
}

/// `POST /me/notifications/read`: marks the given notifications read (all without `ids`);
/// answers how many stay unread.
async fn mark_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> AppResult<Json<Value>> {
    // No body marks everything read; a body must be JSON of the right shape.
    let ids = match body.trim_ascii().is_empty() {
        true => None,
        false => {
            let value: Value = serde_json::from_slice(&body)
                .map_err(|_| HttpError::new(Kind::Malformed, "malformed_json"))?;
            ReadBody::deserialize(value)
                .map_err(|_| HttpError::unprocessable("invalid_body"))?
                .ids
        }
    };
    let unread = notices::mark_read(&state, &user, ids).await?;
    Ok(Json(json!({ "unread": unread })))
}

fn settings_json(choices: &[(NoticeKind, Delivery)]) -> Value {
    let map: Map<String, Value> = choices
        .iter()
        .map(|(k, d)| (k.as_str().to_owned(), Value::from(d.as_str())))
        .collect();
    Value::Object(map)
}

/// `GET /me/notification-settings`: per kind, `in_app`, `email`, `both` or `none`.
async fn settings(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    Ok(Json(settings_json(
        &notices::settings(&state, &user).await?,
    )))
}

/// `PUT /me/notification-settings`: `{kind: delivery, …}`; the kinds left out keep theirs.
async fn save_settings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> AppResult<Json<Value>> {
    let choices: Vec<(String, String)> = body
        .into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
        .collect();
    Ok(Json(settings_json(
        &notices::save_settings(&state, &user, &choices).await?,
    )))
}
