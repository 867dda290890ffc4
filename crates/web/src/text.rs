//! NUL characters in what callers send. PostgreSQL text cannot hold one, SQLite can, and no
//! person types one: so every text input loses it at the edge, and both databases see the same
//! text. The URL (path and query) is cleaned by `strip_nul_from_uri` in front of every route;
//! JSON bodies by `ApiJson`, forms by `Form`, multipart fields by `MultipartForm`, and uploaded
//! CSV and XLSX cells by the file reader.

use axum::extract::Request;
use serde_json::Value;
use std::borrow::Cow;

pub use supportal_app::input::without_nul;

/// Removes NUL from every string and key of a JSON value.
pub fn clean_json(value: &mut Value) {
    match value {
        Value::String(s) if s.contains('\0') => s.retain(|c| c != '\0'),
        Value::Array(items) => items.iter_mut().for_each(clean_json),
        Value::Object(map) => {
            if map.keys().any(|k| k.contains('\0')) {
                let entries = std::mem::take(map);
                for (k, v) in entries {
                    map.insert(k.replace('\0', ""), v);
                }
            }
            map.values_mut().for_each(clean_json);
        }
        _ => {}
    }
}

/// Drops `%00` escapes (NUL once decoded) from URL-encoded text; other escapes stay as they are.
pub fn drop_nul_escapes(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let nul_at = |i: usize| bytes.get(i..i + 3) == Some(b"%00");
    if !(0..bytes.len()).any(nul_at) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if nul_at(i) {
            i += 3;
            continue;
        }
        // Copy one whole escape at a time, so `%2500` stays `%2500`; a `%` without two hex
        // digits after it is a plain character (`%%00` is `%` and then a NUL).
        let escape = bytes[i] == b'%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        let step = if escape { 3 } else { 1 };
        let end = (i + step).min(bytes.len());
        match text.get(i..end) {
            Some(part) => out.push_str(part),
            // Inside a multi-byte character: copy it whole.
            None => {
                let ch = text[i..].chars().next().unwrap_or_default();
                out.push(ch);
                i += ch.len_utf8();
                continue;
            }
        }
        i = end;
    }
    Cow::Owned(out)
}

/// Middleware: the request's path and query without `%00`.
pub async fn strip_nul_from_uri(mut req: Request) -> Request {
    let uri = req.uri();
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if let Cow::Owned(cleaned) = drop_nul_escapes(path_and_query) {
        let mut parts = uri.clone().into_parts();
        if let Ok(pq) = cleaned.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = axum::http::Uri::from_parts(parts) {
                *req.uri_mut() = uri;
            }
        }
    }
    req
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nul_escapes_go_and_the_rest_stays() {
        assert_eq!(drop_nul_escapes("/products?q=a%00b"), "/products?q=ab");
        assert_eq!(drop_nul_escapes("q=%2500&x=%00%00y"), "q=%2500&x=y");
        assert_eq!(drop_nul_escapes("é%00è"), "éè");
        assert_eq!(drop_nul_escapes("%%00"), "%");
        assert_eq!(drop_nul_escapes("a%%%00b%2"), "a%%b%2");
        assert!(matches!(drop_nul_escapes("plain"), Cow::Borrowed(_)));
        assert_eq!(without_nul("a\0b"), "ab");
        let mut v = json!({ "a\u{0}": ["x\u{0}y", 1, { "k": "\u{0}" }] });
        clean_json(&mut v);
        assert_eq!(v, json!({ "a": ["xy", 1, { "k": "" }] }));
    }
}
