//! For the command line, the benchmarks, the demo loader and tests: what no request handler
//! has. The operator's own scope (no signed-in person), bulk rows for generated data, and counts.
//! A test in the web crate checks that only its demo loader uses this module.

use crate::scope::StaffScope;
use crate::{Arg, Db, Result, StoreError, Tx, sql};

/// The operator itself, for `supportal staff`, `import` and the demo loader.
pub fn operator() -> StaffScope {
    StaffScope::system()
}

/// Tables the tools may count or fill: nothing else is ever named in their SQL.
const TABLES: &[&str] = &[
    "users",
    "companies",
    "memberships",
    "cases",
    "case_events",
    "case_contacts",
    "outbox",
    "agreements",
    "incident_uses",
    "queues",
    "queue_engineers",
];

fn table(name: &str) -> Result<&'static str> {
    TABLES
        .iter()
        .find(|t| **t == name)
        .copied()
        .ok_or_else(|| StoreError::Config(format!("not a table the tools write: {name}")))
}

/// How many rows `name` holds.
pub async fn count_rows(tx: &mut Tx, name: &str) -> Result<i64> {
    sql(format!("SELECT COUNT(*) AS v FROM {}", table(name)?))
        .fetch_i64(tx)
        .await
}

/// Messages not delivered yet.
pub async fn unsent_mail(tx: &mut Tx) -> Result<i64> {
    sql("SELECT COUNT(*) AS v FROM outbox WHERE sent_at IS NULL")
        .fetch_i64(tx)
        .await
}

/// Gives the agreement `agreement_id` `units` units, bought and left; returns its id.
pub async fn set_agreement_units(tx: &mut Tx, agreement_id: &str, units: i64) -> Result<i64> {
    sql("UPDATE agreements SET units_bought = $1, units_remaining = $1 WHERE agreement_id = $2")
        .bind(units)
        .bind(agreement_id)
        .execute(tx)
        .await?;
    sql("SELECT id AS v FROM agreements WHERE agreement_id = $1")
        .bind(agreement_id)
        .fetch_i64(tx)
        .await
}

/// Units left on an agreement.
pub async fn units_remaining(tx: &mut Tx, agreement: i64) -> Result<i64> {
    sql("SELECT units_remaining AS v FROM agreements WHERE id = $1")
        .bind(agreement)
        .fetch_i64(tx)
        .await
}

/// Writes `rows` (values in `columns` order) into `name` in one multi-row statement.
pub async fn insert_rows(db: &Db, name: &str, columns: &[&str], rows: Vec<Vec<Arg>>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let name = table(name)?;
    if !columns.iter().all(|c| {
        c.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
    }) {
        return Err(StoreError::Config("column names are plain words".into()));
    }
    let width = columns.len();
    let groups: Vec<String> = (0..rows.len())
        .map(|r| {
            let marks: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let mut query = sql(format!(
        "INSERT INTO {name} ({}) VALUES {}",
        columns.join(", "),
        groups.join(", ")
    ));
    for row in rows {
        for value in row {
            query = query.bind(value);
        }
    }
    let mut tx = db.begin().await?;
    query.execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// After rows written with their own ids: PostgreSQL's identity sequences catch up, and both
/// databases refresh their planner statistics.
pub async fn after_bulk_insert(db: &Db) -> Result<()> {
    if db.backend() == "postgres" {
        for name in ["companies", "users", "cases", "queues"] {
            let mut tx = db.begin().await?;
            sql(format!(
                "SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 1)) AS v"
            ))
            .fetch_i64(&mut tx)
            .await?;
            tx.commit().await?;
        }
    }
    let mut tx = db.begin().await?;
    sql("ANALYZE").execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
