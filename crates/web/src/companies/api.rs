//! `/api/v1/companies/{company_id}/…`: members read, admins change (CMP).

use super::types::{AuditEntry, CompanyDetails, Contact, Invitation, Member, Site};
use super::{ContactBody, SiteBody};
use crate::auth::ApiUser;
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiJson, ApiPath, UserLang};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_domain::{CompanyId, Role, SiteId, UserId};
use supportal_store::members::Change;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/companies/{company_id}", get(company))
        .route(
            "/companies/{company_id}/sites",
            get(sites).post(create_site),
        )
        .route(
            "/companies/{company_id}/sites/{site_id}",
            patch(update_site),
        )
        .route("/companies/{company_id}/users", get(users))
        .route(
            "/companies/{company_id}/users/{user_id}",
            patch(change_user),
        )
        .route(
            "/companies/{company_id}/invitations",
            get(invitations).post(invite),
        )
        .route(
            "/companies/{company_id}/contacts",
            get(contacts).post(add_contact),
        )
        .route("/companies/{company_id}/audit", get(audit))
}

/// A list answer: the items and where the next page starts (every list fits one page so far).
fn list<T: serde::Serialize>(items: Vec<T>) -> Json<Value> {
    Json(json!({ "items": items, "next_cursor": null }))
}

async fn company(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CompanyDetails>> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    Ok(Json(CompanyDetails::from(
        &super::view(&state, &scope).await?,
    )))
}

async fn sites(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    let view = super::view(&state, &scope).await?;
    Ok(list(view.sites.iter().map(Site::from).collect()))
}

async fn create_site(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SiteBody>,
) -> AppResult<(StatusCode, Json<Site>)> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let site = super::create_site(&state, &scope, body).await?;
    Ok((StatusCode::CREATED, Json(Site::from(&site))))
}

async fn update_site(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, site)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<SiteBody>,
) -> AppResult<Json<Site>> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let site = super::update_site(&state, &scope, SiteId(site), body).await?;
    Ok(Json(Site::from(&site)))
}

async fn users(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    let members = super::users(&state, &scope).await?;
    Ok(list(members.iter().map(Member::from).collect()))
}

#[derive(Deserialize)]
struct ChangeBody {
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    active: Option<bool>,
}

async fn change_user(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, member)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<ChangeBody>,
) -> AppResult<Json<Value>> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let role = match body.role.as_deref() {
        Some(r) => Some(Role::parse(r).ok_or_else(|| HttpError::field("role", "invalid_role"))?),
        None => None,
    };
    if role.is_none() && body.active.is_none() {
        return Err(HttpError::field("role", "nothing_to_change"));
    }
    let row = super::change_member(
        &state,
        &scope,
        UserId(member),
        Change {
            role,
            active: body.active,
        },
    )
    .await?;
    Ok(Json(json!(Member::from(&row))))
}

async fn invitations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let pending = super::pending_invitations(&state, scope.as_member()).await?;
    Ok(list(pending.iter().map(Invitation::from).collect()))
}

#[derive(Deserialize)]
struct InviteBody {
    #[serde(default)]
    email: String,
    #[serde(default = "member")]
    role: String,
}

fn member() -> String {
    "member".into()
}

async fn invite(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    UserLang(lang): UserLang,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<InviteBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let row = super::invite(&state, &lang, &scope, &body.email, &body.role).await?;
    Ok((StatusCode::CREATED, Json(json!(Invitation::from(&row)))))
}

async fn contacts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    let contacts = super::contacts(&state, &scope).await?;
    Ok(list(contacts.iter().map(Contact::from).collect()))
}

async fn add_contact(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContactBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!(Contact::from(
            &super::add_contact(&state, &scope, &body).await?
        ))),
    ))
}

async fn audit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let entries = super::audit_log(&state, &scope).await?;
    Ok(list(entries.iter().map(AuditEntry::from).collect()))
}
