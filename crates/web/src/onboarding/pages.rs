//! Onboarding pages: the access choice, picking a company, the first registrant's company
//! profile, account-access requests and invitations.

use super::{AccessOutcome, AccessRequestInput, CompanyProfileInput};
use crate::error::AppError;
use crate::error::AppResult;
use crate::forms::Form;
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_domain::{AccessChoice, CompanyId};
use supportal_store::companies::Candidate;
use supportal_store::invitations::InvitationRow;
use supportal_store::requests::RequestRow;

use crate::forms::ApiPath;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/onboarding", get(access_page).post(access))
        .route("/onboarding/company", get(choose_page).post(choose))
        .route(
            "/onboarding/company-profile",
            get(profile_page).post(profile),
        )
        .route("/access-requests", get(requests_page).post(request))
        .route("/invitations/{code}", get(invitation_page))
        .route("/invitations/{code}/accept", post(accept))
        .route("/me/invitations/{id}", get(addressed_page))
        .route("/me/invitations/{id}/accept", post(accept_addressed))
}

#[derive(Template, WebTemplate)]
#[template(path = "onboarding/access.html")]
struct AccessPage {
    c: Chrome,
}

async fn access_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.user()?;
    let c = ctx.chrome(&state, "access-title").await?;
    if c.me.as_ref().is_some_and(|m| m.next_step.is_none()) {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(AccessPage { c }.into_response())
}

#[derive(Deserialize)]
struct AccessForm {
    #[serde(default)]
    choice: String,
}

fn outcome_redirect(outcome: AccessOutcome) -> Response {
    match outcome {
        AccessOutcome::Joined { .. } => redirect_flash("/", "flash-joined"),
        AccessOutcome::ChooseCompany { .. } => Redirect::to("/onboarding/company").into_response(),
        AccessOutcome::CompanyProfileNeeded => {
            Redirect::to("/onboarding/company-profile").into_response()
        }
        AccessOutcome::FreeMail => redirect_flash("/", "flash-free-mail"),
        AccessOutcome::Basic => redirect_flash("/", "flash-basic"),
    }
}

async fn access(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AccessForm>,
) -> AppResult<Response> {
    let user = ctx.user()?;
    let result = match AccessChoice::parse(&f.choice) {
        Some(choice) => super::choose_access(&state, user, choice).await,
        None => Err(AppError::field("choice", "invalid_choice")),
    };
    match result {
        Ok(outcome) => Ok(outcome_redirect(outcome)),
        Err(e) => {
            let c = ctx.chrome(&state, "access-title").await?.failed(e)?;
            Ok(AccessPage { c }.into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "onboarding/choose.html")]
struct ChoosePage {
    c: Chrome,
    candidates: Vec<Candidate>,
}

async fn choose_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let candidates = super::candidates(&state, ctx.user()?).await?;
    let c = ctx.chrome(&state, "choose-title").await?;
    Ok(ChoosePage { c, candidates }.into_response())
}

#[derive(Deserialize)]
struct ChooseForm {
    #[serde(default, deserialize_with = "crate::forms::optional_id")]
    company_id: Option<i64>,
}

async fn choose(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ChooseForm>,
) -> AppResult<Response> {
    let user = ctx.user()?;
    let result = match f.company_id {
        Some(id) => super::join(&state, user, CompanyId(id)).await,
        None => Err(AppError::field("company_id", "required")),
    };
    match result {
        Ok(outcome) => Ok(outcome_redirect(outcome)),
        Err(e) => {
            let candidates = super::candidates(&state, user).await?;
            let c = ctx.chrome(&state, "choose-title").await?.failed(e)?;
            Ok(ChoosePage { c, candidates }.into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "onboarding/company_profile.html")]
struct ProfilePage {
    c: Chrome,
    f: ProfileForm,
}

#[derive(Deserialize, Default)]
struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    serial_number: String,
}

async fn profile_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.user()?;
    let c = ctx.chrome(&state, "company-profile-title").await?;
    Ok(ProfilePage {
        c,
        f: ProfileForm::default(),
    }
    .into_response())
}

async fn profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ProfileForm>,
) -> AppResult<Response> {
    let user = ctx.user()?;
    let input = CompanyProfileInput {
        name: f.name.clone(),
        street: f.street.clone(),
        postal_code: f.postal_code.clone(),
        city: f.city.clone(),
        country: f.country.clone(),
        serial_number: Some(f.serial_number.clone()),
    };
    match super::submit_company_profile(&state, user, input).await {
        Ok(_) => Ok(redirect_flash("/", "flash-company-submitted")),
        Err(e) => {
            let c = ctx
                .chrome(&state, "company-profile-title")
                .await?
                .failed(e)?;
            Ok(ProfilePage { c, f }.into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "onboarding/requests.html")]
struct RequestsPage {
    c: Chrome,
    f: RequestForm,
    mine: Vec<RequestRow>,
    number: Option<String>,
}

#[derive(Deserialize, Default)]
struct RequestForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    contact_method: String,
    #[serde(default)]
    page_url: String,
    #[serde(default)]
    intent: String,
    #[serde(default)]
    serial_number: String,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    site_address: String,
}

async fn requests_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let mine = super::my_requests(&state, ctx.user()?).await?;
    let c = ctx.chrome(&state, "requests-title").await?;
    let f = RequestForm {
        contact_method: "email".into(),
        page_url: "/".into(),
        ..RequestForm::default()
    };
    Ok(RequestsPage {
        c,
        f,
        mine,
        number: None,
    }
    .into_response())
}

