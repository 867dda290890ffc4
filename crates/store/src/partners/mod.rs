//! The partner channel (PTN-1 to PTN-6): programme enrolment and the partner's scope, the
//! distributors' feed tokens, devices and dashboards (`devices`), alerts (`alerts`) and
//! reimbursement claims (`claims`).
//!
//! A partner's own data is reachable only through a `PartnerScope`, which only this module
//! makes, for an active member of an enrolled, validated partner company:
//!
//! ```compile_fail
//! let forged = supportal_store::partners::PartnerScope {
//!     company_id: supportal_domain::CompanyId(1),
//!     user_id: supportal_domain::UserId(1),
//!     programme: supportal_domain::partner::Programme::ServiceDelivery,
//!     admin: true,
//! };
//! ```

pub mod alerts;
pub mod claims;
pub mod devices;

use crate::scope::StaffScope;
use crate::sessions::SessionUser;
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::partner::Programme;
use supportal_domain::{CompanyId, CompanyKind, FeedTokenId, QueueId, UserId};

/// The caller works for this enrolled partner (PTN-1).
#[derive(Debug, Clone)]
pub struct PartnerScope {
    pub(crate) company_id: CompanyId,
    pub(crate) user_id: UserId,
    pub(crate) programme: Programme,
    pub(crate) admin: bool,
}

impl PartnerScope {
    pub fn company_id(&self) -> CompanyId {
        self.company_id
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    pub fn programme(&self) -> Programme {
        self.programme
    }

    /// A company admin of the partner.
    pub fn is_admin(&self) -> bool {
        self.admin
    }
}

#[derive(sqlx::FromRow)]
struct ScopeRow {
    role: String,
    kind: String,
}

/// The caller's scope in partner `company`: an active member of it, the company validated and
/// enrolled. `None` for everyone else (staff included: the partner tenant is the partner's).
pub async fn scope(
    tx: &mut Tx,
    user: &SessionUser,
    company: CompanyId,
) -> Result<Option<PartnerScope>> {
    let row: Option<ScopeRow> = sql(
        "SELECT m.role, pp.kind FROM memberships m JOIN companies c ON c.id = m.company_id
         JOIN partner_programmes pp ON pp.company_id = c.id
         WHERE m.user_id = $1 AND m.company_id = $2 AND m.active = $3 AND c.status = 'validated'
           AND pp.enrolled = $3",
    )
    .bind(user.user_id())
    .bind(company)
    .bind(true)
    .fetch_optional(tx)
    .await?;
    Ok(row.and_then(|r| {
        Some(PartnerScope {
            company_id: company,
            user_id: user.user_id(),
            programme: Programme::parse(&r.kind)?,
            admin: r.role == "admin",
        })
    }))
}

/// The enrolled partner company the caller works for, if any (for the navigation).
pub async fn own(tx: &mut Tx, user: &SessionUser) -> Result<Option<(PartnerScope, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        company_id: i64,
        name: String,
    }
    let row: Option<Row> = sql(
        "SELECT c.id AS company_id, c.name FROM memberships m JOIN companies c ON c.id = m.company_id
         JOIN partner_programmes pp ON pp.company_id = c.id
         WHERE m.user_id = $1 AND m.active = $2 AND c.status = 'validated' AND pp.enrolled = $2
         ORDER BY c.id LIMIT 1",
    )
    .bind(user.user_id())
    .bind(true)
    .fetch_optional(tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let company = CompanyId(row.company_id);
    Ok(scope(tx, user, company).await?.map(|s| (s, row.name)))
}

/// A partner company's programme, as operator staff see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgrammeRow {
    pub company_id: i64,
    pub name: String,
    pub company_kind: String,
    pub status: String,
    pub kind: Option<String>,
    pub enrolled: Option<bool>,
    pub queue_id: Option<i64>,
    pub changed_at: Option<DateTime<Utc>>,
}

const PROGRAMME: &str = "SELECT c.id AS company_id, c.name, c.kind AS company_kind, c.status, pp.kind, pp.enrolled,
    pp.queue_id, pp.changed_at FROM companies c LEFT JOIN partner_programmes pp ON pp.company_id = c.id";

/// A company and its programme, if it has one.
pub async fn programme(
    tx: &mut Tx,
    _staff: &StaffScope,
    company: CompanyId,
) -> Result<Option<ProgrammeRow>> {
    sql(format!("{PROGRAMME} WHERE c.id = $1"))
        .bind(company)
        .fetch_optional(tx)
        .await
}

