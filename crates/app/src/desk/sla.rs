//! Service levels (SUP-4): calendars and targets set up by operator admins, the clocks of each
//! case (started when it opens, paused while it waits on the customer, stopped when it ends),
//! and the sweep that flags breaches and tells the queue's engineers once.

use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{Message, plain, tn};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use supportal_domain::case::{CaseStatus, Severity};
use supportal_domain::desk::SLA_COVERAGES;
use supportal_domain::notice::NoticeKind;
use supportal_domain::sla::{Calendar, Hours, SlaClock, WEEKDAYS};
use supportal_domain::validation::NAME_MAX;
use supportal_domain::{CalendarId, FieldErrors, SlaId};
use supportal_store::cases::CaseKey;
use supportal_store::desk::sla::{
    self as store, Breach, CalendarRow, Clocks, NewCalendar, NewSla, SlaRow, Target,
};
use supportal_store::desk::work;
use supportal_store::notices::NewNotice;
use supportal_store::{StaffScope, StoreError, Tx};

/// A calendar to create (`POST /admin/calendars`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CalendarBody {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub hours: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// The most holidays a calendar keeps (years of them).
const HOLIDAYS_MAX: usize = 1000;

pub async fn create_calendar(
    ctx: &Context,
    staff: &StaffScope,
    body: CalendarBody,
) -> AppResult<CalendarId> {
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &body.name, NAME_MAX);
    for day in body.hours.keys() {
        if !WEEKDAYS.contains(&day.as_str()) {
            errors.add("hours", "invalid_choice");
        }
    }
    if body.hours.values().any(|r| r.len() > 12) || body.holidays.len() > HOLIDAYS_MAX {
        errors.add("hours", "too_long");
    }
    let hours: Vec<(String, Vec<String>)> = body.hours.clone().into_iter().collect();
    if let Err(found) = Calendar::parse(body.time_zone.trim(), &hours, &body.holidays) {
        for e in found.0 {
            errors.add(&e.field, e.code);
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hours_json = serde_json::to_string(&body.hours).map_err(AppError::internal)?;
    let holidays_json = serde_json::to_string(&body.holidays).map_err(AppError::internal)?;
    let mut tx = ctx.db.begin().await?;
    let calendar = NewCalendar {
        name: &name,
        time_zone: body.time_zone.trim(),
        hours: &hours_json,
        holidays: &holidays_json,
    };
    let id = match store::create_calendar(&mut tx, staff, &calendar, ctx.now()).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => return Err(AppError::conflict("calendar_name_taken")),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(id)
}

pub async fn calendars(ctx: &Context, staff: &StaffScope) -> AppResult<Vec<CalendarRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = store::calendars(&mut tx, staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// A target to set (`POST /admin/slas`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SlaBody {
    #[serde(default)]
    pub coverage: String,
    #[serde(default)]
    pub severity: i64,
    #[serde(default)]
    pub response_minutes: i64,
    #[serde(default)]
    pub resolution_minutes: i64,
    #[serde(default, deserialize_with = "crate::input::optional_id")]
    pub calendar_id: Option<i64>,
}

/// A year, the longest target.
const MINUTES_MAX: i64 = 366 * 24 * 60;

/// Sets the target for a coverage and severity (the one before is replaced).
pub async fn put_sla(ctx: &Context, staff: &StaffScope, body: SlaBody) -> AppResult<SlaId> {
    let mut errors = FieldErrors::new();
    let coverage = body.coverage.trim();
    if !SLA_COVERAGES.contains(&coverage) {
        errors.add("coverage", "invalid_choice");
    }
    if let Err(code) = Severity::new(body.severity) {
        errors.add("severity", code);
    }
    for (field, minutes) in [
        ("response_minutes", body.response_minutes),
        ("resolution_minutes", body.resolution_minutes),
    ] {
        if !(1..=MINUTES_MAX).contains(&minutes) {
            errors.add(field, "out_of_range");
        }
    }
    let mut tx = ctx.db.begin().await?;
    if let Some(id) = body.calendar_id
        && !store::calendar_exists(&mut tx, staff, CalendarId(id)).await?
    {
        errors.add("calendar_id", "invalid_choice");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let sla = NewSla {
        coverage,
        severity: body.severity,
        response_minutes: body.response_minutes,
        resolution_minutes: body.resolution_minutes,
        calendar: body.calendar_id.map(CalendarId),
    };
    let id = store::put_sla(&mut tx, staff, &sla, ctx.now()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn slas(ctx: &Context, staff: &StaffScope) -> AppResult<Vec<SlaRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = store::slas(&mut tx, staff).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// When a case's clocks run: round the clock for a case handled 24x7 or a target without a
/// calendar, else the calendar's business hours.
pub(crate) async fn hours(
    tx: &mut Tx,
    calendar: Option<i64>,
    handling_24x7: bool,
) -> AppResult<Hours> {
    let Some(id) = calendar.filter(|_| !handling_24x7) else {
        return Ok(Hours::Always);
    };
    let Some(row) = store::calendar(tx, CalendarId(id)).await? else {
        return Ok(Hours::Always);
    };
    let days: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&row.hours).map_err(AppError::internal)?;
    let days: Vec<(String, Vec<String>)> = days.into_iter().collect();
    let holidays: Vec<String> = serde_json::from_str(&row.holidays).map_err(AppError::internal)?;
    Calendar::parse(&row.time_zone, &days, &holidays)
        .map(Hours::Business)
        .map_err(|_| AppError::internal("a stored calendar no longer parses"))
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

/// The resolution clock as the domain reads it.
fn resolution_clock(c: &Clocks) -> Option<SlaClock> {
    Some(SlaClock {
        target: Duration::seconds(c.resolution_target_s?),
        used: Duration::seconds(c.resolution_used_s),
        running_since: c.resolution_since,
    })
}

fn store_resolution(c: &mut Clocks, clock: SlaClock, hours: &Hours) {
    c.resolution_used_s = clock.used.num_seconds();
    c.resolution_since = clock.running_since;
    c.resolution_due = clock.due(hours);
}

/// What a case's clocks are worked out from.
pub struct ClockFacts<'a> {
    pub coverage: &'a str,
    pub severity: i64,
    pub handling_24x7: bool,
    pub opened: DateTime<Utc>,
    /// The case waits on the customer: a clock started now starts stopped.
    pub waiting: bool,
}

/// The clocks a case opens with: due times from the target for its coverage and severity, on
/// the target's calendar (none for round-the-clock handling).
pub async fn opening_clocks(tx: &mut Tx, facts: &ClockFacts<'_>) -> AppResult<Clocks> {
    let mut clocks = Clocks {
        coverage: Some(facts.coverage.to_owned()),
        ..Clocks::default()
    };
    if let Some(target) = store::target(tx, facts.coverage, facts.severity).await? {
        let hours = hours(tx, target.calendar_id, facts.handling_24x7).await?;
        clocks.sla_calendar_id = target.calendar_id;
        clocks.response_due = Some(hours.add(facts.opened, minutes(target.response_minutes)));
        clocks.resolution_target_s = Some(target.resolution_minutes * 60);
        let clock = SlaClock::start(minutes(target.resolution_minutes), facts.opened);
        store_resolution(&mut clocks, clock, &hours);
    }
    Ok(clocks)
}

/// Moves the clocks with a status change: the resolution clock stops while the case waits on the
/// customer or is finished, and runs again when it is worked on.
pub async fn on_status(
    tx: &mut Tx,
    case: CaseKey,
    handling_24x7: bool,
    to: CaseStatus,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut clocks = store::clocks(tx, case).await?;
    let Some(clock) = resolution_clock(&clocks) else {
        return Ok(());
    };
    let hours = hours(tx, clocks.sla_calendar_id, handling_24x7).await?;
    let runs = to.is_open() && to != CaseStatus::WaitingOnCustomer;
    let clock = if runs {
        clock.resume(now)
    } else {
        clock.pause(&hours, now)
    };
    store_resolution(&mut clocks, clock, &hours);
    store::set_clocks(tx, case, &clocks).await?;
    Ok(())
}

/// The first public reply meets the response target.
pub async fn on_response(tx: &mut Tx, case: CaseKey, now: DateTime<Utc>) -> AppResult<()> {
    let mut clocks = store::clocks(tx, case).await?;
    if clocks.responded_at.is_none() {
        clocks.responded_at = Some(now);
        store::set_clocks(tx, case, &clocks).await?;
    }
    Ok(())
}

/// A new severity brings the targets of its own: the response due counts again from the
/// opening, and the resolution keeps the running time used so far.
pub async fn on_severity(
    tx: &mut Tx,
    case: CaseKey,
    facts: &ClockFacts<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut clocks = store::clocks(tx, case).await?;
    let Some(target) = store::target(tx, facts.coverage, facts.severity).await? else {
        // No target for the new severity: the old one's due times no longer apply.
        let cleared = Clocks {
            coverage: clocks.coverage.clone(),
            responded_at: clocks.responded_at,
            ..Clocks::default()
        };
        store::set_clocks(tx, case, &cleared).await?;
        return Ok(());
    };
    let hours = hours(tx, target.calendar_id, facts.handling_24x7).await?;
    clocks.sla_calendar_id = target.calendar_id;
    clocks.response_due = Some(hours.add(facts.opened, minutes(target.response_minutes)));
    clocks.resolution_target_s = Some(target.resolution_minutes * 60);
    let clock = match resolution_clock(&clocks) {
        Some(c) => SlaClock {
            target: minutes(target.resolution_minutes),
            ..c
        },
        None if facts.waiting => {
            SlaClock::start(minutes(target.resolution_minutes), now).pause(&hours, now)
        }
        None => SlaClock::start(minutes(target.resolution_minutes), now),
    };
    store_resolution(&mut clocks, clock, &hours);
    store::set_clocks(tx, case, &clocks).await?;
    Ok(())
}

/// Cases flagged per transaction by the sweep.
const SWEEP_BATCH: i64 = 500;

/// Flags every breach not flagged yet and tells the engineers of the case's queue, by email and
/// in the app, in the flag's transaction: once per breach, also with several processes
/// sweeping. Answers how many it flagged.
pub async fn sweep(ctx: &Context) -> AppResult<usize> {
    let mut flagged = 0;
    for target in [Target::Response, Target::Resolution] {
        loop {
            let now = ctx.now();
            let mut tx = ctx.db.begin().await?;
            let breaches = store::flag_breaches(&mut tx, target, now, SWEEP_BATCH).await?;
            for breach in &breaches {
                tell_breach(ctx, &mut tx, breach, target).await?;
            }
            tx.commit().await?;
            flagged += breaches.len();
            if (breaches.len() as i64) < SWEEP_BATCH {
                break;
            }
        }
    }
    Ok(flagged)
}

async fn tell_breach(ctx: &Context, tx: &mut Tx, breach: &Breach, target: Target) -> AppResult<()> {
    let Some(queue) = breach.queue_id else {
        return Ok(());
    };
    let kind = format!("sla-breach-{}", target.as_str());
    let notice = NewNotice {
        detail: Some(target.as_str()),
        ..NewNotice::case(NoticeKind::SlaBreach, breach.case_id)
    };
    for (user, email, name) in work::engineers(tx, queue).await? {
        let message = Message::to(
            email,
            &name,
            tn(
                "mail-sla-breach-subject",
                [
                    ("number", plain(&breach.number)),
                    ("target", crate::mail::Value::Message(kind.clone())),
                ],
            ),
        )
        .paragraph(tn(
            "mail-sla-breach-body",
            [
                ("number", plain(&breach.number)),
                ("title", plain(&breach.title)),
                ("target", crate::mail::Value::Message(kind.clone())),
            ],
        ))
        .link(format!("{}/cases/{}", ctx.config.base_url, breach.number));
        crate::notices::tell(ctx, tx, user, &notice, Some(message)).await?;
    }
    Ok(())
}
