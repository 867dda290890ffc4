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
