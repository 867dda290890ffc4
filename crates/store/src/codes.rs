//! One-time email codes, one live code per user and purpose; the table keeps a hash only.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::UserId;
use supportal_domain::code::{StoredCode, expiry_from};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
        }
    }
}

/// Stores a fresh code, replacing any earlier one (and its wrong tries).
pub async fn replace(
    tx: &mut Tx,
    user: UserId,
    purpose: Purpose,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO email_codes (user_id, purpose, code_hash, expires_at, wrong_tries, sent_at, used)
         VALUES ($1, $2, $3, $4, 0, $5, $6)
         ON CONFLICT (user_id, purpose) DO UPDATE
         SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, wrong_tries = 0,
             sent_at = excluded.sent_at, used = excluded.used")
    .bind(user.get())
    .bind(purpose.as_str())
    .bind(code_hash)
    .bind(expiry_from(now))
    .bind(now)
    .bind(false)
    .execute(tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    code_hash: String,
    expires_at: DateTime<Utc>,
    wrong_tries: i64,
    sent_at: DateTime<Utc>,
    used: bool,
}

/// The stored code. On PostgreSQL its row stays locked for the rest of the transaction, so
/// tries at once on one code are checked one after the other and five wrong ones burn it.
pub async fn get(tx: &mut Tx, user: UserId, purpose: Purpose) -> Result<Option<StoredCode>> {
    let lock = tx.dialect().lock_rows();
    let row: Option<CodeRow> = sql(format!(
        "SELECT code_hash, expires_at, wrong_tries, sent_at, used FROM email_codes
         WHERE user_id = $1 AND purpose = $2{lock}"
    ))
    .bind(user.get())
    .bind(purpose.as_str())
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| StoredCode {
        code_hash: r.code_hash,
        expires_at: r.expires_at,
        wrong_tries: r.wrong_tries,
        sent_at: r.sent_at,
        used: r.used,
    }))
}

pub async fn record_wrong_try(tx: &mut Tx, user: UserId, purpose: Purpose) -> Result<()> {
    sql("UPDATE email_codes SET wrong_tries = wrong_tries + 1 WHERE user_id = $1 AND purpose = $2")
        .bind(user.get())
        .bind(purpose.as_str())
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn mark_used(tx: &mut Tx, user: UserId, purpose: Purpose) -> Result<()> {
    sql("UPDATE email_codes SET used = $3 WHERE user_id = $1 AND purpose = $2")
        .bind(user.get())
        .bind(purpose.as_str())
        .bind(true)
        .execute(tx)
        .await?;
    Ok(())
}
