//! Company pages: overview with sites and PINs, users with the admin's actions and invitations,
//! site forms and the contact list.

use super::{ContactBody, SiteBody};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiPath, Form};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_domain::{CompanyId, Role, SiteId, UserId};
use supportal_store::companies::SiteRow;
use supportal_store::contacts::ContactRow;
use supportal_store::invitations::InvitationRow;
use supportal_store::members::{Change, MemberRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/companies/{company_id}", get(overview))
        .route("/companies/{company_id}/users", get(users_page))
        .route("/companies/{company_id}/users/{user_id}", post(change_user))
        .route("/companies/{company_id}/invitations", post(invite))
        .route("/companies/{company_id}/sites", post(create_site))
        .route("/companies/{company_id}/sites/new", get(new_site))
        .route(
            "/companies/{company_id}/sites/{site_id}",
            get(edit_site).post(update_site),
        )
        .route(
            "/companies/{company_id}/contacts",
            get(contacts_page).post(add_contact),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "companies/overview.html")]
struct Overview {
    c: Chrome,
    v: super::CompanyView,
    admin: bool,
}

async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    let v = super::view(&state, &scope).await?;
    let c = ctx.chrome(&state, "company-title").await?;
    Ok(Overview {
        c,
        v,
        admin: scope.admin().is_some(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "companies/users.html")]
struct UsersPage {
    c: Chrome,
    company_id: i64,
    company_name: String,
    users: Vec<MemberRow>,
    invitations: Vec<InvitationRow>,
    admin: bool,
    me: i64,
    invite_email: String,
}

impl UsersPage {
    fn role_label(&self, role: &str) -> String {
        self.c.t(&format!("role-{role}"))
    }
}

async fn render_users(
    state: &AppState,
    ctx: &Ctx,
    user: &supportal_store::sessions::SessionUser,
    id: i64,
    failure: Option<AppError>,
    invite_email: String,
) -> AppResult<Response> {
    let scope = super::scope(state, user, CompanyId(id)).await?;
    let admin = scope.admin();
    let users = super::users(state, &scope).await?;
    let invitations = match &admin {
        Some(a) => super::pending_invitations(state, a.as_member()).await?,
        None => Vec::new(),
    };
    let company_name = super::view(state, &scope).await?.company.name;
    let mut c = ctx.chrome(state, "users-title").await?;
    if let Some(e) = failure {
        c = c.failed(e)?;
    }
    Ok(UsersPage {
        c,
        company_id: id,
        company_name,
        users,
        invitations,
        admin: admin.is_some(),
        me: user.user_id().get(),
        invite_email,
    }
    .into_response())
}

async fn users_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    render_users(&state, &ctx, &user, id, None, String::new()).await
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    action: String,
}

async fn change_user(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath((id, member)): ApiPath<(i64, i64)>,
    Form(f): Form<ChangeForm>,
) -> AppResult<Response> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let change = match f.action.as_str() {
        "grant_admin" => Change {
            role: Some(Role::Admin),
            active: None,
        },
        "revoke_admin" => Change {
            role: Some(Role::Member),
            active: None,
        },
        "activate" => Change {
            role: None,
            active: Some(true),
        },
        "deactivate" => Change {
            role: None,
            active: Some(false),
        },
        _ => return Err(HttpError::field("action", "invalid_choice")),
    };
    match super::change_member(&state, &scope, UserId(member), change).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/companies/{id}/users"),
            "flash-user-changed",
        )),
        Err(e) => render_users(&state, &ctx, &user, id, Some(e), String::new()).await,
    }
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    match super::invite(&state, &ctx.lang, &scope, &f.email, &f.role).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/companies/{id}/users"),
            "flash-invited",
        )),
        Err(e) => render_users(&state, &ctx, &user, id, Some(e), f.email).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "companies/site_form.html")]
struct SiteForm {
    c: Chrome,
    company_id: i64,
    site_id: Option<i64>,
    f: SiteBody,
}

async fn new_site(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    super::admin_scope(&state, &user, CompanyId(id)).await?;
    let c = ctx.chrome(&state, "site-new-title").await?;
    Ok(SiteForm {
        c,
        company_id: id,
        site_id: None,
        f: SiteBody::default(),
    }
    .into_response())
}

async fn create_site(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<SiteBody>,
) -> AppResult<Response> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    match super::create_site(&state, &scope, f.clone()).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/companies/{id}"),
            "flash-site-saved",
        )),
        Err(e) => {
            let c = ctx.chrome(&state, "site-new-title").await?.failed(e)?;
            Ok(SiteForm {
                c,
                company_id: id,
                site_id: None,
                f,
            }
            .into_response())
        }
    }
}

fn body_of(site: SiteRow) -> SiteBody {
    SiteBody {
        name: site.name,
        street: site.street,
        city: site.city,
        postal_code: site.postal_code,
        country: site.country,
        is_primary: site.is_primary,
    }
}

async fn edit_site(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath((id, site)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    let mut tx = state.db.read().await?;
    let row = super::find_site(&mut tx, scope.as_member(), SiteId(site)).await?;
    tx.rollback().await?;
    let c = ctx.chrome(&state, "site-edit-title").await?;
    Ok(SiteForm {
        c,
        company_id: id,
        site_id: Some(site),
        f: body_of(row),
    }
    .into_response())
}

async fn update_site(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath((id, site)): ApiPath<(i64, i64)>,
    Form(f): Form<SiteBody>,
) -> AppResult<Response> {
    let scope = super::admin_scope(&state, &user, CompanyId(id)).await?;
    match super::update_site(&state, &scope, SiteId(site), f.clone()).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/companies/{id}"),
            "flash-site-saved",
        )),
        Err(e) => {
            let c = ctx.chrome(&state, "site-edit-title").await?.failed(e)?;
            Ok(SiteForm {
                c,
                company_id: id,
                site_id: Some(site),
                f,
            }
            .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "companies/contacts.html")]
struct ContactsPage {
    c: Chrome,
    company_id: i64,
    contacts: Vec<ContactRow>,
    f: ContactBody,
}

async fn contacts_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    let contacts = super::contacts(&state, &scope).await?;
    let c = ctx.chrome(&state, "company-contacts-title").await?;
    Ok(ContactsPage {
        c,
        company_id: id,
        contacts,
        f: ContactBody::default(),
    }
    .into_response())
}

async fn add_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<ContactBody>,
) -> AppResult<Response> {
    let scope = super::scope(&state, &user, CompanyId(id)).await?;
    match super::add_contact(&state, &scope, &f).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/companies/{id}/contacts"),
            "flash-contact-saved",
        )),
        Err(e) => {
            let contacts = super::contacts(&state, &scope).await?;
            let c = ctx
                .chrome(&state, "company-contacts-title")
                .await?
                .failed(e)?;
            Ok(ContactsPage {
                c,
                company_id: id,
                contacts,
                f,
            }
            .into_response())
        }
    }
}
