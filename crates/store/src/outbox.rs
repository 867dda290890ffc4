//! The mail outbox (NTF-1): messages are stored in the transaction that causes them and sent by
//! a worker with retries, so a crash never loses one and several processes never send one twice.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub async fn enqueue(tx: &mut Tx, mail: &Email, now: DateTime<Utc>) -> Result<i64> {
    sql(
        "INSERT INTO outbox (to_addr, subject, text_body, html_body, created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id AS v",
    )
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(now)
    .fetch_i64(tx)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
}

/// How long a claimed message stays hidden from other workers while one sends it.
const LEASE_MINUTES: i64 = 5;

/// Claims up to `limit` due messages: pushes their next attempt past the lease so no other worker
/// takes them. The outer `WHERE` re-checks each row so two PostgreSQL workers never both win.
pub async fn claim(tx: &mut Tx, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxRow>> {
    sql("UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND id IN
           (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $3)
         RETURNING id, to_addr, subject, text_body, html_body, created_at, attempts")
    .bind(now)
    .bind(now + Duration::minutes(LEASE_MINUTES))
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// Marks messages sent, in one statement.
pub async fn mark_sent(tx: &mut Tx, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let marks: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
    let mut query = sql(format!(
        "UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id IN ({})",
        marks.join(", ")
    ))
    .bind(now);
    for id in ids {
        query = query.bind(*id);
    }
    query.execute(tx).await?;
    Ok(())
}

/// Records a failed attempt; the next one waits longer each time (1, 2, 4 … minutes, at most a day).
pub async fn mark_failed(
    tx: &mut Tx,
    id: i64,
    attempts: i64,
    error: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let wait = Duration::minutes(1i64 << attempts.clamp(0, 10)).min(Duration::days(1));
    sql("UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1")
        .bind(id)
        .bind(now + wait)
        .bind(error)
        .execute(tx)
        .await?;
    Ok(())
}

/// Messages to one address, newest first (tests and the operator read what went out).
pub async fn to_address(tx: &mut Tx, to: &str) -> Result<Vec<OutboxRow>> {
    sql("SELECT id, to_addr, subject, text_body, html_body, created_at, attempts FROM outbox WHERE to_addr = $1 ORDER BY id DESC")
        .bind(to)
        .fetch_all(tx)
        .await
}
