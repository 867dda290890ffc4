//! Companies, their email domains, PINs and sites (CMP-1, CMP-4).

use crate::scope::{AdminScope, CompanyScope, StaffScope};
use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{CompanyId, CompanyKind, CompanyStatus, PinId, SiteId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub address: String,
    pub serial_hint: Option<String>,
    pub created_at: DateTime<Utc>,
    pub validated_at: Option<DateTime<Utc>>,
}

pub struct NewCompany<'a> {
    pub name: &'a str,
    pub kind: CompanyKind,
    pub status: CompanyStatus,
    pub address: &'a str,
    pub serial_hint: Option<&'a str>,
}

/// Creates a company. Staff create validated ones; ACC-3's first registrant creates a pending
/// one through the onboarding flow, which checks its own rules before calling this.
/// Operator staff create a company (CMP-4).
pub async fn create(
    tx: &mut Tx,
    _staff: &StaffScope,
    c: NewCompany<'_>,
    now: DateTime<Utc>,
) -> Result<CompanyId> {
    insert(tx, c, now).await
}

async fn insert(tx: &mut Tx, c: NewCompany<'_>, now: DateTime<Utc>) -> Result<CompanyId> {
    let validated_at = (c.status == CompanyStatus::Validated).then_some(now);
    let id = sql(
        "INSERT INTO companies (name, kind, status, address, serial_hint, created_at, validated_at)
                  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS v",
    )
    .bind(c.name)
    .bind(c.kind.as_str())
    .bind(c.status.as_str())
    .bind(c.address)
    .bind(c.serial_hint)
    .bind(now)
    .bind(validated_at)
    .fetch_i64(tx)
    .await?;
    Ok(CompanyId(id))
}

/// Whether a company with this id exists (for staff loading rows that name one).
pub async fn exists(tx: &mut Tx, _staff: &StaffScope, id: CompanyId) -> Result<bool> {
    Ok(sql("SELECT COUNT(*) AS v FROM companies WHERE id = $1")
        .bind(id)
        .fetch_i64(tx)
        .await?
        > 0)
}

/// Whether site `site` belongs to company `company` (for staff loading rows that name both).
pub async fn site_of_company(
    tx: &mut Tx,
    _staff: &StaffScope,
    site: SiteId,
    company: CompanyId,
) -> Result<bool> {
    Ok(
        sql("SELECT COUNT(*) AS v FROM sites WHERE id = $1 AND company_id = $2")
            .bind(site)
            .bind(company)
            .fetch_i64(tx)
            .await?
            > 0,
    )
}

pub async fn add_domain(
    tx: &mut Tx,
    _staff: &StaffScope,
    company: CompanyId,
    domain: &str,
) -> Result<()> {
    insert_domain(tx, company, domain).await
}

