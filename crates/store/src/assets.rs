//! Assets (ENT-2): serial-numbered products owned by a company, with their factory warranty.

use crate::scope::{AdminScope, CompanyScope, StaffScope};
use crate::{Result, Tx, sql};
use chrono::NaiveDate;
use supportal_domain::entitlement::{EntitlementKind, SerialNumber, factory_warranty_end};
use supportal_domain::{AssetId, CompanyId, ProductId, SiteId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssetRow {
    #[sqlx(try_from = "i64")]
    pub id: AssetId,
    pub serial_number: String,
    #[sqlx(try_from = "i64")]
    pub product_id: ProductId,
    pub sku: String,
    pub product_name: String,
    #[sqlx(try_from = "i64")]
    pub company_id: CompanyId,
    pub site_id: Option<i64>,
    pub ship_date: NaiveDate,
}

const ASSET: &str = "SELECT a.id, a.serial_number, a.product_id, p.sku, p.name AS product_name, a.company_id, a.site_id, a.ship_date
                     FROM assets a JOIN products p ON p.id = a.product_id";

pub struct AssetInput<'a> {
    pub serial: &'a SerialNumber,
    pub product_id: ProductId,
    pub warranty_months: i64,
    pub warranty_coverage: &'a str,
    pub company_id: CompanyId,
    pub site_id: Option<SiteId>,
    pub ship_date: NaiveDate,
}

