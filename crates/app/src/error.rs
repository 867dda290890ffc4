//! One error for every operation: what went wrong in the domain's words (`Kind`), a stable machine
//! code, and the fields at fault. Callers map it their own way: the web crate to an HTTP status and
//! `application/problem+json`, a job to a log line, the CLI to an exit message.

use supportal_domain::FieldErrors;
use supportal_store::StoreError;

/// What kind of failure an operation met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input cannot be read at all (malformed JSON, a missing form).
    Malformed,
    /// Nobody is signed in, or the credentials are wrong.
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// The thing does not exist, or the caller may not know that it does.
    NotFound,
    /// It existed and is gone for good (a used or expired invitation).
    Gone,
    /// The state of things does not allow it (a duplicate, a race lost, a step out of order).
    Conflict,
    /// The input breaks a rule; `fields` says which.
    Invalid,
    /// More than the operation takes (rows, bytes).
    TooLarge,
    /// A file of a kind the operation does not read.
    UnsupportedType,
    /// A payment is needed or was declined.
    PaymentRequired,
    /// Too many attempts; `retry_after` says when to come back.
    Throttled,
    /// A dependency (database, payment provider) cannot serve now.
    Unavailable,
    /// A bug or a broken set-up; `cause` is logged, never shown.
    Internal,
}

#[derive(Debug)]
pub struct AppError {
    pub kind: Kind,
    pub code: &'static str,
    pub fields: FieldErrors,
    pub retry_after: Option<i64>,
    /// Logged, never shown: the cause of an internal or unavailable error.
    pub cause: Option<String>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(kind: Kind, code: &'static str) -> Self {
        AppError {
            kind,
            code,
            fields: FieldErrors::new(),
            retry_after: None,
            cause: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(Kind::Unauthenticated, "not_signed_in")
    }

    pub fn forbidden(code: &'static str) -> Self {
        Self::new(Kind::Forbidden, code)
    }

    pub fn not_found() -> Self {
        Self::new(Kind::NotFound, "not_found")
    }

    pub fn conflict(code: &'static str) -> Self {
        Self::new(Kind::Conflict, code)
    }

    /// An invalid input with a single code and no field list (e.g. `invalid_code`).
    pub fn unprocessable(code: &'static str) -> Self {
        Self::new(Kind::Invalid, code)
    }

    /// An invalid input with field errors.
    pub fn invalid(fields: FieldErrors) -> Self {
        AppError {
            fields,
            ..Self::new(Kind::Invalid, "validation_failed")
        }
    }

    pub fn field(field: &str, code: &'static str) -> Self {
        Self::invalid(FieldErrors::single(field, code))
    }

    pub fn throttled(code: &'static str, retry_after: i64) -> Self {
        AppError {
            retry_after: Some(retry_after),
            ..Self::new(Kind::Throttled, code)
        }
    }

    pub fn unavailable(code: &'static str, cause: impl std::fmt::Display) -> Self {
        AppError {
            cause: Some(cause.to_string()),
            ..Self::new(Kind::Unavailable, code)
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError {
            cause: Some(cause.to_string()),
            ..Self::new(Kind::Internal, "internal_error")
        }
    }

    /// A failure of the portal rather than of the caller's input.
    pub fn is_server_error(&self) -> bool {
        matches!(self.kind, Kind::Internal | Kind::Unavailable)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} {}", self.kind, self.code)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found(),
            StoreError::Conflict(_) => AppError::conflict("conflict"),
            StoreError::Unavailable(cause) => AppError::unavailable("service_unavailable", cause),
            other => AppError::internal(other),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(fields: FieldErrors) -> Self {
        AppError::invalid(fields)
    }
}
