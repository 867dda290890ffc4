//! Accounts (ACC-1, ACC-6): registration with an emailed code, verification, resend, sign-in
//! with throttles, sign-out, password reset. The API (`api.rs`) and the pages (`pages.rs`) both
//! call these functions, so both faces keep the same rules.

pub mod api;
pub mod pages;

use crate::auth::{self, random_code, sha256_hex};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::{self, Message};
use crate::state::AppState;
use chrono::Duration;
use supportal_domain::account::password_problem;
use supportal_domain::code::{self as code_rules, CodeCheck};
use supportal_domain::validation::NAME_MAX;
use supportal_domain::{EmailAddress, FieldErrors, UserId};
use supportal_store::accounts::{self, UserRow};
use supportal_store::codes::{self, Purpose};
use supportal_store::sessions::{self, SessionKind};
use supportal_store::{StoreError, Tx, throttle};

/// Failed sign-ins allowed per account, and per address, in the window below.
pub const LOGIN_LIMIT_ACCOUNT: i64 = 5;
pub const LOGIN_LIMIT_ADDRESS: i64 = 20;
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
/// Wrong email codes allowed per address in the same window: a code burns after five wrong
/// tries, and this stops one address from guessing across many fresh codes.
pub const CODE_LIMIT_ADDRESS: i64 = 30;

pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
}

fn parse_email(errors: &mut FieldErrors, input: &str) -> Option<EmailAddress> {
    if input.trim().is_empty() {
        errors.add("email", "required");
        return None;
    }
    let parsed = EmailAddress::parse(input);
    if parsed.is_err() {
        errors.add("email", "invalid_email");
    }
    parsed.ok()
}

/// Creates an unverified account and emails a code. Registering again with an address that is
/// not yet verified replaces the name and password and sends a new code (throttled).
pub async fn register(state: &AppState, lang: &Lang, input: Registration) -> AppResult<UserId> {
    let mut errors = FieldErrors::new();
    let email = parse_email(&mut errors, &input.email);
    let name = errors.required_text("name", &input.name, NAME_MAX);
    if let Some(problem) = password_problem(&input.password) {
        errors.add("password", problem);
    }
    let email = errors
        .into_result(email)?
        .ok_or_else(|| AppError::field("email", "invalid_email"))?;
    let hash = auth::hash_password(input.password).await?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let user = match accounts::find_by_email(&mut tx, &email).await? {
        Some(existing) if existing.verified_at.is_some() => {
            return Err(AppError::conflict("email_taken"));
        }
        Some(existing) => {
            ensure_resend_allowed(&mut tx, existing.id(), Purpose::Verify, state).await?;
            accounts::set_password(&mut tx, existing.id(), &hash).await?;
            supportal_store::sql("UPDATE users SET name = $2 WHERE id = $1")
                .bind(existing.id)
                .bind(&name)
                .execute(&mut tx)
                .await?;
            existing.id()
        }
        None => match accounts::create(&mut tx, &email, &name, &hash, now).await {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(AppError::conflict("email_taken")),
            Err(e) => return Err(e.into()),
        },
    };
    send_code(state, &mut tx, lang, user, &email, &name, Purpose::Verify).await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(user)
}

async fn ensure_resend_allowed(
    tx: &mut Tx,
    user: UserId,
    purpose: Purpose,
    state: &AppState,
) -> AppResult<()> {
    if let Some(code) = codes::get(tx, user, purpose).await?
        && let Some(wait) = code_rules::resend_wait(code.sent_at, state.now())
    {
        return Err(AppError::throttled("resend_too_soon", wait));
    }
    Ok(())
}

