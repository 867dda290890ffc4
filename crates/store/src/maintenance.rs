//! Keeping the database small and free of secrets it no longer needs: periodic jobs claimed
//! across processes (`claim_run`) and the pruning they do (`prune`).

use crate::{Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};

/// Claims the run of job `name` due every `every`: true for exactly one caller per period, on
/// one process or many.
pub async fn claim_run(
    tx: &mut Tx,
    name: &str,
    every: Duration,
    now: DateTime<Utc>,
) -> Result<bool> {
    let claimed = sql("INSERT INTO job_runs (name, last_run) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run WHERE job_runs.last_run <= $3
         RETURNING CAST(1 AS BIGINT) AS v")
    .bind(name)
    .bind(now)
    .bind(now - every)
    .fetch_optional_i64(tx)
    .await?;
    Ok(claimed.is_some())
}

/// What one pruning removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub throttle_hits: u64,
    pub sessions: u64,
    pub email_codes: u64,
    pub mail_bodies: u64,
    pub mails: u64,
    pub purchase_claims: u64,
}

/// Throttle hits older than a day (the longest window is an hour), expired sessions and email
/// codes, the bodies of messages delivered more than a day ago (they hold codes and links; the
/// row stays as the record that it was sent), messages delivered 90 days ago, and purchase
/// keys a crashed request left claimed.
pub async fn prune(tx: &mut Tx, now: DateTime<Utc>) -> Result<Pruned> {
    let day = now - Duration::days(1);
    Ok(Pruned {
        throttle_hits: crate::throttle::prune(tx, day).await?,
        sessions: sql("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(tx)
            .await?,
        email_codes: sql("DELETE FROM email_codes WHERE expires_at < $1")
            .bind(day)
            .execute(tx)
            .await?,
        mail_bodies: sql(
            "UPDATE outbox SET text_body = '', html_body = '' WHERE sent_at < $1 AND text_body <> ''",
        )
        .bind(day)
        .execute(tx)
        .await?,
        mails: sql("DELETE FROM outbox WHERE sent_at < $1")
            .bind(now - Duration::days(90))
            .execute(tx)
            .await?,
        purchase_claims: sql(
            "DELETE FROM purchase_keys WHERE purchase_id IS NULL AND created_at < $1",
        )
        .bind(day)
        .execute(tx)
        .await?,
    })
}
