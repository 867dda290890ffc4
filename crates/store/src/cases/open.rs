//! Opening a case: the new case's fields, a fresh number, and `open`, which writes the case, its
//! `created` event, the confirmation email and the incident together.

use super::{created_event, set_incident_use};
use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use rand::Rng;
use supportal_domain::UserId;
use supportal_domain::case::case_number;

#[derive(Debug, Clone, Default)]
pub struct NewCase {
    pub company_id: supportal_domain::CompanyId,
    pub submitter_id: supportal_domain::UserId,
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

/// The columns and values of a new case: `$1` the number, `$2`…`$35` the fields, `$36` now.
const INSERT_CASE: &str = "INSERT INTO cases (number, company_id, submitter_id, status, severity, handling_24x7, title, description,
                troubleshooting, product_id, asset_id, serial_number, version, category, problem_type, entitlement_kind, entitlement_id,
                country, time_zone, pin_id, primary_name, primary_email, primary_phone, alternate_name, alternate_email, alternate_phone,
                site_id, equipment_company, equipment_street, equipment_postal_code, equipment_city, equipment_country,
                parts_street, parts_postal_code, parts_city, parts_country, created_at, updated_at)
             VALUES ($1, $2, $3, 'new', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
                $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $36)";

/// Binds `$1`…`$36` of `INSERT_CASE`.
fn case_values(query: crate::Query, c: &NewCase, number: &str, now: DateTime<Utc>) -> crate::Query {
    let parts = c.parts.clone();
    query
        .bind(number)
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
        .bind(now)
}

/// A fresh case number; `open` reports the rare one already taken and the caller draws again.
pub fn new_number() -> String {
    case_number(rand::thread_rng().r#gen())
}

/// Everything opening a case writes at once: the case, its `created` event, the confirmation
/// email and, when an agreement pays, the incident.
pub struct Opening<'a> {
    pub case: &'a NewCase,
    pub number: &'a str,
    pub actor: UserId,
    pub mail: &'a crate::outbox::Email,
    pub agreement: Option<supportal_domain::AgreementId>,
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

/// Writes an opening in the caller's transaction. On SQLite it is one round trip (a script; the
/// one writer holds the lock meanwhile, so the fewer hops the better); on PostgreSQL the same
/// steps run one by one.
pub async fn open(tx: &mut Tx, o: &Opening<'_>) -> Result<Opened> {
    if tx.dialect() == crate::Dialect::Sqlite {
        return open_sqlite(tx, o).await;
    }
    #[derive(sqlx::FromRow)]
    struct Id {
        id: i64,
    }
    let inserted: Option<Id> = case_values(
        sql(format!(
            "{INSERT_CASE} ON CONFLICT (number) DO NOTHING RETURNING id"
        )),
        o.case,
        o.number,
        o.now,
    )
    .fetch_optional(tx)
    .await?;
    let Some(Id { id }) = inserted else {
        return Ok(Opened::NumberTaken);
    };
    let case_id = super::CaseKey(id);
    created_event(tx, case_id, o.actor, o.now).await?;
    crate::outbox::enqueue(tx, o.mail, o.now).await?;
    if let Some(agreement) = o.agreement {
        match crate::agreements::spend_fresh(tx, agreement, o.number, o.actor, o.now).await? {
            Ok(used) => set_incident_use(tx, case_id, used.id).await?,
            Err(crate::agreements::SpendError::NoUnits) => return Ok(Opened::NoUnits),
        }
    }
    Ok(Opened::Done { case_id })
}

async fn open_sqlite(tx: &mut Tx, o: &Opening<'_>) -> Result<Opened> {
    #[derive(sqlx::FromRow)]
    struct Row {
        case_id: i64,
        incident_use_id: Option<i64>,
    }
    // The incident last, as on PostgreSQL; `changes()` is the previous statement's count.
    let script = format!(
        "{INSERT_CASE};
         INSERT INTO case_events (case_id, at, actor_id, kind, status_from, status_to, body)
             VALUES (last_insert_rowid(), $36, $37, 'created', '', 'new', '');
         INSERT INTO outbox (to_addr, intent, secrets, subject, text_body, html_body, created_at, next_attempt_at)
             VALUES ($38, $39, $40, '', '', '', $36, $36);
         UPDATE agreements SET units_remaining = units_remaining - 1 WHERE id = $41 AND units_remaining > 0;
         INSERT INTO incident_uses (agreement_id, reference, user_id, at) SELECT $41, $1, $37, $36 WHERE changes() = 1;
         UPDATE cases SET incident_use_id = (SELECT id FROM incident_uses WHERE reference = $1) WHERE number = $1 AND $41 IS NOT NULL;
         SELECT id AS case_id, incident_use_id FROM cases WHERE number = $1"
    );
    let query = case_values(sql(script), o.case, o.number, o.now)
        .bind(o.actor.get())
        .bind(&o.mail.to)
        .bind(&o.mail.intent)
        .bind(o.mail.secrets.clone())
        .bind(o.agreement);
    let row: Row = match query.fetch_one(tx).await {
        Ok(row) => row,
        Err(StoreError::Conflict(_)) => return Ok(Opened::NumberTaken),
        Err(e) => return Err(e),
    };
    Ok(match (o.agreement, row.incident_use_id) {
        (Some(_), None) => Opened::NoUnits,
        _ => Opened::Done {
            case_id: super::CaseKey(row.case_id),
        },
    })
}
