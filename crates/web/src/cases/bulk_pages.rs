//! The bulk case page (CAS-15): a company admin downloads the column template, uploads a filled
//! file and sees every row's outcome, with links to the cases opened.

use super::bulk::{self, BulkReport};
use crate::auth::PageUser;
use crate::error::AppResult;
use crate::forms::MultipartForm;
use crate::pages::{Chrome, Ctx};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/bulk",
            get(page).post(upload).layer(DefaultBodyLimit::max(
                crate::admin::loading::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/cases/bulk/template.csv", get(template))
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/bulk.html")]
struct BulkPage {
    c: Chrome,
    columns: &'static [&'static str],
    required: &'static [&'static str],
    max_rows: usize,
    report: Option<BulkReport>,
}

impl BulkPage {
    fn new(c: Chrome, report: Option<BulkReport>) -> BulkPage {
        BulkPage {
            c,
            columns: bulk::COLUMNS,
            required: bulk::REQUIRED_COLUMNS,
            max_rows: bulk::MAX_ROWS,
            report,
        }
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    bulk::company_admin(&state, &user).await?;
    let c = ctx.chrome(&state, "bulk-title").await?;
    Ok(BulkPage::new(c, None).into_response())
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    bulk::company_admin(&state, &user).await?;
    let form = MultipartForm::read_page(&headers, multipart, &["file"]).await?;
    let result = bulk::submit(
        &state,
        &ctx.lang,
        &user,
        crate::admin::loading::upload_file(form),
    )
    .await;
    let c = ctx.chrome(&state, "bulk-title").await?;
    Ok(match result {
        Ok(report) => BulkPage::new(c, Some(report)).into_response(),
        Err(e) => BulkPage::new(c.failed(e)?, None).into_response(),
    })
}

/// The header row to fill in, as a CSV file.
async fn template(State(state): State<AppState>, PageUser(user): PageUser) -> AppResult<Response> {
    bulk::company_admin(&state, &user).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"supportal-cases.csv\"",
            ),
        ],
        bulk::COLUMNS.join(",") + "\r\n",
    )
        .into_response())
}
