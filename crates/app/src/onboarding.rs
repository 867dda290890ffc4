//! Onboarding (ACC-2, ACC-3, ACC-4, ACC-5): after verification the user chooses enterprise,
//! partner or basic access; the email domain decides whether they join a company at once, pick
//! one, or describe their company for the operator to validate. Limited users can ask the
//! operator for access; invitations bring a user straight into a company.

use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Message, plain, t, tn};
use supportal_domain::company::{DomainMatch, match_domain};
use supportal_domain::validation::{NAME_MAX, TEXT_MAX, is_phone};
use supportal_domain::{
    AccessChoice, CompanyId, CompanyKind, CompanyStatus, EmailAddress, FieldErrors, Role, Tier,
};
use supportal_store::accounts::{self, MembershipView};
use supportal_store::companies::{self, Candidate, NewCompany, SiteInput};
use supportal_store::sessions::SessionUser;
use supportal_store::{Tx, invitations, members, requests};

/// What `/me` says about a user.
#[derive(Debug)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub tier: Tier,
    pub staff_role: Option<&'static str>,
    /// `choose_access` until the user made the ACC-2 choice, then absent.
    pub next_step: Option<&'static str>,
    pub memberships: Vec<MembershipView>,
}

impl Me {
    /// The company whose data this user works with: the first active, validated membership.
    pub fn company(&self) -> Option<&MembershipView> {
        self.memberships
            .iter()
            .find(|m| m.active && m.status == CompanyStatus::Validated.as_str())
    }

    pub fn is_admin_somewhere(&self) -> bool {
        self.company()
            .is_some_and(|m| m.role == Role::Admin.as_str())
    }
}

pub async fn me(ctx: &Context, user: &SessionUser) -> AppResult<Me> {
    let mut tx = ctx.db.read().await?;
    let memberships = accounts::memberships(&mut tx, user.user_id()).await?;
    tx.rollback().await?;
    let staff = user.staff_role();
    let next_step = (staff.is_none() && user.access_choice().is_none() && memberships.is_empty())
        .then_some("choose_access");
    Ok(Me {
        id: user.user_id().get(),
        email: user.email.clone(),
        name: user.name.clone(),
        tier: accounts::tier(staff.is_some(), &memberships),
        staff_role: staff.map(|r| r.as_str()),
        next_step,
        memberships,
    })
}

/// The outcome of choosing access (API `POST /me/access`).
#[derive(Debug)]
pub enum AccessOutcome {
    Joined {
        company_id: i64,
        company_name: String,
    },
    ChooseCompany {
        candidates: Vec<Candidate>,
    },
    CompanyProfileNeeded,
    /// A free-mail address never matches a company: the account stays basic.
    FreeMail,
    Basic,
}

fn wanted_kind(choice: AccessChoice) -> impl Fn(&Candidate) -> bool {
    move |c: &Candidate| {
        let partner = CompanyKind::parse(&c.kind).is_some_and(CompanyKind::is_partner);
        match choice {
            AccessChoice::Partner => partner,
            _ => !partner,
        }
    }
}

/// The companies of the domain that suit the choice: those of the chosen kind, else (a domain
/// is owned once) every company of the domain, so choosing *partner* with a customer's
/// domain joins that company instead of describing a second one.
fn suiting(choice: AccessChoice, all: Vec<Candidate>) -> Vec<Candidate> {
    let wanted: Vec<Candidate> = all
        .iter()
        .filter(|c| wanted_kind(choice)(c))
        .cloned()
        .collect();
    match wanted.is_empty() {
        true => all,
        false => wanted,
    }
}

/// ACC-2 and ACC-3: records the choice and applies the domain rules.
pub async fn choose_access(
    ctx: &Context,
    user: &SessionUser,
    choice: AccessChoice,
) -> AppResult<AccessOutcome> {
    if user.staff_role().is_some() {
        return Err(AppError::conflict("staff_account"));
    }
    let email = EmailAddress::parse(&user.email).map_err(AppError::internal)?;
    let mut tx = ctx.db.begin().await?;
    if let Some(current) = accounts::memberships(&mut tx, user.user_id())
        .await?
        .into_iter()
        .find(|m| m.active)
    {
        if current.status == CompanyStatus::Validated.as_str() {
            return Err(AppError::conflict("already_member"));
        }
        return Err(AppError::conflict("company_pending"));
    }
    accounts::set_access_choice(&mut tx, user.user_id(), choice).await?;
    let outcome = if choice == AccessChoice::Basic {
        AccessOutcome::Basic
    } else {
        let candidates = suiting(
            choice,
            companies::validated_by_domain(&mut tx, email.domain()).await?,
        );
        match match_domain(email.domain(), candidates, |_| true) {
            DomainMatch::FreeMail => AccessOutcome::FreeMail,
            DomainMatch::None => AccessOutcome::CompanyProfileNeeded,
            DomainMatch::Several(candidates) => AccessOutcome::ChooseCompany { candidates },
            DomainMatch::One(company) => {
                join_company(
                    ctx,
                    &mut tx,
                    user,
                    CompanyId(company.id),
                    &company.name,
                    Role::Member,
                )
                .await?;
                AccessOutcome::Joined {
                    company_id: company.id,
                    company_name: company.name,
                }
            }
        }
    };
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(outcome)
}

