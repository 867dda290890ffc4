//! Operator pages: companies (create, validate, appoint admins) and the access-request queue.

use super::{NewCompanyBody, ResolveBody};
use crate::auth::PageUser;
use crate::companies::SiteBody;
use crate::error::AppError;
use crate::error::AppResult;
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
use supportal_domain::{AccessRequestId, CompanyId, CompanyKind};
use supportal_store::companies::CompanyRow;
use supportal_store::members::MemberRow;
use supportal_store::requests::RequestRow;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/companies", get(companies_page).post(create_company))
        .route("/admin/companies/{company_id}", get(company_page))
        .route("/admin/companies/{company_id}/validate", post(validate))
        .route("/admin/companies/{company_id}/admins", post(appoint))
        .route("/admin/companies/{company_id}/domains", post(add_domain))
        .route("/admin/companies/{company_id}/pins", post(add_pin))
        .route("/admin/access-requests", get(requests_page))
        .route("/admin/access-requests/{id}/resolve", post(resolve))
}

#[derive(Deserialize, Default)]
struct CompanyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    domains: String,
    #[serde(default)]
    pins: String,
    #[serde(default)]
    first_admin_email: String,
    #[serde(default)]
    site_name: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    country: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/companies.html")]
struct CompaniesPage {
    c: Chrome,
    companies: Vec<CompanyRow>,
    f: CompanyForm,
    kinds: [CompanyKind; 3],
}

async fn companies_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let staff = super::staff(&user, false)?;
    let companies = super::list_companies(&state, &staff).await?;
    let c = ctx.chrome(&state, "admin-companies-title").await?;
    Ok(CompaniesPage {
        c,
        companies,
        f: CompanyForm {
            kind: "customer".into(),
            ..CompanyForm::default()
        },
        kinds: CompanyKind::ALL,
    }
    .into_response())
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn create_company(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<CompanyForm>,
) -> AppResult<Response> {
    let staff = super::staff(&user, true)?;
    let body = NewCompanyBody {
        name: f.name.clone(),
        kind: f.kind.clone(),
        domains: split_list(&f.domains),
        pins: split_list(&f.pins),
        first_admin_email: Some(f.first_admin_email.clone()),
        site: Some(SiteBody {
            name: f.site_name.clone(),
            street: f.street.clone(),
            city: f.city.clone(),
            postal_code: f.postal_code.clone(),
            country: f.country.clone(),
            is_primary: true,
        }),
    };
    match super::create_company(&state, &staff, body).await {
        Ok(created) => Ok(redirect_flash(
            &format!("/admin/companies/{}", created.company_id),
            "flash-company-created",
        )),
        Err(e) => {
            let companies = super::list_companies(&state, &staff).await?;
            let c = ctx
                .chrome(&state, "admin-companies-title")
                .await?
                .failed(e)?;
            Ok(CompaniesPage {
                c,
                companies,
                f,
                kinds: CompanyKind::ALL,
            }
            .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/company.html")]
struct CompanyPage {
    c: Chrome,
    v: crate::companies::CompanyView,
    members: Vec<MemberRow>,
    appoint_email: String,
}

async fn render_company(
    state: &AppState,
    ctx: &Ctx,
    user: &supportal_store::sessions::SessionUser,
    id: i64,
    failure: Option<AppError>,
    appoint_email: String,
) -> AppResult<Response> {
    super::staff(user, false)?;
    let scope = crate::companies::scope(state, user, CompanyId(id)).await?;
    let v = crate::companies::view(state, &scope).await?;
    let members = crate::companies::users(state, &scope).await?;
    let mut c = ctx.chrome(state, "admin-company-title").await?;
    if let Some(e) = failure {
        c = c.failed(e)?;
    }
    Ok(CompanyPage {
        c,
        v,
        members,
        appoint_email,
    }
    .into_response())
}

async fn company_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    render_company(&state, &ctx, &user, id, None, String::new()).await
}

#[derive(Deserialize)]
struct Empty {}

async fn validate(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    let staff = super::staff(&user, true)?;
    match super::validate_company(&state, &staff, CompanyId(id)).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/admin/companies/{id}"),
            "flash-company-validated",
        )),
        Err(e) => render_company(&state, &ctx, &user, id, Some(e), String::new()).await,
    }
}

#[derive(Deserialize)]
struct AppointForm {
    #[serde(default)]
    email: String,
}

async fn appoint(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<AppointForm>,
) -> AppResult<Response> {
    let staff = super::staff(&user, true)?;
    match super::appoint_admin(&state, &staff, CompanyId(id), &f.email).await {
        Ok("member") => Ok(redirect_flash(
            &format!("/admin/companies/{id}"),
            "flash-admin-appointed",
        )),
        Ok(_) => Ok(redirect_flash(
            &format!("/admin/companies/{id}"),
            "flash-admin-invited",
        )),
        Err(e) => render_company(&state, &ctx, &user, id, Some(e), f.email).await,
    }
}

#[derive(Deserialize)]
struct DomainForm {
    #[serde(default)]
    domain: String,
}

async fn add_domain(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<DomainForm>,
) -> AppResult<Response> {
    let staff = super::staff(&user, true)?;
    match super::add_domain(&state, &staff, CompanyId(id), &f.domain).await {
        Ok(()) => Ok(redirect_flash(
            &format!("/admin/companies/{id}"),
            "flash-company-updated",
        )),
        Err(e) => render_company(&state, &ctx, &user, id, Some(e), String::new()).await,
    }
}

#[derive(Deserialize)]
struct PinForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    description: String,
}

async fn add_pin(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<PinForm>,
) -> AppResult<Response> {
    let staff = super::staff(&user, true)?;
    match super::add_pin(&state, &staff, CompanyId(id), &f.code, &f.description).await {
        Ok(()) => Ok(redirect_flash(
            &format!("/admin/companies/{id}"),
            "flash-company-updated",
        )),
        Err(e) => render_company(&state, &ctx, &user, id, Some(e), String::new()).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/requests.html")]
struct RequestsPage {
    c: Chrome,
    requests: Vec<RequestRow>,
    companies: Vec<CompanyRow>,
}

async fn render_requests(
    state: &AppState,
    ctx: &Ctx,
    user: &supportal_store::sessions::SessionUser,
    failure: Option<AppError>,
) -> AppResult<Response> {
    let staff = super::staff(user, false)?;
    let requests = super::request_queue(state, &staff).await?;
    let companies = super::list_companies(state, &staff)
        .await?
        .into_iter()
        .filter(|c| c.status == "validated")
        .collect();
    let mut c = ctx.chrome(state, "admin-requests-title").await?;
    if let Some(e) = failure {
        c = c.failed(e)?;
    }
    Ok(RequestsPage {
        c,
        requests,
        companies,
    }
    .into_response())
}

async fn requests_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    render_requests(&state, &ctx, &user, None).await
}

#[derive(Deserialize)]
struct ResolveForm {
    #[serde(default)]
    decision: String,
    #[serde(default, deserialize_with = "crate::forms::optional_id")]
    company_id: Option<i64>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

async fn resolve(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<ResolveForm>,
) -> AppResult<Response> {
    let staff = super::staff(&user, false)?;
    let body = ResolveBody {
        decision: f.decision,
        company_id: f.company_id,
        role: f.role,
        reason: f.reason,
    };
    match super::resolve_request(&state, &staff, AccessRequestId(id), body).await {
        Ok(_) => Ok(redirect_flash(
            "/admin/access-requests",
            "flash-request-resolved",
        )),
        Err(e) => render_requests(&state, &ctx, &user, Some(e)).await,
    }
}
