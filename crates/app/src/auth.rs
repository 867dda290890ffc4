//! Secrets and sessions: random tokens and their hashes, argon2id passwords (at most a few at once
//! per process), and sessions started and looked up by token.

use crate::context::Context;
use crate::error::{AppError, AppResult};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::Duration;
use rand::Rng;
use sha2::{Digest, Sha256};
use supportal_store::sessions::{self, SessionUser};

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

/// Argon2id runs at once per process, at most: each takes 19 MiB and a core for a while, so a
/// burst of sign-ins must queue rather than multiply. Beyond `HASHING_QUEUE` waiting callers, or
/// after `HASHING_WAIT`, a caller is told to come back (429 `server_busy`).
const HASHING_SLOTS: usize = 4;
const HASHING_QUEUE: usize = 64;
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(HASHING_SLOTS));
static HASHING_WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts a waiting caller for as long as it lives.
struct Waiting;

impl Drop for Waiting {
    fn drop(&mut self) {
        HASHING_WAITING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A turn at argon2id, or 429 when too many are waiting already.
async fn hashing_turn() -> AppResult<tokio::sync::SemaphorePermit<'static>> {
    let busy = || AppError::throttled("server_busy", 1);
    if let Ok(permit) = HASHING.try_acquire() {
        return Ok(permit);
    }
    if HASHING_WAITING.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= HASHING_QUEUE {
        HASHING_WAITING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        return Err(busy());
    }
    let _waiting = Waiting;
    match tokio::time::timeout(HASHING_WAIT, HASHING.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(busy()),
    }
}

/// Hashes a password with argon2id off the async threads (it is deliberately slow).
pub async fn hash_password(password: String) -> AppResult<String> {
    let turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
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
    let turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
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
    ctx: &Context,
    user: supportal_domain::UserId,
    kind: sessions::SessionKind,
    user_agent: &str,
) -> AppResult<String> {
    let token = random_token();
    let now = ctx.now();
    let days = if kind == sessions::SessionKind::Api {
        API_SESSION_DAYS
    } else {
        COOKIE_SESSION_DAYS
    };
    let mut tx = ctx.db.begin().await?;
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

/// The session of `token` if it is live and of the wanted kind (API or browser); records
/// activity at most every five minutes.
pub async fn session_for(
    ctx: &Context,
    token: &str,
    want_api: bool,
) -> AppResult<Option<SessionUser>> {
    let now = ctx.now();
    let mut tx = ctx.db.read().await?;
    let user = sessions::authenticate(&mut tx, &sha256_hex(token), now).await?;
    tx.rollback().await?;
    let Some(user) = user.filter(|u| u.is_api() == want_api) else {
        return Ok(None);
    };
    // Record activity at most every five minutes, to keep reads cheap.
    if now - user.last_seen_at > Duration::minutes(5) {
        let mut tx = ctx.db.begin().await?;
        sessions::touch(&mut tx, user.session_id(), now).await?;
        tx.commit().await?;
    }
    Ok(Some(user))
}

/// The caller's session as it is now; `None` once it ended (a WebSocket asks while it lives).
pub async fn session_again(ctx: &Context, user: &SessionUser) -> AppResult<Option<SessionUser>> {
    let mut tx = ctx.db.read().await?;
    let now = sessions::again(&mut tx, user.session_id(), ctx.now()).await?;
    tx.rollback().await?;
    Ok(now)
}

/// Whether a secret given by a caller matches the one set up, in time that does not depend on
/// where they differ (both are hashed first, so not on their lengths either).
pub fn same_secret(given: &str, expected: &str) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}
