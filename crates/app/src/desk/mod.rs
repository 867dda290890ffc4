//! The support desk's setup (SUP-1, SUP-2): operator admins create queues with their engineers
//! and ordered routing rules; every new case is routed in its own transaction.

pub mod inbound;
pub mod orders;
mod refund;
pub mod sla;
pub mod work;

use crate::context::Context;
use crate::error::{AppError, AppResult};
use serde::Deserialize;
use supportal_domain::case::Severity;
use supportal_domain::profile::{LANGUAGES, is_country};
use supportal_domain::routing::{CaseFacts, When, route};
use supportal_domain::validation::NAME_MAX;
use supportal_domain::{CompanyId, EmailAddress, FieldErrors, PinId, QueueId, RoutingRuleId};
use supportal_store::desk::{self, NewQueue, QueueRow, RuleRow};
use supportal_store::{StaffScope, StoreError, Tx};

/// A queue to create (`POST /admin/queues`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QueueBody {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub engineers: Vec<String>,
    #[serde(default)]
    pub language: Option<String>,
    /// The queue for cases no rule matches.
    #[serde(default, deserialize_with = "crate::input::checkbox")]
    pub default: bool,
}

/// Creates a queue; its engineers are staff accounts named by email. 409 `queue_name_taken`
/// for a name in use.
pub async fn create_queue(
    ctx: &Context,
    staff: &StaffScope,
    body: QueueBody,
) -> AppResult<QueueId> {
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &body.name, NAME_MAX);
    let language = body
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    if language.is_some_and(|l| !LANGUAGES.contains(&l)) {
        errors.add("language", "invalid_choice");
    }
    let mut emails = Vec::new();
    for email in &body.engineers {
        match EmailAddress::parse(email) {
            Ok(e) if !emails.contains(&e.to_string()) => emails.push(e.to_string()),
            Ok(_) => {}
            Err(_) => errors.add("engineers", "invalid_email"),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = ctx.db.begin().await?;
    let found = desk::staff_ids(&mut tx, &emails).await?;
    if found.iter().any(Option::is_none) {
        return Err(AppError::field("engineers", "unknown_engineer"));
    }
    let engineers: Vec<_> = found.into_iter().flatten().collect();
    let queue = NewQueue {
        name: &name,
        language,
        is_default: body.default,
        engineers: &engineers,
    };
    let id = match desk::create_queue(&mut tx, staff, &queue, ctx.now()).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => return Err(AppError::conflict("queue_name_taken")),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(id)
}

pub async fn queues(ctx: &Context, staff: &StaffScope) -> AppResult<Vec<QueueRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = desk::queues(&mut tx, staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// A routing rule's conditions as sent; each left out holds for every case.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WhenBody {
    pub product_line: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub severity: Option<i64>,
    pub coverage_24x7: Option<bool>,
    pub company_id: Option<i64>,
    pub pin: Option<String>,
}

/// A routing rule to create (`POST /admin/routing-rules`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuleBody {
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub queue_id: i64,
    #[serde(default)]
    pub when: WhenBody,
}

fn text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Creates a routing rule: the queue must exist, and each condition must be one a case can
/// have (a known country and language, a severity from 1 to 4, an existing company).
pub async fn create_rule(
    ctx: &Context,
    staff: &StaffScope,
    body: RuleBody,
) -> AppResult<RoutingRuleId> {
    let mut errors = FieldErrors::new();
    let w = &body.when;
    let when = When {
        product_line: text(&w.product_line),
        country: text(&w.country).map(|c| c.to_ascii_uppercase()),
        language: text(&w.language),
        severity: w.severity,
        coverage_24x7: w.coverage_24x7,
        company_id: w.company_id,
        pin: text(&w.pin),
    };
    if when
        .product_line
        .as_ref()
        .is_some_and(|p| p.chars().count() > NAME_MAX)
    {
        errors.add("when.product_line", "too_long");
    }
    if when
        .pin
        .as_ref()
        .is_some_and(|p| p.chars().count() > NAME_MAX)
    {
        errors.add("when.pin", "too_long");
    }
    if when.country.as_deref().is_some_and(|c| !is_country(c)) {
        errors.add("when.country", "invalid_country");
    }
    if when
        .language
        .as_deref()
        .is_some_and(|l| !LANGUAGES.contains(&l))
    {
        errors.add("when.language", "invalid_choice");
    }
    if let Some(Err(code)) = when.severity.map(Severity::new) {
        errors.add("when.severity", code);
    }
    if !(0..=1_000_000).contains(&body.position) {
        errors.add("position", "out_of_range");
    }
    let mut tx = ctx.db.begin().await?;
    if !desk::queue_exists(&mut tx, staff, QueueId(body.queue_id)).await? {
        errors.add("queue_id", "invalid_choice");
    }
    if let Some(company) = when.company_id
        && !supportal_store::companies::exists(&mut tx, staff, CompanyId(company)).await?
    {
        errors.add("when.company_id", "unknown_company");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let id = desk::create_rule(
        &mut tx,
        staff,
        body.position,
        QueueId(body.queue_id),
        &when,
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rules(ctx: &Context, staff: &StaffScope) -> AppResult<Vec<RuleRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = desk::rules(&mut tx, staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// Where a new case starts on the desk: the queue routing picks and its service-level clocks.
/// Read before the case's write, so the write is one statement and holds no lock meanwhile.
pub async fn opening(
    ctx: &Context,
    facts: &CaseFacts,
    pin: Option<PinId>,
    clock: &sla::ClockFacts<'_>,
) -> AppResult<supportal_store::cases::DeskStart> {
    let mut tx = ctx.db.read().await?;
    let (rules, default) = desk::routing(&mut tx).await?;
    let mut facts = facts.clone();
    if let Some(pin) = pin
        && rules.iter().any(|r| r.when.pin.is_some())
    {
        facts.pin = desk::pin_code(&mut tx, pin).await?;
    }
    let queue_id = route(&rules, default, &facts).map(|q| q.get());
    let clocks = sla::opening_clocks(&mut tx, clock).await?;
    tx.rollback().await?;
    Ok(supportal_store::cases::DeskStart { queue_id, clocks })
}

/// Routes an open case again after a change routing looks at (its severity), when no engineer
/// has claimed it.
pub async fn reroute(
    tx: &mut Tx,
    case: &supportal_store::cases::CaseRow,
    severity: i64,
) -> AppResult<()> {
    let (rules, default) = desk::routing(tx).await?;
    let mut facts = desk::facts_of(tx, case.id).await?;
    facts.severity = severity;
    if let Some(queue) = route(&rules, default, &facts) {
        desk::set_queue(tx, case.id, queue).await?;
    }
    Ok(())
}
