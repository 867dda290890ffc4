//! Reading uploaded CSV and XLSX files into rows for the loader. The first row names the columns
//! (the JSON field names); list columns take values separated by `;`, `,` or `|`; product
//! categories are written `Hardware: Disk failure|Power; Firmware: Update failed`. Spreadsheet
//! row numbers are kept so the report points at the line people see.

use super::LoadKind;
use crate::error::{AppError, AppResult};
use serde_json::{Map, Value, json};
use std::io::Cursor;

mod xlsx;

/// One data row: its values, or the column that could not be read and why.
pub type Parsed = Result<Value, (String, &'static str)>;

pub type RowSource = Box<dyn Iterator<Item = (usize, Parsed)> + Send>;

/// The columns each kind needs; others named in the header are read when they are known fields.
pub fn required(kind: LoadKind) -> &'static [&'static str] {
    match kind {
        LoadKind::Products => &["sku", "name", "product_line"],
        LoadKind::Assets => &["serial_number", "sku", "ship_date"],
        LoadKind::Entitlements => &["kind", "reference", "coverage", "start", "end"],
        LoadKind::Agreements => &[
            "access_id",
            "agreement_id",
            "programme",
            "units",
            "start",
            "scopes",
        ],
    }
}

enum Column {
    Text,
    Int,
    Bool,
    List,
    Categories,
}

fn column(name: &str) -> Option<Column> {
    Some(match name {
        "sku" | "name" | "product_line" | "warranty_coverage" | "serial_number" | "ship_date"
        | "kind" | "reference" | "coverage" | "start" | "end" | "access_id" | "agreement_id"
        | "programme" | "service_plan" | "sold_on" => Column::Text,
        "company_id" | "partner_company_id" | "site_id" | "warranty_months" | "units"
        | "grace_days" => Column::Int,
        "has_serial" => Column::Bool,
        "serial_numbers" | "scopes" | "skus" | "versions" => Column::List,
        // Bulk cases (CAS-15).
        "title"
        | "description"
        | "troubleshooting"
        | "version"
        | "category"
        | "problem_type"
        | "country"
        | "time_zone"
        | "pin"
        | "primary_contact_name"
        | "primary_contact_email"
        | "primary_contact_phone"
        | "alternate_contact_name"
        | "alternate_contact_email"
        | "alternate_contact_phone"
        | "equipment_company_name"
        | "equipment_street"
        | "equipment_postal_code"
        | "equipment_city"
        | "equipment_country"
        | "parts_company_name"
        | "parts_street"
        | "parts_postal_code"
        | "parts_city"
        | "parts_country" => Column::Text,
        "severity" | "entitlement_id" | "equipment_site_id" => Column::Int,
        "handling_24x7" => Column::Bool,
        "additional_contacts" => Column::List,
        "categories" => Column::Categories,
        _ => return None,
    })
}

fn list(text: &str) -> Value {
    Value::Array(
        text.split([';', ',', '|'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| json!(s))
            .collect(),
    )
}

fn categories(text: &str) -> Value {
    let items = text
        .split(';')
        .filter_map(|part| {
            let (name, types) = part.split_once(':').unwrap_or((part, ""));
            let name = name.trim();
            (!name.is_empty()).then(|| json!({ "name": name, "problem_types": list(types) }))
        })
        .collect();
    Value::Array(items)
}

/// Turns one row of cell texts into the JSON object the loader reads.
fn to_value(headers: &[String], cells: &[String]) -> Parsed {
    let mut object = Map::new();
    for (name, cell) in headers.iter().zip(cells) {
        let cell = crate::input::without_nul(cell);
        let cell = cell.trim();
        let Some(kind) = column(name) else { continue };
        if cell.is_empty() {
            continue;
        }
        let value = match kind {
            Column::Text => json!(cell),
            Column::Int => json!(
                cell.parse::<i64>()
                    .map_err(|_| (name.clone(), "not_a_number"))?
            ),
            Column::Bool => match cell.to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" => json!(true),
                "false" | "no" | "n" | "0" => json!(false),
                _ => return Err((name.clone(), "not_a_boolean")),
            },
            Column::List => list(cell),
            Column::Categories => categories(cell),
        };
        object.insert(name.clone(), value);
    }
    Ok(Value::Object(object))
}