/// Every partner company (by kind) with its programme, by name.
pub async fn programmes(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<ProgrammeRow>> {
    sql(format!(
        "{PROGRAMME} WHERE c.kind <> 'customer' OR pp.company_id IS NOT NULL ORDER BY c.name, c.id"
    ))
    .fetch_all(tx)
    .await
}

/// Enrols a company (or changes its programme, or withdraws it): the company's kind follows the
/// programme; a service-delivery partner gets its repair queue the first time.
pub async fn set_programme(
    tx: &mut Tx,
    _staff: &StaffScope,
    company: CompanyId,
    programme: Programme,
    enrolled: bool,
    queue: Option<QueueId>,
    now: DateTime<Utc>,
) -> Result<()> {
    sql(
        "INSERT INTO partner_programmes (company_id, kind, enrolled, queue_id, changed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (company_id) DO UPDATE SET kind = $2, enrolled = $3,
             queue_id = COALESCE(partner_programmes.queue_id, $4), changed_at = $5",
    )
    .bind(company)
    .bind(programme.as_str())
    .bind(enrolled)
    .bind(queue)
    .bind(now)
    .execute(tx)
    .await?;
    let kind: CompanyKind = programme.company_kind();
    sql("UPDATE companies SET kind = $2 WHERE id = $1")
        .bind(company)
        .bind(kind.as_str())
        .execute(tx)
        .await?;
    Ok(())
}

/// Makes the repair queue of a service-delivery partner, named after it.
pub async fn create_repair_queue(
    tx: &mut Tx,
    _staff: &StaffScope,
    company: CompanyId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<QueueId> {
    sql(
        "INSERT INTO queues (name, language, is_default, created_at, partner_company_id)
         VALUES ($1, NULL, $2, $3, $4) RETURNING id AS v",
    )
    .bind(name)
    .bind(false)
    .bind(now)
    .bind(company)
    .fetch_id(tx)
    .await
}

/// The repair queue of an enrolled service-delivery partner.
pub async fn repair_queue(tx: &mut Tx, company: CompanyId) -> Result<Option<QueueId>> {
    let id: Option<i64> = sql(
        "SELECT queue_id AS v FROM partner_programmes WHERE company_id = $1 AND enrolled = $2
         AND kind = 'service_delivery' AND queue_id IS NOT NULL",
    )
    .bind(company)
    .bind(true)
    .fetch_optional_i64(tx)
    .await?;
    Ok(id.map(QueueId))
}

// --- Feed tokens (PTN-2) -------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedTokenRow {
    #[sqlx(try_from = "i64")]
    pub id: FeedTokenId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn create_feed_token(
    tx: &mut Tx,
    staff: &StaffScope,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<FeedTokenId> {
    sql("INSERT INTO feed_tokens (name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id AS v")
        .bind(name)
        .bind(token_hash)
        .bind(staff.user_id())
        .bind(now)
        .fetch_id(tx)
        .await
}

pub async fn feed_tokens(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<FeedTokenRow>> {
    sql("SELECT id, name, created_at, last_used_at, revoked_at FROM feed_tokens ORDER BY id DESC")
        .fetch_all(tx)
        .await
}

/// Revokes a token; false when there is no such live token.
pub async fn revoke_feed_token(
    tx: &mut Tx,
    _staff: &StaffScope,
    id: FeedTokenId,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(
        sql("UPDATE feed_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(tx)
            .await?
            > 0,
    )
}

/// A distributor's proof: a live feed token was shown. Only `feed_token` makes one.
#[derive(Debug, Clone)]
pub struct FeedScope {
    /// None: operator staff loading a file (to add devices a partner reported missing).
    pub(crate) token_id: Option<FeedTokenId>,
}

impl FeedScope {
    pub fn token_id(&self) -> Option<FeedTokenId> {
        self.token_id
    }

    /// The operator's own feed, for staff.
    pub fn operator(_staff: &StaffScope) -> FeedScope {
        FeedScope { token_id: None }
    }
}

/// The live feed token with this hash.
pub async fn feed_token(tx: &mut Tx, token_hash: &str) -> Result<Option<FeedScope>> {
    let id: Option<i64> =
        sql("SELECT id AS v FROM feed_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional_i64(tx)
            .await?;
    Ok(id.map(|id| FeedScope {
        token_id: Some(FeedTokenId(id)),
    }))
}

/// Notes when a token was last used (at most once a minute, to keep reads cheap).
pub async fn touch_feed_token(tx: &mut Tx, feed: &FeedScope, now: DateTime<Utc>) -> Result<()> {
    sql("UPDATE feed_tokens SET last_used_at = $2 WHERE id = $1
         AND (last_used_at IS NULL OR last_used_at < $3)")
    .bind(feed.token_id)
    .bind(now)
    .bind(now - chrono::Duration::minutes(1))
    .execute(tx)
    .await?;
    Ok(())
}

/// The catalogue product requests about the partner portal itself are about (PTN-3): made the
/// first time one is needed.
pub async fn portal_product(tx: &mut Tx) -> Result<(supportal_domain::ProductId, String)> {
    const SKU: &str = "PARTNER-PORTAL";
    const NAME: &str = "Partner portal";
    sql("INSERT INTO product_lines (name) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(NAME)
        .execute(tx)
        .await?;
    sql("INSERT INTO products (sku, name, product_line_id, has_serial, warranty_months, warranty_coverage)
         SELECT $1, $2, id, $3, 0, 'parts_only' FROM product_lines WHERE name = $2
         ON CONFLICT DO NOTHING")
    .bind(SKU)
    .bind(NAME)
    .bind(false)
    .execute(tx)
    .await?;
    let id = sql("SELECT id AS v FROM products WHERE sku = $1")
        .bind(SKU)
        .fetch_id(tx)
        .await?;
    Ok((id, NAME.to_owned()))
}

/// Where a channel case's equipment is: the company's name and primary site (its first site
/// when none is primary); `None` for a company without sites.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseAddress {
    pub company: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

pub async fn case_address(tx: &mut Tx, company: CompanyId) -> Result<Option<CaseAddress>> {
    sql(
        "SELECT c.name AS company, s.street, s.postal_code, s.city, s.country
         FROM companies c JOIN sites s ON s.company_id = c.id
         WHERE c.id = $1 ORDER BY s.is_primary DESC, s.id LIMIT 1",
    )
    .bind(company)
    .fetch_optional(tx)
    .await
}

/// Marks a case the channel opened: a `repair` case of a device, or a `missing_devices` request.
pub async fn mark_case(
    tx: &mut Tx,
    case: crate::cases::CaseKey,
    kind: &str,
    device: Option<supportal_domain::DeviceId>,
) -> Result<()> {
    sql("UPDATE cases SET kind = $2, device_id = $3 WHERE id = $1")
        .bind(case.get())
        .bind(kind)
        .bind(device)
        .execute(tx)
        .await?;
    Ok(())
}
