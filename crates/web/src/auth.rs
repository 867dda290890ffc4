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
use std::net::{IpAddr, SocketAddr};
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

/// An address or a network (`10.0.0.0/8`, `::1`) of reverse proxies in front of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// `a.b.c.d`, `a.b.c.d/n`, an IPv6 address, or one with `/n`.
    pub fn parse(text: &str) -> Option<IpNet> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((addr, prefix)) => (addr.parse::<IpAddr>().ok()?, Some(prefix.parse().ok()?)),
            None => (text.trim().parse::<IpAddr>().ok()?, None),
        };
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        (prefix <= bits).then_some(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let (net, ip, width) = match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(i)) => (u32::from(n).into(), u32::from(i).into(), 32),
            (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
            _ => return false,
        };
        let host_bits = width - u32::from(self.prefix);
        // A shift by 128 would overflow: `/0` holds every address.
        host_bits >= 128 || net >> host_bits == ip >> host_bits
    }
}

impl<'de> serde::Deserialize<'de> for IpNet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        IpNet::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not an IP address or network"))
        })
    }
}

/// The caller's address, for per-address throttles. When the connection comes from a trusted
/// proxy, `X-Forwarded-For` is read from the right (each proxy appends the address it saw) and
/// the first hop that is not a trusted proxy is the caller; anything else in the header can be
/// made up by the caller and is ignored.
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trusted: &[IpNet]) -> String {
    let Some(peer) = peer.map(|p| p.ip().to_canonical()) else {
        return "local".to_owned();
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer.to_string();
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut caller = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
            Ok(ip) => {
                caller = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    caller.to_string()
}

pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientIp(client_ip(
            &parts.headers,
            peer,
            &state.config.trusted_proxies,
        )))
    }
}

pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::{IpNet, client_ip};
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::SocketAddr;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().filter_map(|n| IpNet::parse(n)).collect()
    }

    fn peer(ip: &str) -> Option<SocketAddr> {
        format!("{ip}:40000").parse().ok()
    }

    #[test]
    fn networks_parse_and_hold_addresses() {
        for bad in [
            "",
            "10.0.0.0/33",
            "::1/129",
            "10.0.0/8",
            "10.0.0.0/x",
            "proxy.local",
        ] {
            assert_eq!(IpNet::parse(bad), None, "{bad}");
        }
        let ten = IpNet::parse("10.0.0.0/8").expect("network");
        assert!(ten.contains("10.200.3.4".parse().expect("ip")));
        assert!(!ten.contains("11.0.0.1".parse().expect("ip")));
        assert!(ten.contains("::ffff:10.1.1.1".parse().expect("mapped ip")));
        let one = IpNet::parse("192.168.1.7").expect("address");
        assert!(one.contains("192.168.1.7".parse().expect("ip")));
        assert!(!one.contains("192.168.1.8".parse().expect("ip")));
        let six = IpNet::parse("fd00::/8").expect("v6 network");
        assert!(six.contains("fd12::1".parse().expect("ip")));
        assert!(!six.contains("10.0.0.1".parse().expect("ip")));
        let all = IpNet::parse("::/0").expect("everything");
        assert!(all.contains("2001:db8::1".parse().expect("ip")));
        assert!(
            IpNet::parse("0.0.0.0/0")
                .expect("all v4")
                .contains("8.8.8.8".parse().expect("ip"))
        );
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9"),
        );
        headers.append("x-forwarded-for", HeaderValue::from_static("10.0.0.5"));
        let trusted = nets(&["10.0.0.0/8", "127.0.0.1"]);
        // Straight from the internet: the header is the caller's own word, and ignored.
        assert_eq!(
            client_ip(&headers, peer("198.51.100.1"), &trusted),
            "198.51.100.1"
        );
        // Through two trusted proxies: the first untrusted hop from the right.
        assert_eq!(
            client_ip(&headers, peer("127.0.0.1"), &trusted),
            "203.0.113.9"
        );
        // No proxies configured: always the peer.
        assert_eq!(client_ip(&headers, peer("127.0.0.1"), &[]), "127.0.0.1");
        // A garbled hop stops the walk at the last good one.
        let mut garbled = HeaderMap::new();
        garbled.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, junk, 10.0.0.5"),
        );
        assert_eq!(client_ip(&garbled, peer("127.0.0.1"), &trusted), "10.0.0.5");
        // A trusted proxy with no header is itself the caller.
        assert_eq!(
            client_ip(&HeaderMap::new(), peer("10.1.1.1"), &trusted),
            "10.1.1.1"
        );
        assert_eq!(client_ip(&headers, None, &trusted), "local");
    }
}
