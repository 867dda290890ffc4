//! `/api/v1/cases…`: open, read, list, and update cases.

use super::CaseInput;
use super::attachments::Incoming;
use super::types::{CaseDetails, CaseList};
use crate::auth::ApiUser;
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiJson, ApiPath, MultipartForm, UserLang, idempotency_key};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use supportal_domain::case::CustomerAction;
use supportal_domain::{AttachmentId, ProductId};
use supportal_store::cases::{ListQuery, View};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/cases",
            post(create)
                .layer(DefaultBodyLimit::max(MAX_CASE_BODY_BYTES))
                .get(list),
        )
        .route(
            "/cases/{case_id}/attachments",
            post(add_attachment).layer(DefaultBodyLimit::max(MAX_CASE_BODY_BYTES)),
        )
        .route(
            "/cases/{case_id}/attachments/{attachment_id}",
            get(download),
        )
        .route(
            "/cases/bulk",
            post(bulk).layer(DefaultBodyLimit::max(
                supportal_app::loading::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/cases/export.xlsx", get(export))
        .route("/cases/{case_id}", get(detail))
        .route("/cases/{case_id}/messages", post(message))
        .route("/cases/{case_id}/contacts", post(add_contact))
        .route("/cases/{case_id}/contacts/{email}", delete(remove_contact))
        .route("/cases/{case_id}/actions", post(action))
        .route(
            "/cases/{case_id}/favorite",
            put(favorite).delete(unfavorite),
        )
}

/// `POST /cases/bulk` (CAS-15): a `file` part, CSV or XLSX, one case per row.
async fn bulk(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    multipart: Multipart,
) -> AppResult<super::download::BulkAnswer> {
    super::bulk::company_admin(&state, &user).await?;
    let form = MultipartForm::read(multipart, &["file"]).await?;
    let report = super::bulk::submit(
        &state,
        &lang,
        &user,
        crate::admin::loading::upload_file(form),
    )
    .await?;
    Ok(super::download::BulkAnswer(report))
}

/// Case bodies may carry three files of 2 MB: a little over 6 MB in all.
pub const MAX_CASE_BODY_BYTES: usize = 8 * 1024 * 1024;

/// `POST /cases`: JSON, or `multipart/form-data` with a `case` JSON part and up to three
/// `attachment` parts.
async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    req: Request,
) -> AppResult<(StatusCode, Json<CaseDetails>)> {
    let key = idempotency_key(req.headers())?;
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (input, files) = if is_multipart {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|_| HttpError::new(crate::error::Kind::Malformed, "invalid_upload"))?;
        read_case_multipart(multipart).await?
    } else {
        let ApiJson(input) = ApiJson::<CaseInput>::from_request(req, &state).await?;
        (input, Vec::new())
    };
    Ok((
        StatusCode::CREATED,
        Json(
            super::create(&state, &user, input, files, key.as_deref())
                .await?
                .into(),
        ),
    ))
}

async fn read_case_multipart(multipart: Multipart) -> AppResult<(CaseInput, Vec<Incoming>)> {
    let form = MultipartForm::read(multipart, &["attachment"]).await?;
    let case = form
        .field("case")
        .ok_or_else(|| HttpError::field("case", "required"))?;
    let mut case: serde_json::Value =
        serde_json::from_str(case).map_err(|_| HttpError::unprocessable("invalid_body"))?;
    crate::text::clean_json(&mut case);
    let input = serde_json::from_value::<CaseInput>(case)
        .map_err(|_| HttpError::unprocessable("invalid_body"))?;
    Ok((input, form.files.into_iter().map(Incoming::from).collect()))
}

async fn add_attachment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    multipart: Multipart,
) -> AppResult<(StatusCode, Json<CaseDetails>)> {
    let form = MultipartForm::read(multipart, &["attachment", "file"]).await?;
    let file = form
        .files
        .into_iter()
        .next()
        .ok_or_else(|| HttpError::field("attachment", "required"))?;
    Ok((
        StatusCode::CREATED,
        Json(
            super::attachments::add(&state, &user, &number, file.into())
                .await?
                .into(),
        ),
    ))
}

