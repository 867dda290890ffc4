//! Operations fail with `supportal_app::AppError`; this is its HTTP face. The API renders it as
//! `application/problem+json` (RFC 9457) with a status from its kind; the pages layer renders the
//! same error as a page.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use supportal_domain::FieldErrors;
use supportal_store::StoreError;

pub use supportal_app::error::{AppError, Kind};

/// An operation's error on its way to becoming an HTTP answer.
#[derive(Debug)]
pub struct HttpError(pub AppError);

pub type AppResult<T> = Result<T, HttpError>;

/// The constructors of `AppError`, for errors that arise in the HTTP layer itself.
impl HttpError {
    pub fn new(kind: Kind, code: &'static str) -> Self {
        HttpError(AppError::new(kind, code))
    }

    pub fn unauthorized() -> Self {
        HttpError(AppError::unauthorized())
    }

    pub fn forbidden(code: &'static str) -> Self {
        HttpError(AppError::forbidden(code))
    }

    pub fn not_found() -> Self {
        HttpError(AppError::not_found())
    }

    pub fn conflict(code: &'static str) -> Self {
        HttpError(AppError::conflict(code))
    }

    pub fn unprocessable(code: &'static str) -> Self {
        HttpError(AppError::unprocessable(code))
    }

    pub fn invalid(fields: FieldErrors) -> Self {
        HttpError(AppError::invalid(fields))
    }

    pub fn field(field: &str, code: &'static str) -> Self {
        HttpError(AppError::field(field, code))
    }

    pub fn throttled(code: &'static str, retry_after: i64) -> Self {
        HttpError(AppError::throttled(code, retry_after))
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        HttpError(AppError::internal(cause))
    }

    /// The HTTP status of the error's kind.
    pub fn status(&self) -> StatusCode {
        status_of(self.0.kind)
    }
}

impl std::ops::Deref for HttpError {
    type Target = AppError;
    fn deref(&self) -> &AppError {
        &self.0
    }
}

impl std::ops::DerefMut for HttpError {
    fn deref_mut(&mut self) -> &mut AppError {
        &mut self.0
    }
}

/// The status every kind of error is answered with.
pub fn status_of(kind: Kind) -> StatusCode {
    match kind {
        Kind::Malformed => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Gone => StatusCode::GONE,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::UnsupportedType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Kind::PaymentRequired => StatusCode::PAYMENT_REQUIRED,
        Kind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for HttpError {
    fn from(e: AppError) -> Self {
        HttpError(e)
    }
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        HttpError(e.into())
    }
}

impl From<FieldErrors> for HttpError {
    fn from(fields: FieldErrors) -> Self {
        HttpError(AppError::invalid(fields))
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    code: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemField>,
}

#[derive(Serialize)]
struct ProblemField {
    field: String,
    code: &'static str,
    message: String,
}

/// Carried on the response so the pages layer can render the error as a page.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub fields: FieldErrors,
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = self.status();
        let e = self.0;
        if let Some(cause) = &e.cause {
            tracing::error!(code = e.code, status = status.as_u16(), %cause, "request failed");
        }
        let lang = crate::lang::current();
        let title = lang.error(e.code);
        // The detail names the first field refused, in the reader's words, as the error page
        // does; `errors` lists them all.
        let detail = match e.fields.0.first() {
            Some(f) => format!(
                "{title} {} {}",
                lang.colon(&crate::pages::field_label(&lang, &f.field)),
                lang.field_error(f.code)
            ),
            None => title.clone(),
        };
        let body = Problem {
            r#type: format!(
                "https://supportal.dev/problems/{}",
                e.code.replace('_', "-")
            ),
            detail,
            title,
            status: status.as_u16(),
            code: e.code,
            errors: e
                .fields
                .0
                .iter()
                .map(|f| ProblemField {
                    field: f.field.clone(),
                    code: f.code,
                    message: lang.field_error(f.code),
                })
                .collect(),
        };
        let mut response = (status, Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = e.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(ErrorInfo {
            code: e.code,
            fields: e.fields,
        });
        response
    }
}
