//! Companies from the member's side (CMP-1, CMP-2, CMP-3, CMP-5): the company with its sites and
//! PINs, its users, invitations, admin changes and the contact list. Every function starts from a
//! scope, so another company's data is never reachable.

use crate::auth::{random_token, sha256_hex};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::{self, Message, Value, plain, tn};
use serde::Deserialize;
use supportal_domain::notice::NoticeKind;
use supportal_domain::validation::{NAME_MAX, is_phone};
use supportal_domain::{CompanyId, EmailAddress, FieldErrors, Role, SiteId, UserId};
use supportal_store::companies::{self, CompanyRow, PinRow, SiteInput, SiteRow};
use supportal_store::contacts::{self, ContactInput, ContactRow};
use supportal_store::invitations::{self, InvitationRow};
use supportal_store::members::{self, Change, ChangeError, MemberRow};
use supportal_store::notices::NewNotice;
use supportal_store::sessions::{self, SessionUser};
use supportal_store::{AdminScope, CompanyScope, Tx, accounts, audit};

/// The caller's scope in `company`, or 404: a company the caller may not see does not exist.
pub async fn scope(
    ctx: &Context,
    user: &SessionUser,
    company: CompanyId,
) -> AppResult<CompanyScope> {
    let mut tx = ctx.db.read().await?;
    let scope = sessions::company_scope(&mut tx, user, company).await?;
    tx.rollback().await?;
    scope.ok_or_else(AppError::not_found)
}

/// The admin scope, or 403 for a member who is not an admin.
pub async fn admin_scope(
    ctx: &Context,
    user: &SessionUser,
    company: CompanyId,
) -> AppResult<AdminScope> {
    scope(ctx, user, company)
        .await?
        .admin()
        .ok_or_else(|| AppError::forbidden("company_admin_required"))
}

#[derive(Debug)]
pub struct CompanyView {
    pub company: CompanyRow,
    pub domains: Vec<String>,
    pub sites: Vec<SiteRow>,
    pub pins: Vec<PinRow>,
}

