//! The checks for each kind of row: every problem is reported with its row and field, and a
//! row is written only when it has none.

use super::{Rows, Target};
use crate::context::Context;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashSet;
use supportal_domain::entitlement::{
    Coverage, EntitlementKind, Scope, SerialNumber, check_period, one_year_from,
};
use supportal_domain::{CompanyId, SiteId};
use supportal_store::catalog::{self, ProductInput};
use supportal_store::{StaffScope, Tx, agreements, assets, entitlements};

pub(super) type RowResult = Result<Result<(), supportal_store::StoreError>, serde_json::Error>;

fn text<'a>(
    rows: &mut Rows<'_>,
    row: usize,
    field: &str,
    value: &'a str,
    max: usize,
) -> Option<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        rows.error(row, field, "required");
        None
    } else if value.chars().count() > max {
        rows.error(row, field, "too_long");
        None
    } else {
        Some(value)
    }
}

fn date(rows: &mut Rows<'_>, row: usize, field: &str, value: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            rows.error(
                row,
                field,
                if value.trim().is_empty() {
                    "required"
                } else {
                    "invalid_date"
                },
            );
            None
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ProductIn {
    #[serde(default)]
    sku: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    product_line: String,
    #[serde(default)]
    has_serial: bool,
    #[serde(default)]
    warranty_months: i64,
    #[serde(default)]
    warranty_coverage: Option<String>,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default)]
    categories: Vec<CategoryIn>,
}

