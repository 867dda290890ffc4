//! The JSON shapes of the desk setup API (`../shared/product/API.md`, Desk setup).

use serde::Serialize;
use supportal_store::desk::{QueueRow, RuleRow};

/// A desk queue with its engineers.
#[derive(Debug, Serialize)]
pub struct Queue {
    pub id: i64,
    pub name: String,
    pub language: Option<String>,
    pub default: bool,
    pub engineers: Vec<String>,
}

impl From<&QueueRow> for Queue {
    fn from(q: &QueueRow) -> Queue {
        Queue {
            id: q.id.get(),
            name: q.name.clone(),
            language: q.language.clone(),
            default: q.is_default,
            engineers: q.engineers.clone(),
        }
    }
}

/// A routing rule: where it stands, the queue it names and its conditions.
#[derive(Debug, Serialize)]
pub struct Rule {
    pub id: i64,
    pub position: i64,
    pub queue_id: i64,
    pub queue: String,
    pub when: When,
}

/// The conditions a rule sets; those left out are absent.
#[derive(Debug, Serialize)]
pub struct When {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage_24x7: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
}

impl From<&RuleRow> for Rule {
    fn from(r: &RuleRow) -> Rule {
        Rule {
            id: r.id.get(),
            position: r.position,
            queue_id: r.queue_id.get(),
            queue: r.queue_name.clone(),
            when: When {
                product_line: r.product_line.clone(),
                country: r.country.clone(),
                language: r.language.clone(),
                severity: r.severity,
                coverage_24x7: r.coverage_24x7,
                company_id: r.company_id,
                pin: r.pin.clone(),
            },
        }
    }
}

/// What a setup `POST` answers: the new thing's id.
#[derive(Debug, Serialize)]
pub struct Created {
    pub id: i64,
}

/// A queue on the engineer's console with its counts.
#[derive(Debug, Serialize)]
pub struct QueueCount {
    pub id: i64,
    pub name: String,
    pub open: i64,
    pub unassigned: i64,
    pub breached: i64,
}

impl From<&supportal_store::desk::work::QueueCounts> for QueueCount {
    fn from(q: &supportal_store::desk::work::QueueCounts) -> QueueCount {
        QueueCount {
            id: q.id.get(),
            name: q.name.clone(),
            open: q.open,
            unassigned: q.unassigned,
            breached: q.breached,
        }
    }
}

/// A case on a queue list (`GET /desk/cases`).
#[derive(Debug, Serialize)]
pub struct DeskCase {
    pub case_id: String,
    pub title: String,
    pub company: String,
    pub severity: i64,
    pub status: String,
    pub queue: Option<String>,
    pub assignee: Option<String>,
    pub response_due: Option<chrono::DateTime<chrono::Utc>>,
    pub resolution_due: Option<chrono::DateTime<chrono::Utc>>,
    pub breached: bool,
}

impl From<&supportal_store::cases::CaseRow> for DeskCase {
    fn from(c: &supportal_store::cases::CaseRow) -> DeskCase {
        DeskCase {
            case_id: c.number.clone(),
            title: c.title.clone(),
            company: c.company_name.clone(),
            severity: c.severity,
            status: c.status.clone(),
            queue: c.queue_name.clone(),
            assignee: c.assignee_name.clone(),
            response_due: c.response_due.filter(|_| c.responded_at.is_none()),
            resolution_due: c.resolution_due,
            breached: c.breached,
        }
    }
}

/// One page of a queue list.
#[derive(Debug, Serialize)]
pub struct DeskList {
    pub items: Vec<DeskCase>,
    pub next_cursor: Option<String>,
}

/// A business-hours calendar.
#[derive(Debug, Serialize)]
pub struct Calendar {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    pub hours: serde_json::Value,
    pub holidays: serde_json::Value,
}

impl From<&supportal_store::desk::sla::CalendarRow> for Calendar {
    fn from(c: &supportal_store::desk::sla::CalendarRow) -> Calendar {
        Calendar {
            id: c.id.get(),
            name: c.name.clone(),
            time_zone: c.time_zone.clone(),
            hours: serde_json::from_str(&c.hours).unwrap_or_default(),
            holidays: serde_json::from_str(&c.holidays).unwrap_or_default(),
        }
    }
}

/// A service-level target.
#[derive(Debug, Serialize)]
pub struct Sla {
    pub id: i64,
    pub coverage: String,
    pub severity: i64,
    pub response_minutes: i64,
    pub resolution_minutes: i64,
    pub calendar_id: Option<i64>,
}

impl From<&supportal_store::desk::sla::SlaRow> for Sla {
    fn from(s: &supportal_store::desk::sla::SlaRow) -> Sla {
        Sla {
            id: s.id.get(),
            coverage: s.coverage.clone(),
            severity: s.severity,
            response_minutes: s.response_minutes,
            resolution_minutes: s.resolution_minutes,
            calendar_id: s.calendar_id,
        }
    }
}
