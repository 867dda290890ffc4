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

/// Creates or updates an asset by serial number and keeps its factory warranty in step: the
/// warranty row belongs to the owning company and runs from the ship date for the product's
/// warranty months. Returns the id and whether the asset was new.
/// Creates or updates an asset by serial (staff load assets for any company).
pub async fn upsert(
    tx: &mut Tx,
    _staff: &StaffScope,
    a: &AssetInput<'_>,
) -> Result<(AssetId, bool)> {
    let existing = by_serial(tx, a.serial).await?;
    let id = match &existing {
        Some(row) => {
            sql("UPDATE assets SET product_id = $2, company_id = $3, site_id = $4, ship_date = $5 WHERE id = $1")
                .bind(row.id)
                .bind(a.product_id)
                .bind(a.company_id)
                .bind(a.site_id)
                .bind(a.ship_date)
                .execute(tx)
                .await?;
            row.id
        }
        None => {
            sql("INSERT INTO assets (serial_number, product_id, company_id, site_id, ship_date) VALUES ($1, $2, $3, $4, $5) RETURNING id AS v")
                .bind(a.serial.as_str())
                .bind(a.product_id)
                .bind(a.company_id)
                .bind(a.site_id)
                .bind(a.ship_date)
                .fetch_id(tx)
                .await?
        }
    };
    // An asset that changed hands leaves the old owner's care packs and contracts: they stay
    // with that company (for its other assets and the audit trail) but no longer cover this one.
    if existing
        .as_ref()
        .is_some_and(|row| row.company_id != a.company_id)
    {
        sql("DELETE FROM entitlement_assets WHERE asset_id = $1
             AND entitlement_id IN (SELECT id FROM entitlements WHERE company_id <> $2 AND kind <> $3)")
            .bind(id)
            .bind(a.company_id)
            .bind(EntitlementKind::FactoryWarranty.as_str())
            .execute(tx)
            .await?;
    }
    if a.warranty_months > 0 {
        let end = factory_warranty_end(a.ship_date, u32::try_from(a.warranty_months).unwrap_or(0));
        // An asset that changed hands takes its factory warranty to the new owner.
        if existing
            .as_ref()
            .is_some_and(|row| row.company_id != a.company_id)
        {
            sql("DELETE FROM entitlements WHERE kind = $1 AND reference = $2 AND company_id <> $3")
                .bind(EntitlementKind::FactoryWarranty.as_str())
                .bind(a.serial.as_str())
                .bind(a.company_id)
                .execute(tx)
                .await?;
        }
        let warranty = sql("INSERT INTO entitlements (kind, reference, company_id, coverage, start_date, end_date)
                            VALUES ($1, $2, $3, $4, $5, $6)
                            ON CONFLICT (company_id, kind, reference) DO UPDATE
                            SET coverage = excluded.coverage, start_date = excluded.start_date, end_date = excluded.end_date
                            RETURNING id AS v")
            .bind(EntitlementKind::FactoryWarranty.as_str())
            .bind(a.serial.as_str())
            .bind(a.company_id)
            .bind(a.warranty_coverage)
            .bind(a.ship_date)
            .bind(end)
            .fetch_i64(tx)
            .await?;
        sql("INSERT INTO entitlement_assets (entitlement_id, asset_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(warranty)
            .bind(id)
            .execute(tx)
            .await?;
    }
    Ok((id, existing.is_none()))
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
