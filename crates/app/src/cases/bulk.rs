//! Bulk case submission (CAS-15): a company admin uploads a CSV or XLSX file, one case per row.
//! Every row is checked exactly as the form checks a case (`create::prepare`); then all cases are
//! written in one transaction. One bad row, or an agreement that runs out part-way, means no case
//! is opened: the report gives every row's outcome so the file can be mended and sent again
//! without opening any case twice.

use super::{AddressIn, CaseInput, ContactIn, Prepared, plan, prepare, write};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::loading::files::{self, Parsed};
use serde::Deserialize;
use supportal_store::AdminScope;
use supportal_store::sessions::SessionUser;

/// The columns a file must have; the others (see `BulkRow`) are optional.
pub const REQUIRED_COLUMNS: &[&str] = &["title", "description", "severity"];

/// More rows than this go in several files.
pub const MAX_ROWS: usize = 500;

/// One row as the file names its columns: the case form's fields, with contacts and addresses
/// spelled out column by column.
#[derive(Debug, Default, Deserialize)]
struct BulkRow {
    serial_number: Option<String>,
    agreement_id: Option<String>,
    sku: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    troubleshooting: Option<String>,
    version: Option<String>,
    category: Option<String>,
    problem_type: Option<String>,
    severity: Option<i64>,
    #[serde(default)]
    handling_24x7: bool,
    country: Option<String>,
    time_zone: Option<String>,
    pin: Option<String>,
    entitlement_id: Option<i64>,
    primary_contact_name: Option<String>,
    primary_contact_email: Option<String>,
    primary_contact_phone: Option<String>,
    alternate_contact_name: Option<String>,
    alternate_contact_email: Option<String>,
    alternate_contact_phone: Option<String>,
    #[serde(default)]
    additional_contacts: Vec<String>,
    equipment_site_id: Option<i64>,
    equipment_company_name: Option<String>,
    equipment_street: Option<String>,
    equipment_postal_code: Option<String>,
    equipment_city: Option<String>,
    equipment_country: Option<String>,
    parts_company_name: Option<String>,
    parts_street: Option<String>,
    parts_postal_code: Option<String>,
    parts_city: Option<String>,
    parts_country: Option<String>,
}

fn contact(
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
) -> Option<ContactIn> {
    (name.is_some() || email.is_some()).then(|| ContactIn {
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        phone,
    })
}

fn address(parts: [Option<String>; 5]) -> Option<AddressIn> {
    let [company_name, street, postal_code, city, country] = parts;
    (street.is_some() || postal_code.is_some() || city.is_some() || country.is_some()).then(|| {
        AddressIn {
            company_name: company_name.unwrap_or_default(),
            street: street.unwrap_or_default(),
            postal_code: postal_code.unwrap_or_default(),
            city: city.unwrap_or_default(),
            country: country.unwrap_or_default(),
        }
    })
}

