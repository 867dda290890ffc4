//! The device sales feed (PTN-2): distributors and resellers report resold devices with a feed
//! token, as a JSON array or a CSV/XLSX file. Every row is checked; one bad row means nothing is
//! written and the report lists the problems by row. A sale reported again (same serial, same
//! reference, same facts) changes nothing; the same serial with other facts is an error.

use crate::auth::sha256_hex;
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::loading::{MAX_REPORTED_ERRORS, Parsed, RowError, files};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use supportal_domain::partner::{Sale, check_sale};
use supportal_store::partners::devices::{self, NewDevice};
use supportal_store::partners::{self, FeedScope};

/// Rows in one JSON request; bigger batches go as several requests or a file.
pub const MAX_JSON_ROWS: usize = 5_000;
/// Rows in one uploaded file.
pub const MAX_FILE_ROWS: usize = 100_000;
/// The columns a feed file must have.
pub const COLUMNS: &[&str] = &[
    "serial_number",
    "sku",
    "service_plan",
    "partner_company_id",
    "sold_on",
    "reference",
];

/// What a feed did: new devices, sales already known, and the problems (nothing is written when
/// there is one).
#[derive(Debug, Clone, Default)]
pub struct FeedReport {
    pub created: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    pub error_count: usize,
}

impl FeedReport {
    fn error(&mut self, lang: &Lang, row: usize, field: &str, code: &'static str) {
        self.error_count += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS || code == files::TOO_MANY_ROWS {
            self.errors.push(RowError {
                row,
                field: field.to_owned(),
                code,
                message: lang.field_error(code),
            });
        }
    }
}

/// The feed token behind `Authorization: Bearer …`; 401 for none, an unknown or a revoked one.
pub async fn feed_scope(ctx: &Context, token: Option<&str>) -> AppResult<FeedScope> {
    let token = token
        .filter(|t| t.starts_with("sfeed_") && t.len() < 200)
        .ok_or_else(|| AppError::new(crate::error::Kind::Unauthenticated, "invalid_feed_token"))?;
    let mut tx = ctx.db.read().await?;
    let scope = partners::feed_token(&mut tx, &sha256_hex(token)).await?;
    tx.rollback().await?;
    scope.ok_or_else(|| AppError::new(crate::error::Kind::Unauthenticated, "invalid_feed_token"))
}

/// A cell as text: strings as they are, numbers written out, anything else empty.
fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => crate::input::without_nul(s).into_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn company_id(value: &Value) -> Option<i64> {
    match value.get("partner_company_id") {
        Some(Value::Number(n)) => Some(n.as_i64().unwrap_or(-1)),
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().parse().unwrap_or(-1)),
        None | Some(Value::Null) => None,
        Some(_) => Some(-1),
    }
}