async fn send_code(
    state: &AppState,
    tx: &mut Tx,
    lang: &Lang,
    user: UserId,
    email: &EmailAddress,
    name: &str,
    purpose: Purpose,
) -> AppResult<()> {
    let code = random_code();
    codes::replace(tx, user, purpose, &sha256_hex(&code), state.now()).await?;
    let (subject, body) = match purpose {
        Purpose::Verify => ("mail-verify-subject", "mail-verify-body"),
        Purpose::Reset => ("mail-reset-subject", "mail-reset-body"),
    };
    let message = Message {
        to: email.to_string(),
        subject: lang.t(subject),
        greeting: lang.t1("mail-greeting", "name", name),
        paragraphs: vec![
            lang.t(body),
            lang.t1(
                "mail-code-expiry",
                "minutes",
                code_rules::CODE_LIFETIME_MINUTES,
            ),
        ],
        highlight: Some(code),
        link: None,
    };
    mail::queue(state, tx, lang, message).await
}

/// Sends a new verification code (at most one a minute). Unknown or already verified
/// addresses get the same quiet answer, so the endpoint tells nobody who has an account.
pub async fn resend(state: &AppState, lang: &Lang, email: &str) -> AppResult<()> {
    send_fresh_code(state, lang, email, Purpose::Verify).await
}

