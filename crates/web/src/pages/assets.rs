//! The stylesheet and the few vendored scripts, served from the binary and cached for an hour.

use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(stylesheet))
        .route(
            "/static/tz.js",
            get(|| async { script(include_str!("../../static/tz.js")) }),
        )
        .route(
            "/static/suggest.js",
            get(|| async { script(include_str!("../../static/suggest.js")) }),
        )
        .route(
            "/static/chat.js",
            get(|| async { script(include_str!("../../static/chat.js")) }),
        )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
}

/// One of the vendored scripts, cached for an hour.
fn script(body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}
