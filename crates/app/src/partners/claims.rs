//! Reimbursement claims (PTN-5): a service-delivery partner's engineers claim the parts and
//! labour of a repair case in their queue; operator staff approve or reject each with a reason,
//! and the partner hears of the decision by email.

use crate::admin::staff;
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Message, Value, plain, tn};
use serde::Deserialize;
use supportal_domain::partner::{ClaimPart, Programme, check_claim};
use supportal_domain::validation::TEXT_MAX;
use supportal_domain::{ClaimId, FieldErrors};
use supportal_store::cases::{self, CaseViewer};
use supportal_store::partners::claims::{self, ClaimRow};
use supportal_store::partners::{self, PartnerScope};
use supportal_store::sessions::SessionUser;
use supportal_store::{StoreError, audit};

/// `POST /cases/{case_id}/claims`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClaimBody {
    #[serde(default)]
    pub parts: Vec<ClaimPart>,
    #[serde(default)]
    pub labour_minutes: i64,
    /// What the labour costs, in minor units (the parts' lines carry their own amounts).
    #[serde(default)]
    pub labour_amount: i64,
    #[serde(default)]
    pub currency: String,
}

/// Submits a claim for a case of the caller's repair queue. Anyone else: 404 for a case they do
/// not see, 403 for one they see but do not work.
pub async fn submit(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: ClaimBody,
) -> AppResult<ClaimRow> {
    let claim = check_claim(
        &body.parts,
        body.labour_minutes,
        body.labour_amount,
        &body.currency,
    )
    .map_err(AppError::from)?;
    let viewer = CaseViewer::of(user);
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let case = cases::get_for_update(&mut tx, &viewer, number)
        .await?
        .ok_or_else(crate::cases::not_found)?;
    let scope = match partners::own(&mut tx, user).await? {
        Some((scope, _)) if scope.programme() == Programme::ServiceDelivery => scope,
        _ => return Err(AppError::forbidden("service_partner_required")),
    };
    if viewer.repair_queue().is_none() || !viewer.works(case.queue_id) {
        return Err(AppError::forbidden("service_partner_required"));
    }
    let id = match claims::create(&mut tx, &scope, case.id, &claim, now).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => return Err(AppError::conflict("claim_exists")),
        Err(e) => return Err(e.into()),
    };
    cases::event(
        &mut tx,
        case.id,
        Some(user.user_id()),
        "claim_submitted",
        None,
        "",
        now,
    )
    .await?;
    let row = claims::partner_claim(&mut tx, &scope, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}

/// The partner's claims, newest first.
pub async fn of_partner(ctx: &Context, scope: &PartnerScope) -> AppResult<Vec<ClaimRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = claims::of_partner(&mut tx, scope).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// Every claim, or those of one status (operator staff).
pub async fn all(
    ctx: &Context,
    user: &SessionUser,
    status: Option<&str>,
) -> AppResult<Vec<ClaimRow>> {
    let staff = staff(user, false)?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if supportal_domain::partner::CLAIM_STATUSES.contains(&s) => Some(s),
        Some(_) => return Err(AppError::field("status", "invalid_choice")),
        None => None,
    };
    let mut tx = ctx.db.read().await?;
    let rows = claims::all(&mut tx, &staff, status).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// `POST /admin/claims/{id}/decision`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionBody {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Approves or rejects a submitted claim; a rejection needs a reason. Deciding twice: 409.
pub async fn decide(
    ctx: &Context,
    user: &SessionUser,
    id: ClaimId,
    body: DecisionBody,
) -> AppResult<ClaimRow> {
    let staff = staff(user, true)?;
    let mut errors = FieldErrors::new();
    let approved = match body.decision.trim() {
        "approve" | "approved" => Some(true),
        "reject" | "rejected" => Some(false),
        "" => {
            errors.add("decision", "required");
            None
        }
        _ => {
            errors.add("decision", "invalid_choice");
            None
        }
    };
    let reason = errors.optional_text(
        "reason",
        body.reason
            .as_deref()
            .map(crate::input::without_nul)
            .as_deref(),
        TEXT_MAX,
    );
    if approved == Some(false) && reason.is_none() {
        errors.add("reason", "required");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let approved = approved.unwrap_or(false);
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let claim = claims::get(&mut tx, &staff, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !claims::decide(&mut tx, &staff, id, approved, reason.as_deref(), now).await? {
        return Err(AppError::conflict("claim_decided"));
    }
    let status = if approved { "approved" } else { "rejected" };
    audit::record(
        &mut tx,
        staff.user_id(),
        Some(supportal_domain::CompanyId(claim.partner_company_id)),
        &format!("claim_{status}"),
        &claim.case_number,
        now,
    )
    .await?;
    if let Some((email, name)) = claims::submitter(&mut tx, id).await? {
        let mut message = Message::to(
            email,
            &name,
            tn(
                &format!("mail-claim-{status}-subject"),
                [("number", plain(&claim.case_number))],
            ),
        )
        .paragraph(tn(
            &format!("mail-claim-{status}-body"),
            [
                ("number", plain(&claim.case_number)),
                (
                    "amount",
                    Value::Money {
                        minor: claim.amount,
                        currency: claim.currency.clone(),
                    },
                ),
            ],
        ));
        if let Some(reason) = &reason {
            message = message.paragraph(crate::mail::Text::Verbatim(reason.clone()));
        }
        let message = message.link(format!(
            "{}/partner/{}/claims",
            ctx.config.base_url, claim.partner_company_id
        ));
        mail::queue(ctx, &mut tx, message).await?;
    }
    let row = claims::get(&mut tx, &staff, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(row)
}