async fn download(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((number, id)): ApiPath<(String, i64)>,
) -> AppResult<Response> {
    let (bytes, content_type, name) =
        super::attachments::download(&state, &user, &number, AttachmentId(id)).await?;
    Ok(super::download::download_response(
        bytes,
        content_type,
        &name,
    ))
}

#[derive(Deserialize, Default)]
struct ListParams {
    view: Option<String>,
    company_id: Option<i64>,
    site_id: Option<i64>,
    product_id: Option<i64>,
    serial: Option<String>,
    mine: Option<bool>,
    sort: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<ListParams>,
) -> AppResult<Json<CaseList>> {
    let query = list_query(&state, &user, &p).await?;
    Ok(Json(super::list(&state, &user, query).await?.into()))
}

/// `GET /cases/export.xlsx` with the list's parameters: the whole view as a spreadsheet.
async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let query = list_query(&state, &user, &p).await?;
    // Times on the reader's clock: the profile's zone, else the operator's.
    let lang = lang.in_zone_or(user.time_zone.as_deref(), state.config.time_zone);
    let bytes = super::export::xlsx(&state, &lang, &user, query).await?;
    Ok(super::download::export_response(bytes))
}

/// The view, filters, sort and page a list request asks for.
async fn list_query(
    state: &AppState,
    user: &supportal_store::sessions::SessionUser,
    p: &ListParams,
) -> AppResult<ListQuery> {
    let view = match p.view.as_deref().unwrap_or("recent") {
        "recent" => View::Recent,
        "submitted_by_me" => View::SubmittedByMe,
        "favorites" => View::Favorites,
        "parts_orders" => View::PartsOrders,
        "service_orders" => View::ServiceOrders,
        "company" => match p.company_id {
            Some(id) => View::Company(id),
            None => {
                let scope = crate::entitlements::own_company(state, user)
                    .await?
                    .ok_or_else(|| HttpError::forbidden("company_required"))?;
                View::Company(scope.company_id().get())
            }
        },
        "site" => View::Site(
            p.site_id
                .ok_or_else(|| HttpError::field("site_id", "required"))?,
        ),
        _ => return Err(HttpError::field("view", "invalid_choice")),
    };
    let offset = match p.cursor.as_deref() {
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|o| *o >= 0)
            .ok_or_else(|| HttpError::field("cursor", "invalid_cursor"))?,
        None => 0,
    };
    Ok(ListQuery {
        view,
        serial: super::parse_serial(p.serial.as_deref())?,
        product_id: p.product_id.map(ProductId),
        only_mine: p.mine.unwrap_or(false),
        sort: super::parse_sort(p.sort.as_deref())?,
        limit: p.limit.unwrap_or(50),
        offset,
    })
}

async fn detail(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
) -> AppResult<Json<CaseDetails>> {
    Ok(Json(super::detail(&state, &user, &number).await?.into()))
}

#[derive(Deserialize)]
struct MessageBody {
    #[serde(default)]
    body: String,
}

async fn message(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<MessageBody>,
) -> AppResult<(StatusCode, Json<CaseDetails>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            super::message(&state, &user, &number, &b.body)
                .await?
                .into(),
        ),
    ))
}

#[derive(Deserialize)]
struct ContactBody {
    #[serde(default)]
    email: String,
}

async fn add_contact(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<ContactBody>,
) -> AppResult<(StatusCode, Json<CaseDetails>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            super::contact(&state, &user, &number, &b.email, true)
                .await?
                .into(),
        ),
    ))
}

async fn remove_contact(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((number, email)): ApiPath<(String, String)>,
) -> AppResult<Json<CaseDetails>> {
    Ok(Json(
        super::contact(&state, &user, &number, &email, false)
            .await?
            .into(),
    ))
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(default)]
    action: String,
}

async fn action(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> AppResult<Json<CaseDetails>> {
    let action = CustomerAction::parse(&b.action)
        .ok_or_else(|| HttpError::field("action", "invalid_choice"))?;
    Ok(Json(
        super::act(&state, &user, &number, action).await?.into(),
    ))
}

async fn favorite(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
) -> AppResult<StatusCode> {
    super::favorite(&state, &user, &number, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unfavorite(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(number): ApiPath<String>,
) -> AppResult<StatusCode> {
    super::favorite(&state, &user, &number, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