pub async fn view(ctx: &Context, scope: &CompanyScope) -> AppResult<CompanyView> {
    let mut tx = ctx.db.read().await?;
    let view = CompanyView {
        company: companies::get(&mut tx, scope).await?,
        domains: companies::domains(&mut tx, scope).await?,
        sites: companies::sites(&mut tx, scope).await?,
        pins: companies::pins(&mut tx, scope).await?,
    };
    tx.rollback().await?;
    Ok(view)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SiteBody {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub country: String,
    #[serde(default, deserialize_with = "crate::input::checkbox")]
    pub is_primary: bool,
}

pub fn check_site(body: SiteBody) -> AppResult<SiteInput> {
    let mut errors = FieldErrors::new();
    let site = SiteInput {
        name: errors.required_text("name", &body.name, NAME_MAX),
        street: errors.required_text("street", &body.street, NAME_MAX),
        city: errors.required_text("city", &body.city, NAME_MAX),
        postal_code: errors.required_text("postal_code", &body.postal_code, 20),
        country: errors.required_country("country", &body.country),
        is_primary: body.is_primary,
    };
    Ok(errors.into_result(site)?)
}

pub async fn create_site(ctx: &Context, scope: &AdminScope, body: SiteBody) -> AppResult<SiteRow> {
    let site = check_site(body)?;
    let mut tx = ctx.db.begin().await?;
    let id = companies::create_site(&mut tx, scope, &site).await?;
    audit::record(
        &mut tx,
        Some(scope.user_id()),
        Some(scope.company_id()),
        "site_created",
        &site.name,
        ctx.now(),
    )
    .await?;
    let row = find_site(&mut tx, scope.as_member(), id).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn update_site(
    ctx: &Context,
    scope: &AdminScope,
    id: SiteId,
    body: SiteBody,
) -> AppResult<SiteRow> {
    let site = check_site(body)?;
    let mut tx = ctx.db.begin().await?;
    companies::update_site(&mut tx, scope, id, &site).await?;
    audit::record(
        &mut tx,
        Some(scope.user_id()),
        Some(scope.company_id()),
        "site_updated",
        &site.name,
        ctx.now(),
    )
    .await?;
    let row = find_site(&mut tx, scope.as_member(), id).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn find_site(tx: &mut Tx, scope: &CompanyScope, id: SiteId) -> AppResult<SiteRow> {
    companies::sites(tx, scope)
        .await?
        .into_iter()
        .find(|s| s.id == id.get())
        .ok_or_else(AppError::not_found)
}

pub async fn users(ctx: &Context, scope: &CompanyScope) -> AppResult<Vec<MemberRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = members::list(&mut tx, scope).await?;
    tx.rollback().await?;
    Ok(rows)
}

pub async fn pending_invitations(
    ctx: &Context,
    scope: &CompanyScope,
) -> AppResult<Vec<InvitationRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = invitations::pending(&mut tx, scope, ctx.now()).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// Creates an invitation in `tx` and queues its email: the link carries the code.
pub async fn invite_in(
    ctx: &Context,
    tx: &mut Tx,
    (company, company_name): (CompanyId, &str),
    by: Option<UserId>,
    email: &EmailAddress,
    role: Role,
) -> AppResult<i64> {
    let code = random_token();
    let id = invitations::create_for_company(
        tx,
        company,
        by,
        email,
        role,
        &sha256_hex(&code),
        ctx.now(),
    )
    .await?;
    let link = format!("{}/invitations/{code}", ctx.config.base_url);
    let message = Message::to_anyone(
        email.to_string(),
        tn("mail-invite-subject", [("company", plain(company_name))]),
    )
    .paragraph(tn(
        "mail-invite-body",
        [
            ("company", plain(company_name)),
            ("role", Value::Message(format!("role-{}", role.as_str()))),
        ],
    ))
    .paragraph(tn(
        "mail-invite-expiry",
        [("days", plain(invitations::LIFETIME_DAYS))],
    ))
    .secret_link(link);
    match accounts::find_by_email(tx, email).await? {
        Some(user) => {
            let notice = NewNotice {
                kind: NoticeKind::Invitation,
                case: None,
                alert: None,
                subject_id: Some(id.get()),
                detail: Some(company_name),
            };
            crate::notices::tell(ctx, tx, user.id(), &notice, Some(message)).await?;
        }
        None => mail::queue(ctx, tx, message).await?,
    }
    Ok(id.get())
}

/// ACC-4 / CMP-3: an admin invites someone by email with a role.
pub async fn invite(
    ctx: &Context,
    _lang: &Lang,
    scope: &AdminScope,
    email: &str,
    role: &str,
) -> AppResult<InvitationRow> {
    let mut errors = FieldErrors::new();
    let email = EmailAddress::parse(email)
        .map_err(|_| errors.add("email", "invalid_email"))
        .ok();
    let role = Role::parse(role);
    if role.is_none() {
        errors.add("role", "invalid_role");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::field("email", "invalid_email"));
    };
    let mut tx = ctx.db.begin().await?;
    let members = members::list(&mut tx, scope.as_member()).await?;
    if members
        .iter()
        .any(|m| m.email == email.as_str() && m.active)
    {
        return Err(AppError::conflict("already_member"));
    }
    let company = companies::get(&mut tx, scope.as_member()).await?;
    let id = invite_in(
        ctx,
        &mut tx,
        (scope.company_id(), &company.name),
        Some(scope.user_id()),
        &email,
        role,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(scope.user_id()),
        Some(scope.company_id()),
        "user_invited",
        &format!("{email} as {}", role.as_str()),
        ctx.now(),
    )
    .await?;
    let row = invitations::pending(&mut tx, scope.as_member(), ctx.now())
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(row)
}

/// CMP-2 / CMP-3: grant or revoke admin, activate or deactivate — never leaving no admin.
pub async fn change_member(
    ctx: &Context,
    scope: &AdminScope,
    user: UserId,
    change: Change,
) -> AppResult<MemberRow> {
    let mut tx = ctx.db.begin().await?;
    let row = match members::change(&mut tx, scope, user, change).await? {
        Ok(row) => row,
        Err(ChangeError::NotFound) => return Err(AppError::not_found()),
        Err(ChangeError::LastAdmin) => return Err(AppError::conflict("last_company_admin")),
    };
    let what = match (change.role, change.active) {
        (Some(role), None) => format!("{} role {}", row.email, role.as_str()),
        (None, Some(active)) => format!(
            "{} {}",
            row.email,
            if active { "activated" } else { "deactivated" }
        ),
        _ => format!("{} role {} active {}", row.email, row.role, row.active),
    };
    audit::record(
        &mut tx,
        Some(scope.user_id()),
        Some(scope.company_id()),
        "member_changed",
        &what,
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContactBody {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

pub fn check_contact(body: &ContactBody) -> AppResult<ContactInput> {
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &body.name, NAME_MAX);
    let email = match EmailAddress::parse(&body.email) {
        Ok(e) => e.to_string(),
        Err(_) => {
            errors.add(
                "email",
                if body.email.trim().is_empty() {
                    "required"
                } else {
                    "invalid_email"
                },
            );
            String::new()
        }
    };
    let phone = body
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    if phone.as_deref().is_some_and(|p| !is_phone(p)) {
        errors.add("phone", "invalid_phone");
    }
    Ok(errors.into_result(ContactInput { name, email, phone })?)
}

pub async fn contacts(ctx: &Context, scope: &CompanyScope) -> AppResult<Vec<ContactRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = contacts::company_list(&mut tx, scope).await?;
    tx.rollback().await?;
    Ok(rows)
}

pub async fn add_contact(
    ctx: &Context,
    scope: &CompanyScope,
    body: &ContactBody,
) -> AppResult<ContactRow> {
    let input = check_contact(body)?;
    let mut tx = ctx.db.begin().await?;
    let id = contacts::create_company_contact(&mut tx, scope, &input, ctx.now()).await?;
    let row = contacts::company_contact(&mut tx, scope, contacts::ContactRef::External(id)).await?;
    tx.commit().await?;
    Ok(row)
}

/// The company's audit log, newest first (an admin's view, CMP-4).
pub async fn audit_log(
    ctx: &Context,
    scope: &AdminScope,
) -> AppResult<Vec<supportal_store::audit::AuditRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = audit::for_company(&mut tx, scope.as_member(), 200).await?;
    tx.rollback().await?;
    Ok(rows)
}
