//! Supportal's HTTP face: the router, the JSON API under `/api/v1` and the server-rendered pages.
//! Handlers are thin: each capability folder (`accounts/`, `onboarding/`, `companies/`,
//! `profile/`, `admin/`, `entitlements/`, `cases/`) holds its JSON face in `api.rs` and its page
//! face in `pages.rs`, and calls the operations of `supportal_app` (re-exported by the folder's
//! `mod.rs`), whose errors `error::HttpError` turns into answers.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod cases;
pub mod chat;
pub mod companies;
pub mod cookies;
pub mod desk;
pub mod entitlements;
pub mod error;
pub mod forms;
pub mod knowledge;
pub mod lang;
pub mod notices;
pub mod onboarding;
pub mod pages;
pub mod partners;
pub mod profile;
pub mod serve;
pub mod state;
pub mod text;

pub use state::{AppState, Config};
pub use supportal_app::{Clock, Secret, i18n};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::routing::get;
use error::{AppResult, HttpError};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Bodies larger than this are refused before a handler runs.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The whole application: API, pages, health check and security headers.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(accounts::api::routes())
        .merge(onboarding::api::routes())
        .merge(companies::api::routes())
        .merge(profile::api::routes())
        .merge(notices::api::routes())
        .merge(knowledge::api::routes())
        .merge(chat::api::routes())
        .merge(admin::api::routes())
        .merge(admin::loading::routes())
        .merge(entitlements::api::routes())
        .merge(cases::api::routes())
        .merge(desk::api::routes())
        .merge(desk::console_api::routes())
        .merge(partners::api::routes())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .merge(upload_limits(admin::loading::upload_routes()))
        .merge(
            partners::api::feed_routes()
                .layer(RequestBodyLimitLayer::new(partners::api::FEED_MAX_BYTES)),
        )
        .fallback(|| async { HttpError::not_found() });
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api)
        .merge(pages::routes(state.clone()))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            lang::layer,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(axum::middleware::from_fn(request_id))
        .layer(axum::middleware::map_request(text::strip_nul_from_uri))
        .with_state(state)
}

/// The header that carries a request's id, in the request and in its answer.
pub const REQUEST_ID: &str = "x-request-id";

/// Gives every request an id — the caller's `X-Request-Id` when it is a short plain token, a
/// fresh one otherwise — and sends it back, so a log line and an answer can be matched.
async fn request_id(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let given = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_owned);
    let id = given.unwrap_or_else(|| auth::random_token()[..16].to_owned());
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("invalid"));
    req.headers_mut().insert(REQUEST_ID, value.clone());
    let mut response = next.run(req).await;
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

/// The span of one request in the log: method, path (never the query, which may hold search
/// terms) and id; the answer's status and time are logged at INFO when it ends.
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

/// Upload routes take files up to `MAX_UPLOAD_BYTES`; everything else stays at `MAX_BODY_BYTES`.
pub(crate) fn upload_limits(routes: Router<AppState>) -> Router<AppState> {
    routes
        .layer(axum::extract::DefaultBodyLimit::max(
            supportal_app::loading::MAX_UPLOAD_BYTES,
        ))
        .layer(RequestBodyLimitLayer::new(
            supportal_app::loading::MAX_UPLOAD_BYTES,
        ))
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> AppResult<(StatusCode, &'static str)> {
    state.db.ping().await?;
    Ok((StatusCode::OK, "ok"))
}