async fn join_company(
    ctx: &Context,
    tx: &mut Tx,
    user: &SessionUser,
    company: CompanyId,
    name: &str,
    role: Role,
) -> AppResult<()> {
    members::put(tx, company, user.user_id(), role, ctx.now()).await?;
    let message = Message::to(
        user.email.clone(),
        &user.name,
        tn("mail-joined-subject", [("company", plain(name))]),
    )
    .paragraph(tn("mail-joined-body", [("company", plain(name))]))
    .link(format!("{}/", ctx.config.base_url));
    mail::queue(ctx, tx, message).await
}

/// The companies a user may pick from (ACC-3 "several").
pub async fn candidates(ctx: &Context, user: &SessionUser) -> AppResult<Vec<Candidate>> {
    let email = EmailAddress::parse(&user.email).map_err(AppError::internal)?;
    let choice = user.access_choice().unwrap_or(AccessChoice::Enterprise);
    let mut tx = ctx.db.read().await?;
    let all = companies::validated_by_domain(&mut tx, email.domain()).await?;
    tx.rollback().await?;
    if supportal_domain::company::is_free_mail(email.domain()) {
        return Ok(Vec::new());
    }
    Ok(suiting(choice, all))
}

/// Joins one of the candidates; any other company is `404`.
pub async fn join(
    ctx: &Context,
    user: &SessionUser,
    company: CompanyId,
) -> AppResult<AccessOutcome> {
    let choice = user
        .access_choice()
        .ok_or_else(|| AppError::conflict("access_not_chosen"))?;
    if choice == AccessChoice::Basic {
        return Err(AppError::conflict("access_not_chosen"));
    }
    let picked = candidates(ctx, user)
        .await?
        .into_iter()
        .find(|c| c.id == company.get())
        .ok_or_else(AppError::not_found)?;
    let mut tx = ctx.db.begin().await?;
    if accounts::memberships(&mut tx, user.user_id())
        .await?
        .iter()
        .any(|m| m.active)
    {
        return Err(AppError::conflict("already_member"));
    }
    join_company(ctx, &mut tx, user, company, &picked.name, Role::Member).await?;
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(AccessOutcome::Joined {
        company_id: picked.id,
        company_name: picked.name,
    })
}

pub struct CompanyProfileInput {
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub serial_number: Option<String>,
}

#[derive(Debug)]
pub struct PendingCompany {
    pub company_id: i64,
    pub status: &'static str,
}

/// ACC-3 "none": the first registrant of an organisation describes it; the company waits for
/// the operator and the user is limited until then. A second registrant from the same domain
/// joins the pending company instead of creating another.
pub async fn submit_company_profile(
    ctx: &Context,
    user: &SessionUser,
    input: CompanyProfileInput,
) -> AppResult<PendingCompany> {
    let choice = user
        .access_choice()
        .ok_or_else(|| AppError::conflict("access_not_chosen"))?;
    let kind = match choice {
        AccessChoice::Enterprise => CompanyKind::Customer,
        AccessChoice::Partner => CompanyKind::PartnerResellMonitor,
        AccessChoice::Basic => return Err(AppError::conflict("access_not_chosen")),
    };
    let email = EmailAddress::parse(&user.email).map_err(AppError::internal)?;
    if supportal_domain::company::is_free_mail(email.domain()) {
        return Err(AppError::conflict("free_mail_domain"));
    }
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &input.name, NAME_MAX);
    let street = errors.required_text("street", &input.street, NAME_MAX);
    let postal_code = errors.required_text("postal_code", &input.postal_code, 20);
    let city = errors.required_text("city", &input.city, NAME_MAX);
    let country = errors.required_country("country", &input.country);
    let serial = errors.optional_text("serial_number", input.serial_number.as_deref(), 64);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    if !candidates(ctx, user).await?.is_empty() {
        return Err(AppError::conflict("company_exists_for_domain"));
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    if accounts::memberships(&mut tx, user.user_id())
        .await?
        .iter()
        .any(|m| m.active)
    {
        return Err(AppError::conflict("already_member"));
    }
    let existing = companies::pending_by_domain(&mut tx, email.domain()).await?;
    let company = match existing {
        Some(pending) => {
            members::put(&mut tx, pending, user.user_id(), Role::Member, now).await?;
            pending
        }
        None => {
            let address = format!("{street}, {postal_code} {city}, {country}");
            let site = SiteInput {
                name: name.clone(),
                street,
                city,
                postal_code,
                country,
                is_primary: true,
            };
            companies::create_pending(
                &mut tx,
                user.user_id(),
                NewCompany {
                    name: &name,
                    kind,
                    status: CompanyStatus::Pending,
                    address: &address,
                    serial_hint: serial.as_deref(),
                },
                email.domain(),
                &site,
                now,
            )
            .await?
        }
    };
    tx.commit().await?;
    Ok(PendingCompany {
        company_id: company.get(),
        status: CompanyStatus::Pending.as_str(),
    })
}

