//! Who is calling: the extractors that turn a bearer token (API) or a session cookie (pages)
//! into a `SessionUser`, and the caller's address behind trusted proxies. Tokens, passwords and
//! sessions themselves are `supportal_app::auth`.

pub use supportal_app::auth::*;

use crate::error::HttpError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use std::net::{IpAddr, SocketAddr};
use supportal_store::sessions::SessionUser;

pub const SESSION_COOKIE: &str = "supportal_session";

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
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or_else(HttpError::unauthorized)?;
        let user = session_for(state, token, true)
            .await?
            .ok_or_else(HttpError::unauthorized)?;
        crate::lang::prefer(&user);
        Ok(ApiUser(user))
    }
}

/// An API caller if any: no `Authorization` header is nobody signed in (public reads); a header
/// that does not check out is still 401.
pub struct MaybeApiUser(pub Option<SessionUser>);

impl FromRequestParts<AppState> for MaybeApiUser {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            true => Ok(MaybeApiUser(Some(
                ApiUser::from_request_parts(parts, state).await?.0,
            ))),
            false => Ok(MaybeApiUser(None)),
        }
    }
}

/// A signed-in browser user, by session cookie. Absent: 401, which pages turn into sign-in.
pub struct PageUser(pub SessionUser);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        MaybePageUser::from_request_parts(parts, state)
            .await?
            .0
            .map(PageUser)
            .ok_or_else(HttpError::unauthorized)
    }
}

/// The browser user if signed in.
pub struct MaybePageUser(pub Option<SessionUser>);

impl FromRequestParts<AppState> for MaybePageUser {
    type Rejection = HttpError;

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
        if let Some(user) = &user {
            crate::lang::prefer(user);
        }
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
