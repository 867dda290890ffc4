//! Upload pages: operator staff load catalog and entitlement files; company admins load their
//! own contracts and warranties. The report shows every bad row as a table.

use super::loading::{self, LoadKind, LoadReport, Target};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::error::AppResult;
use crate::forms::{ApiPath, MultipartForm};
use crate::pages::{Chrome, Ctx};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use supportal_domain::CompanyId;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/upload", get(staff_page).post(staff_upload))
        .route(
            "/companies/{company_id}/entitlements/upload",
            get(company_page).post(company_upload),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/upload.html")]
struct UploadPage {
    c: Chrome,
    action: String,
    kinds: Vec<&'static str>,
    kind: String,
    report: Option<LoadReport>,
}

const STAFF_KINDS: [&str; 4] = ["products", "assets", "entitlements", "agreements"];

async fn staff_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    super::staff(&user, true)?;
    let c = ctx.chrome(&state, "upload-title").await?;
    Ok(UploadPage {
        c,
        action: "/admin/upload".into(),
        kinds: STAFF_KINDS.to_vec(),
        kind: "assets".into(),
        report: None,
    }
    .into_response())
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    action: String,
    kinds: Vec<&'static str>,
    kind: String,
    result: Result<LoadReport, AppError>,
) -> AppResult<Response> {
    let c = ctx.chrome(state, "upload-title").await?;
    match result {
        Ok(report) => Ok(UploadPage {
            c,
            action,
            kinds,
            kind,
            report: Some(report),
        }
        .into_response()),
        Err(e) => Ok(UploadPage {
            c: c.failed(e)?,
            action,
            kinds,
            kind,
            report: None,
        }
        .into_response()),
    }
}

async fn staff_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let staff = super::staff(&user, true)?;
    let form = MultipartForm::read_page(&headers, multipart, &["file"]).await?;
    let kind_name = form.field("kind").unwrap_or_default().to_owned();
    let result = match LoadKind::parse(&kind_name) {
        Some(kind) => {
            loading::load_file(
                &state,
                &ctx.lang,
                kind,
                Target::Operator(staff),
                loading::upload_file(form),
            )
            .await
        }
        None => Err(AppError::field("kind", "invalid_choice")),
    };
    render(
        &state,
        &ctx,
        "/admin/upload".into(),
        STAFF_KINDS.to_vec(),
        kind_name,
        result,
    )
    .await
}

async fn company_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    crate::companies::admin_scope(&state, &user, CompanyId(id)).await?;
    let c = ctx.chrome(&state, "upload-title").await?;
    let action = format!("/companies/{id}/entitlements/upload");
    Ok(UploadPage {
        c,
        action,
        kinds: vec!["entitlements"],
        kind: "entitlements".into(),
        report: None,
    }
    .into_response())
}

async fn company_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let scope = crate::companies::admin_scope(&state, &user, CompanyId(id)).await?;
    let form = MultipartForm::read_page(&headers, multipart, &["file"]).await?;
    let result = loading::load_file(
        &state,
        &ctx.lang,
        LoadKind::Entitlements,
        Target::Company(scope),
        loading::upload_file(form),
    )
    .await;
    render(
        &state,
        &ctx,
        format!("/companies/{id}/entitlements/upload"),
        vec!["entitlements"],
        "entitlements".into(),
        result,
    )
    .await
}
