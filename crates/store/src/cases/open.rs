//! Opening a case: the new case's fields, a fresh number, and `open`, which writes the case, its
//! `created` event, the confirmation email and the incident together.

use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use rand::Rng;
use supportal_domain::UserId;
use supportal_domain::case::case_number;

#[derive(Debug, Clone, Default)]
pub struct NewCase {
    pub company_id: supportal_domain::CompanyId,
    /// None for a case a device's end user opened from an alert's link, without an account.
    pub submitter_id: Option<supportal_domain::UserId>,
    pub severity: i64,
    pub handling_24x7: bool,
    pub title: String,
    pub description: String,
    pub troubleshooting: String,
    pub product_id: supportal_domain::ProductId,
    pub asset_id: Option<supportal_domain::AssetId>,
    pub serial_number: Option<String>,
    pub version: Option<String>,
    pub category: Option<String>,
    pub problem_type: Option<String>,
    pub entitlement_kind: String,
    pub entitlement_id: i64,
    pub country: String,
    pub time_zone: String,
    pub pin_id: Option<supportal_domain::PinId>,
    pub primary_name: String,
    pub primary_email: String,
    pub primary_phone: Option<String>,
    pub alternate_name: Option<String>,
    pub alternate_email: Option<String>,
    pub alternate_phone: Option<String>,
    pub site_id: Option<supportal_domain::SiteId>,
    pub equipment: Address,
    pub parts: Option<Address>,
}

