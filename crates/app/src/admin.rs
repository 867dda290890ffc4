//! Operator tools (SUP-5, CMP-4, ACC-5): create and validate companies, appoint admins, and
//! resolve account-access requests. Every function takes a `StaffScope`.

use crate::companies::{SiteBody, check_site, invite_in};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Message, plain, tn};
use serde::Deserialize;
use supportal_domain::company::{parse_domain, parse_pin};
use supportal_domain::notice::NoticeKind;
use supportal_domain::validation::{NAME_MAX, TEXT_MAX};
use supportal_domain::{
    AccessRequestId, CompanyId, CompanyKind, CompanyStatus, EmailAddress, FieldErrors, Role, UserId,
};
use supportal_store::companies::{self, CompanyRow, NewCompany};
use supportal_store::notices::NewNotice;
use supportal_store::requests::{self, RequestRow};
use supportal_store::sessions::SessionUser;
use supportal_store::{StaffScope, accounts, audit, members};

/// Staff only; operator admins only where `admin` is asked.
pub fn staff(user: &SessionUser, admin: bool) -> AppResult<StaffScope> {
    let scope = user
        .staff_scope()
        .ok_or_else(|| AppError::forbidden("staff_required"))?;
    if admin && !scope.is_admin() {
        return Err(AppError::forbidden("operator_admin_required"));
    }
    Ok(scope)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewCompanyBody {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub pins: Vec<String>,
    #[serde(default)]
    pub first_admin_email: Option<String>,
    #[serde(default)]
    pub site: Option<SiteBody>,
}

#[derive(Debug)]
pub struct Created {
    pub company_id: i64,
    /// `member` when the first admin already had an account, `invited` when an invitation went out.
    pub first_admin: Option<&'static str>,
}

/// Creates a validated company with its domains, PINs, first site and first admin (CMP-4).
pub async fn create_company(
    ctx: &Context,
    staff: &StaffScope,
    body: NewCompanyBody,
) -> AppResult<Created> {
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &body.name, NAME_MAX);
    let kind = CompanyKind::parse(&body.kind);
    if kind.is_none() {
        errors.add("kind", "invalid_kind");
    }
    let mut domains = Vec::new();
    for d in body.domains.iter().filter(|d| !d.trim().is_empty()) {
        match parse_domain(d) {
            Ok(d) => domains.push(d),
            Err(code) => errors.add("domains", code),
        }
    }
    let mut pins = Vec::new();
    for p in body.pins.iter().filter(|p| !p.trim().is_empty()) {
        match parse_pin(p) {
            Ok(p) => pins.push(p),
            Err(code) => errors.add("pins", code),
        }
    }
    let admin_email = match body
        .first_admin_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        Some(e) => EmailAddress::parse(e)
            .map_err(|_| errors.add("first_admin_email", "invalid_email"))
            .ok(),
        None => None,
    };
    let site = match body.site {
        Some(site) if !site.name.trim().is_empty() || !site.street.trim().is_empty() => {
            match check_site(site) {
                Ok(site) => Some(site),
                Err(e) => {
                    for f in e.fields.0 {
                        errors.0.push(supportal_domain::FieldError {
                            field: format!("site.{}", f.field),
                            code: f.code,
                        });
                    }
                    None
                }
            }
        }
        _ => None,
    };
    let (Some(kind), true) = (kind, errors.is_empty()) else {
        return Err(errors.into());
    };
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let company = companies::create(
        &mut tx,
        staff,
        NewCompany {
            name: &name,
            kind,
            status: CompanyStatus::Validated,
            address: "",
            serial_hint: None,
        },
        now,
    )
    .await?;
    for d in &domains {
        companies::add_domain(&mut tx, staff, company, d).await?;
    }
    for p in &pins {
        companies::add_pin(&mut tx, staff, company, p, "").await?;
    }
    if let Some(site) = &site {
        companies::create_site_as_staff(&mut tx, staff, company, site).await?;
    }
    let first_admin = match &admin_email {
        Some(email) => Some(appoint_in(ctx, &mut tx, staff, company, &name, email).await?),
        None => None,
    };
    audit::record(
        &mut tx,
        staff.user_id(),
        Some(company),
        "company_created",
        &name,
        now,
    )
    .await?;
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(Created {
        company_id: company.get(),
        first_admin,
    })
}

