//! `/api/v1/auth/…`: the JSON face of accounts.

use super::Registration;
use crate::auth::{ApiUser, ClientIp, user_agent};
use crate::error::AppResult;
use crate::forms::ApiJson;
use crate::profile::types::Session;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_store::sessions::SessionKind;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/verify", post(verify))
        .route("/auth/resend", post(resend))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/logout-all", post(logout_all))
        .route("/auth/password-reset", post(reset))
        .route("/auth/password-reset/confirm", post(reset_confirm))
        .route("/me/sessions", get(sessions))
}

#[derive(Deserialize)]
struct RegisterBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    name: String,
}

/// The same answer whether or not the address has an account.
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<RegisterBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    super::register(
        &state,
        Registration {
            email: b.email,
            password: b.password,
            name: b.name,
            language: crate::lang::asked(&headers).map(|l| l.code()),
        },
        &ip,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "status": "verification_sent" })),
    ))
}

#[derive(Deserialize)]
struct VerifyBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    code: String,
    /// Optional: sets the account's password with the code (see `accounts::verify`).
    password: Option<String>,
}

async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<VerifyBody>,
) -> AppResult<Json<Value>> {
    let proof = b
        .password
        .map_or(super::Proof::None, super::Proof::Password);
    let (user, _) = super::verify(&state, &b.email, &b.code, &ip, proof).await?;
    Ok(Json(json!({ "id": user.id, "status": "verified" })))
}

#[derive(Deserialize)]
struct EmailBody {
    #[serde(default)]
    email: String,
}

async fn resend(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<EmailBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    super::resend(&state, &b.email, &ip).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "status": "sent_if_pending" })),
    ))
}

#[derive(Deserialize)]
struct LoginBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(b): ApiJson<LoginBody>,
) -> AppResult<Json<Value>> {
    let (token, user) = super::login(
        &state,
        &b.email,
        &b.password,
        &ip,
        SessionKind::Api,
        &user_agent(&headers),
    )
    .await?;
    Ok(Json(
        json!({ "token": token, "user": { "id": user.id, "email": user.email, "name": user.name } }),
    ))
}

async fn logout(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<StatusCode> {
    super::logout(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn logout_all(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> AppResult<Json<Value>> {
    let ended = super::logout_everywhere(&state, &user).await?;
    Ok(Json(json!({ "sessions_ended": ended })))
}

async fn reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<EmailBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    super::request_reset(&state, &b.email, &ip).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "status": "sent_if_account" })),
    ))
}

#[derive(Deserialize)]
struct ResetConfirmBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    new_password: String,
}

async fn reset_confirm(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<ResetConfirmBody>,
) -> AppResult<Json<Value>> {
    super::confirm_reset(&state, &b.email, &b.code, b.new_password, &ip).await?;
    Ok(Json(json!({ "status": "password_changed" })))
}

async fn sessions(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<Value>> {
    let sessions = crate::profile::sessions(&state, &user).await?;
    let items: Vec<Session> = sessions.iter().map(Session::from).collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}
