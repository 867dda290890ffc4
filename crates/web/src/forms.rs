//! Request bodies: JSON for the API and CSRF-checked HTML forms for pages, each turning a bad
//! body into a clear `HttpError` instead of axum's plain-text rejections.

use crate::error::{AppResult, HttpError};
use crate::i18n::Lang;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

pub use supportal_app::input::{checkbox, optional_id};

pub const CSRF_COOKIE: &str = "supportal_csrf";

/// The CSRF token a page form must carry. A signed-in browser's is derived from its session
/// token (which scripts cannot read), so it is tied to that session and changes at every sign-in;
/// a browser without a session uses the random token of its CSRF cookie.
pub fn expected_csrf(headers: &axum::http::HeaderMap) -> Option<String> {
    match crate::cookies::get(headers, crate::auth::SESSION_COOKIE) {
        Some(session) if !session.is_empty() => Some(session_csrf(&session)),
        _ => crate::cookies::get(headers, CSRF_COOKIE).filter(|t| !t.is_empty()),
    }
}

/// The CSRF token of a session.
pub fn session_csrf(session_token: &str) -> String {
    crate::auth::sha256_hex(&format!("csrf:{session_token}"))
}

/// A JSON body. Wrong content type → 415, broken JSON → 400, wrong shape → 422.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(mut v)) => {
                crate::text::clean_json(&mut v);
                T::deserialize(v).map(ApiJson).map_err(|e| {
                    tracing::debug!(error = %e, "JSON body of the wrong shape");
                    HttpError::unprocessable("invalid_body")
                })
            }
            Err(JsonRejection::MissingJsonContentType(_)) => Err(HttpError::new(
                crate::error::Kind::UnsupportedType,
                "json_required",
            )),
            Err(JsonRejection::JsonSyntaxError(_)) => Err(HttpError::new(
                crate::error::Kind::Malformed,
                "malformed_json",
            )),
            Err(JsonRejection::JsonDataError(e)) => {
                tracing::debug!(error = %e.body_text(), "JSON body of the wrong shape");
                Err(HttpError::unprocessable("invalid_body"))
            }
            Err(JsonRejection::BytesRejection(_)) => Err(HttpError::new(
                crate::error::Kind::TooLarge,
                "body_too_large",
            )),
            Err(_) => Err(HttpError::new(
                crate::error::Kind::Malformed,
                "malformed_json",
            )),
        }
    }
}

/// A path parameter; one that does not parse names nothing, so it is 404.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(HttpError::not_found()),
            Err(e) => Err(HttpError::internal(e)),
        }
    }
}

/// The CSRF token of this browser, put in request extensions by the pages middleware.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// A form posted from one of our pages: its `csrf` field must equal the browser's CSRF cookie.
/// A form of the wrong shape is a 422 `invalid_form`.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let cookie = expected_csrf(req.headers());
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| HttpError::new(crate::error::Kind::TooLarge, "body_too_large"))?;
        let body = String::from_utf8_lossy(&body);
        let body = crate::text::drop_nul_escapes(&body).replace('\0', "");
        let body = body.as_bytes();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|_| HttpError::unprocessable("invalid_form"))?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        match (cookie.as_deref(), sent) {
            (Some(expected), Some(sent))
                if !expected.is_empty() && crate::forms::same(expected, sent) => {}
            _ => return Err(HttpError::forbidden("csrf_failed")),
        }
        serde_urlencoded::from_bytes(body)
            .map(Form)
            .map_err(|_| HttpError::unprocessable("invalid_form"))
    }
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The request's language (`crate::lang`): the profile's once the caller is known (take
/// `ApiUser` before this), else the language switch's, the browser's or the operator's.
pub struct UserLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for UserLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(UserLang(crate::lang::current()))
    }
}

/// One file of a multipart body.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The form field it came in.
    pub field: String,
    /// The name the client gave it (may be empty).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` body read whole: text fields, and files from the named file fields.
/// An empty file input (no name, no bytes) is left out.
pub struct MultipartForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

impl MultipartForm {
    /// Reads every part; parts named in `file_fields` are files, the others text. A part that
    /// cannot be read is 400, a body over the route's limit 413.
    pub async fn read(
        mut multipart: axum::extract::Multipart,
        file_fields: &[&str],
    ) -> Result<MultipartForm, HttpError> {
        let bad = |_| HttpError::new(crate::error::Kind::Malformed, "invalid_upload");
        let mut form = MultipartForm {
            fields: Vec::new(),
            files: Vec::new(),
        };
        while let Some(part) = multipart.next_field().await.map_err(bad)? {
            let field = part.name().unwrap_or_default().to_owned();
            if file_fields.contains(&field.as_str()) {
                let name = part.file_name().unwrap_or_default().to_owned();
                let bytes = part
                    .bytes()
                    .await
                    .map_err(|_| HttpError::new(crate::error::Kind::TooLarge, "body_too_large"))?;
                if !name.is_empty() || !bytes.is_empty() {
                    form.files.push(UploadedFile {
                        field,
                        name,
                        bytes: bytes.to_vec(),
                    });
                }
            } else {
                let text = part.text().await.map_err(bad)?;
                form.fields
                    .push((field, crate::text::without_nul(&text).into_owned()));
            }
        }
        Ok(form)
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// For a form posted from our pages: its `csrf` field must equal the browser's CSRF cookie.
    /// A page's upload: reads the form and checks its CSRF field against the browser's cookie.
    pub async fn read_page(
        headers: &axum::http::HeaderMap,
        multipart: axum::extract::Multipart,
        file_fields: &[&str],
    ) -> Result<MultipartForm, HttpError> {
        let form = Self::read(multipart, file_fields).await?;
        form.check_csrf(headers)?;
        Ok(form)
    }

    pub fn check_csrf(&self, headers: &axum::http::HeaderMap) -> Result<(), HttpError> {
        let cookie = expected_csrf(headers).unwrap_or_default();
        match self.field("csrf") {
            Some(sent) if !cookie.is_empty() && same(&cookie, sent) => Ok(()),
            _ => Err(HttpError::forbidden("csrf_failed")),
        }
    }
}

/// `Idempotency-Key`: 1 to 200 visible characters.
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> AppResult<Option<String>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => {
            let key = v
                .to_str()
                .map_err(|_| HttpError::field("idempotency_key", "invalid_key"))?
                .trim();
            if key.is_empty() || key.len() > 200 {
                return Err(HttpError::field("idempotency_key", "invalid_key"));
            }
            Ok(Some(key.to_owned()))
        }
    }
}
