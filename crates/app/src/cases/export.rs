//! *Export to Excel* (CAS-12): the current view — same filters, sort and columns — as .xlsx with
//! a header row and typed cells (dates as dates). Rows stream from one query and are written
//! through rust_xlsxwriter's constant-memory worksheet, so memory does not grow with the rows.

use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use chrono::{Datelike, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use supportal_store::cases::{self, CaseRow, CaseViewer, ListQuery};
use supportal_store::sessions::SessionUser;

const BATCH: usize = 1000;

/// The columns of the list views, in order: (message id, width).
const COLUMNS: [(&str, f64); 8] = [
    ("cases-col-id", 12.0),
    ("cases-col-title", 40.0),
    ("cases-col-product", 24.0),
    ("label-serial", 18.0),
    ("label-status", 16.0),
    ("cases-col-severity", 9.0),
    ("case-opened", 18.0),
    ("cases-col-updated", 18.0),
];

/// A moment as an Excel date and time on the reader's clock (Excel's have no zone; the
/// column's header names it).
fn excel_time(at: &chrono::NaiveDateTime) -> Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    ExcelDateTime::from_ymd(at.year() as u16, at.month() as u8, at.day() as u8)?.and_hms(
        at.hour() as u16,
        at.minute() as u8,
        at.second() as f64,
    )
}

/// Writes every row of the view into an .xlsx file and returns its bytes.
pub async fn xlsx(
    ctx: &Context,
    lang: &Lang,
    user: &SessionUser,
    query: ListQuery,
) -> AppResult<Vec<u8>> {
    let viewer = CaseViewer::of(user);
    let zone = lang.zone_name().unwrap_or("UTC");
    let headers: Vec<(String, f64)> = COLUMNS
        .iter()
        .map(|(id, width)| match *id {
            "case-opened" | "cases-col-updated" => {
                (format!("{} ({zone})", lang.t(id)), *width + 8.0)
            }
            _ => (lang.t(id), *width),
        })
        .collect();
    let lang = lang.clone();
    let statuses: Vec<(String, String)> = supportal_domain::case::CaseStatus::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                lang.t(&format!("case-status-{}", s.as_str())),
            )
        })
        .collect();
    let (sender, receiver) = tokio::sync::mpsc::channel::<Vec<CaseRow>>(2);
    let writer = tokio::task::spawn_blocking(move || write(&lang, headers, statuses, receiver));
    // One query in one snapshot, read as it streams: no page re-reads what came before.
    let mut tx = ctx.db.read().await?;
    let read = cases::send_all(&mut tx, &viewer, &query, BATCH, &sender).await;
    drop(sender);
    tx.rollback().await?;
    read?;
    writer
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

fn write(
    lang: &Lang,
    headers: Vec<(String, f64)>,
    statuses: Vec<(String, String)>,
    mut rows: tokio::sync::mpsc::Receiver<Vec<CaseRow>>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = book.add_worksheet_with_constant_memory()?;
    for (col, (title, width)) in headers.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(0, col as u16, title, &bold)?;
    }
    let mut r: u32 = 1;
    while let Some(batch) = rows.blocking_recv() {
        for case in batch {
            let status = statuses
                .iter()
                .find(|(code, _)| *code == case.status)
                .map(|(_, label)| label.as_str())
                .unwrap_or(&case.status);
            sheet.write_string(r, 0, &case.number)?;
            sheet.write_string(r, 1, &case.title)?;
            sheet.write_string(r, 2, &case.product_name)?;
            sheet.write_string(r, 3, case.serial_number.as_deref().unwrap_or(""))?;
            sheet.write_string(r, 4, status)?;
            sheet.write_number(r, 5, case.severity as f64)?;
            let (opened, updated) = (lang.local(&case.created_at), lang.local(&case.updated_at));
            sheet.write_datetime_with_format(r, 6, &excel_time(&opened)?, &date)?;
            sheet.write_datetime_with_format(r, 7, &excel_time(&updated)?, &date)?;
            r += 1;
        }
    }
    book.save_to_buffer()
}
