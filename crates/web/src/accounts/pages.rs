//! Account pages: register, verify, sign in and out, password reset, and the session list.

use super::{Proof, Registration};
use crate::auth::{ClientIp, PageUser, SESSION_COOKIE, user_agent};
use crate::error::AppError;
use crate::error::AppResult;
use crate::forms::Form;
use crate::pages::{Chrome, Ctx, redirect_flash, safe_next};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_store::sessions::{SessionInfo, SessionKind};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(register_page).post(register))
        .route("/verify", get(verify_page).post(verify))
        .route("/verify/resend", post(resend))
        .route("/signin", get(signin_page).post(signin))
        .route("/signout", post(signout))
        .route("/password/forgot", get(forgot_page).post(forgot))
        .route("/password/reset", get(reset_page).post(reset))
        .route("/account", get(account))
        .route("/account/signout-everywhere", post(signout_everywhere))
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
    email: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    c: Chrome,
    email: String,
    full_name: String,
    next: String,
}

async fn register_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "register-title").await?;
    Ok(RegisterPage {
        c,
        email: q.email.unwrap_or_default(),
        full_name: String::new(),
        next: safe_next(q.next.as_deref()),
    }
    .into_response())
}

#[derive(Deserialize)]
struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<RegisterForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let input = Registration {
        email: f.email.clone(),
        password: f.password,
        name: f.name.clone(),
        language: crate::lang::asked(&headers).map(|l| l.code()),
    };
    match super::register(&state, input, &ip).await {
        Ok(registered) => {
            let to = format!(
                "/verify?email={}&next={}",
                urlencoding::encode(f.email.trim()),
                urlencoding::encode(&next)
            );
            let mut response = redirect_flash(&to, "flash-code-sent");
            // This browser chose the password: it may verify with the code alone.
            if let Some(token) = registered.browser_token {
                response.headers_mut().append(
                    header::SET_COOKIE,
                    crate::cookies::set(
                        REGISTRATION_COOKIE,
                        &token,
                        Some(REGISTRATION_COOKIE_SECONDS),
                        state.config.secure_cookies,
                    ),
                );
            }
            Ok(response)
        }
        Err(e) => {
            let c = ctx.chrome(&state, "register-title").await?.failed(e)?;
            Ok(RegisterPage {
                c,
                email: f.email,
                full_name: f.name,
                next,
            }
            .into_response())
        }
    }
}

/// The cookie of the browser that registered an account (`accounts::Proof::Browser`).
const REGISTRATION_COOKIE: &str = "supportal_registration";
const REGISTRATION_COOKIE_SECONDS: i64 = 24 * 3600;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/verify.html")]
struct VerifyPage {
    c: Chrome,
    email: String,
    next: String,
    /// Another browser than the registering one must give the password with the code.
    ask_password: bool,
}

async fn verify_page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "verify-title").await?;
    Ok(VerifyPage {
        c,
        email: q.email.unwrap_or_default(),
        next: safe_next(q.next.as_deref()),
        ask_password: crate::cookies::get(&headers, REGISTRATION_COOKIE).is_none(),
    }
    .into_response())
}

#[derive(Deserialize)]
struct VerifyForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// The code and the password together: the address is verified, the password typed here is the
/// account's, and the user is signed in with it and sent on (to onboarding, or the invitation).
async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<VerifyForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let browser = crate::cookies::get(&headers, REGISTRATION_COOKIE);
    let verified = match (f.password.is_empty(), browser) {
        (false, _) => {
            super::verify(&state, &f.email, &f.code, &ip, Proof::Password(f.password)).await
        }
        (true, Some(token)) => {
            super::verify(&state, &f.email, &f.code, &ip, Proof::Browser(token)).await
        }
        (true, None) => Err(AppError::field("password", "required")),
    };
    match verified {
        Ok((user, _)) => {
            let token = crate::auth::start_session(
                &state,
                user.id(),
                SessionKind::Cookie,
                &user_agent(&headers),
            )
            .await?;
            let target = if next == "/" {
                "/onboarding".to_owned()
            } else {
                next
            };
            let mut response =
                with_session(redirect_flash(&target, "flash-verified"), &token, &state);
            response.headers_mut().append(
                header::SET_COOKIE,
                crate::cookies::clear(REGISTRATION_COOKIE),
            );
            Ok(response)
        }
        Err(e) => {
            let c = ctx.chrome(&state, "verify-title").await?.failed(e)?;
            Ok(VerifyPage {
                c,
                email: f.email,
                next,
                // A browser whose proof was refused is asked for the password.
                ask_password: true,
            }
            .into_response())
        }
    }
}

#[derive(Deserialize)]
struct ResendForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    next: Option<String>,
}