#[derive(Debug, Deserialize)]
pub(super) struct CategoryIn {
    name: String,
    #[serde(default)]
    problem_types: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct AssetIn {
    #[serde(default)]
    serial_number: String,
    #[serde(default)]
    sku: String,
    company_id: Option<i64>,
    site_id: Option<i64>,
    #[serde(default)]
    ship_date: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct EntitlementIn {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reference: String,
    company_id: Option<i64>,
    #[serde(default)]
    coverage: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    serial_numbers: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct AgreementIn {
    #[serde(default)]
    access_id: String,
    #[serde(default)]
    agreement_id: String,
    #[serde(default)]
    programme: String,
    units: Option<i64>,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    grace_days: Option<i64>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    skus: Vec<String>,
}

pub(super) async fn product(
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    row: usize,
    p: ProductIn,
    seen: &mut HashSet<String>,
) -> RowResult {
    let before = rows.report.error_count;
    let sku = text(rows, row, "sku", &p.sku, 64).map(str::to_uppercase);
    let name = text(rows, row, "name", &p.name, 200).map(str::to_owned);
    let line = text(rows, row, "product_line", &p.product_line, 200).map(str::to_owned);
    if !(0..=120).contains(&p.warranty_months) {
        rows.error(row, "warranty_months", "out_of_range");
    }
    let coverage = p.warranty_coverage.as_deref().unwrap_or("nbd_onsite");
    if Coverage::parse(coverage).is_none() {
        rows.error(row, "warranty_coverage", "invalid_choice");
    }
    if let Some(sku) = &sku
        && !seen.insert(sku.clone())
    {
        rows.error(row, "sku", "duplicate_row");
    }
    let (Some(sku), Some(name), Some(product_line), true) =
        (sku, name, line, rows.report.error_count == before)
    else {
        return Ok(Ok(()));
    };
    let input = ProductInput {
        sku,
        name,
        product_line,
        has_serial: p.has_serial,
        warranty_months: p.warranty_months,
        warranty_coverage: coverage.to_owned(),
        versions: p
            .versions
            .iter()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect(),
        categories: p
            .categories
            .into_iter()
            .map(|c| (c.name.trim().to_owned(), c.problem_types))
            .filter(|(n, _)| !n.is_empty())
            .collect(),
    };
    Ok(catalog::upsert_product(tx, &input)
        .await
        .map(|(_, created)| rows.counted(created)))
}

async fn company_exists(
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    staff: &StaffScope,
    id: i64,
) -> Result<bool, supportal_store::StoreError> {
    if let Some(known) = rows.companies.get(&id) {
        return Ok(*known);
    }
    let exists = supportal_store::companies::exists(tx, staff, CompanyId(id)).await?;
    rows.companies.insert(id, exists);
    Ok(exists)
}

/// A product by SKU, remembered for the rest of the file.
async fn product_by_sku(
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    sku: &str,
) -> Result<Option<catalog::ProductRow>, supportal_store::StoreError> {
    if let Some(known) = rows.products.get(sku) {
        return Ok(known.clone());
    }
    let found = catalog::find_by_sku(tx, sku).await?;
    rows.products.insert(sku.to_owned(), found.clone());
    Ok(found)
}

/// The company a row goes to: the admin's own, or the row's (which must exist).
async fn row_company(
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    row: usize,
    given: Option<i64>,
    target: &Target,
) -> Result<Option<i64>, supportal_store::StoreError> {
    match (target, given) {
        (Target::Company(own), None) => Ok(Some(own.company_id().get())),
        (Target::Company(own), Some(id)) if id == own.company_id().get() => Ok(Some(id)),
        (Target::Company(_), Some(_)) => {
            rows.error(row, "company_id", "unknown_company");
            Ok(None)
        }
        (Target::Operator(_), None) => {
            rows.error(row, "company_id", "required");
            Ok(None)
        }
        (Target::Operator(staff), Some(id)) => {
            if company_exists(tx, rows, staff, id).await? {
                Ok(Some(id))
            } else {
                rows.error(row, "company_id", "unknown_company");
                Ok(None)
            }
        }
    }
}

pub(super) async fn asset(
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    row: usize,
    a: AssetIn,
    target: &Target,
    seen: &mut HashSet<String>,
) -> RowResult {
    let before = rows.report.error_count;
    let serial = match SerialNumber::parse(&a.serial_number) {
        Ok(s) => Some(s),
        Err(code) => {
            rows.error(row, "serial_number", code);
            None
        }
    };
    if let Some(s) = &serial
        && !seen.insert(s.to_string())
    {
        rows.error(row, "serial_number", "duplicate_row");
    }
    let ship_date = date(rows, row, "ship_date", &a.ship_date);
    let product = match product_by_sku(tx, rows, &a.sku.trim().to_uppercase()).await {
        Ok(Some(p)) if p.has_serial => Some(p),
        Ok(Some(_)) => {
            rows.error(row, "sku", "product_without_serial");
            None
        }
        Ok(None) => {
            rows.error(
                row,
                "sku",
                if a.sku.trim().is_empty() {
                    "required"
                } else {
                    "unknown_sku"
                },
            );
            None
        }
        Err(e) => return Ok(Err(e)),
    };
    let company = match row_company(tx, rows, row, a.company_id, target).await {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let Target::Operator(staff) = target else {
        // Assets are the operator's to load.
        rows.error(row, "company_id", "unknown_company");
        return Ok(Ok(()));
    };
    if let (Some(site), Some(company)) = (a.site_id, company) {
        let known = match rows.sites.get(&(site, company)) {
            Some(known) => Ok(*known),
            None => {
                supportal_store::companies::site_of_company(
                    tx,
                    staff,
                    SiteId(site),
                    CompanyId(company),
                )
                .await
            }
        };
        match known {
            Ok(known) => {
                rows.sites.insert((site, company), known);
                if !known {
                    rows.error(row, "site_id", "unknown_site");
                }
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    let (Some(serial), Some(ship_date), Some(product), Some(company_id), true) = (
        serial,
        ship_date,
        product,
        company,
        rows.report.error_count == before,
    ) else {
        return Ok(Ok(()));
    };
    rows.assets.push(PendingAsset {
        serial,
        product_id: product.id,
        warranty_months: product.warranty_months,
        warranty_coverage: product.warranty_coverage,
        company_id: CompanyId(company_id),
        site_id: a.site_id.map(SiteId),
        ship_date,
    });
    if rows.assets.len() >= ASSET_BATCH {
        return Ok(flush_assets(tx, rows, staff).await);
    }
    Ok(Ok(()))
}

/// Checked asset rows written together (`assets::upsert_many`), so a large file costs a few
/// statements per thousand rows instead of several per row.
const ASSET_BATCH: usize = 2_000;

/// A checked asset row waiting for its batch.
pub(super) struct PendingAsset {
    serial: SerialNumber,
    product_id: supportal_domain::ProductId,
    warranty_months: i64,
    warranty_coverage: String,
    company_id: CompanyId,
    site_id: Option<SiteId>,
    ship_date: NaiveDate,
}

/// Writes the waiting asset rows, unless a row was refused (then nothing is written at all).
pub(super) async fn flush_assets(
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    staff: &StaffScope,
) -> Result<(), supportal_store::StoreError> {
    let pending = std::mem::take(&mut rows.assets);
    if rows.report.error_count > 0 {
        return Ok(());
    }
    let batch: Vec<assets::AssetInput<'_>> = pending
        .iter()
        .map(|p| assets::AssetInput {
            serial: &p.serial,
            product_id: p.product_id,
            warranty_months: p.warranty_months,
            warranty_coverage: &p.warranty_coverage,
            company_id: p.company_id,
            site_id: p.site_id,
            ship_date: p.ship_date,
        })
        .collect();
    let (created, updated) = assets::upsert_many(tx, staff, &batch).await?;
    rows.report.created += created as usize;
    rows.report.updated += updated as usize;
    Ok(())
}

pub(super) async fn entitlement(
    ctx: &Context,
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    row: usize,
    e: EntitlementIn,
    target: &Target,
    seen: &mut HashSet<String>,
) -> RowResult {
    let _ = ctx;
    let before = rows.report.error_count;
    let kind = match EntitlementKind::parse(e.kind.trim()) {
        Some(k @ (EntitlementKind::CarePack | EntitlementKind::Contract)) => Some(k),
        _ => {
            rows.error(row, "kind", "invalid_choice");
            None
        }
    };
    let reference = text(rows, row, "reference", &e.reference, 64).map(str::to_owned);
    let coverage = Coverage::parse(e.coverage.trim());
    if coverage.is_none() {
        rows.error(row, "coverage", "invalid_choice");
    }
    let start = date(rows, row, "start", &e.start);
    let end = date(rows, row, "end", &e.end);
    if let (Some(s), Some(en)) = (start, end)
        && let Err(code) = check_period(s, en)
    {
        rows.error(row, "end", code);
    }
    let company = match row_company(tx, rows, row, e.company_id, target).await {
        Ok(c) => c,
        Err(err) => return Ok(Err(err)),
    };
    let mut serials = Vec::new();
    for s in &e.serial_numbers {
        match SerialNumber::parse(s) {
            Ok(s) => serials.push(s),
            Err(code) => rows.error(row, "serial_numbers", code),
        }
    }
    // The company's own scope: the admin's, or the operator's for the row's company.
    let scope = company.and_then(|c| match target {
        Target::Company(own) => Some(own.clone()),
        Target::Operator(staff) => staff.company(CompanyId(c)).admin(),
    });
    let mut asset_ids = Vec::new();
    if let Some(scope) = &scope {
        let found = match assets::ids_for(tx, scope, &serials).await {
            Ok(f) => f,
            Err(err) => return Ok(Err(err)),
        };
        if found.len() < serials.len() {
            rows.error(row, "serial_numbers", "unknown_serial");
        }
        asset_ids = found.into_iter().map(|(_, id)| id).collect();
    }
    if let (Some(k), Some(r), Some(c)) = (kind, &reference, company)
        && !seen.insert(format!("{c}/{}/{r}", k.as_str()))
    {
        rows.error(row, "reference", "duplicate_row");
    }
    let (Some(kind), Some(reference), Some(coverage), Some(start), Some(end), Some(scope), true) = (
        kind,
        reference,
        coverage,
        start,
        end,
        scope,
        rows.report.error_count == before,
    ) else {
        return Ok(Ok(()));
    };
    let input = entitlements::ContractInput {
        kind,
        reference: &reference,
        coverage: coverage.as_str(),
        start,
        end,
        asset_ids: &asset_ids,
    };
    Ok(entitlements::upsert(tx, &scope, &input)
        .await
        .map(|(_, created)| rows.counted(created)))
}

pub(super) async fn agreement(
    ctx: &Context,
    tx: &mut Tx,
    rows: &mut Rows<'_>,
    row: usize,
    a: AgreementIn,
    seen: &mut HashSet<String>,
) -> RowResult {
    let before = rows.report.error_count;
    let access_id = text(rows, row, "access_id", &a.access_id, 64).map(str::to_owned);
    let agreement_id = text(rows, row, "agreement_id", &a.agreement_id, 64).map(str::to_owned);
    let programme = text(rows, row, "programme", &a.programme, 200).map(str::to_owned);
    let units = match a.units {
        Some(u) if (0..=100_000).contains(&u) => Some(u),
        Some(_) => {
            rows.error(row, "units", "out_of_range");
            None
        }
        None => {
            rows.error(row, "units", "required");
            None
        }
    };
    let start = date(rows, row, "start", &a.start);
    let end = match (
        a.end.as_deref().map(str::trim).filter(|e| !e.is_empty()),
        start,
    ) {
        (Some(e), _) => date(rows, row, "end", e),
        (None, Some(s)) => Some(one_year_from(s)),
        (None, None) => None,
    };
    if let (Some(s), Some(e)) = (start, end)
        && let Err(code) = check_period(s, e)
    {
        rows.error(row, "end", code);
    }
    let grace_days = a.grace_days.unwrap_or(0);
    if !(0..=365).contains(&grace_days) {
        rows.error(row, "grace_days", "out_of_range");
    }
    let mut scopes = Vec::new();
    for s in &a.scopes {
        match Scope::parse(s.trim()) {
            Some(s) => scopes.push(s),
            None => rows.error(row, "scopes", "invalid_choice"),
        }
    }
    if a.scopes.is_empty() {
        rows.error(row, "scopes", "required");
    }
    let mut product_ids = Vec::new();
    for sku in &a.skus {
        match product_by_sku(tx, rows, &sku.trim().to_uppercase()).await {
            Ok(Some(p)) => product_ids.push(p.id),
            Ok(None) => rows.error(row, "skus", "unknown_sku"),
            Err(e) => return Ok(Err(e)),
        }
    }
    if let (Some(a), Some(g)) = (&access_id, &agreement_id)
        && !seen.insert(format!("{a}/{g}"))
    {
        rows.error(row, "agreement_id", "duplicate_row");
    }
    let (
        Some(access_id),
        Some(agreement_id),
        Some(programme),
        Some(units),
        Some(start),
        Some(end),
        true,
    ) = (
        access_id,
        agreement_id,
        programme,
        units,
        start,
        end,
        rows.report.error_count == before,
    )
    else {
        return Ok(Ok(()));
    };
    let input = agreements::AgreementInput {
        access_id: &access_id,
        agreement_id: &agreement_id,
        programme: &programme,
        units,
        start,
        end,
        grace_days,
        scopes: &scopes,
        product_ids: &product_ids,
    };
    Ok(agreements::upsert(tx, &input, ctx.now())
        .await
        .map(|(_, created)| rows.counted(created)))
}
