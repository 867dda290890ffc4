//! Accounts (ACC-1, ACC-6): registration with an emailed code, verification, resend, sign-in
//! with throttles, sign-out, password reset. The API (`api.rs`) and the pages (`pages.rs`) both
//! call these functions, so both faces keep the same rules.

use crate::auth::{self, random_code, sha256_hex};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Message, plain, t, tn};
use chrono::Duration;
use supportal_domain::account::password_problem;
use supportal_domain::code::{self as code_rules, CodeCheck};
use supportal_domain::validation::NAME_MAX;
use supportal_domain::{EmailAddress, FieldErrors, UserId};
use supportal_store::accounts::{self, UserRow};
use supportal_store::codes::{self, Purpose};
use supportal_store::sessions::{self, SessionKind};
use supportal_store::{StoreError, Tx, throttle};

/// Sign-in attempts counted per account and calling address, per account from anywhere (a
/// higher ceiling, so strangers' wrong passwords do not lock the owner out) and per address, in
/// the window below. An attempt is counted before its password is checked, so a burst cannot
/// slip past the limit; a successful one is given back.
pub const LOGIN_LIMIT_ACCOUNT_ADDRESS: i64 = 5;
pub const LOGIN_LIMIT_ACCOUNT: i64 = 50;
pub const LOGIN_LIMIT_ADDRESS: i64 = 20;
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
/// Wrong email codes allowed per address in the same window: a code burns after five wrong
/// tries, and this stops one address from guessing across many fresh codes.
pub const CODE_LIMIT_ADDRESS: i64 = 30;
/// Requests that send mail (registration, resend, reset) per calling address in the window.
pub const MAIL_LIMIT_ADDRESS: i64 = 100;
/// A notice that somebody tried to register an address that has an account: once an hour.
const REGISTERED_AGAIN_NOTICE_MINUTES: i64 = 60;

fn window() -> Duration {
    Duration::minutes(LOGIN_WINDOW_MINUTES)
}