async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<RequestForm>,
) -> AppResult<Response> {
    let user = ctx.user()?;
    let input = AccessRequestInput {
        phone: f.phone.clone(),
        contact_method: f.contact_method.clone(),
        page_url: f.page_url.clone(),
        intent: f.intent.clone(),
        serial_number: Some(f.serial_number.clone()),
        company_name: f.company_name.clone(),
        site_address: f.site_address.clone(),
    };
    let result = super::request_access(&state, user, input).await;
    let mine = super::my_requests(&state, user).await?;
    match result {
        Ok(number) => {
            let c = ctx.chrome(&state, "requests-title").await?;
            Ok(RequestsPage {
                c,
                f: RequestForm::default(),
                mine,
                number: Some(number),
            }
            .into_response())
        }
        Err(e) => {
            let c = ctx.chrome(&state, "requests-title").await?.failed(e)?;
            Ok(RequestsPage {
                c,
                f,
                mine,
                number: None,
            }
            .into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "onboarding/invitation.html")]
struct InvitationPage {
    c: Chrome,
    /// The invitation's page: its link's (`/invitations/{code}`) or, from a notification, the
    /// signed-in invitee's (`/me/invitations/{id}`).
    path: String,
    invite: InvitationRow,
    role: String,
    usable: bool,
}

impl InvitationPage {
    async fn render(
        state: &AppState,
        ctx: &Ctx,
        path: String,
        invite: InvitationRow,
        failed: Option<supportal_app::AppError>,
    ) -> AppResult<Response> {
        let mut c = ctx.chrome(state, "invitation-title").await?;
        let usable =
            failed.is_none() && invite.accepted_at.is_none() && invite.expires_at > state.now();
        if let Some(e) = failed {
            c = c.failed(e)?;
        }
        let role = c.t(&format!("role-{}", invite.role));
        Ok(InvitationPage {
            c,
            path,
            invite,
            role,
            usable,
        }
        .into_response())
    }
}

async fn invitation_page(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Response> {
    let invite = super::invitation(&state, &code).await?;
    InvitationPage::render(&state, &ctx, format!("/invitations/{code}"), invite, None).await
}

/// The invitation a notification leads to, for the signed-in person it is addressed to.
async fn addressed_page(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let invite = super::addressed_invitation(&state, ctx.user()?, id).await?;
    InvitationPage::render(&state, &ctx, format!("/me/invitations/{id}"), invite, None).await
}

#[derive(Deserialize)]
struct Empty {}

async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(code): ApiPath<String>,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    let user = ctx.user()?;
    match super::accept_invitation(&state, user, &code).await {
        Ok(_) => Ok(redirect_flash("/", "flash-invitation-accepted")),
        Err(e) => {
            let invite = super::invitation(&state, &code).await?;
            InvitationPage::render(
                &state,
                &ctx,
                format!("/invitations/{code}"),
                invite,
                Some(e),
            )
            .await
        }
    }
}

async fn accept_addressed(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    let user = ctx.user()?;
    match super::accept_addressed(&state, user, id).await {
        Ok(_) => Ok(redirect_flash("/", "flash-invitation-accepted")),
        Err(e) => {
            let invite = super::addressed_invitation(&state, user, id).await?;
            InvitationPage::render(
                &state,
                &ctx,
                format!("/me/invitations/{id}"),
                invite,
                Some(e),
            )
            .await
        }
    }
}