#[derive(Debug, Clone, Default)]
pub struct Address {
    pub company: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

/// The columns of a new case; `CASE_VALUES` are their values: `$1` the number, `$2`…`$35` the
/// fields, `$36` now, `$37`…`$45` the desk queue and service-level clocks.
const CASE_COLUMNS: &str = "number, company_id, submitter_id, status, severity, handling_24x7, title, description,
    troubleshooting, product_id, asset_id, serial_number, version, category, problem_type, entitlement_kind, entitlement_id,
    country, time_zone, pin_id, primary_name, primary_email, primary_phone, alternate_name, alternate_email, alternate_phone,
    site_id, equipment_company, equipment_street, equipment_postal_code, equipment_city, equipment_country,
    parts_street, parts_postal_code, parts_city, parts_country, created_at, updated_at,
    queue_id, coverage, sla_calendar_id, response_due, resolution_target_s, resolution_used_s, resolution_since,
    resolution_due, sla_due";

const CASE_VALUES: &str = "$1, $2, $3, 'new', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
    $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45";

/// Binds `$1`…`$45` of `CASE_VALUES`.
fn case_values(query: crate::Query, o: &Opening<'_>) -> crate::Query {
    let c = o.case;
    let parts = c.parts.clone();
    let clocks = &o.desk.clocks;
    query
        .bind(o.number)
        .bind(c.company_id)
        .bind(c.submitter_id)
        .bind(c.severity)
        .bind(c.handling_24x7)
        .bind(&c.title)
        .bind(&c.description)
        .bind(&c.troubleshooting)
        .bind(c.product_id)
        .bind(c.asset_id)
        .bind(c.serial_number.clone())
        .bind(c.version.clone())
        .bind(c.category.clone())
        .bind(c.problem_type.clone())
        .bind(&c.entitlement_kind)
        .bind(c.entitlement_id)
        .bind(&c.country)
        .bind(&c.time_zone)
        .bind(c.pin_id)
        .bind(&c.primary_name)
        .bind(&c.primary_email)
        .bind(c.primary_phone.clone())
        .bind(c.alternate_name.clone())
        .bind(c.alternate_email.clone())
        .bind(c.alternate_phone.clone())
        .bind(c.site_id)
        .bind(&c.equipment.company)
        .bind(&c.equipment.street)
        .bind(&c.equipment.postal_code)
        .bind(&c.equipment.city)
        .bind(&c.equipment.country)
        .bind(parts.as_ref().map(|p| p.street.clone()))
        .bind(parts.as_ref().map(|p| p.postal_code.clone()))
        .bind(parts.as_ref().map(|p| p.city.clone()))
        .bind(parts.as_ref().map(|p| p.country.clone()))
        .bind(o.now)
        .bind(o.desk.queue_id)
        .bind(clocks.coverage.clone())
        .bind(clocks.sla_calendar_id)
        .bind(clocks.response_due)
        .bind(clocks.resolution_target_s)
        .bind(clocks.resolution_used_s)
        .bind(clocks.resolution_since)
        .bind(clocks.resolution_due)
        .bind(clocks.next_due())
        // `$46`… : what the rest of the opening writes.
        .bind(o.actor)
        .bind(&o.mail.to)
        .bind(&o.mail.intent)
        .bind(o.mail.secrets.clone())
        .bind(o.agreement)
        .bind(contacts_json(o.contacts))
}

/// The additional contacts as a JSON array, which both databases can expand into rows.
fn contacts_json(contacts: &[String]) -> String {
    serde_json::to_string(contacts).unwrap_or_else(|_| "[]".into())
}

/// Where a new case starts on the desk: its queue (routing decided it before the write) and its
/// service-level clocks.
#[derive(Debug, Clone, Default)]
pub struct DeskStart {
    pub queue_id: Option<i64>,
    pub clocks: crate::desk::sla::Clocks,
}

/// A fresh case number; `open` reports the rare one already taken and the caller draws again.
pub fn new_number() -> String {
    case_number(rand::thread_rng().r#gen())
}

/// Everything opening a case writes at once: the case (with its queue and clocks), its `created`
/// event, its additional contacts, the confirmation email, the idempotency key and, when an
/// agreement pays, the incident.
pub struct Opening<'a> {
    pub case: &'a NewCase,
    pub number: &'a str,
    /// Who opened it; none for an end user without an account (PTN-5).
    pub actor: Option<UserId>,
    pub mail: &'a crate::outbox::Email,
    pub agreement: Option<supportal_domain::AgreementId>,
    pub desk: &'a DeskStart,
    /// Additional contacts' addresses.
    pub contacts: &'a [String],
    pub idempotency_key: Option<&'a str>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    Done {
        case_id: super::CaseKey,
    },
    /// Another case has this number: draw another.
    NumberTaken,
    /// The agreement has no unit left; the caller rolls back.
    NoUnits,
}