/// Creates or updates assets by serial number (a file's rows, checked and free of repeated
/// serials) and keeps their factory warranties in step: a warranty belongs to the owning company
/// and runs from the ship date for the product's warranty months; an asset that changes hands
/// leaves the old owner's care packs and contracts and takes its warranty along. The rows are
/// staged in a temporary table (PostgreSQL: `COPY`; SQLite: one statement over a JSON
/// array), then merged by a few set-based statements. Returns how many
/// assets were created and how many updated.
pub async fn upsert_many(
    tx: &mut Tx,
    _staff: &StaffScope,
    batch: &[AssetInput<'_>],
) -> Result<(u64, u64)> {
    if batch.is_empty() {
        return Ok((0, 0));
    }
    let date_type = match tx.dialect() {
        crate::Dialect::Postgres => "DATE",
        crate::Dialect::Sqlite => "TEXT",
    };
    sql(format!(
        "CREATE TEMP TABLE IF NOT EXISTS asset_stage (serial TEXT NOT NULL, product_id BIGINT NOT NULL,
             company_id BIGINT NOT NULL, site_id BIGINT, ship_date {date_type} NOT NULL, warranty_end {date_type},
             coverage TEXT NOT NULL)"
    ))
    .execute(tx)
    .await?;
    sql("CREATE INDEX IF NOT EXISTS asset_stage_serial ON asset_stage (serial)")
        .execute(tx)
        .await?;
    sql("DELETE FROM asset_stage").execute(tx).await?;
    stage(tx, batch).await?;
    #[derive(sqlx::FromRow)]
    struct Known {
        updated: i64,
        moved: i64,
    }
    // The planner's statistics of `assets` are from before this load, which grows the table in
    // its own transaction (autovacuum sees none of it): it would scan the whole table to match a
    // batch of 2,000. Index look-ups per staged row it is, for these reads.
    planner_joins(tx, "off").await?;
    let known: Known = sql(
        "SELECT COUNT(a.id) AS updated, COUNT(CASE WHEN a.company_id <> s.company_id THEN 1 END) AS moved
         FROM asset_stage s JOIN assets a ON a.serial_number = s.serial",
    )
    .fetch_one(tx)
    .await?;
    let warranty = EntitlementKind::FactoryWarranty.as_str();
    if known.moved > 0 {
        moved(tx, warranty).await?;
    }
    planner_joins(tx, "on").await?;
    if tx.dialect() == crate::Dialect::Postgres {
        // One statement: the links join what the two upserts return, never the tables.
        sql("WITH a AS (
                 INSERT INTO assets (serial_number, product_id, company_id, site_id, ship_date)
                 SELECT serial, product_id, company_id, site_id, ship_date FROM asset_stage
                 ON CONFLICT (serial_number) DO UPDATE SET product_id = excluded.product_id,
                     company_id = excluded.company_id, site_id = excluded.site_id, ship_date = excluded.ship_date
                 RETURNING id, serial_number, company_id),
             e AS (
                 INSERT INTO entitlements (kind, reference, company_id, coverage, start_date, end_date)
                 SELECT $1, serial, company_id, coverage, ship_date, warranty_end FROM asset_stage
                 WHERE warranty_end IS NOT NULL
                 ON CONFLICT (company_id, kind, reference) DO UPDATE
                 SET coverage = excluded.coverage, start_date = excluded.start_date, end_date = excluded.end_date
                 RETURNING id, reference, company_id)
             INSERT INTO entitlement_assets (entitlement_id, asset_id)
             SELECT e.id, a.id FROM a JOIN e ON e.reference = a.serial_number AND e.company_id = a.company_id
             ON CONFLICT DO NOTHING")
        .bind(warranty)
        .execute(tx)
        .await?;
        sql("DELETE FROM asset_stage").execute(tx).await?;
        let updated = known.updated.max(0) as u64;
        return Ok((batch.len() as u64 - updated, updated));
    }
    sql("INSERT INTO assets (serial_number, product_id, company_id, site_id, ship_date)
         SELECT serial, product_id, company_id, site_id, ship_date FROM asset_stage WHERE true
         ON CONFLICT (serial_number) DO UPDATE SET product_id = excluded.product_id,
             company_id = excluded.company_id, site_id = excluded.site_id, ship_date = excluded.ship_date")
    .execute(tx)
    .await?;
    sql("INSERT INTO entitlements (kind, reference, company_id, coverage, start_date, end_date)
         SELECT $1, serial, company_id, coverage, ship_date, warranty_end FROM asset_stage
         WHERE warranty_end IS NOT NULL
         ON CONFLICT (company_id, kind, reference) DO UPDATE
         SET coverage = excluded.coverage, start_date = excluded.start_date, end_date = excluded.end_date")
    .bind(warranty)
    .execute(tx)
    .await?;
    sql("INSERT INTO entitlement_assets (entitlement_id, asset_id)
         SELECT e.id, a.id FROM asset_stage s
         JOIN assets a ON a.serial_number = s.serial
         JOIN entitlements e ON e.company_id = s.company_id AND e.kind = $1 AND e.reference = s.serial
         WHERE s.warranty_end IS NOT NULL
         ON CONFLICT DO NOTHING")
    .bind(warranty)
    .execute(tx)
    .await?;
    sql("DELETE FROM asset_stage").execute(tx).await?;
    let updated = known.updated.max(0) as u64;
    Ok((batch.len() as u64 - updated, updated))
}

/// Switches PostgreSQL's hash and merge joins off or on for the rest of the transaction
/// (SQLite's planner has neither).
async fn planner_joins(tx: &mut Tx, setting: &'static str) -> Result<()> {
    if tx.dialect() == crate::Dialect::Postgres {
        sql("SELECT set_config('enable_hashjoin', $1, true) || set_config('enable_mergejoin', $1, true) AS v")
            .bind(setting)
            .fetch_optional::<OneText>(tx)
            .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OneText {
    #[allow(dead_code)]
    v: String,
}

/// Assets of the stage that change hands: the old owner's care packs and contracts stop
/// covering them, and their factory warranty moves to the new owner. Run before
/// the assets are updated, while they still name the old owner.
async fn moved(tx: &mut Tx, warranty: &str) -> Result<()> {
    sql("DELETE FROM entitlement_assets
         WHERE asset_id IN (SELECT a.id FROM asset_stage s JOIN assets a ON a.serial_number = s.serial
                            WHERE a.company_id <> s.company_id)
           AND EXISTS (SELECT 1 FROM entitlements e, assets a, asset_stage s
                       WHERE e.id = entitlement_assets.entitlement_id AND a.id = entitlement_assets.asset_id
                         AND s.serial = a.serial_number AND e.company_id <> s.company_id AND e.kind <> $1)")
    .bind(warranty)
    .execute(tx)
    .await?;
    // By the old owner's (company, kind, reference): the unique index, not a scan by reference.
    sql("DELETE FROM entitlements
         WHERE (company_id, kind, reference) IN (
             SELECT a.company_id, $1, s.serial FROM asset_stage s JOIN assets a ON a.serial_number = s.serial
             WHERE a.company_id <> s.company_id AND s.warranty_end IS NOT NULL)")
    .bind(warranty)
    .execute(tx)
    .await?;
    Ok(())
}

/// Fills `asset_stage` with `batch`.
async fn stage(tx: &mut Tx, batch: &[AssetInput<'_>]) -> Result<()> {
    let warranty_end = |a: &AssetInput<'_>| {
        (a.warranty_months > 0).then(|| {
            factory_warranty_end(a.ship_date, u32::try_from(a.warranty_months).unwrap_or(0))
        })
    };
    if tx.dialect() == crate::Dialect::Postgres {
        let mut data = String::with_capacity(batch.len() * 64);
        for a in batch {
            let site = a.site_id.map_or("\\N".to_owned(), |s| s.get().to_string());
            let end = warranty_end(a).map_or("\\N".to_owned(), |d| d.to_string());
            data.push_str(&format!(
                "{}\t{}\t{}\t{site}\t{}\t{end}\t{}\n",
                copy_text(a.serial.as_str()),
                a.product_id.get(),
                a.company_id.get(),
                a.ship_date,
                copy_text(a.warranty_coverage)
            ));
        }
        tx.copy_in(
            "COPY asset_stage (serial, product_id, company_id, site_id, ship_date, warranty_end, coverage) FROM STDIN",
            data.into_bytes(),
        )
        .await?;
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = batch
        .iter()
        .map(|a| {
            serde_json::json!([
                a.serial.as_str(),
                a.product_id.get(),
                a.company_id.get(),
                a.site_id.map(|s| s.get()),
                a.ship_date.to_string(),
                warranty_end(a).map(|d| d.to_string()),
                a.warranty_coverage
            ])
        })
        .collect();
    sql("INSERT INTO asset_stage (serial, product_id, company_id, site_id, ship_date, warranty_end, coverage)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6
         FROM json_each($1)")
    .bind(serde_json::Value::Array(rows).to_string())
    .execute(tx)
    .await?;
    Ok(())
}

/// A value in COPY's text format: backslash, tab and line breaks escaped.
fn copy_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Any asset by serial. Callers decide what the caller may learn about it.
pub async fn by_serial(tx: &mut Tx, serial: &SerialNumber) -> Result<Option<AssetRow>> {
    sql(format!("{ASSET} WHERE a.serial_number = $1"))
        .bind(serial.as_str())
        .fetch_optional(tx)
        .await
}

/// An asset of the company in scope, by serial; another company's asset is `None`.
pub async fn of_company(
    tx: &mut Tx,
    scope: &CompanyScope,
    serial: &SerialNumber,
) -> Result<Option<AssetRow>> {
    sql(format!(
        "{ASSET} WHERE a.serial_number = $1 AND a.company_id = $2"
    ))
    .bind(serial.as_str())
    .bind(scope.company_id().get())
    .fetch_optional(tx)
    .await
}

/// Maps serial numbers to asset ids for one company; unknown or foreign serials are left out.
/// The ids of the scope's company's assets among `serials`; others are left out.
pub async fn ids_for(
    tx: &mut Tx,
    scope: &AdminScope,
    serials: &[SerialNumber],
) -> Result<Vec<(String, AssetId)>> {
    let company_id = scope.company_id().get();
    #[derive(sqlx::FromRow)]
    struct Row {
        serial_number: String,
        id: i64,
    }
    let mut out = Vec::with_capacity(serials.len());
    for serial in serials {
        let row: Option<Row> = sql(
            "SELECT serial_number, id FROM assets WHERE serial_number = $1 AND company_id = $2",
        )
        .bind(serial.as_str())
        .bind(company_id)
        .fetch_optional(tx)
        .await?;
        if let Some(r) = row {
            out.push((r.serial_number, AssetId(r.id)));
        }
    }
    Ok(out)
}
