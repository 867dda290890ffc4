//! Reading and writing the few cookies Supportal sets: the session, the CSRF token, the flash
//! message and the language.

use axum::http::{HeaderMap, HeaderValue, header};

pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`; `Secure` when the site is https.
pub fn set(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie)
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

pub fn clear(name: &str) -> HeaderValue {
    set(name, "", Some(0), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; supportal_session=abc; b="),
        );
        assert_eq!(get(&headers, "supportal_session").as_deref(), Some("abc"));
        assert_eq!(get(&headers, "b"), None);
        assert_eq!(get(&headers, "c"), None);
    }
}
