//! The JSON shapes of the operator's admin API: the answers' own types. Companies and access
//! requests answer with the shapes of `companies::types` and `onboarding::types`.

use serde::Serialize;
use supportal_app::admin as app;
use supportal_app::loading;

/// A company just created, and how its first admin was reached.
#[derive(Debug, Serialize)]
pub struct Created {
    pub company_id: i64,
    pub first_admin: Option<&'static str>,
}

impl From<&app::Created> for Created {
    fn from(src: &app::Created) -> Created {
        Created {
            company_id: src.company_id,
            first_admin: src.first_admin,
        }
    }
}

/// A problem of one row of a load.
#[derive(Debug, Serialize)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl From<&loading::RowError> for RowError {
    fn from(src: &loading::RowError) -> RowError {
        RowError {
            row: src.row,
            field: src.field.clone(),
            code: src.code,
            message: src.message.clone(),
        }
    }
}

/// The answer to a load: what was written, or every problem.
#[derive(Debug, Serialize)]
pub struct LoadReport {
    pub created: usize,
    pub updated: usize,
    pub errors: Vec<RowError>,
    pub error_count: usize,
}

impl From<&loading::LoadReport> for LoadReport {
    fn from(src: &loading::LoadReport) -> LoadReport {
        LoadReport {
            created: src.created,
            updated: src.updated,
            errors: src.errors.iter().map(RowError::from).collect(),
            error_count: src.error_count,
        }
    }
}