async fn appoint_in(
    ctx: &Context,
    tx: &mut supportal_store::Tx,
    staff: &StaffScope,
    company: CompanyId,
    company_name: &str,
    email: &EmailAddress,
) -> AppResult<&'static str> {
    match accounts::find_by_email(tx, email).await? {
        Some(user) if user.verified_at.is_some() => {
            members::put(tx, company, user.id(), Role::Admin, ctx.now()).await?;
            if user.access_choice.is_none() {
                accounts::set_access_choice(
                    tx,
                    user.id(),
                    supportal_domain::AccessChoice::Enterprise,
                )
                .await?;
            }
            let message = Message::to(
                email.to_string(),
                &user.name,
                tn("mail-admin-subject", [("company", plain(company_name))]),
            )
            .paragraph(tn("mail-admin-body", [("company", plain(company_name))]))
            .link(format!("{}/company", ctx.config.base_url));
            mail::queue(ctx, tx, message).await?;
            Ok("member")
        }
        _ => {
            invite_in(
                ctx,
                tx,
                (company, company_name),
                staff.user_id(),
                email,
                Role::Admin,
            )
            .await?;
            Ok("invited")
        }
    }
}

/// Appoints an admin of any company: an existing account becomes admin at once, anyone else
/// gets an admin invitation.
pub async fn appoint_admin(
    ctx: &Context,
    staff: &StaffScope,
    company: CompanyId,
    email: &str,
) -> AppResult<&'static str> {
    let email =
        EmailAddress::parse(email).map_err(|_| AppError::field("email", "invalid_email"))?;
    let mut tx = ctx.db.begin().await?;
    let row = companies::get(&mut tx, &staff.company(company)).await?;
    let outcome = appoint_in(ctx, &mut tx, staff, company, &row.name, &email).await?;
    audit::record(
        &mut tx,
        staff.user_id(),
        Some(company),
        "admin_appointed",
        email.as_str(),
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(outcome)
}

