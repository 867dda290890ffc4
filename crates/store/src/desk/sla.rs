//! Service levels (SUP-4): business-hours calendars, targets per coverage and severity, each
//! case's clocks, and the sweep that flags breaches once.

use crate::cases::CaseKey;
use crate::scope::StaffScope;
use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{CalendarId, SlaId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarRow {
    #[sqlx(try_from = "i64")]
    pub id: CalendarId,
    pub name: String,
    pub time_zone: String,
    /// `{"mon": ["08:00-17:00"], …}` as JSON text.
    pub hours: String,
    /// `["YYYY-MM-DD", …]` as JSON text.
    pub holidays: String,
}

/// A calendar to store; its hours and holidays were checked by the domain.
pub struct NewCalendar<'a> {
    pub name: &'a str,
    pub time_zone: &'a str,
    pub hours: &'a str,
    pub holidays: &'a str,
}

/// A name in use is a conflict.
pub async fn create_calendar(
    tx: &mut Tx,
    _staff: &StaffScope,
    c: &NewCalendar<'_>,
    now: DateTime<Utc>,
) -> Result<CalendarId> {
    sql("INSERT INTO calendars (name, time_zone, hours, holidays, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id AS v")
        .bind(c.name)
        .bind(c.time_zone)
        .bind(c.hours)
        .bind(c.holidays)
        .bind(now)
        .fetch_id(tx)
        .await
}

const CALENDAR: &str = "SELECT id, name, time_zone, hours, holidays FROM calendars";

pub async fn calendars(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<CalendarRow>> {
    let text = format!("{CALENDAR} ORDER BY name");
    sql(text).fetch_all(tx).await
}

/// One calendar, for a case's clock (read inside the case's transaction).
pub async fn calendar(tx: &mut Tx, id: CalendarId) -> Result<Option<CalendarRow>> {
    let text = format!("{CALENDAR} WHERE id = $1");
    sql(text).bind(id).fetch_optional(tx).await
}

pub async fn calendar_exists(tx: &mut Tx, _staff: &StaffScope, id: CalendarId) -> Result<bool> {
    Ok(sql("SELECT COUNT(*) AS v FROM calendars WHERE id = $1")
        .bind(id)
        .fetch_i64(tx)
        .await?
        > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SlaRow {
    #[sqlx(try_from = "i64")]
    pub id: SlaId,
    pub coverage: String,
    pub severity: i64,
    pub response_minutes: i64,
    pub resolution_minutes: i64,
    pub calendar_id: Option<i64>,
}

/// A target for a coverage and severity.
pub struct NewSla<'a> {
    pub coverage: &'a str,
    pub severity: i64,
    pub response_minutes: i64,
    pub resolution_minutes: i64,
    pub calendar: Option<CalendarId>,
}

/// Sets the target for a coverage and severity, replacing the one before (a retry changes
/// nothing); answers its id.
pub async fn put_sla(
    tx: &mut Tx,
    _staff: &StaffScope,
    s: &NewSla<'_>,
    now: DateTime<Utc>,
) -> Result<SlaId> {
    sql("INSERT INTO slas (coverage, severity, response_minutes, resolution_minutes, calendar_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (coverage, severity) DO UPDATE SET response_minutes = $3, resolution_minutes = $4, calendar_id = $5
         RETURNING id AS v")
        .bind(s.coverage)
        .bind(s.severity)
        .bind(s.response_minutes)
        .bind(s.resolution_minutes)
        .bind(s.calendar)
        .bind(now)
        .fetch_id(tx)
        .await
}

const SLA: &str =
    "SELECT id, coverage, severity, response_minutes, resolution_minutes, calendar_id FROM slas";

pub async fn slas(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<SlaRow>> {
    let text = format!("{SLA} ORDER BY coverage, severity");
    sql(text).fetch_all(tx).await
}

/// The target a case of this coverage and severity runs on, if the operator set one.
pub async fn target(tx: &mut Tx, coverage: &str, severity: i64) -> Result<Option<SlaRow>> {
    let text = format!("{SLA} WHERE coverage = $1 AND severity = $2");
    sql(text)
        .bind(coverage)
        .bind(severity)
        .fetch_optional(tx)
        .await
}

/// A case's service-level clocks, as stored.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Clocks {
    pub coverage: Option<String>,
    pub sla_calendar_id: Option<i64>,
    pub response_due: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub resolution_target_s: Option<i64>,
    pub resolution_used_s: i64,
    pub resolution_since: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
}

impl Clocks {
    /// The due time that matters next: the response until it is met, then the resolution.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        match (self.response_due, self.responded_at) {
            (Some(due), None) => Some(due),
            _ => self.resolution_due,
        }
    }
}

pub async fn clocks(tx: &mut Tx, case: CaseKey) -> Result<Clocks> {
    sql("SELECT coverage, sla_calendar_id, response_due, responded_at, resolution_target_s, resolution_used_s,
         resolution_since, resolution_due FROM cases WHERE id = $1")
        .bind(case)
        .fetch_one(tx)
        .await
}

/// Stores a case's clocks and the next due time its queue sorts by.
pub async fn set_clocks(tx: &mut Tx, case: CaseKey, c: &Clocks) -> Result<()> {
    let changed = sql("UPDATE cases SET coverage = $2, sla_calendar_id = $3, response_due = $4, responded_at = $5,
         resolution_target_s = $6, resolution_used_s = $7, resolution_since = $8, resolution_due = $9, sla_due = $10
         WHERE id = $1")
        .bind(case)
        .bind(c.coverage.as_deref())
        .bind(c.sla_calendar_id)
        .bind(c.response_due)
        .bind(c.responded_at)
        .bind(c.resolution_target_s)
        .bind(c.resolution_used_s)
        .bind(c.resolution_since)
        .bind(c.resolution_due)
        .bind(c.next_due())
        .execute(tx)
        .await?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// A breach just flagged, with whom to tell.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Breach {
    #[sqlx(try_from = "crate::cases::read::CaseId")]
    pub case_id: CaseKey,
    pub number: String,
    pub title: String,
    pub queue_id: Option<i64>,
}

/// Which target a breach missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Response,
    Resolution,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Response => "response",
            Target::Resolution => "resolution",
        }
    }
}

/// Flags up to `limit` cases whose `target` fell due before `now` and were not flagged yet, and
/// answers them. Rows another process is flagging are skipped, and each case is flagged once:
/// the caller tells the engineers in the same transaction.
pub async fn flag_breaches(
    tx: &mut Tx,
    target: Target,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Breach>> {
    let (flag, due_col, still_running) = match target {
        Target::Response => (
            "response_breached_at",
            "response_due",
            "responded_at IS NULL",
        ),
        Target::Resolution => (
            "resolution_breached_at",
            "resolution_due",
            "resolution_since IS NOT NULL",
        ),
    };
    let due_cond =
        format!("{due_col} < $1 AND {still_running} AND {flag} IS NULL AND finished_at IS NULL");
    let skip = tx.dialect().skip_locked();
    let text = format!(
        "UPDATE cases SET {flag} = $1 WHERE id IN (SELECT id FROM cases WHERE {due_cond} ORDER BY {due_col} LIMIT $2{skip})
         RETURNING id AS case_id, number, title, queue_id"
    );
    sql(text).bind(now).bind(limit).fetch_all(tx).await
}
