//! `/api/v1/chats…`, `/api/v1/me/chats`, `/api/v1/desk/chats` and a queue's chat hours.

use super::{chat_json, message_json, view_json};
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_app::chat::{self, CaseBody, StartBody};
use supportal_domain::ChatId;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chats", post(start))
        .route("/chats/{id}", get(one))
        .route("/chats/{id}/messages", get(messages).post(send))
        .route("/chats/{id}/socket", get(socket))
        .route("/chats/{id}/take", post(take))
        .route("/chats/{id}/end", post(end))
        .route("/chats/{id}/case", post(to_case))
        .route("/me/chats", get(recent))
        .route("/desk/chats", get(console))
        .route("/admin/queues/{id}/chat-hours", put(set_hours))
}

/// `POST /chats` → 201 `{id, position, status}` (200 with the open chat when one is open).
async fn start(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<StartBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (view, created) = chat::start(&state, &user, &body).await?;
    let status = match created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok((status, Json(view_json(&view))))
}

async fn one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(view_json(
        &chat::view(&state, &user, ChatId(id), 0).await?,
    )))
}

#[derive(Debug, Default, Deserialize)]
pub struct After {
    /// Messages after this id (the last one read): the polling fallback.
    #[serde(default)]
    pub after: i64,
}

/// `GET /chats/{id}/messages?after=`: `{status, position, items}`, for clients that poll.
async fn messages(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    Query(p): Query<After>,
) -> AppResult<Json<Value>> {
    let v = chat::view(&state, &user, ChatId(id), p.after).await?;
    let items: Vec<Value> = v.messages.iter().map(message_json).collect();
    Ok(Json(
        json!({ "status": v.chat.status, "position": v.position,
                    "engineer": v.chat.engineer, "items": items }),
    ))
}

#[derive(Debug, Deserialize)]
struct SendBody {
    #[serde(default)]
    body: String,
}

/// `POST /chats/{id}/messages` `{body}` → 201 `{id}`.
async fn send(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SendBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let message = chat::send(&state, &user, ChatId(id), &body.body).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": message }))))
}

/// `GET /chats/{id}/socket`: the chat over a WebSocket (bearer token).
async fn socket(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    Query(p): Query<After>,
    ws: WebSocketUpgrade,
) -> AppResult<Response> {
    super::socket::upgrade(state, user, ChatId(id), p.after, ws).await
}

async fn take(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(view_json(
        &chat::take(&state, &user, ChatId(id)).await?,
    )))
}

async fn end(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(view_json(
        &chat::end(&state, &user, ChatId(id)).await?,
    )))
}

/// `POST /chats/{id}/case` `{serial_number? | agreement_id? | sku?, title?, severity?}` →
/// 201 `{case_id}`; again: the same case.
async fn to_case(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CaseBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let number = chat::to_case(&state, &user, ChatId(id), &body).await?;
    Ok((StatusCode::CREATED, Json(json!({ "case_id": number }))))
}

/// `GET /me/chats`: recent chats with their transcripts.
async fn recent(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let items: Vec<Value> = chat::recent(&state, &user)
        .await?
        .iter()
        .map(view_json)
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `GET /desk/chats`: the engineer's console: open chats of their queues, waiting first.
async fn console(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let items: Vec<Value> = chat::console(&state, &user)
        .await?
        .iter()
        .map(|(c, position)| chat_json(c, *position))
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Debug, Deserialize)]
struct HoursBody {
    calendar_id: Option<i64>,
}

/// `PUT /admin/queues/{id}/chat-hours` `{calendar_id | null}`: when the queue takes chats.
async fn set_hours(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HoursBody>,
) -> AppResult<Json<Value>> {
    chat::set_hours(&state, &user, id, body.calendar_id).await?;
    Ok(Json(
        json!({ "queue_id": id, "calendar_id": body.calendar_id }),
    ))
}
