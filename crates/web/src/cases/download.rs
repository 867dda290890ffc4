//! The HTTP shapes of case files: an uploaded file as an attachment, a download, an export, and
//! the answer to a bulk upload.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use supportal_app::cases::attachments::Incoming;
use supportal_app::cases::bulk::BulkReport;

impl From<crate::forms::UploadedFile> for Incoming {
    fn from(f: crate::forms::UploadedFile) -> Self {
        Incoming {
            name: if f.name.is_empty() {
                "attachment".into()
            } else {
                f.name
            },
            bytes: f.bytes,
        }
    }
}

/// The HTTP answer for a download: never shown inline, never cached by shared caches.
pub fn download_response(
    bytes: Vec<u8>,
    content_type: String,
    name: &str,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(['"', '\\'], "_")
    );
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// The HTTP answer for an export: a download named after the date.
pub fn export_response(bytes: Vec<u8>) -> axum::response::Response {
    let name = format!("cases-{}.xlsx", chrono::Utc::now().format("%Y-%m-%d"));
    download_response(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
        &name,
    )
}

/// The answer to a bulk upload: 201 when every case was opened, 422 with the problems otherwise.
pub struct BulkAnswer(pub BulkReport);

impl IntoResponse for BulkAnswer {
    fn into_response(self) -> Response {
        let status = if self.0.errors.is_empty() {
            StatusCode::CREATED
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        (status, Json(super::types::BulkReport::from(&self.0))).into_response()
    }
}
