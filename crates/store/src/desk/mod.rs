//! The support desk's setup (SUP-2): queues with their engineers, ordered routing rules, and
//! the queue a case is routed to. Setting up is for operator admins (`StaffScope`); routing a new
//! case happens in the case's own transaction.

pub mod inbound;
pub mod sla;
pub mod work;

use crate::scope::StaffScope;
use crate::{Builder, Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::routing::{CaseFacts, Rule, When};
use supportal_domain::{CompanyId, QueueId, RoutingRuleId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    #[sqlx(try_from = "i64")]
    pub id: QueueId,
    pub name: String,
    pub language: Option<String>,
    pub is_default: bool,
    /// The engineers' emails, in order.
    #[sqlx(skip)]
    pub engineers: Vec<String>,
}

/// A queue to create.
pub struct NewQueue<'a> {
    pub name: &'a str,
    pub language: Option<&'a str>,
    pub is_default: bool,
    pub engineers: &'a [UserId],
}

/// Creates a queue with its engineers; a default queue takes over from the one before.
/// A name in use is a conflict.
pub async fn create_queue(
    tx: &mut Tx,
    _staff: &StaffScope,
    q: &NewQueue<'_>,
    now: DateTime<Utc>,
) -> Result<QueueId> {
    if q.is_default {
        // One default at a time, also when two admins make one at once.
        if let Some(lock) = tx.dialect().lock_name() {
            sql(lock).bind("queues:default").fetch_i64(tx).await?;
        }
        sql("UPDATE queues SET is_default = $1 WHERE is_default = $2")
            .bind(false)
            .bind(true)
            .execute(tx)
            .await?;
    }
    let id: QueueId = sql(
        "INSERT INTO queues (name, language, is_default, created_at) VALUES ($1, $2, $3, $4) RETURNING id AS v",
    )
    .bind(q.name)
    .bind(q.language)
    .bind(q.is_default)
    .bind(now)
    .fetch_id(tx)
    .await?;
    for engineer in q.engineers {
        sql("INSERT INTO queue_engineers (queue_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(*engineer)
            .execute(tx)
            .await?;
    }
    Ok(id)
}

/// Every queue of the operator's desk with its engineers, by name (a service partner's repair
/// queue is the partner's own).
pub async fn queues(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<QueueRow>> {
    let mut queues: Vec<QueueRow> =
        sql("SELECT id, name, language, is_default FROM queues WHERE partner_company_id IS NULL ORDER BY name")
            .fetch_all(tx)
            .await?;
    #[derive(sqlx::FromRow)]
    struct Engineer {
        #[sqlx(try_from = "i64")]
        queue_id: QueueId,
        email: String,
    }
    let engineers: Vec<Engineer> = sql(
        "SELECT e.queue_id, u.email FROM queue_engineers e JOIN users u ON u.id = e.user_id
         ORDER BY u.email",
    )
    .fetch_all(tx)
    .await?;
    for e in engineers {
        if let Some(q) = queues.iter_mut().find(|q| q.id == e.queue_id) {
            q.engineers.push(e.email);
        }
    }
    Ok(queues)
}

/// Whether the operator's desk has the queue (routing rules and moves name only those).
pub async fn queue_exists(tx: &mut Tx, _staff: &StaffScope, id: QueueId) -> Result<bool> {
    Ok(
        sql("SELECT COUNT(*) AS v FROM queues WHERE id = $1 AND partner_company_id IS NULL")
            .bind(id)
            .fetch_i64(tx)
            .await?
            > 0,
    )
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleRow {
    #[sqlx(try_from = "i64")]
    pub id: RoutingRuleId,
    pub position: i64,
    #[sqlx(try_from = "i64")]
    pub queue_id: QueueId,
    pub queue_name: String,
    pub product_line: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub severity: Option<i64>,
    pub coverage_24x7: Option<bool>,
    pub company_id: Option<i64>,
    pub pin: Option<String>,
}

impl RuleRow {
    pub fn when(&self) -> When {
        When {
            product_line: self.product_line.clone(),
            country: self.country.clone(),
            language: self.language.clone(),
            severity: self.severity,
            coverage_24x7: self.coverage_24x7,
            company_id: self.company_id,
            pin: self.pin.clone(),
        }
    }
}

pub async fn create_rule(
    tx: &mut Tx,
    _staff: &StaffScope,
    position: i64,
    queue: QueueId,
    when: &When,
    now: DateTime<Utc>,
) -> Result<RoutingRuleId> {
    sql("INSERT INTO routing_rules (position, queue_id, product_line, country, language, severity, coverage_24x7, company_id, pin, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id AS v")
    .bind(position)
    .bind(queue)
    .bind(when.product_line.clone())
    .bind(when.country.clone())
    .bind(when.language.clone())
    .bind(when.severity)
    .bind(when.coverage_24x7)
    .bind(when.company_id.map(CompanyId))
    .bind(when.pin.clone())
    .bind(now)
    .fetch_id(tx)
    .await
}

const RULES: &str =
    "SELECT r.id, r.position, r.queue_id, q.name AS queue_name, r.product_line, r.country,
    r.language, r.severity, r.coverage_24x7, r.company_id, r.pin
    FROM routing_rules r JOIN queues q ON q.id = r.queue_id";

/// Every rule in the order they are tried.
pub async fn rules(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<RuleRow>> {
    sql(format!("{RULES} ORDER BY r.position, r.id"))
        .fetch_all(tx)
        .await
}

/// What routing a new case needs, in one read: the rules in order and the default queue.
pub async fn routing(tx: &mut Tx) -> Result<(Vec<Rule<QueueId>>, Option<QueueId>)> {
    let rows: Vec<RuleRow> = sql(format!("{RULES} ORDER BY r.position, r.id"))
        .fetch_all(tx)
        .await?;
    let default: Option<QueueId> = sql("SELECT id AS v FROM queues WHERE is_default = $1")
        .bind(true)
        .fetch_optional::<One>(tx)
        .await?
        .map(|one| QueueId(one.v));
    let rules = rows
        .iter()
        .map(|r| Rule {
            position: r.position,
            queue: r.queue_id,
            when: r.when(),
        })
        .collect();
    Ok((rules, default))
}

#[derive(sqlx::FromRow)]
struct One {
    v: i64,
}

/// The ids of staff accounts among `emails`, in order; an address that is not staff is `None`.
pub async fn staff_ids(tx: &mut Tx, emails: &[String]) -> Result<Vec<Option<UserId>>> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct Found {
        id: i64,
        email: String,
    }
    let mut b = Builder::new();
    let marks: Vec<String> = emails.iter().map(|e| b.arg(e.as_str())).collect();
    let active = b.arg(true);
    b.push(&format!(
        "SELECT id, email FROM users WHERE staff_role IS NOT NULL AND active = {active} AND email IN ({})",
        marks.join(", ")
    ));
    let found: Vec<Found> = b.query().fetch_all(tx).await?;
    Ok(emails
        .iter()
        .map(|e| found.iter().find(|f| &f.email == e).map(|f| UserId(f.id)))
        .collect())
}

/// The code of a PIN, for routing on it.
pub async fn pin_code(tx: &mut Tx, pin: supportal_domain::PinId) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct Code {
        code: String,
    }
    Ok(sql("SELECT code FROM company_pins WHERE id = $1")
        .bind(pin)
        .fetch_optional::<Code>(tx)
        .await?
        .map(|c| c.code))
}

/// Puts a case in a queue.
pub async fn set_queue(tx: &mut Tx, case: crate::cases::CaseKey, queue: QueueId) -> Result<()> {
    let changed = sql("UPDATE cases SET queue_id = $2 WHERE id = $1")
        .bind(case)
        .bind(queue)
        .execute(tx)
        .await?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The name of the queue a case is in, by its number (`None`: in none, or no such case).
pub async fn queue_of(tx: &mut Tx, _staff: &StaffScope, number: &str) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct Name {
        name: String,
    }
    Ok(
        sql("SELECT q.name FROM cases c JOIN queues q ON q.id = c.queue_id WHERE c.number = $1")
            .bind(number)
            .fetch_optional::<Name>(tx)
            .await?
            .map(|n| n.name),
    )
}

/// What routing looks at, read back from a case already open (for routing it again).
pub async fn facts_of(tx: &mut Tx, case: crate::cases::CaseKey) -> Result<CaseFacts> {
    #[derive(sqlx::FromRow)]
    struct Facts {
        product_line: String,
        country: String,
        language: Option<String>,
        severity: i64,
        coverage: Option<String>,
        handling_24x7: bool,
        company_id: i64,
        pin: Option<String>,
    }
    let f: Facts = sql("SELECT l.name AS product_line, c.country, pr.language, c.severity, c.coverage, c.handling_24x7,
             c.company_id, pn.code AS pin
         FROM cases c JOIN products p ON p.id = c.product_id JOIN product_lines l ON l.id = p.product_line_id
         LEFT JOIN profiles pr ON pr.user_id = c.submitter_id LEFT JOIN company_pins pn ON pn.id = c.pin_id
         WHERE c.id = $1")
    .bind(case)
    .fetch_one(tx)
    .await?;
    Ok(CaseFacts {
        product_line: f.product_line,
        country: f.country,
        language: f.language,
        severity: f.severity,
        coverage_24x7: f.handling_24x7
            || matches!(
                f.coverage.as_deref(),
                Some("4h_24x7_onsite") | Some("incident")
            ),
        company_id: f.company_id,
        pin: f.pin,
    })
}

/// Adds an engineer to a queue (a second time changes nothing).
pub async fn add_engineer(tx: &mut Tx, queue: QueueId, engineer: UserId) -> Result<()> {
    sql("INSERT INTO queue_engineers (queue_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(queue)
        .bind(engineer)
        .execute(tx)
        .await?;
    Ok(())
}