/// Assigns one more email domain or PIN to a company (SUP-5).
pub async fn add_domain(
    ctx: &Context,
    staff: &StaffScope,
    company: CompanyId,
    domain: &str,
) -> AppResult<()> {
    let domain = parse_domain(domain).map_err(|code| AppError::field("domain", code))?;
    let mut tx = ctx.db.begin().await?;
    companies::get(&mut tx, &staff.company(company)).await?;
    companies::add_domain(&mut tx, staff, company, &domain).await?;
    audit::record(
        &mut tx,
        staff.user_id(),
        Some(company),
        "domain_added",
        &domain,
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_pin(
    ctx: &Context,
    staff: &StaffScope,
    company: CompanyId,
    code: &str,
    description: &str,
) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    let pin = parse_pin(code)
        .map_err(|code| errors.add("code", code))
        .ok();
    let description = errors
        .optional_text("description", Some(description), NAME_MAX)
        .unwrap_or_default();
    let (Some(pin), true) = (pin, errors.is_empty()) else {
        return Err(errors.into());
    };
    let mut tx = ctx.db.begin().await?;
    companies::get(&mut tx, &staff.company(company)).await?;
    companies::add_pin(&mut tx, staff, company, &pin, &description).await?;
    audit::record(
        &mut tx,
        staff.user_id(),
        Some(company),
        "pin_added",
        &pin,
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_companies(ctx: &Context, staff: &StaffScope) -> AppResult<Vec<CompanyRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = companies::list(&mut tx, staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// Validates a pending company; its members are told by email (ACC-3).
pub async fn validate_company(
    ctx: &Context,
    staff: &StaffScope,
    company: CompanyId,
) -> AppResult<CompanyRow> {
    let scope = staff.company(company);
    let mut tx = ctx.db.begin().await?;
    let before = companies::get(&mut tx, &scope).await?;
    if before.status == CompanyStatus::Validated.as_str() {
        return Err(AppError::conflict("already_validated"));
    }
    companies::validate(&mut tx, staff, company, ctx.now()).await?;
    for member in members::list(&mut tx, &scope)
        .await?
        .into_iter()
        .filter(|m| m.active)
    {
        let message = Message::to(
            member.email.clone(),
            &member.name,
            tn("mail-validated-subject", [("company", plain(&before.name))]),
        )
        .paragraph(tn(
            "mail-validated-body",
            [("company", plain(&before.name))],
        ))
        .link(format!("{}/", ctx.config.base_url));
        mail::queue(ctx, &mut tx, message).await?;
    }
    audit::record(
        &mut tx,
        staff.user_id(),
        Some(company),
        "company_validated",
        &before.name,
        ctx.now(),
    )
    .await?;
    let after = companies::get(&mut tx, &scope).await?;
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(after)
}

pub async fn request_queue(ctx: &Context, staff: &StaffScope) -> AppResult<Vec<RequestRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = requests::queue(&mut tx, staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResolveBody {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub company_id: Option<i64>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// ACC-5: upgrade the requester into a validated company, or decline with a reason they see.
pub async fn resolve_request(
    ctx: &Context,
    staff: &StaffScope,
    id: AccessRequestId,
    body: ResolveBody,
) -> AppResult<RequestRow> {
    let mut errors = FieldErrors::new();
    let reason = errors.optional_text("reason", body.reason.as_deref(), TEXT_MAX);
    let mut tx = ctx.db.begin().await?;
    let request = requests::get(&mut tx, staff, id).await?;
    if request.status != "open" {
        return Err(AppError::conflict("request_already_resolved"));
    }
    let (status, paragraph) = match body.decision.as_str() {
        "upgrade" => {
            let role = body
                .role
                .as_deref()
                .map(Role::parse)
                .unwrap_or(Some(Role::Member));
            let Some(role) = role else {
                return Err(AppError::field("role", "invalid_role"));
            };
            let Some(company_id) = body.company_id.map(CompanyId) else {
                return Err(AppError::field("company_id", "required"));
            };
            let company = companies::get(&mut tx, &staff.company(company_id))
                .await
                .map_err(|_| AppError::field("company_id", "unknown_company"))?;
            if company.status != CompanyStatus::Validated.as_str() {
                return Err(AppError::field("company_id", "company_not_validated"));
            }
            members::put(
                &mut tx,
                company_id,
                supportal_domain::UserId(request.user_id),
                role,
                ctx.now(),
            )
            .await?;
            (
                "upgraded",
                tn("mail-request-upgraded", [("company", plain(&company.name))]),
            )
        }
        "decline" => {
            let Some(reason) = reason.clone() else {
                return Err(AppError::field("reason", "required"));
            };
            (
                "declined",
                tn("mail-request-declined", [("reason", plain(reason))]),
            )
        }
        _ => return Err(AppError::field("decision", "invalid_decision")),
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    if !requests::resolve(&mut tx, staff, id, status, reason.as_deref(), ctx.now()).await? {
        return Err(AppError::conflict("request_already_resolved"));
    }
    let message = Message::to(
        request.user_email.clone(),
        &request.user_name,
        tn(
            "mail-request-resolved-subject",
            [("number", plain(&request.number))],
        ),
    )
    .paragraph(paragraph)
    .link(format!("{}/access-requests", ctx.config.base_url));
    let notice = NewNotice {
        kind: NoticeKind::AccessRequest,
        case: None,
        alert: None,
        subject_id: Some(request.id),
        detail: Some(&request.number),
    };
    crate::notices::tell(
        ctx,
        &mut tx,
        UserId(request.user_id),
        &notice,
        Some(message),
    )
    .await?;
    let row = requests::get(&mut tx, staff, id).await?;
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(row)
}
