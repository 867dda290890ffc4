//! One application error with a stable machine code. The API renders it as
//! `application/problem+json` (RFC 9457); the pages layer renders the same error as a page.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use supportal_domain::FieldErrors;
use supportal_store::StoreError;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub fields: FieldErrors,
    pub retry_after: Option<i64>,
    /// Logged, never sent: the cause of a 500 or 503.
    pub cause: Option<String>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        AppError {
            status,
            code,
            fields: FieldErrors::new(),
            retry_after: None,
            cause: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "not_signed_in")
    }

    pub fn forbidden(code: &'static str) -> Self {
        Self::new(StatusCode::FORBIDDEN, code)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }

    pub fn conflict(code: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, code)
    }

    /// 422 with a single code and no field list (e.g. `invalid_code`).
    pub fn unprocessable(code: &'static str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code)
    }

    /// 422 with field errors.
    pub fn invalid(fields: FieldErrors) -> Self {
        AppError {
            fields,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        }
    }

    pub fn field(field: &str, code: &'static str) -> Self {
        Self::invalid(FieldErrors::single(field, code))
    }

    pub fn throttled(code: &'static str, retry_after: i64) -> Self {
        AppError {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, code)
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError {
            cause: Some(cause.to_string()),
            ..Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found(),
            StoreError::Conflict(_) => AppError::conflict("conflict"),
            StoreError::Unavailable(cause) => AppError {
                cause: Some(cause),
                ..AppError::new(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable")
            },
            other => AppError::internal(other),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(fields: FieldErrors) -> Self {
        AppError::invalid(fields)
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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(code = self.code, status = self.status.as_u16(), %cause, "request failed");
        }
        let lang = crate::i18n::Lang::default();
        let title = lang.error(self.code);
        let body = Problem {
            r#type: format!(
                "https://supportal.dev/problems/{}",
                self.code.replace('_', "-")
            ),
            detail: title.clone(),
            title,
            status: self.status.as_u16(),
            code: self.code,
            errors: self
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
        let mut response = (self.status, Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(ErrorInfo {
            code: self.code,
            fields: self.fields,
        });
        response
    }
}
