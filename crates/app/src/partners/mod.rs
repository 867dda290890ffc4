//! The partner channel (PTN-1 to PTN-6). The operator enrols partner companies in a programme
//! and issues distributors' feed tokens (here); distributors report resold devices (`feed`);
//! partners work their unassigned devices and customer dashboards (`dashboards`); device agents
//! report alerts that end users or partners turn into repair cases (`alerts`, `repair`); service
//! partners claim their repairs back (`claims`).

pub mod alerts;
pub mod claims;
pub mod dashboards;
pub mod feed;
pub mod repair;

use crate::admin::staff;
use crate::auth::{random_token, sha256_hex};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use serde::Deserialize;
use supportal_domain::partner::Programme;
use supportal_domain::validation::NAME_MAX;
use supportal_domain::{CompanyId, CompanyStatus, FeedTokenId, FieldErrors};
use supportal_store::partners::{self, FeedTokenRow, PartnerScope, ProgrammeRow};
use supportal_store::sessions::SessionUser;
use supportal_store::{CompanyScope, audit};

/// The caller's scope in partner `company`: 404 for anyone who does not work for that enrolled
/// partner (its existence is not told).
pub async fn scope(
    ctx: &Context,
    user: &SessionUser,
    company: CompanyId,
) -> AppResult<PartnerScope> {
    let mut tx = ctx.db.read().await?;
    let scope = partners::scope(&mut tx, user, company).await?;
    tx.rollback().await?;
    scope.ok_or_else(AppError::not_found)
}

/// The enrolled partner the caller works for, with its name (for the navigation).
pub async fn own(ctx: &Context, user: &SessionUser) -> AppResult<Option<(PartnerScope, String)>> {
    if user.staff_role().is_some() {
        return Ok(None);
    }
    let mut tx = ctx.db.read().await?;
    let own = partners::own(&mut tx, user).await?;
    tx.rollback().await?;
    Ok(own)
}

/// `PUT /admin/partners/{company_id}/programme`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgrammeBody {
    #[serde(default = "yes", deserialize_with = "crate::input::checkbox")]
    pub enrolled: bool,
    #[serde(default)]
    pub kind: String,
}

fn yes() -> bool {
    true
}

/// Enrols a validated partner company in a programme, changes it, or withdraws it (PTN-1). A
/// service-delivery partner gets its repair queue the first time. Devices reported to it before
/// appear on its unassigned list from now on.
pub async fn set_programme(
    ctx: &Context,
    user: &SessionUser,
    company: CompanyId,
    body: ProgrammeBody,
) -> AppResult<ProgrammeRow> {
    let staff = staff(user, true)?;
    let programme = Programme::parse(body.kind.trim())
        .ok_or_else(|| AppError::field("kind", "invalid_choice"))?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let current = partners::programme(&mut tx, &staff, company)
        .await?
        .ok_or_else(AppError::not_found)?;
    if current.status != CompanyStatus::Validated.as_str() {
        return Err(AppError::conflict("company_not_validated"));
    }
    if current.company_kind == "customer" && current.kind.is_none() {
        return Err(AppError::conflict("not_a_partner"));
    }
    let queue = match (programme, current.queue_id, body.enrolled) {
        (Programme::ServiceDelivery, None, true) => {
            let name = format!("{} — repairs #{}", current.name, company.get());
            Some(partners::create_repair_queue(&mut tx, &staff, company, &name, now).await?)
        }
        _ => None,
    };
    partners::set_programme(
        &mut tx,
        &staff,
        company,
        programme,
        body.enrolled,
        queue,
        now,
    )
    .await?;
    let action = match body.enrolled {
        true => "partner_enrolled",
        false => "partner_withdrawn",
    };
    audit::record(
        &mut tx,
        staff.user_id(),
        Some(company),
        action,
        programme.as_str(),
        now,
    )
    .await?;
    let row = partners::programme(&mut tx, &staff, company)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// Every partner company with its programme (operator staff).
pub async fn programmes(ctx: &Context, user: &SessionUser) -> AppResult<Vec<ProgrammeRow>> {
    let staff = staff(user, false)?;
    let mut tx = ctx.db.read().await?;
    let rows = partners::programmes(&mut tx, &staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// `POST /admin/feed-tokens`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FeedTokenBody {
    #[serde(default)]
    pub name: String,
}

/// A new feed token: the secret is in the answer only; the store keeps its hash.
pub struct NewFeedToken {
    pub id: FeedTokenId,
    pub name: String,
    pub token: String,
}

/// Issues a distributor's feed token (PTN-2), shown once.
pub async fn create_feed_token(
    ctx: &Context,
    user: &SessionUser,
    body: FeedTokenBody,
) -> AppResult<NewFeedToken> {
    let staff = staff(user, true)?;
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &crate::input::without_nul(&body.name), NAME_MAX);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let token = format!("sfeed_{}", random_token());
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let id = partners::create_feed_token(&mut tx, &staff, &name, &sha256_hex(&token), now).await?;
    audit::record(
        &mut tx,
        staff.user_id(),
        None,
        "feed_token_created",
        &name,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(NewFeedToken { id, name, token })
}

pub async fn feed_tokens(ctx: &Context, user: &SessionUser) -> AppResult<Vec<FeedTokenRow>> {
    let staff = staff(user, false)?;
    let mut tx = ctx.db.read().await?;
    let rows = partners::feed_tokens(&mut tx, &staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// Revokes a feed token; at once, in every process (the token is looked up per request).
pub async fn revoke_feed_token(
    ctx: &Context,
    user: &SessionUser,
    id: FeedTokenId,
) -> AppResult<()> {
    let staff = staff(user, true)?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    if !partners::revoke_feed_token(&mut tx, &staff, id, now).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        staff.user_id(),
        None,
        "feed_token_revoked",
        &id.to_string(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A customer company's devices on the dashboards its partners made for it (PTN-4).
pub async fn customer_devices(
    ctx: &Context,
    scope: &CompanyScope,
) -> AppResult<Vec<supportal_store::partners::devices::DeviceRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = supportal_store::partners::devices::customer_devices(&mut tx, scope).await?;
    tx.rollback().await?;
    Ok(rows)
}
