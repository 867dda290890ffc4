//! Warranties, care packs and contracts (ENT-3): the company-wide list with filters, loading
//! care packs and contracts, and company-wide removal by an admin.

use crate::scope::{AdminScope, CompanyScope};
use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use supportal_domain::entitlement::{EntitlementKind, Status};
use supportal_domain::{AssetId, EntitlementId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntitlementRow {
    #[sqlx(try_from = "i64")]
    pub id: EntitlementId,
    pub kind: String,
    pub reference: String,
    pub company_id: i64,
    pub coverage: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// An entitlement as the list shows it: its status today and the serials it covers.
#[derive(Debug, Clone)]
pub struct EntitlementView {
    pub row: EntitlementRow,
    pub status: Status,
    pub serial_numbers: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<EntitlementKind>,
    pub status: Option<Status>,
    pub serial: Option<String>,
}

/// The company's entitlements (not removed), newest end first, with their covered serials.
pub async fn list(
    tx: &mut Tx,
    scope: &CompanyScope,
    filter: &Filter,
    today: NaiveDate,
) -> Result<Vec<EntitlementView>> {
    let rows: Vec<EntitlementRow> = sql("SELECT e.id, e.kind, e.reference, e.company_id, e.coverage, e.start_date, e.end_date
         FROM entitlements e
         WHERE e.company_id = $1 AND e.removed_at IS NULL
           AND ($2 IS NULL OR e.kind = $2)
           AND ($3 IS NULL
                OR ($3 = 'active' AND e.start_date <= $4 AND e.end_date >= $4)
                OR ($3 = 'expired' AND e.end_date < $4)
                OR ($3 = 'future' AND e.start_date > $4))
           AND ($5 IS NULL OR EXISTS (SELECT 1 FROM entitlement_assets x JOIN assets a ON a.id = x.asset_id
                                      WHERE x.entitlement_id = e.id AND a.serial_number = $5))
         ORDER BY e.end_date DESC, e.id")
    .bind(scope.company_id().get())
    .bind(filter.kind.map(EntitlementKind::as_str))
    .bind(filter.status.map(Status::as_str))
    .bind(today)
    .bind(filter.serial.clone())
    .fetch_all(tx)
    .await?;
    let serials = covered_serials(tx, scope.company_id().get()).await?;
    Ok(rows
        .into_iter()
        .map(|row| EntitlementView {
            status: Status::of(row.start_date, row.end_date, today),
            serial_numbers: serials.get(&row.id).cloned().unwrap_or_default(),
            row,
        })
        .collect())
}

/// Entitlement id → covered serials, for one company in one query.
async fn covered_serials(tx: &mut Tx, company: i64) -> Result<HashMap<EntitlementId, Vec<String>>> {
    #[derive(sqlx::FromRow)]
    struct Pair {
        #[sqlx(try_from = "i64")]
        entitlement_id: EntitlementId,
        serial_number: String,
    }
    let pairs: Vec<Pair> = sql(
        "SELECT x.entitlement_id, a.serial_number FROM entitlement_assets x
         JOIN entitlements e ON e.id = x.entitlement_id JOIN assets a ON a.id = x.asset_id
         WHERE e.company_id = $1 ORDER BY a.serial_number",
    )
    .bind(company)
    .fetch_all(tx)
    .await?;
    let mut map: HashMap<EntitlementId, Vec<String>> = HashMap::new();
    for p in pairs {
        map.entry(p.entitlement_id)
            .or_default()
            .push(p.serial_number);
    }
    Ok(map)
}

/// The live entitlements that cover one asset (for plans and the public warranty check): only
/// its owner's, so another company's contract never pays for a case after a transfer.
pub async fn for_asset(tx: &mut Tx, asset_id: AssetId) -> Result<Vec<EntitlementRow>> {
    sql(
        "SELECT e.id, e.kind, e.reference, e.company_id, e.coverage, e.start_date, e.end_date
         FROM entitlements e JOIN entitlement_assets x ON x.entitlement_id = e.id
         JOIN assets a ON a.id = x.asset_id AND a.company_id = e.company_id
         WHERE x.asset_id = $1 AND e.removed_at IS NULL ORDER BY e.end_date DESC",
    )
    .bind(asset_id)
    .fetch_all(tx)
    .await
}

pub struct ContractInput<'a> {
    pub kind: EntitlementKind,
    pub reference: &'a str,
    pub coverage: &'a str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub asset_ids: &'a [AssetId],
}

/// Creates or updates a care pack or contract of the scope's company by (kind, reference); its
/// covered assets become exactly those of `asset_ids` the company owns. Returns the id and
/// whether it was new. Staff loading for a company pass `StaffScope::company(…).admin()`.
pub async fn upsert(
    tx: &mut Tx,
    scope: &AdminScope,
    c: &ContractInput<'_>,
) -> Result<(EntitlementId, bool)> {
    let company_id = scope.company_id().get();
    #[derive(sqlx::FromRow)]
    struct Id {
        #[sqlx(try_from = "i64")]
        id: EntitlementId,
    }
    let existing: Option<Id> =
        sql("SELECT id FROM entitlements WHERE company_id = $1 AND kind = $2 AND reference = $3")
            .bind(company_id)
            .bind(c.kind.as_str())
            .bind(c.reference)
            .fetch_optional(tx)
            .await?;
    let id = match &existing {
        Some(e) => {
            sql("UPDATE entitlements SET coverage = $2, start_date = $3, end_date = $4 WHERE id = $1")
                .bind(e.id)
                .bind(c.coverage)
                .bind(c.start)
                .bind(c.end)
                .execute(tx)
                .await?;
            sql("DELETE FROM entitlement_assets WHERE entitlement_id = $1")
                .bind(e.id)
                .execute(tx)
                .await?;
            e.id
        }
        None => sql(
            "INSERT INTO entitlements (kind, reference, company_id, coverage, start_date, end_date)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS v",
        )
        .bind(c.kind.as_str())
        .bind(c.reference)
        .bind(company_id)
        .bind(c.coverage)
        .bind(c.start)
        .bind(c.end)
        .fetch_id(tx)
        .await?,
    };
    for asset in c.asset_ids {
        sql("INSERT INTO entitlement_assets (entitlement_id, asset_id)
             SELECT $1, id FROM assets WHERE id = $2 AND company_id = $3 ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(*asset)
        .bind(company_id)
        .execute(tx)
        .await?;
    }
    Ok((id, existing.is_none()))
}

/// Removes an entitlement for the whole company (ENT-3); the row stays for the audit trail.
pub async fn remove(
    tx: &mut Tx,
    scope: &AdminScope,
    id: EntitlementId,
    now: DateTime<Utc>,
) -> Result<EntitlementRow> {
    let row: EntitlementRow = sql(
        "SELECT id, kind, reference, company_id, coverage, start_date, end_date FROM entitlements
                                   WHERE id = $1 AND company_id = $2 AND removed_at IS NULL",
    )
    .bind(id)
    .bind(scope.company_id().get())
    .fetch_optional(tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let by = Some(scope.user_id().get()).filter(|id| *id > 0);
    sql("UPDATE entitlements SET removed_at = $2, removed_by = $3 WHERE id = $1")
        .bind(id)
        .bind(now)
        .bind(by)
        .execute(tx)
        .await?;
    Ok(row)
}