async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<ResendForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    match super::resend(&state, &f.email, &ip).await {
        Ok(()) => {
            let to = format!(
                "/verify?email={}&next={}",
                urlencoding::encode(f.email.trim()),
                urlencoding::encode(&next)
            );
            Ok(redirect_flash(&to, "flash-code-resent"))
        }
        Err(e) => {
            let c = ctx.chrome(&state, "verify-title").await?.failed(e)?;
            Ok(VerifyPage {
                c,
                email: f.email,
                next,
                ask_password: crate::cookies::get(&headers, REGISTRATION_COOKIE).is_none(),
            }
            .into_response())
        }
    }
}

/// Signs the browser in; its anonymous CSRF token is replaced too, so no token seen before the
/// sign-in works after it.
fn with_session(mut response: Response, token: &str, state: &AppState) -> Response {
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::cookies::set(
            crate::forms::CSRF_COOKIE,
            &crate::auth::random_token(),
            None,
            state.config.secure_cookies,
        ),
    );
    let max_age = crate::auth::COOKIE_SESSION_DAYS * 24 * 3600;
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::cookies::set(
            SESSION_COOKIE,
            token,
            Some(max_age),
            state.config.secure_cookies,
        ),
    );
    response
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/signin.html")]
struct SigninPage {
    c: Chrome,
    email: String,
    next: String,
    unverified: bool,
}

async fn signin_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "signin-title").await?;
    Ok(SigninPage {
        c,
        email: q.email.unwrap_or_default(),
        next: safe_next(q.next.as_deref()),
        unverified: false,
    }
    .into_response())
}

#[derive(Deserialize)]
struct SigninForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn signin(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<SigninForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    match super::login(
        &state,
        &f.email,
        &f.password,
        &ip,
        SessionKind::Cookie,
        &user_agent(&headers),
    )
    .await
    {
        Ok((token, _)) => Ok(with_session(
            redirect_flash(&next, "flash-signed-in"),
            &token,
            &state,
        )),
        Err(e) => {
            let unverified = e.code == "email_not_verified";
            let c = ctx.chrome(&state, "signin-title").await?.failed(e)?;
            Ok(SigninPage {
                c,
                email: f.email,
                next,
                unverified,
            }
            .into_response())
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn signout(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    if let Some(user) = &ctx.user {
        super::logout(&state, user).await?;
    }
    let mut response = redirect_flash("/signin", "flash-signed-out");
    response
        .headers_mut()
        .append(header::SET_COOKIE, crate::cookies::clear(SESSION_COOKIE));
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    c: Chrome,
    email: String,
}

async fn forgot_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let c = ctx.chrome(&state, "forgot-title").await?;
    Ok(ForgotPage {
        c,
        email: String::new(),
    }
    .into_response())
}

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<EmailForm>,
) -> AppResult<Response> {
    match super::request_reset(&state, &f.email, &ip).await {
        Ok(()) => Ok(redirect_flash(
            &format!(
                "/password/reset?email={}",
                urlencoding::encode(f.email.trim())
            ),
            "flash-reset-sent",
        )),
        Err(e) => {
            let c = ctx.chrome(&state, "forgot-title").await?.failed(e)?;
            Ok(ForgotPage { c, email: f.email }.into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    c: Chrome,
    email: String,
}

async fn reset_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "reset-title").await?;
    Ok(ResetPage {
        c,
        email: q.email.unwrap_or_default(),
    }
    .into_response())
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    new_password: String,
}

async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<ResetForm>,
) -> AppResult<Response> {
    match super::confirm_reset(&state, &f.email, &f.code, f.new_password, &ip).await {
        Ok(()) => {
            let mut response = redirect_flash(
                &format!("/signin?email={}", urlencoding::encode(f.email.trim())),
                "flash-password-changed",
            );
            response
                .headers_mut()
                .append(header::SET_COOKIE, crate::cookies::clear(SESSION_COOKIE));
            Ok(response)
        }
        Err(e) => {
            let c = ctx.chrome(&state, "reset-title").await?.failed(e)?;
            Ok(ResetPage { c, email: f.email }.into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    c: Chrome,
    sessions: Vec<SessionInfo>,
    current: i64,
}

async fn account(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "account-title").await?;
    let sessions = crate::profile::sessions(&state, &user).await?;
    Ok(AccountPage {
        c,
        sessions,
        current: user.session_id().get(),
    }
    .into_response())
}

async fn signout_everywhere(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    super::logout_everywhere(&state, &user).await?;
    let mut response = redirect_flash("/signin", "flash-signed-out-everywhere");
    response
        .headers_mut()
        .append(header::SET_COOKIE, crate::cookies::clear(SESSION_COOKIE));
    Ok(response)
}