pub struct AccessRequestInput {
    pub phone: String,
    pub contact_method: String,
    pub page_url: String,
    pub intent: String,
    pub serial_number: Option<String>,
    pub company_name: String,
    pub site_address: String,
}

/// ACC-5: a basic or limited user asks for company access; the number is shown and emailed.
pub async fn request_access(
    ctx: &Context,
    user: &SessionUser,
    input: AccessRequestInput,
) -> AppResult<String> {
    let me = me(ctx, user).await?;
    if !matches!(me.tier, Tier::Basic | Tier::Limited) {
        return Err(AppError::conflict("already_upgraded"));
    }
    let mut errors = FieldErrors::new();
    if !is_phone(&input.phone) {
        errors.add(
            "phone",
            if input.phone.trim().is_empty() {
                "required"
            } else {
                "invalid_phone"
            },
        );
    }
    if !matches!(input.contact_method.as_str(), "email" | "phone") {
        errors.add("contact_method", "required");
    }
    let page_url = errors.required_text("page_url", &input.page_url, 500);
    let intent = errors.required_text("intent", &input.intent, TEXT_MAX);
    let serial_number = errors.optional_text("serial_number", input.serial_number.as_deref(), 64);
    let company_name = errors.required_text("company_name", &input.company_name, NAME_MAX);
    let site_address = errors.required_text("site_address", &input.site_address, TEXT_MAX);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let request = requests::NewRequest {
        phone: input.phone.trim().to_owned(),
        contact_method: input.contact_method,
        page_url,
        intent,
        serial_number,
        company_name,
        site_address,
    };
    let mut tx = ctx.db.begin().await?;
    let (_, number) = requests::create(&mut tx, user.user_id(), &request, ctx.now()).await?;
    let message = Message::to(
        user.email.clone(),
        &user.name,
        tn("mail-request-subject", [("number", plain(&number))]),
    )
    .paragraph(t("mail-request-body"))
    .highlight(&number)
    .link(format!("{}/access-requests", ctx.config.base_url));
    mail::queue(ctx, &mut tx, message).await?;
    tx.commit().await?;
    Ok(number)
}

pub async fn my_requests(
    ctx: &Context,
    user: &SessionUser,
) -> AppResult<Vec<requests::RequestRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = requests::mine(&mut tx, user.user_id()).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// What an invitation link shows before acceptance.
pub async fn invitation(ctx: &Context, code: &str) -> AppResult<invitations::InvitationRow> {
    let mut tx = ctx.db.read().await?;
    let row = invitations::find_by_code(&mut tx, &crate::auth::sha256_hex(code))
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.rollback().await?;
    Ok(row)
}

/// An invitation addressed to the signed-in person, by its id (where their notification
/// leads, NTF-1); anyone else's is not found.
pub async fn addressed_invitation(
    ctx: &Context,
    user: &SessionUser,
    id: i64,
) -> AppResult<invitations::InvitationRow> {
    let mut tx = ctx.db.read().await?;
    let row = invitations::addressed(&mut tx, id, &user.email)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.rollback().await?;
    Ok(row)
}

/// ACC-4: the signed-in, verified invitee joins with the role the admin chose.
pub async fn accept_invitation(
    ctx: &Context,
    user: &SessionUser,
    code: &str,
) -> AppResult<invitations::InvitationRow> {
    accept(ctx, user, invitation(ctx, code).await?).await
}

/// The same from the invitee's notification, by the invitation's id.
pub async fn accept_addressed(
    ctx: &Context,
    user: &SessionUser,
    id: i64,
) -> AppResult<invitations::InvitationRow> {
    accept(ctx, user, addressed_invitation(ctx, user, id).await?).await
}

async fn accept(
    ctx: &Context,
    user: &SessionUser,
    invite: invitations::InvitationRow,
) -> AppResult<invitations::InvitationRow> {
    if invite.accepted_at.is_some() {
        return Err(AppError::conflict("invitation_used"));
    }
    if invite.expires_at <= ctx.now() {
        return Err(AppError::new(
            crate::error::Kind::Gone,
            "invitation_expired",
        ));
    }
    if !invite.email.eq_ignore_ascii_case(&user.email) {
        return Err(AppError::forbidden("invitation_other_email"));
    }
    let role = Role::parse(&invite.role).unwrap_or(Role::Member);
    let mut tx = ctx.db.begin().await?;
    if !invitations::mark_accepted(
        &mut tx,
        supportal_domain::InvitationId(invite.id),
        user.user_id(),
        ctx.now(),
    )
    .await?
    {
        return Err(AppError::conflict("invitation_used"));
    }
    if user.access_choice().is_none() {
        accounts::set_access_choice(&mut tx, user.user_id(), AccessChoice::Enterprise).await?;
    }
    join_company(
        ctx,
        &mut tx,
        user,
        CompanyId(invite.company_id),
        &invite.company_name,
        role,
    )
    .await?;
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(invite)
}