/// Checks and writes one feed of rows (row number, object) in one transaction.
pub async fn report(
    ctx: &Context,
    lang: &Lang,
    feed: &FeedScope,
    rows: impl IntoIterator<Item = (usize, Parsed)>,
) -> AppResult<FeedReport> {
    let mut report = FeedReport::default();
    let today = ctx.now().date_naive();
    let mut sales: Vec<(usize, Sale)> = Vec::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (row, parsed) in rows {
        let value = match parsed {
            Ok(Value::Object(map)) => Value::Object(map),
            Ok(_) => {
                report.error(lang, row, "", "invalid_row");
                continue;
            }
            Err((field, code)) => {
                report.error(lang, row, &field, code);
                if code == files::TOO_MANY_ROWS {
                    break;
                }
                continue;
            }
        };
        let checked = check_sale(
            &text(&value, "serial_number"),
            &text(&value, "sku"),
            &text(&value, "service_plan"),
            company_id(&value),
            &text(&value, "sold_on"),
            &text(&value, "reference"),
            today,
        );
        match checked {
            Err(errors) => {
                for e in errors.0 {
                    report.error(lang, row, &e.field, e.code);
                }
            }
            Ok(sale) => match first.get(&sale.serial_number) {
                Some(&i) if sales[i].1 == sale => report.unchanged += 1,
                Some(_) => report.error(lang, row, "serial_number", "duplicate_serial"),
                None => {
                    first.insert(sale.serial_number.clone(), sales.len());
                    sales.push((row, sale));
                }
            },
        }
    }
    if report.error_count == 0 && sales.is_empty() && report.unchanged == 0 {
        return Err(AppError::unprocessable("no_rows"));
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let skus: Vec<&str> = sales
        .iter()
        .map(|(_, s)| s.sku.as_str())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let products: HashMap<String, i64> = devices::products(&mut tx, &skus)
        .await?
        .into_iter()
        .collect();
    let ids: Vec<i64> = sales
        .iter()
        .map(|(_, s)| s.partner_company_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let partners: HashSet<i64> = devices::partner_companies(&mut tx, &ids)
        .await?
        .into_iter()
        .collect();
    let serials: Vec<&str> = sales
        .iter()
        .map(|(_, s)| s.serial_number.as_str())
        .collect();
    let known: HashMap<String, devices::Reported> = devices::reported(&mut tx, &serials)
        .await?
        .into_iter()
        .map(|r| (r.serial_number.clone(), r))
        .collect();
    let mut new = Vec::new();
    for (row, sale) in &sales {
        let product = products.get(&sale.sku);
        if product.is_none() {
            report.error(lang, *row, "sku", "unknown_sku");
        }
        if !partners.contains(&sale.partner_company_id) {
            report.error(lang, *row, "partner_company_id", "unknown_partner");
        }
        match known.get(&sale.serial_number) {
            Some(k) if same_sale(k, sale) => report.unchanged += 1,
            Some(_) => report.error(lang, *row, "serial_number", "serial_already_reported"),
            None => {
                if let Some(&product_id) = product {
                    new.push(NewDevice { sale, product_id });
                }
            }
        }
    }
    if report.error_count > 0 {
        tx.rollback().await?;
        report.created = 0;
        report.unchanged = 0;
        return Ok(report);
    }
    let written = devices::insert(&mut tx, feed, &new, now).await?;
    if written < new.len() {
        // Another feed reported some of these serials meanwhile: nothing of this one is kept,
        // and sending it again tells which are the same.
        tx.rollback().await?;
        return Err(AppError::conflict("concurrent_report"));
    }
    partners::touch_feed_token(&mut tx, feed, now).await?;
    tx.commit().await?;
    report.created = written;
    Ok(report)
}

fn same_sale(known: &devices::Reported, sale: &Sale) -> bool {
    known.reference == sale.reference
        && known.sku == sale.sku
        && known.service_plan == sale.service_plan.as_str()
        && known.partner_company_id == sale.partner_company_id
        && known.sold_on == sale.sold_on
}

/// A JSON feed: at most `MAX_JSON_ROWS` rows.
pub async fn report_json(
    ctx: &Context,
    lang: &Lang,
    feed: &FeedScope,
    values: Vec<Value>,
) -> AppResult<FeedReport> {
    if values.len() > MAX_JSON_ROWS {
        return Err(AppError::new(crate::error::Kind::TooLarge, "too_many_rows"));
    }
    report(ctx, lang, feed, crate::loading::numbered(values)).await
}

/// A feed file (CSV or XLSX): read whole before the write transaction starts.
pub async fn report_file(
    ctx: &Context,
    lang: &Lang,
    feed: &FeedScope,
    bytes: Option<Vec<u8>>,
) -> AppResult<FeedReport> {
    let bytes = bytes.ok_or_else(|| AppError::field("file", "required"))?;
    let rows: Vec<(usize, Parsed)> = files::rows(COLUMNS, bytes, Some(MAX_FILE_ROWS))?.collect();
    report(ctx, lang, feed, rows).await
}
