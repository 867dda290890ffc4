//! The operator's channel pages: partner programmes and feed tokens (`/admin/partners`), claims
//! to decide (`/admin/claims`), and a staff upload of device sales for missing devices; and the
//! end user's *View* of a device alert (`/alerts/view/{token}` without an account,
//! `/alerts/{id}` from a signed-in notification).

use crate::auth::{MaybePageUser, PageUser};
use crate::error::{AppError, AppResult};
use crate::forms::{Form, MultipartForm};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_app::partners::alerts as app_alerts;
use supportal_app::partners::claims::{self, DecisionBody};
use supportal_app::partners::feed::{self, FeedReport};
use supportal_app::partners::repair::RepairBody;
use supportal_app::partners::{self, FeedTokenBody, ProgrammeBody};
use supportal_domain::{AlertId, ClaimId, CompanyId, FeedTokenId};
use supportal_store::partners::alerts::AlertView;
use supportal_store::partners::claims::ClaimRow;
use supportal_store::partners::{FeedScope, FeedTokenRow, ProgrammeRow};
use supportal_store::sessions::SessionUser;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/partners", get(partners_page))
        .route(
            "/admin/partners/{company_id}/programme",
            post(set_programme),
        )
        .route("/admin/feed-tokens", post(create_token))
        .route("/admin/feed-tokens/{id}/revoke", post(revoke_token))
        .route(
            "/admin/device-sales",
            post(upload_sales).layer(axum::extract::DefaultBodyLimit::max(
                supportal_app::loading::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/admin/claims", get(claims_page))
        .route("/admin/claims/{id}/decision", post(decide))
        .route("/alerts/view/{token}", get(linked).post(linked_submit))
        .route("/alerts/{id}", get(notified).post(notified_submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "partners/admin.html")]
struct PartnersPage {
    c: Chrome,
    programmes: Vec<ProgrammeRow>,
    tokens: Vec<FeedTokenRow>,
    new_token: Option<String>,
    report: Option<FeedReport>,
}

impl PartnersPage {
    fn is_kind(&self, p: &ProgrammeRow, kind: &str) -> bool {
        p.kind.as_deref() == Some(kind)
    }
}

async fn render_partners(
    state: &AppState,
    c: Chrome,
    user: &SessionUser,
    new_token: Option<String>,
    report: Option<FeedReport>,
) -> AppResult<Response> {
    Ok(PartnersPage {
        c,
        programmes: partners::programmes(state, user).await?,
        tokens: partners::feed_tokens(state, user).await?,
        new_token,
        report,
    }
    .into_response())
}

async fn partners_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    crate::admin::staff(&user, true)?;
    let c = ctx.chrome(&state, "admin-partners-title").await?;
    render_partners(&state, c, &user, None, None).await
}

async fn set_programme(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Path(company): Path<i64>,
    Form(body): Form<ProgrammeBody>,
) -> AppResult<Response> {
    match partners::set_programme(&state, &user, CompanyId(company), body).await {
        Ok(_) => Ok(redirect_flash("/admin/partners", "flash-saved")),
        Err(e) => {
            let c = ctx
                .chrome(&state, "admin-partners-title")
                .await?
                .failed(e)?;
            render_partners(&state, c, &user, None, None).await
        }
    }
}

async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(body): Form<FeedTokenBody>,
) -> AppResult<Response> {
    let mut c = ctx.chrome(&state, "admin-partners-title").await?;
    let token = match partners::create_feed_token(&state, &user, body).await {
        Ok(made) => Some(made.token),
        Err(e) => {
            c = c.failed(e)?;
            None
        }
    };
    render_partners(&state, c, &user, token, None).await
}

async fn revoke_token(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Form(_): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    partners::revoke_feed_token(&state, &user, FeedTokenId(id)).await?;
    Ok(redirect_flash("/admin/partners", "flash-saved"))
}

/// Staff add reported devices from a file (e.g. to resolve a request for missing devices).
async fn upload_sales(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    headers: axum::http::HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let staff = crate::admin::staff(&user, true)?;
    let form = MultipartForm::read_page(&headers, multipart, &["file"]).await?;
    let file = crate::admin::loading::upload_file(form);
    let mut c = ctx.chrome(&state, "admin-partners-title").await?;
    let report = match feed::report_file(&state, &c.lang, &FeedScope::operator(&staff), file).await
    {
        Ok(report) => Some(report),
        Err(e) => {
            c = c.failed(e)?;
            None
        }
    };
    render_partners(&state, c, &user, None, report).await
}

#[derive(Template, WebTemplate)]
#[template(path = "partners/admin_claims.html")]
struct ClaimsPage {
    c: Chrome,
    claims: Vec<ClaimRow>,
    status: String,
}

impl ClaimsPage {
    fn selected(&self, s: &str) -> bool {
        self.status == s || (self.status.is_empty() && s == "all")
    }

    fn parts_of(&self, claim: &ClaimRow) -> Vec<supportal_domain::partner::ClaimPart> {
        serde_json::from_str(&claim.parts).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
struct StatusQuery {
    status: Option<String>,
}

async fn render_claims(
    state: &AppState,
    c: Chrome,
    user: &SessionUser,
    status: Option<String>,
) -> AppResult<Response> {
    Ok(ClaimsPage {
        c,
        claims: claims::all(state, user, status.as_deref()).await?,
        status: status.unwrap_or_default(),
    }
    .into_response())
}

async fn claims_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(q): Query<StatusQuery>,
) -> AppResult<Response> {
    crate::admin::staff(&user, false)?;
    let c = ctx.chrome(&state, "admin-claims-title").await?;
    let status = q
        .status
        .filter(|s| !s.is_empty())
        .or(Some("submitted".into()));
    let status = status.filter(|s| s != "all");
    render_claims(&state, c, &user, status).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Form(body): Form<DecisionBody>,
) -> AppResult<Response> {
    match claims::decide(&state, &user, ClaimId(id), body).await {
        Ok(_) => Ok(redirect_flash("/admin/claims", "flash-saved")),
        Err(e) => {
            let c = ctx.chrome(&state, "admin-claims-title").await?.failed(e)?;
            render_claims(&state, c, &user, Some("submitted".into())).await
        }
    }
}

// --- The end user's View --------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "partners/alert.html")]
struct AlertPage {
    c: Chrome,
    a: AlertView,
    action: String,
    f: RepairForm,
    opened: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
struct RepairForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    note: String,
}

impl RepairForm {
    fn body(&self) -> RepairBody {
        RepairBody {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: Some(self.phone.clone()),
            note: Some(self.note.clone()),
        }
    }
}

fn alert_page(
    c: Chrome,
    a: AlertView,
    action: String,
    f: RepairForm,
    opened: Option<String>,
) -> Response {
    AlertPage {
        c,
        a,
        action,
        f,
        opened,
    }
    .into_response()
}

async fn linked(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let a = app_alerts::by_link(&state, &token).await?;
    let c = ctx.chrome(&state, "alert-title").await?;
    let f = RepairForm {
        email: a.end_user_email.clone().unwrap_or_default(),
        ..RepairForm::default()
    };
    let opened = a.case_number.clone();
    Ok(alert_page(c, a, format!("/alerts/view/{token}"), f, opened))
}

async fn linked_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<RepairForm>,
) -> AppResult<Response> {
    let lang = ctx.lang.clone();
    let outcome = app_alerts::submit_by_link(&state, &lang, &token, f.body()).await;
    let a = app_alerts::by_link(&state, &token).await?;
    submitted(&state, ctx, a, format!("/alerts/view/{token}"), f, outcome).await
}

async fn notified(
    State(state): State<AppState>,
    ctx: Ctx,
    MaybePageUser(user): MaybePageUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let user = user.ok_or_else(AppError::unauthorized)?;
    let a = app_alerts::notified(&state, &user, AlertId(id)).await?;
    let c = ctx.chrome(&state, "alert-title").await?;
    let f = RepairForm {
        name: user.name.clone(),
        email: user.email.clone(),
        ..RepairForm::default()
    };
    let opened = a.case_number.clone();
    Ok(alert_page(c, a, format!("/alerts/{id}"), f, opened))
}

async fn notified_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RepairForm>,
) -> AppResult<Response> {
    let lang = ctx.lang.clone();
    let outcome = app_alerts::submit_notified(&state, &lang, &user, AlertId(id), f.body()).await;
    let a = app_alerts::notified(&state, &user, AlertId(id)).await?;
    submitted(&state, ctx, a, format!("/alerts/{id}"), f, outcome).await
}

async fn submitted(
    state: &AppState,
    ctx: Ctx,
    a: AlertView,
    action: String,
    f: RepairForm,
    outcome: Result<String, AppError>,
) -> AppResult<Response> {
    let mut c = ctx.chrome(state, "alert-title").await?;
    let opened = match outcome {
        Ok(number) => Some(number),
        Err(e) => {
            c = c.failed(e)?;
            None
        }
    };
    Ok(alert_page(c, a, action, f, opened))
}