/// Emails a new code for `purpose` — verification to unverified accounts, reset to verified
/// ones — at most once a minute; any other address gets the same quiet answer.
async fn send_fresh_code(
    state: &AppState,
    lang: &Lang,
    email: &str,
    purpose: Purpose,
) -> AppResult<()> {
    let email =
        EmailAddress::parse(email).map_err(|_| AppError::field("email", "invalid_email"))?;
    let wants_verified = purpose == Purpose::Reset;
    let mut tx = state.db.begin().await?;
    let Some(user) = accounts::find_by_email(&mut tx, &email)
        .await?
        .filter(|u| u.verified_at.is_some() == wants_verified)
    else {
        return Ok(());
    };
    ensure_resend_allowed(&mut tx, user.id(), purpose, state).await?;
    send_code(state, &mut tx, lang, user.id(), &email, &user.name, purpose).await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Checks a code for `purpose`; a wrong try is recorded (and committed) before answering.
async fn consume_code(
    state: &AppState,
    email: &str,
    code: &str,
    purpose: Purpose,
    ip: &str,
) -> AppResult<(Tx, UserRow)> {
    let email =
        EmailAddress::parse(email).map_err(|_| AppError::field("email", "invalid_email"))?;
    let code = code_rules::normalise(code)
        .ok_or_else(|| AppError::field("code", "invalid_code_format"))?;
    let bucket = format!("code:address:{ip}");
    let window = Duration::minutes(LOGIN_WINDOW_MINUTES);
    let mut tx = state.db.begin().await?;
    if let Some(wait) =
        throttle::retry_after(&mut tx, &bucket, CODE_LIMIT_ADDRESS, window, state.now()).await?
    {
        return Err(AppError::throttled("too_many_code_attempts", wait));
    }
    let user = accounts::find_by_email(&mut tx, &email)
        .await?
        .ok_or_else(|| AppError::unprocessable("invalid_code"))?;
    let stored = codes::get(&mut tx, user.id(), purpose)
        .await?
        .ok_or_else(|| AppError::unprocessable("invalid_code"))?;
    match code_rules::check(&stored, &sha256_hex(&code), state.now()) {
        CodeCheck::Accepted => {
            codes::mark_used(&mut tx, user.id(), purpose).await?;
            Ok((tx, user))
        }
        CodeCheck::Wrong => {
            codes::record_wrong_try(&mut tx, user.id(), purpose).await?;
            throttle::hit(&mut tx, &bucket, state.now()).await?;
            tx.commit().await?;
            Err(AppError::unprocessable("invalid_code"))
        }
        other => Err(AppError::unprocessable(other.error_code())),
    }
}

/// Verifies the email with its code (ACC-1).
pub async fn verify(state: &AppState, email: &str, code: &str, ip: &str) -> AppResult<UserRow> {
    {
        let parsed =
            EmailAddress::parse(email).map_err(|_| AppError::field("email", "invalid_email"))?;
        let mut tx = state.db.read().await?;
        let user = accounts::find_by_email(&mut tx, &parsed).await?;
        tx.rollback().await?;
        if user.is_some_and(|u| u.verified_at.is_some()) {
            return Err(AppError::conflict("already_verified"));
        }
    }
    let (mut tx, user) = consume_code(state, email, code, Purpose::Verify, ip).await?;
    accounts::mark_verified(&mut tx, user.id(), state.now()).await?;
    tx.commit().await?;
    Ok(user)
}

/// Signs in with email and password, throttled per account and per address.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    ip: &str,
    kind: SessionKind,
    user_agent: &str,
) -> AppResult<(String, UserRow)> {
    let email =
        EmailAddress::parse(email).map_err(|_| AppError::unprocessable("invalid_credentials"))?;
    let now = state.now();
    let window = Duration::minutes(LOGIN_WINDOW_MINUTES);
    let account_bucket = format!("login:account:{email}");
    let address_bucket = format!("login:address:{ip}");
    let mut tx = state.db.read().await?;
    for (bucket, limit) in [
        (&account_bucket, LOGIN_LIMIT_ACCOUNT),
        (&address_bucket, LOGIN_LIMIT_ADDRESS),
    ] {
        if let Some(wait) = throttle::retry_after(&mut tx, bucket, limit, window, now).await? {
            return Err(AppError::throttled("too_many_sign_in_attempts", wait));
        }
    }
    let user = accounts::find_by_email(&mut tx, &email).await?;
    let memberships = match &user {
        Some(u) => accounts::memberships(&mut tx, u.id()).await?,
        None => Vec::new(),
    };
    tx.rollback().await?;
    let ok = auth::verify_password(
        password.to_owned(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let Some(user) = user.filter(|_| ok) else {
        let mut tx = state.db.begin().await?;
        throttle::hit(&mut tx, &account_bucket, now).await?;
        throttle::hit(&mut tx, &address_bucket, now).await?;
        tx.commit().await?;
        return Err(AppError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        ));
    };
    if user.verified_at.is_none() {
        return Err(AppError::forbidden("email_not_verified"));
    }
    if accounts::is_deactivated(&user, &memberships) {
        return Err(AppError::forbidden("account_deactivated"));
    }
    let mut tx = state.db.begin().await?;
    throttle::clear(&mut tx, &account_bucket).await?;
    tx.commit().await?;
    let token = auth::start_session(state, user.id(), kind, user_agent).await?;
    Ok((token, user))
}

pub async fn logout(state: &AppState, user: &sessions::SessionUser) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    sessions::delete(&mut tx, user.session_id()).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the caller, this one included.
pub async fn logout_everywhere(state: &AppState, user: &sessions::SessionUser) -> AppResult<u64> {
    let mut tx = state.db.begin().await?;
    let n = sessions::delete_all(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(n)
}

/// Emails a reset code to a verified account; any other address gets the same quiet answer.
pub async fn request_reset(state: &AppState, lang: &Lang, email: &str) -> AppResult<()> {
    send_fresh_code(state, lang, email, Purpose::Reset).await
}

/// Sets a new password with the emailed code; every session of the account ends.
pub async fn confirm_reset(
    state: &AppState,
    email: &str,
    code: &str,
    new_password: String,
    ip: &str,
) -> AppResult<()> {
    if let Some(problem) = password_problem(&new_password) {
        return Err(AppError::field("new_password", problem));
    }
    let hash = auth::hash_password(new_password).await?;
    let (mut tx, user) = consume_code(state, email, code, Purpose::Reset, ip).await?;
    accounts::set_password(&mut tx, user.id(), &hash).await?;
    sessions::delete_all(&mut tx, user.id()).await?;
    tx.commit().await?;
    Ok(())
}