async fn insert_domain(tx: &mut Tx, company: CompanyId, domain: &str) -> Result<()> {
    sql("INSERT INTO company_domains (company_id, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(company.get())
        .bind(domain)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn add_pin(
    tx: &mut Tx,
    _staff: &StaffScope,
    company: CompanyId,
    code: &str,
    description: &str,
) -> Result<()> {
    sql("INSERT INTO company_pins (company_id, code, description) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(company.get())
        .bind(code)
        .bind(description)
        .execute(tx)
        .await?;
    Ok(())
}

/// A validated company that owns an email domain, as onboarding offers it (ACC-3).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub city: Option<String>,
}

pub async fn validated_by_domain(tx: &mut Tx, domain: &str) -> Result<Vec<Candidate>> {
    sql("SELECT c.id, c.name, c.kind,
                (SELECT s.city FROM sites s WHERE s.company_id = c.id AND s.is_primary = $3 LIMIT 1) AS city
         FROM companies c JOIN company_domains d ON d.company_id = c.id
         WHERE d.domain = $1 AND c.status = $2 ORDER BY c.name, c.id")
    .bind(domain)
    .bind(CompanyStatus::Validated.as_str())
    .bind(true)
    .fetch_all(tx)
    .await
}

/// A company still waiting for validation that owns the domain (a second registrant joins it).
pub async fn pending_by_domain(tx: &mut Tx, domain: &str) -> Result<Option<CompanyId>> {
    #[derive(sqlx::FromRow)]
    struct Pending {
        id: i64,
    }
    let row: Option<Pending> = sql(
        "SELECT c.id FROM companies c JOIN company_domains d ON d.company_id = c.id
                                    WHERE d.domain = $1 AND c.status = $2 ORDER BY c.id LIMIT 1",
    )
    .bind(domain)
    .bind(CompanyStatus::Pending.as_str())
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|p| CompanyId(p.id)))
}

pub async fn get(tx: &mut Tx, scope: &CompanyScope) -> Result<CompanyRow> {
    sql("SELECT id, name, kind, status, address, serial_hint, created_at, validated_at FROM companies WHERE id = $1")
        .bind(scope.company_id.get())
        .fetch_one(tx)
        .await
}

pub async fn domains(tx: &mut Tx, scope: &CompanyScope) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct D {
        domain: String,
    }
    let rows: Vec<D> =
        sql("SELECT domain FROM company_domains WHERE company_id = $1 ORDER BY domain")
            .bind(scope.company_id.get())
            .fetch_all(tx)
            .await?;
    Ok(rows.into_iter().map(|d| d.domain).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PinRow {
    pub id: i64,
    pub code: String,
    pub description: String,
}

pub async fn pins(tx: &mut Tx, scope: &CompanyScope) -> Result<Vec<PinRow>> {
    sql("SELECT id, code, description FROM company_pins WHERE company_id = $1 ORDER BY code")
        .bind(scope.company_id.get())
        .fetch_all(tx)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SiteRow {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub is_primary: bool,
}

#[derive(Debug, Clone)]
pub struct SiteInput {
    pub name: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub is_primary: bool,
}

pub async fn sites(tx: &mut Tx, scope: &CompanyScope) -> Result<Vec<SiteRow>> {
    sql(
        "SELECT id, name, street, city, postal_code, country, is_primary FROM sites
         WHERE company_id = $1 ORDER BY is_primary DESC, name, id",
    )
    .bind(scope.company_id.get())
    .fetch_all(tx)
    .await
}

/// Adds a site. Called by admins, by staff and by onboarding (the first registrant's address).
pub(crate) async fn insert_site(
    tx: &mut Tx,
    company: CompanyId,
    site: &SiteInput,
) -> Result<SiteId> {
    let has_primary =
        sql("SELECT COUNT(*) AS v FROM sites WHERE company_id = $1 AND is_primary = $2")
            .bind(company.get())
            .bind(true)
            .fetch_i64(tx)
            .await?
            > 0;
    let primary = site.is_primary || !has_primary;
    if primary {
        clear_primary(tx, company).await?;
    }
    let id = sql(
        "INSERT INTO sites (company_id, name, street, city, postal_code, country, is_primary)
                  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS v",
    )
    .bind(company.get())
    .bind(&site.name)
    .bind(&site.street)
    .bind(&site.city)
    .bind(&site.postal_code)
    .bind(&site.country)
    .bind(primary)
    .fetch_i64(tx)
    .await?;
    Ok(SiteId(id))
}

async fn clear_primary(tx: &mut Tx, company: CompanyId) -> Result<()> {
    sql("UPDATE sites SET is_primary = $2 WHERE company_id = $1")
        .bind(company.get())
        .bind(false)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn create_site(tx: &mut Tx, scope: &AdminScope, site: &SiteInput) -> Result<SiteId> {
    insert_site(tx, scope.company_id(), site).await
}

/// ACC-3: the first registrant of an organisation creates it, pending validation, with their
/// email's domain and their address as its primary site, and becomes its admin. No scope is
/// needed: the company is new and the registrant is who the session says.
pub async fn create_pending(
    tx: &mut Tx,
    registrant: UserId,
    company: NewCompany<'_>,
    domain: &str,
    site: &SiteInput,
    now: DateTime<Utc>,
) -> Result<CompanyId> {
    let id = insert(tx, company, now).await?;
    insert_domain(tx, id, domain).await?;
    insert_site(tx, id, site).await?;
    crate::members::put(tx, id, registrant, supportal_domain::Role::Admin, now).await?;
    Ok(id)
}

pub async fn create_site_as_staff(
    tx: &mut Tx,
    _staff: &StaffScope,
    company: CompanyId,
    site: &SiteInput,
) -> Result<SiteId> {
    insert_site(tx, company, site).await
}

/// Updates a site of the admin's company; another company's site is `NotFound`. Making a site
/// primary un-marks the others; the only primary site cannot be un-marked.
pub async fn update_site(
    tx: &mut Tx,
    scope: &AdminScope,
    id: SiteId,
    site: &SiteInput,
) -> Result<()> {
    let company = scope.company_id();
    #[derive(sqlx::FromRow)]
    struct S {
        is_primary: bool,
    }
    let current: S = sql("SELECT is_primary FROM sites WHERE id = $1 AND company_id = $2")
        .bind(id.get())
        .bind(company.get())
        .fetch_one(tx)
        .await?;
    let primary = site.is_primary || current.is_primary;
    if site.is_primary && !current.is_primary {
        clear_primary(tx, company).await?;
    }
    sql("UPDATE sites SET name = $3, street = $4, city = $5, postal_code = $6, country = $7, is_primary = $8
         WHERE id = $1 AND company_id = $2")
    .bind(id.get())
    .bind(company.get())
    .bind(&site.name)
    .bind(&site.street)
    .bind(&site.city)
    .bind(&site.postal_code)
    .bind(&site.country)
    .bind(primary)
    .execute(tx)
    .await?;
    Ok(())
}

/// Whether a site or PIN id belongs to the company in scope (profile checks).
pub async fn owns_site(tx: &mut Tx, scope: &CompanyScope, id: SiteId) -> Result<bool> {
    Ok(
        sql("SELECT COUNT(*) AS v FROM sites WHERE id = $1 AND company_id = $2")
            .bind(id)
            .bind(scope.company_id.get())
            .fetch_i64(tx)
            .await?
            > 0,
    )
}

pub async fn owns_pin(tx: &mut Tx, scope: &CompanyScope, id: PinId) -> Result<bool> {
    Ok(
        sql("SELECT COUNT(*) AS v FROM company_pins WHERE id = $1 AND company_id = $2")
            .bind(id)
            .bind(scope.company_id.get())
            .fetch_i64(tx)
            .await?
            > 0,
    )
}

/// Staff: every company, pending first, then by name.
pub async fn list(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<CompanyRow>> {
    sql("SELECT id, name, kind, status, address, serial_hint, created_at, validated_at FROM companies
         ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, name, id")
    .fetch_all(tx)
    .await
}

/// Staff: validates a pending company (ACC-3, SUP-5). Validating twice is harmless.
pub async fn validate(
    tx: &mut Tx,
    _staff: &StaffScope,
    company: CompanyId,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = sql(
        "UPDATE companies SET status = $2, validated_at = COALESCE(validated_at, $3) WHERE id = $1",
    )
    .bind(company.get())
    .bind(CompanyStatus::Validated.as_str())
    .bind(now)
    .execute(tx)
    .await?;
    if changed == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Serialises changes to one company's admins: the company row is locked where rows can be
/// (`Dialect::lock_rows`).
pub async fn lock(tx: &mut Tx, company: CompanyId) -> Result<()> {
    let dialect = tx.dialect();
    if !dialect.writes_are_serial() {
        sql(format!(
            "SELECT id AS v FROM companies WHERE id = $1{}",
            dialect.lock_rows()
        ))
        .bind(company.get())
        .fetch_i64(tx)
        .await?;
    }
    Ok(())
}
