//! A case's files (CAS-5, CAS-10): their records, and the totals a case's caps are checked on.

use super::CaseKey;
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::UserId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    #[sqlx(try_from = "i64")]
    pub id: supportal_domain::AttachmentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewAttachment<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub storage_key: &'a str,
}

pub async fn add_attachment(
    tx: &mut Tx,
    case_id: CaseKey,
    a: &NewAttachment<'_>,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<i64> {
    sql("INSERT INTO case_attachments (case_id, file_name, content_type, size_bytes, storage_key, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS v")
    .bind(case_id)
    .bind(a.file_name)
    .bind(a.content_type)
    .bind(a.size_bytes)
    .bind(a.storage_key)
    .bind(by.map(UserId::get))
    .bind(now)
    .fetch_i64(tx)
    .await
}

/// How many files a case holds and their bytes together. On PostgreSQL the case row is locked
/// for the rest of the transaction, so two uploads at once cannot both pass a cap on these.
pub async fn attachment_totals(tx: &mut Tx, case_id: CaseKey) -> Result<(i64, i64)> {
    let dialect = tx.dialect();
    if !dialect.writes_are_serial() {
        sql(format!(
            "SELECT id AS v FROM cases WHERE id = $1{}",
            dialect.lock_rows()
        ))
        .bind(case_id)
        .fetch_i64(tx)
        .await?;
    }
    #[derive(sqlx::FromRow)]
    struct Totals {
        files: i64,
        bytes: i64,
    }
    let t: Totals = sql("SELECT COUNT(*) AS files, CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes FROM case_attachments WHERE case_id = $1")
        .bind(case_id)
        .fetch_one(tx)
        .await?;
    Ok((t.files, t.bytes))
}

pub async fn attachments(tx: &mut Tx, case_id: CaseKey) -> Result<Vec<AttachmentRow>> {
    sql("SELECT id, file_name, content_type, size_bytes, storage_key, created_at FROM case_attachments WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(tx)
        .await
}
