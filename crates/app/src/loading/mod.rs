//! Loading catalog and entitlement data (SUP-5, CMP-3): operator staff post JSON arrays of
//! products, assets, warranties/contracts and agreements; company admins post their own
//! contracts and warranties. Every row is checked; one bad row means nothing is written and the
//! answer (422) lists each problem by row, field and code. Loading the same rows again changes
//! nothing.

use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use rows::{
    AgreementIn, AssetIn, EntitlementIn, ProductIn, agreement, asset, entitlement, product,
};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use supportal_store::{AdminScope, StaffScope};

pub mod files;
mod rows;

pub use files::Parsed;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadKind {
    Products,
    Assets,
    Entitlements,
    Agreements,
}

impl LoadKind {
    pub fn parse(value: &str) -> Option<LoadKind> {
        match value {
            "products" => Some(LoadKind::Products),
            "assets" => Some(LoadKind::Assets),
            "entitlements" => Some(LoadKind::Entitlements),
            "agreements" => Some(LoadKind::Agreements),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RowError {
    /// 1-based: the array position for JSON, the spreadsheet row for files (the header is row 1).
    pub row: usize,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub created: usize,
    pub updated: usize,
    /// The first `MAX_REPORTED_ERRORS` problems, in row order.
    pub errors: Vec<RowError>,
    /// Every problem found, also those beyond the ones listed.
    pub error_count: usize,
}

/// A report lists at most this many problems, so a file with a million bad rows still gets a
/// short answer.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Where rows may go, with the proof of it: anywhere (operator staff) or only into one company
/// (its admin).
#[derive(Debug, Clone)]
pub enum Target {
    Operator(StaffScope),
    Company(AdminScope),
}

pub(super) struct Rows<'a> {
    lang: &'a Lang,
    report: LoadReport,
    /// Lookups repeated on many rows of one file: product by SKU, company existence.
    products: HashMap<String, Option<supportal_store::catalog::ProductRow>>,
    companies: HashMap<i64, bool>,
    /// (site, company) → whether the site is the company's.
    sites: HashMap<(i64, i64), bool>,
    /// Checked asset rows not written yet (see `rows::flush_assets`).
    assets: Vec<rows::PendingAsset>,
}

impl Rows<'_> {
    pub(super) fn error(&mut self, row: usize, field: &str, code: &'static str) {
        self.report.error_count += 1;
        // The row past the cap is always listed: it says why the rest was not read.
        if self.report.errors.len() >= MAX_REPORTED_ERRORS && code != files::TOO_MANY_ROWS {
            return;
        }
        let message = self.lang.field_error(code);
        self.report.errors.push(RowError {
            row,
            field: field.to_owned(),
            code,
            message,
        });
    }

    pub(super) fn counted(&mut self, created: bool) {
        if created {
            self.report.created += 1;
        } else {
            self.report.updated += 1;
        }
    }
}

/// Loads `values` (row number, JSON object) of one kind in one transaction.
pub async fn load(
    ctx: &Context,
    lang: &Lang,
    kind: LoadKind,
    target: Target,
    values: impl IntoIterator<Item = (usize, Parsed)>,
    progress: Option<&(dyn Fn(usize) + Send + Sync)>,
) -> AppResult<LoadReport> {
    let mut rows = Rows {
        lang,
        report: LoadReport::default(),
        products: HashMap::new(),
        companies: HashMap::new(),
        sites: HashMap::new(),
        assets: Vec::new(),
    };
    let mut tx = ctx.db.begin().await?;
    let mut seen = HashSet::new();
    for (done, (row, parsed)) in values.into_iter().enumerate() {
        if let Some(progress) = progress {
            progress(done);
        }
        let value = match parsed {
            Ok(value) => value,
            Err((field, code)) => {
                rows.error(row, &field, code);
                if code == files::TOO_MANY_ROWS {
                    break;
                }
                continue;
            }
        };
        let outcome = match kind {
            LoadKind::Products => match serde_json::from_value::<ProductIn>(value) {
                Ok(p) => product(&mut tx, &mut rows, row, p, &mut seen).await,
                Err(e) => Err(e),
            },
            LoadKind::Assets => match serde_json::from_value::<AssetIn>(value) {
                Ok(a) => asset(&mut tx, &mut rows, row, a, &target, &mut seen).await,
                Err(e) => Err(e),
            },
            LoadKind::Entitlements => match serde_json::from_value::<EntitlementIn>(value) {
                Ok(e) => entitlement(ctx, &mut tx, &mut rows, row, e, &target, &mut seen).await,
                Err(e) => Err(e),
            },
            LoadKind::Agreements => match serde_json::from_value::<AgreementIn>(value) {
                Ok(a) => agreement(ctx, &mut tx, &mut rows, row, a, &mut seen).await,
                Err(e) => Err(e),
            },
        };
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(store)) => return Err(store.into()),
            Err(shape) => {
                tracing::debug!(row, error = %shape, "row of the wrong shape");
                rows.error(row, "", "invalid_row");
            }
        }
    }
    if let Target::Operator(staff) = &target {
        rows::flush_assets(&mut tx, &mut rows, staff).await?;
    }
    if rows.report.error_count == 0 {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
        rows.report.created = 0;
        rows.report.updated = 0;
    }
    Ok(rows.report)
}

pub fn numbered(values: Vec<Value>) -> impl Iterator<Item = (usize, Parsed)> {
    values.into_iter().enumerate().map(|(i, v)| (i + 1, Ok(v)))
}

/// Bodies above this many rows go through file upload or the CLI; a company admin's file too.
pub const MAX_JSON_ROWS: usize = 10_000;

/// An operator's uploaded file; bigger loads go through `supportal import`.
const MAX_OPERATOR_FILE_ROWS: usize = 100_000;

pub fn check_size(values: &[Value]) -> AppResult<()> {
    if values.len() > MAX_JSON_ROWS {
        return Err(AppError::new(crate::error::Kind::TooLarge, "too_many_rows"));
    }
    Ok(())
}

/// Uploads are larger than ordinary bodies: up to this many bytes.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// Loads an uploaded file of `kind` into `target`.
pub async fn load_file(
    ctx: &Context,
    lang: &Lang,
    kind: LoadKind,
    target: Target,
    file: Option<Vec<u8>>,
) -> AppResult<LoadReport> {
    let bytes = file.ok_or_else(|| AppError::field("file", "required"))?;
    let max_rows = match target {
        Target::Operator(_) => MAX_OPERATOR_FILE_ROWS,
        Target::Company(_) => MAX_JSON_ROWS,
    };
    let rows = files::rows(files::required(kind), bytes, Some(max_rows))?;
    match target {
        // A company admin's file is read whole (10,000 rows at most) before the write
        // transaction starts, so reading it never holds the database writer.
        Target::Company(_) => {
            let rows: Vec<(usize, Parsed)> = rows.collect();
            load(ctx, lang, kind, target, rows, None).await
        }
        Target::Operator(_) => load(ctx, lang, kind, target, rows, None).await,
    }
}