/// Writes an opening in one round trip. On PostgreSQL it is one statement (a chain of
/// data-modifying CTEs), so `tx` may be an autocommit connection (`Db::single`) and the opening
/// is its own transaction: nothing is written unless all is, and a number already taken or an
/// agreement without units writes nothing. On SQLite it is one script in the caller's write
/// transaction; there a case is written before the units are found missing, and the caller
/// rolls back.
pub async fn open(tx: &mut Tx, o: &Opening<'_>) -> Result<Opened> {
    if tx.dialect() == crate::Dialect::Sqlite {
        return open_sqlite(tx, o).await;
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        case_id: Option<i64>,
        free: bool,
    }
    // The incident first, so the case row can name it; `free` keeps a taken number from
    // spending anything. Two requests drawing the same new number at once: the second fails on
    // the unique number and its statement writes nothing.
    let text = format!(
        "WITH free AS (SELECT NOT EXISTS (SELECT 1 FROM cases WHERE number = $1) AS ok),
         spent AS (UPDATE agreements SET units_remaining = units_remaining - 1
                   WHERE id = $50 AND units_remaining > 0 AND (SELECT ok FROM free) RETURNING id),
         used AS (INSERT INTO incident_uses (agreement_id, reference, user_id, at)
                  SELECT id, $1, $46, $36 FROM spent RETURNING id),
         made AS (INSERT INTO cases ({CASE_COLUMNS}, incident_use_id)
                  SELECT {CASE_VALUES}, (SELECT id FROM used)
                  WHERE (SELECT ok FROM free) AND ($50::BIGINT IS NULL OR EXISTS (SELECT 1 FROM used))
                  RETURNING id),
         event AS (INSERT INTO case_events (case_id, at, actor_id, kind, status_from, status_to, body)
                   SELECT id, $36, $46, 'created', '', 'new', '' FROM made),
         mail AS (INSERT INTO outbox (to_addr, intent, secrets, subject, text_body, html_body, created_at, next_attempt_at)
                  SELECT $47, $48, $49, '', '', '', $36, $36 FROM made),
         contacts AS (INSERT INTO case_contacts (case_id, email, added_at)
                      SELECT made.id, e.value, $36 FROM made, jsonb_array_elements_text($51::JSONB) AS e(value)
                      ON CONFLICT DO NOTHING),
         keyed AS (INSERT INTO idempotency_keys (user_id, key, case_id, created_at)
                   SELECT $46, $52, id, $36 FROM made WHERE $52::TEXT IS NOT NULL)
         SELECT (SELECT id FROM made) AS case_id, (SELECT ok FROM free) AS free"
    );
    let row: Row = case_values(sql(text), o)
        .bind(o.idempotency_key)
        .fetch_one(tx)
        .await?;
    Ok(match row {
        Row {
            case_id: Some(id), ..
        } => Opened::Done {
            case_id: super::CaseKey(id),
        },
        Row { free: false, .. } => Opened::NumberTaken,
        Row { free: true, .. } => Opened::NoUnits,
    })
}

async fn open_sqlite(tx: &mut Tx, o: &Opening<'_>) -> Result<Opened> {
    #[derive(sqlx::FromRow)]
    struct Row {
        case_id: i64,
        incident_use_id: Option<i64>,
    }
    // The incident last, as its row lock is on PostgreSQL; `changes()` is the previous
    // statement's count. (`WHERE true` keeps SQLite from reading `ON CONFLICT` as a join.)
    let script = format!(
        "INSERT INTO cases ({CASE_COLUMNS}) VALUES ({CASE_VALUES});
         INSERT INTO case_events (case_id, at, actor_id, kind, status_from, status_to, body)
             VALUES (last_insert_rowid(), $36, $46, 'created', '', 'new', '');
         INSERT INTO outbox (to_addr, intent, secrets, subject, text_body, html_body, created_at, next_attempt_at)
             VALUES ($47, $48, $49, '', '', '', $36, $36);
         INSERT INTO case_contacts (case_id, email, added_at)
             SELECT (SELECT id FROM cases WHERE number = $1), value, $36 FROM json_each($51) WHERE true
             ON CONFLICT DO NOTHING;
         UPDATE agreements SET units_remaining = units_remaining - 1 WHERE id = $50 AND units_remaining > 0;
         INSERT INTO incident_uses (agreement_id, reference, user_id, at) SELECT $50, $1, $46, $36 WHERE changes() = 1;
         UPDATE cases SET incident_use_id = (SELECT id FROM incident_uses WHERE reference = $1) WHERE number = $1 AND $50 IS NOT NULL;
         SELECT id AS case_id, incident_use_id FROM cases WHERE number = $1"
    );
    let row: Row = match case_values(sql(script), o).fetch_one(tx).await {
        Ok(row) => row,
        Err(StoreError::Conflict(_)) => return Ok(Opened::NumberTaken),
        Err(e) => return Err(e),
    };
    let case_id = super::CaseKey(row.case_id);
    if o.agreement.is_some() && row.incident_use_id.is_none() {
        return Ok(Opened::NoUnits);
    }
    if let (Some(key), Some(actor)) = (o.idempotency_key, o.actor) {
        super::remember_idempotency_key(tx, actor, key, case_id, o.now).await?;
    }
    Ok(Opened::Done { case_id })
}
