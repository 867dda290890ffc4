//! The loading routes (SUP-5, CMP-3): JSON arrays and uploaded files of products, assets,
//! warranties/contracts and agreements, checked and loaded by `supportal_app::loading`.

use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::error::HttpError;
use crate::forms::{ApiJson, ApiPath, UserLang};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use supportal_app::i18n::Lang;
use supportal_domain::CompanyId;

pub use supportal_app::loading::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/products", post(products))
        .route("/admin/assets", post(assets_load))
        .route("/admin/entitlements", post(entitlements_load))
        .route("/admin/agreements", post(agreements_load))
        .route(
            "/companies/{company_id}/entitlements",
            post(company_entitlements),
        )
}

/// A load's answer: 200 with the counts when every row loaded, 422 with the problems otherwise.
pub struct Answer(pub LoadReport);

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = if self.0.error_count == 0 {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        (status, Json(super::types::LoadReport::from(&self.0))).into_response()
    }
}

async fn staff_load(
    state: AppState,
    lang: Lang,
    user: ApiUser,
    kind: LoadKind,
    values: Vec<Value>,
) -> AppResult<Answer> {
    let staff = super::staff(&user.0, true)?;
    check_size(&values)?;
    load(
        &state,
        &lang,
        kind,
        Target::Operator(staff),
        numbered(values),
        None,
    )
    .await
    .map(Answer)
    .map_err(Into::into)
}

async fn products(
    State(state): State<AppState>,
    user: ApiUser,
    UserLang(lang): UserLang,
    ApiJson(values): ApiJson<Vec<Value>>,
) -> AppResult<Answer> {
    staff_load(state, lang, user, LoadKind::Products, values).await
}

async fn assets_load(
    State(state): State<AppState>,
    user: ApiUser,
    UserLang(lang): UserLang,
    ApiJson(values): ApiJson<Vec<Value>>,
) -> AppResult<Answer> {
    staff_load(state, lang, user, LoadKind::Assets, values).await
}

async fn entitlements_load(
    State(state): State<AppState>,
    user: ApiUser,
    UserLang(lang): UserLang,
    ApiJson(values): ApiJson<Vec<Value>>,
) -> AppResult<Answer> {
    staff_load(state, lang, user, LoadKind::Entitlements, values).await
}

async fn agreements_load(
    State(state): State<AppState>,
    user: ApiUser,
    UserLang(lang): UserLang,
    ApiJson(values): ApiJson<Vec<Value>>,
) -> AppResult<Answer> {
    staff_load(state, lang, user, LoadKind::Agreements, values).await
}

/// CMP-3: a company admin loads the company's own care packs and contracts.
async fn company_entitlements(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    ApiPath(id): ApiPath<i64>,
    ApiJson(values): ApiJson<Vec<Value>>,
) -> AppResult<Answer> {
    let scope = crate::companies::admin_scope(&state, &user, CompanyId(id)).await?;
    check_size(&values)?;
    load(
        &state,
        &lang,
        LoadKind::Entitlements,
        Target::Company(scope),
        numbered(values),
        None,
    )
    .await
    .map(Answer)
    .map_err(Into::into)
}

/// The upload routes of the API: a `multipart/form-data` body with one `file` part.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/admin/uploads/{kind}", post(upload))
        .route(
            "/companies/{company_id}/entitlements/upload",
            post(company_upload),
        )
}

/// The file of an upload form (the `file` part), if one was sent.
pub fn upload_file(form: crate::forms::MultipartForm) -> Option<Vec<u8>> {
    form.files
        .into_iter()
        .map(|f| f.bytes)
        .find(|b| !b.is_empty())
}

async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    ApiPath(kind): ApiPath<String>,
    multipart: axum::extract::Multipart,
) -> AppResult<Answer> {
    let staff = super::staff(&user, true)?;
    let kind = LoadKind::parse(&kind).ok_or_else(HttpError::not_found)?;
    let form = crate::forms::MultipartForm::read(multipart, &["file"]).await?;
    load_file(
        &state,
        &lang,
        kind,
        Target::Operator(staff),
        upload_file(form),
    )
    .await
    .map(Answer)
    .map_err(Into::into)
}

async fn company_upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    ApiPath(id): ApiPath<i64>,
    multipart: axum::extract::Multipart,
) -> AppResult<Answer> {
    let scope = crate::companies::admin_scope(&state, &user, CompanyId(id)).await?;
    let form = crate::forms::MultipartForm::read(multipart, &["file"]).await?;
    load_file(
        &state,
        &lang,
        LoadKind::Entitlements,
        Target::Company(scope),
        upload_file(form),
    )
    .await
    .map(Answer)
    .map_err(Into::into)
}