/// Counts one mail-sending request of `ip` (429 beyond the limit).
async fn count_mail_request(ctx: &Context, ip: &str) -> AppResult<()> {
    let bucket = format!("mail:address:{ip}");
    let mut tx = ctx.db.begin().await?;
    let taken = throttle::take(
        &mut tx,
        &[(&bucket, MAIL_LIMIT_ADDRESS)],
        window(),
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    taken
        .map(drop)
        .map_err(|wait| AppError::throttled("too_many_requests", wait))
}

/// Whether a code for `purpose` may go to `email` now: one a minute per address, counted
/// whether or not the address has an account, so the answer tells nobody which do.
async fn code_mail_due(
    tx: &mut Tx,
    ctx: &Context,
    email: &EmailAddress,
    purpose: Purpose,
) -> AppResult<Result<(), i64>> {
    let bucket = format!("code-mail:{}:{email}", purpose.as_str());
    let interval = Duration::seconds(code_rules::RESEND_INTERVAL_SECONDS);
    Ok(throttle::take(tx, &[(&bucket, 1)], interval, ctx.now())
        .await?
        .map(drop))
}

pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    /// The language the form was in (a code of `Lang::codes`); the account's mail uses it
    /// until a profile names one.
    pub language: Option<String>,
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

/// Creates an unverified account and emails a code. The answer is the same whatever the address:
/// registering again with an address that is not yet verified only sends a new code (at most one
/// a minute) and never changes the password, so nobody can plant a password in an account that
/// somebody else then verifies; an address with an account gets a notice instead of a code.
/// What registering gives the browser that did it: for a new account, a token that lets this
/// browser sign in with the emailed code alone (it chose the password); none otherwise.
pub struct Registered {
    pub browser_token: Option<String>,
}

pub async fn register(ctx: &Context, input: Registration, ip: &str) -> AppResult<Registered> {
    let mut errors = FieldErrors::new();
    let email = parse_email(&mut errors, &input.email);
    let name = errors.required_text("name", &input.name, NAME_MAX);
    if let Some(problem) = password_problem(&input.password) {
        errors.add("password", problem);
    }
    let email = errors
        .into_result(email)?
        .ok_or_else(|| AppError::field("email", "invalid_email"))?;
    count_mail_request(ctx, ip).await?;
    // Hashed in every case, so the time taken does not tell whether the address has an account.
    let hash = auth::hash_password(input.password).await?;
    let now = ctx.now();
    let language = input
        .language
        .as_deref()
        .filter(|l| supportal_domain::profile::LANGUAGES.contains(l));
    let mut browser_token = None;
    let mut tx = ctx.db.begin().await?;
    match accounts::find_by_email(&mut tx, &email).await? {
        Some(existing) if existing.verified_at.is_some() => {
            let bucket = format!("registered-again:{email}");
            let hour = Duration::minutes(REGISTERED_AGAIN_NOTICE_MINUTES);
            if throttle::take(&mut tx, &[(&bucket, 1)], hour, now)
                .await?
                .is_ok()
            {
                send_registered_again(ctx, &mut tx, &email, &existing.name).await?;
            }
        }
        Some(existing) => {
            if code_mail_due(&mut tx, ctx, &email, Purpose::Verify)
                .await?
                .is_ok()
            {
                let name = existing.name.clone();
                send_code(ctx, &mut tx, existing.id(), &email, &name, Purpose::Verify).await?;
            }
        }
        None => {
            let user = match accounts::create(&mut tx, &email, &name, &hash, language, now).await {
                Ok(id) => id,
                // Registered by a concurrent request a moment ago: the same quiet answer.
                Err(StoreError::Conflict(_)) => {
                    return Ok(Registered {
                        browser_token: None,
                    });
                }
                Err(e) => return Err(e.into()),
            };
            let token = auth::random_token();
            accounts::set_registration_browser(&mut tx, user, &sha256_hex(&token)).await?;
            browser_token = Some(token);
            // Counts the first code, so a resend within the minute is refused as for anyone.
            let _ = code_mail_due(&mut tx, ctx, &email, Purpose::Verify).await?;
            send_code(ctx, &mut tx, user, &email, &name, Purpose::Verify).await?;
        }
    }
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(Registered { browser_token })
}

/// Tells the owner of an account that somebody tried to register their address again.
async fn send_registered_again(
    ctx: &Context,
    tx: &mut Tx,
    email: &EmailAddress,
    name: &str,
) -> AppResult<()> {
    let message = Message::to(email.to_string(), name, t("mail-registered-again-subject"))
        .paragraph(t("mail-registered-again-body"))
        .link(format!("{}/forgot", ctx.config.base_url));
    mail::queue(ctx, tx, message).await
}

async fn send_code(
    ctx: &Context,
    tx: &mut Tx,
    user: UserId,
    email: &EmailAddress,
    name: &str,
    purpose: Purpose,
) -> AppResult<()> {
    let code = random_code();
    codes::replace(tx, user, purpose, &sha256_hex(&code), ctx.now()).await?;
    let (subject, body) = match purpose {
        Purpose::Verify => ("mail-verify-subject", "mail-verify-body"),
        Purpose::Reset => ("mail-reset-subject", "mail-reset-body"),
    };
    let message = Message::to(email.to_string(), name, t(subject))
        .paragraph(t(body))
        .paragraph(tn(
            "mail-code-expiry",
            [("minutes", plain(code_rules::CODE_LIFETIME_MINUTES))],
        ))
        .secret_highlight(code);
    mail::queue(ctx, tx, message).await
}

/// Sends a new verification code (at most one a minute per address). Unknown or already
/// verified addresses get the same answer, so the endpoint tells nobody who has an account.
pub async fn resend(ctx: &Context, email: &str, ip: &str) -> AppResult<()> {
    send_fresh_code(ctx, email, Purpose::Verify, ip).await
}

/// Emails a new code for `purpose` — verification to unverified accounts, reset to verified
/// ones — at most once a minute per address; any other address gets the same answer.
async fn send_fresh_code(ctx: &Context, email: &str, purpose: Purpose, ip: &str) -> AppResult<()> {
    let email =
        EmailAddress::parse(email).map_err(|_| AppError::field("email", "invalid_email"))?;
    count_mail_request(ctx, ip).await?;
    let wants_verified = purpose == Purpose::Reset;
    let mut tx = ctx.db.begin().await?;
    if let Err(wait) = code_mail_due(&mut tx, ctx, &email, purpose).await? {
        return Err(AppError::throttled("resend_too_soon", wait));
    }
    if let Some(user) = accounts::find_by_email(&mut tx, &email)
        .await?
        .filter(|u| u.verified_at.is_some() == wants_verified)
    {
        send_code(ctx, &mut tx, user.id(), &email, &user.name, purpose).await?;
    }
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(())
}

/// Checks a code for `purpose`; a wrong try is recorded (and committed) before answering.
async fn consume_code(
    ctx: &Context,
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
    let mut tx = ctx.db.begin().await?;
    // Counted before the check, atomically (tries at once cannot all pass the limit); the count
    // is kept when the transaction commits: after a wrong code, or with the accepted one.
    let limits = [(bucket.as_str(), CODE_LIMIT_ADDRESS)];
    if let Err(wait) = throttle::take(&mut tx, &limits, window, ctx.now()).await? {
        return Err(AppError::throttled("too_many_code_attempts", wait));
    }
    // An address already verified answers as an unknown one: no code to check.
    let user = accounts::find_by_email(&mut tx, &email)
        .await?
        .filter(|u| purpose != Purpose::Verify || u.verified_at.is_none())
        .ok_or_else(|| AppError::unprocessable("invalid_code"))?;
    let stored = codes::get(&mut tx, user.id(), purpose)
        .await?
        .ok_or_else(|| AppError::unprocessable("invalid_code"))?;
    match code_rules::check(&stored, &sha256_hex(&code), ctx.now()) {
        CodeCheck::Accepted => {
            codes::mark_used(&mut tx, user.id(), purpose).await?;
            Ok((tx, user))
        }
        CodeCheck::Wrong => {
            codes::record_wrong_try(&mut tx, user.id(), purpose).await?;
            tx.commit().await?;
            Err(AppError::unprocessable("invalid_code"))
        }
        other => Err(AppError::unprocessable(other.error_code())),
    }
}

/// How whoever verifies shows they may be signed in afterwards.
pub enum Proof {
    /// None: the address is verified, nobody is signed in (the API).
    None,
    /// The password, which becomes the account's: the code proves the address is theirs, as
    /// for a reset.
    Password(String),
    /// The token of the browser that registered the account (and so chose its password).
    Browser(String),
}

/// Verifies the email with its code (ACC-1). Returns the account and whether the proof allows
/// a sign-in. A browser proof that is not the registering browser's is refused before the code
/// is used (422 on `password`), so a password somebody else chose never ends up signed in. An
/// address already verified gets the answer of a wrong code.
pub async fn verify(
    ctx: &Context,
    email: &str,
    code: &str,
    ip: &str,
    proof: Proof,
) -> AppResult<(UserRow, bool)> {
    let hash = match &proof {
        Proof::Password(password) => {
            if let Some(problem) = password_problem(password) {
                return Err(AppError::field("password", problem));
            }
            Some(auth::hash_password(password.clone()).await?)
        }
        Proof::None | Proof::Browser(_) => None,
    };
    let (mut tx, user) = consume_code(ctx, email, code, Purpose::Verify, ip).await?;
    let signs_in = match &proof {
        Proof::None => false,
        Proof::Password(_) => true,
        Proof::Browser(token) => {
            let registered = accounts::registration_browser(&mut tx, user.id()).await?;
            if registered.as_deref() != Some(sha256_hex(token).as_str()) {
                // Not the registering browser: the code stays unused for the right attempt.
                tx.rollback().await?;
                return Err(AppError::field("password", "required"));
            }
            true
        }
    };
    if let Some(hash) = &hash {
        accounts::set_password(&mut tx, user.id(), hash).await?;
    }
    accounts::mark_verified(&mut tx, user.id(), ctx.now()).await?;
    tx.commit().await?;
    Ok((user, signs_in))
}

/// Signs in with email and password. Each attempt is counted before the password is checked
/// (per account and address, per account, per address), so at most a handful of checks run per
/// window however many arrive at once; a successful attempt is given back.
pub async fn login(
    ctx: &Context,
    email: &str,
    password: &str,
    ip: &str,
    kind: SessionKind,
    user_agent: &str,
) -> AppResult<(String, UserRow)> {
    let email =
        EmailAddress::parse(email).map_err(|_| AppError::unprocessable("invalid_credentials"))?;
    let now = ctx.now();
    let pair_bucket = format!("login:account-address:{email}:{ip}");
    let account_bucket = format!("login:account:{email}");
    let address_bucket = format!("login:address:{ip}");
    let mut tx = ctx.db.begin().await?;
    let taken = throttle::take(
        &mut tx,
        &[
            (&pair_bucket, LOGIN_LIMIT_ACCOUNT_ADDRESS),
            (&account_bucket, LOGIN_LIMIT_ACCOUNT),
            (&address_bucket, LOGIN_LIMIT_ADDRESS),
        ],
        window(),
        now,
    )
    .await?;
    tx.commit().await?;
    let hits = taken.map_err(|wait| AppError::throttled("too_many_sign_in_attempts", wait))?;

    let checked = check_password(ctx, &email, password).await;
    let give_back = !matches!(checked, Ok(None));
    if give_back {
        // A right password, or no answer at all (busy, database): not a failed attempt.
        let mut tx = ctx.db.begin().await?;
        throttle::release(&mut tx, &hits).await?;
        if checked.is_ok() {
            throttle::clear(&mut tx, &pair_bucket).await?;
        }
        tx.commit().await?;
    }
    let Some((user, memberships)) = checked? else {
        return Err(AppError::new(
            crate::error::Kind::Unauthenticated,
            "invalid_credentials",
        ));
    };
    if user.verified_at.is_none() {
        return Err(AppError::forbidden("email_not_verified"));
    }
    if accounts::is_deactivated(&user, &memberships) {
        return Err(AppError::forbidden("account_deactivated"));
    }
    let token = auth::start_session(ctx, user.id(), kind, user_agent).await?;
    Ok((token, user))
}

/// The account and its memberships when `password` is right; the database connection is given
/// back before the (slow) check.
async fn check_password(
    ctx: &Context,
    email: &EmailAddress,
    password: &str,
) -> AppResult<Option<(UserRow, Vec<accounts::MembershipView>)>> {
    let mut tx = ctx.db.read().await?;
    let user = accounts::find_by_email(&mut tx, email).await?;
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
    Ok(user.filter(|_| ok).map(|u| (u, memberships)))
}

pub async fn logout(ctx: &Context, user: &sessions::SessionUser) -> AppResult<()> {
    let mut tx = ctx.db.begin().await?;
    sessions::delete(&mut tx, user.session_id()).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the caller, this one included.
pub async fn logout_everywhere(ctx: &Context, user: &sessions::SessionUser) -> AppResult<u64> {
    let mut tx = ctx.db.begin().await?;
    let n = sessions::delete_all(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(n)
}

/// Emails a reset code to a verified account; any other address gets the same quiet answer.
pub async fn request_reset(ctx: &Context, email: &str, ip: &str) -> AppResult<()> {
    send_fresh_code(ctx, email, Purpose::Reset, ip).await
}

/// Sets a new password with the emailed code; every session of the account ends.
pub async fn confirm_reset(
    ctx: &Context,
    email: &str,
    code: &str,
    new_password: String,
    ip: &str,
) -> AppResult<()> {
    if let Some(problem) = password_problem(&new_password) {
        return Err(AppError::field("new_password", problem));
    }
    let hash = auth::hash_password(new_password).await?;
    let (mut tx, user) = consume_code(ctx, email, code, Purpose::Reset, ip).await?;
    accounts::set_password(&mut tx, user.id(), &hash).await?;
    sessions::delete_all(&mut tx, user.id()).await?;
    tx.commit().await?;
    Ok(())
}
