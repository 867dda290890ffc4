//! Giving a spent incident back (SUP-3): an engineer refunds the incident that paid for a case.

use super::work::{BODY_MAX, desk_case};
use crate::admin::staff;
use crate::cases::{CaseDetail, detail};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use serde::Deserialize;
use supportal_domain::FieldErrors;
use supportal_store::cases;
use supportal_store::sessions::SessionUser;
use supportal_store::{StoreError, agreements, audit};

/// Why an incident is given back (`POST /cases/{id}/refund`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RefundBody {
    #[serde(default)]
    pub reason: String,
}

/// Gives the case's spent incident back to its agreement (SUP-3): audited and in the history;
/// 409 `already_refunded` the second time, `no_incident` for a case no incident paid for.
pub async fn refund(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: RefundBody,
) -> AppResult<CaseDetail> {
    let mut errors = FieldErrors::new();
    let reason = errors.required_text("reason", &body.reason, BODY_MAX);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let scope = staff(user, false)?;
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    let use_id = case
        .incident_use_id
        .ok_or_else(|| AppError::conflict("no_incident"))?;
    let now = ctx.now();
    match agreements::refund(
        &mut tx,
        &scope,
        supportal_domain::IncidentUseId(use_id),
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => return Err(AppError::conflict("already_refunded")),
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut tx,
        Some(user.user_id()),
        Some(supportal_domain::CompanyId(case.company_id)),
        "incident_refunded",
        &format!("{}: {reason}", case.number),
        now,
    )
    .await?;
    cases::event(
        &mut tx,
        case.id,
        Some(user.user_id()),
        "incident_refunded",
        None,
        &reason,
        now,
    )
    .await?;
    tx.commit().await?;
    detail(ctx, user, number).await
}