impl From<BulkRow> for CaseInput {
    fn from(r: BulkRow) -> CaseInput {
        CaseInput {
            serial_number: r.serial_number,
            agreement_id: r.agreement_id,
            sku: r.sku,
            title: r.title,
            description: r.description,
            troubleshooting: r.troubleshooting,
            version: r.version,
            category: r.category,
            problem_type: r.problem_type,
            severity: r.severity,
            handling_24x7: r.handling_24x7,
            country: r.country,
            time_zone: r.time_zone,
            pin: r.pin,
            entitlement_id: r.entitlement_id,
            primary_contact: contact(
                r.primary_contact_name,
                r.primary_contact_email,
                r.primary_contact_phone,
            ),
            alternate_contact: contact(
                r.alternate_contact_name,
                r.alternate_contact_email,
                r.alternate_contact_phone,
            ),
            additional_contacts: r.additional_contacts,
            equipment_site_id: r.equipment_site_id,
            equipment_address: address([
                r.equipment_company_name,
                r.equipment_street,
                r.equipment_postal_code,
                r.equipment_city,
                r.equipment_country,
            ]),
            parts_address: address([
                r.parts_company_name,
                r.parts_street,
                r.parts_postal_code,
                r.parts_city,
                r.parts_country,
            ]),
        }
    }
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The case was opened.
    Created,
    /// The row is fine, but another row was not, so no case was opened.
    Valid,
    /// The row has problems, listed in `errors`.
    Invalid,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Valid => "valid",
            Outcome::Invalid => "invalid",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RowOutcome {
    /// The spreadsheet row (the header is row 1).
    pub row: usize,
    pub outcome: Outcome,
    pub case_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RowProblem {
    pub row: usize,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// The answer to an upload: 201 when every case was opened, 422 with the problems otherwise.
#[derive(Debug, Clone, Default)]
pub struct BulkReport {
    pub created: usize,
    pub rows: Vec<RowOutcome>,
    pub errors: Vec<RowProblem>,
}

impl BulkReport {
    fn problem(&mut self, row: usize, field: &str, code: &'static str, message: String) {
        self.errors.push(RowProblem {
            row,
            field: field.to_owned(),
            code,
            message,
        });
    }

    /// Records a refusal of one row: its field errors, or its single code.
    fn refused(&mut self, lang: &Lang, row: usize, error: AppError) {
        if error.fields.is_empty() {
            self.problem(row, "", error.code, lang.error(error.code));
        } else {
            for f in error.fields.0 {
                self.problem(row, &f.field, f.code, lang.field_error(f.code));
            }
        }
        self.rows.push(RowOutcome {
            row,
            outcome: Outcome::Invalid,
            case_id: None,
        });
    }
}

/// Bulk submission is for admins of the user's own company.
pub async fn company_admin(ctx: &Context, user: &SessionUser) -> AppResult<AdminScope> {
    crate::entitlements::own_company(ctx, user)
        .await?
        .ok_or_else(|| AppError::forbidden("company_required"))?
        .admin()
        .ok_or_else(|| AppError::forbidden("company_admin_required"))
}

/// Every column a row may have, in the order of the template file.
pub const COLUMNS: &[&str] = &[
    "serial_number",
    "agreement_id",
    "sku",
    "title",
    "description",
    "troubleshooting",
    "version",
    "category",
    "problem_type",
    "severity",
    "handling_24x7",
    "country",
    "time_zone",
    "pin",
    "entitlement_id",
    "primary_contact_name",
    "primary_contact_email",
    "primary_contact_phone",
    "alternate_contact_name",
    "alternate_contact_email",
    "alternate_contact_phone",
    "additional_contacts",
    "equipment_site_id",
    "equipment_company_name",
    "equipment_street",
    "equipment_postal_code",
    "equipment_city",
    "equipment_country",
    "parts_company_name",
    "parts_street",
    "parts_postal_code",
    "parts_city",
    "parts_country",
];

/// Checks and opens the cases of an uploaded file for `user`, a company admin.
pub async fn submit(
    ctx: &Context,
    lang: &Lang,
    user: &SessionUser,
    file: Option<Vec<u8>>,
) -> AppResult<BulkReport> {
    company_admin(ctx, user).await?;
    let bytes = file.ok_or_else(|| AppError::field("file", "required"))?;
    let rows: Vec<(usize, Parsed)> =
        files::rows(REQUIRED_COLUMNS, bytes, Some(MAX_ROWS))?.collect();
    if rows.len() > MAX_ROWS {
        return Err(AppError::new(crate::error::Kind::TooLarge, "too_many_rows"));
    }
    if rows.is_empty() {
        return Err(AppError::field("file", "no_rows"));
    }

    let mut report = BulkReport::default();
    let mut ready: Vec<(usize, Prepared)> = Vec::new();
    for (row, parsed) in rows {
        let input = match parsed.map(serde_json::from_value::<BulkRow>) {
            Ok(Ok(r)) => CaseInput::from(r),
            Ok(Err(_)) => {
                report.refused(lang, row, AppError::field("", "invalid_row"));
                continue;
            }
            Err((field, code)) => {
                report.refused(lang, row, AppError::field(&field, code));
                continue;
            }
        };
        match prepare(ctx, user, input).await {
            Ok(p) => {
                report.rows.push(RowOutcome {
                    row,
                    outcome: Outcome::Valid,
                    case_id: None,
                });
                ready.push((row, p));
            }
            Err(e) if e.is_server_error() => return Err(e),
            Err(e) => report.refused(lang, row, e),
        }
    }
    if !report.errors.is_empty() {
        return Ok(report);
    }

    let now = ctx.now();
    for (_, prepared) in &mut ready {
        plan(ctx, prepared, now).await?;
    }
    let mut tx = ctx.db.begin().await?;
    let mut opened = Vec::new();
    for (row, prepared) in &mut ready {
        match write(ctx, &mut tx, Some(user.user_id()), prepared, now, None).await? {
            Ok(_) => opened.push((*row, prepared.number().to_owned())),
            // Several rows spending one agreement may need more units than it has.
            Err(e) => {
                report.problem(*row, "agreement_id", e.code, lang.error(e.code));
                if let Some(r) = report.rows.iter_mut().find(|r| r.row == *row) {
                    r.outcome = Outcome::Invalid;
                }
            }
        }
    }
    if !report.errors.is_empty() {
        tx.rollback().await?;
        return Ok(report);
    }
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    for (row, number) in opened {
        if let Some(r) = report.rows.iter_mut().find(|r| r.row == row) {
            r.outcome = Outcome::Created;
            r.case_id = Some(number);
        }
    }
    report.created = report.rows.len();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(column: &str) -> &'static str {
        match column {
            "severity" | "entitlement_id" | "equipment_site_id" => "2",
            "handling_24x7" => "no",
            "additional_contacts" => "a@example.com; b@example.com",
            _ => "x",
        }
    }

    #[test]
    fn every_template_column_reaches_the_case_input() {
        let cells: Vec<&str> = COLUMNS.iter().map(|c| cell(c)).collect();
        let csv = format!("{}\n{}\n", COLUMNS.join(","), cells.join(","));
        let rows: Vec<_> = match files::rows(REQUIRED_COLUMNS, csv.into_bytes(), None) {
            Ok(r) => r.collect(),
            Err(e) => panic!("{e:?}"),
        };
        let value = rows[0].1.clone().expect("row 2 reads");
        let object = value.as_object().expect("an object");
        for column in COLUMNS {
            assert!(object.contains_key(*column), "{column} is read from files");
        }
        let input = CaseInput::from(serde_json::from_value::<BulkRow>(value).expect("a row"));
        assert_eq!(input.severity, Some(2));
        assert_eq!(input.additional_contacts.len(), 2);
        assert!(input.primary_contact.is_some() && input.alternate_contact.is_some());
        assert!(input.equipment_address.is_some() && input.parts_address.is_some());
    }

    #[test]
    fn a_file_without_the_required_columns_is_refused() {
        let err = files::rows(REQUIRED_COLUMNS, b"title,sku\nDisk,SRV-1\n".to_vec(), None)
            .err()
            .expect("missing columns");
        let missing: Vec<_> = err.fields.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(missing, ["description", "severity"]);
    }
}