fn header_name(text: &str) -> String {
    text.trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
}

fn check_headers(required: &[&str], headers: &[String]) -> AppResult<()> {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut errors = supportal_domain::FieldErrors::new();
    for m in missing {
        errors.add(m, "missing_column");
    }
    Err(errors.into())
}

/// Reads an upload, CSV or XLSX (recognised by content), into a row source; the header must
/// name every column of `required`. With `max_rows`, the row after the last allowed one is
/// reported as `too_many_rows` and reading stops there, so a huge file costs no more than the cap.
pub fn rows(
    required: &'static [&'static str],
    bytes: Vec<u8>,
    max_rows: Option<usize>,
) -> AppResult<RowSource> {
    let source = if bytes.starts_with(b"PK\x03\x04") {
        xlsx::rows(required, bytes)?
    } else if std::str::from_utf8(&bytes).is_ok() {
        csv_rows(required, bytes)?
    } else {
        return Err(AppError::new(
            crate::error::Kind::UnsupportedType,
            "unsupported_file",
        ));
    };
    Ok(match max_rows {
        None => source,
        Some(max) => capped(source, max),
    })
}

/// The first `max` rows of `source`, then one `too_many_rows` row if there were more.
fn capped(source: RowSource, max: usize) -> RowSource {
    let mut count = 0;
    Box::new(source.map_while(move |(row, parsed)| {
        count += 1;
        match count.cmp(&(max + 1)) {
            std::cmp::Ordering::Less => Some((row, parsed)),
            std::cmp::Ordering::Equal => Some((row, Err((String::new(), TOO_MANY_ROWS)))),
            std::cmp::Ordering::Greater => None,
        }
    }))
}

/// The code of the row past a route's cap.
pub const TOO_MANY_ROWS: &str = "too_many_rows";

fn csv_rows(required: &[&str], bytes: Vec<u8>) -> AppResult<RowSource> {
    let delimiter = sniff_delimiter(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(Cursor::new(bytes));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| AppError::unprocessable("unreadable_file"))?
        .iter()
        .map(header_name)
        .collect();
    check_headers(required, &headers)?;
    Ok(Box::new(reader.into_records().enumerate().map(
        move |(i, record)| {
            let row = i + 2;
            let parsed = match record {
                Ok(r) => to_value(&headers, &r.iter().map(str::to_owned).collect::<Vec<_>>()),
                Err(_) => Err((String::new(), "invalid_row")),
            };
            (row, parsed)
        },
    )))
}

/// Spreadsheet programs in many European locales write `;` between columns.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_loader_values() {
        let csv = "Serial Number;SKU;Company ID;Ship Date;Serial Numbers\nABC123;SRV-1;7;2026-01-05;X1, X2\nDEF456;SRV-1;seven;2026-01-05;\n";
        let rows: Vec<_> = match rows(required(LoadKind::Assets), csv.as_bytes().to_vec(), None) {
            Ok(r) => r.collect(),
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(rows[0].0, 2, "data starts on spreadsheet row 2");
        let first = rows[0].1.clone().expect("row 2");
        assert_eq!(first["company_id"], 7);
        assert_eq!(first["serial_numbers"], json!(["X1", "X2"]));
        assert_eq!(rows[1], (3, Err(("company_id".to_owned(), "not_a_number"))));
    }

    #[test]
    fn missing_columns_and_categories() {
        let err = rows(
            required(LoadKind::Agreements),
            b"access_id,units\n".to_vec(),
            None,
        )
        .err()
        .expect("missing");
        let missing: Vec<_> = err.fields.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(missing, ["agreement_id", "programme", "start", "scopes"]);
        assert_eq!(
            categories("Hardware: Disk|Power; Firmware"),
            json!([{ "name": "Hardware", "problem_types": ["Disk", "Power"] }, { "name": "Firmware", "problem_types": [] }])
        );
        assert!(rows(required(LoadKind::Assets), vec![0xff, 0xfe, 0x00], None).is_err());
    }
}
