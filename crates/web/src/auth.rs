//! Who is calling: random tokens and their hashes, argon2id passwords, and the extractors that
//! turn a bearer token (API) or a session cookie (pages) into a `SessionUser`.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono::Duration;
use rand::Rng;
use sha2::{Digest, Sha256};
use supportal_store::sessions::{self, SessionUser};

pub const SESSION_COOKIE: &str = "supportal_session";
pub const COOKIE_SESSION_DAYS: i64 = 7;
pub const API_SESSION_DAYS: i64 = 30;

/// 32 random bytes as 64 hex characters: session tokens, CSRF tokens, invitation codes.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::thread_rng().r#gen();
    hex(&bytes)
}

/// Six random digits for an email code.
pub fn random_code() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

pub fn sha256_hex(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes a password with argon2id off the async threads (it is deliberately slow).
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Checks a password against a stored hash. With no account, checks against a fixed hash so
/// the answer takes as long as for a real account.
pub async fn verify_password(password: String, stored: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(AppError::internal)
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3VwcG9ydGFsZHVtbXk$Vb0dUZYBkKQ5oD1gqAq3c0tWQ8hRkqO2uTT6vI9HkqE";

/// Creates a session and returns its raw token (shown to the client once).
pub async fn start_session(
    state: &AppState,
    user: supportal_domain::UserId,
    kind: sessions::SessionKind,
    user_agent: &str,
) -> AppResult<String> {
    let token = random_token();
    let now = state.now();
    let days = if kind == sessions::SessionKind::Api {
        API_SESSION_DAYS
    } else {
        COOKIE_SESSION_DAYS
    };
    let mut tx = state.db.begin().await?;
    sessions::create(
        &mut tx,
        sessions::NewSession {
            user,
            kind,
            token_hash: &sha256_hex(&token),
            csrf_token: &random_token(),
            now,
            expires_at: now + Duration::days(days),
            user_agent,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

async fn session_for(
    state: &AppState,
    token: &str,
    want_api: bool,
) -> AppResult<Option<SessionUser>> {
    let now = state.now();
    let mut tx = state.db.read().await?;
    let user = sessions::authenticate(&mut tx, &sha256_hex(token), now).await?;
    tx.rollback().await?;
    let Some(user) = user.filter(|u| u.is_api() == want_api) else {
        return Ok(None);
    };
    // Record activity at most every five minutes, to keep reads cheap.
    if now - user.last_seen_at > Duration::minutes(5) {
        let mut tx = state.db.begin().await?;
        sessions::touch(&mut tx, user.session_id(), now).await?;
        tx.commit().await?;
    }
    Ok(Some(user))
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// An API caller, by `Authorization: Bearer`; the cookie alone is never accepted.
pub struct ApiUser(pub SessionUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or_else(AppError::unauthorized)?;
        session_for(state, token, true)
            .await?
            .map(ApiUser)
            .ok_or_else(AppError::unauthorized)
    }
}

/// A signed-in browser user, by session cookie. Absent: 401, which pages turn into sign-in.
pub struct PageUser(pub SessionUser);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        MaybePageUser::from_request_parts(parts, state)
            .await?
            .0
            .map(PageUser)
            .ok_or_else(AppError::unauthorized)
    }
}

/// The browser user if signed in.
pub struct MaybePageUser(pub Option<SessionUser>);

impl FromRequestParts<AppState> for MaybePageUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<Option<SessionUser>>() {
            return Ok(MaybePageUser(user.clone()));
        }
        let user = match crate::cookies::get(&parts.headers, SESSION_COOKIE) {
            Some(token) => session_for(state, &token, false).await?,
            None => None,
        };
        parts.extensions.insert(user.clone());
        Ok(MaybePageUser(user))
    }
}

/// The caller's address for per-address throttles.
pub fn client_ip(parts_or_headers: &HeaderMap, connect: Option<std::net::SocketAddr>) -> String {
    let _ = parts_or_headers;
    connect
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "local".to_owned())
}

pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientIp(
            addr.map(|a| a.ip().to_string())
                .unwrap_or_else(|| "local".to_owned()),
        ))
    }
}

pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
