//! Jobs with leases: work that any `serve` process may do, done by one at a time. A job is due
//! at `run_at`; a process claims it by taking a lease (`lease_until`, `lease_holder`), runs it,
//! and finishes it: a recurring job is due again `every` later, a one-off job is done. A process
//! that dies while holding a lease holds it only until the lease runs out; then another process
//! takes the job over.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};

/// A claimed job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub name: String,
    pub payload: String,
    pub every_seconds: Option<i64>,
    /// Tries so far of this run, this one included.
    pub attempts: i64,
    /// Runs finished before this one.
    pub runs: i64,
}

/// Makes sure the recurring job `name` exists, first due at `first`; an existing job keeps its
/// schedule but takes the period given now.
pub async fn ensure_recurring(
    tx: &mut Tx,
    name: &str,
    every: Duration,
    first: DateTime<Utc>,
) -> Result<()> {
    sql(
        "INSERT INTO jobs (name, every_seconds, run_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET every_seconds = excluded.every_seconds",
    )
    .bind(name)
    .bind(every.num_seconds())
    .bind(first)
    .execute(tx)
    .await?;
    Ok(())
}

/// Brings the job `name` forward to `now` if it is due later (a wake-up: mail was queued),
/// unless it is waiting after a failure.
pub async fn make_due(tx: &mut Tx, name: &str, now: DateTime<Utc>) -> Result<()> {
    sql("UPDATE jobs SET run_at = $2
         WHERE name = $1 AND run_at > $2 AND done_at IS NULL AND last_error IS NULL")
    .bind(name)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Claims the job `name` for `holder` until `now + lease`, if it is due and nobody holds a live
/// lease on it. The `WHERE` of the `UPDATE` repeats the check, so of two processes that try at
/// once exactly one gets it (on PostgreSQL the second waits for the first's row lock and then
/// finds the lease taken).
pub async fn claim(
    tx: &mut Tx,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<JobRow>> {
    sql(
        "UPDATE jobs SET lease_until = $3, lease_holder = $4, attempts = attempts + 1
         WHERE name = $1 AND done_at IS NULL AND run_at <= $2
           AND (lease_until IS NULL OR lease_until <= $2)
         RETURNING id, name, payload, every_seconds, attempts, runs",
    )
    .bind(name)
    .bind(now)
    .bind(now + lease)
    .bind(holder)
    .fetch_optional(tx)
    .await
}

/// Claims whichever job is due first among those nobody holds, passing over rows another
/// process is claiming right now (`Dialect::skip_locked`).
pub async fn claim_next(
    tx: &mut Tx,
    holder: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<JobRow>> {
    let pick = format!(
        "SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $1
           AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY run_at, id LIMIT 1{}",
        tx.dialect().skip_locked()
    );
    sql(format!(
        "UPDATE jobs SET lease_until = $2, lease_holder = $3, attempts = attempts + 1
         WHERE id = ({pick}) AND done_at IS NULL AND run_at <= $1
           AND (lease_until IS NULL OR lease_until <= $1)
         RETURNING id, name, payload, every_seconds, attempts, runs"
    ))
    .bind(now)
    .bind(now + lease)
    .bind(holder)
    .fetch_optional(tx)
    .await
}

/// Records a finished run: a recurring job is due again `every_seconds` after `now`, a one-off
/// job is done. Only the lease holder can finish; false when the lease was lost meanwhile.
pub async fn finish(tx: &mut Tx, job: &JobRow, holder: &str, now: DateTime<Utc>) -> Result<bool> {
    let next = job.every_seconds.map(|s| now + Duration::seconds(s));
    let changed = sql(
        "UPDATE jobs SET lease_until = NULL, lease_holder = NULL, attempts = 0, runs = runs + 1,
           last_error = NULL, last_done_at = $3,
           run_at = COALESCE($4, run_at), done_at = CASE WHEN $4 IS NULL THEN $3 ELSE NULL END
         WHERE id = $1 AND lease_holder = $2",
    )
    .bind(job.id)
    .bind(holder)
    .bind(now)
    .bind(next)
    .execute(tx)
    .await?;
    Ok(changed == 1)
}

/// Records a failed try: the job is due again after a wait that doubles with each try (from
/// 30 seconds up to an hour), and the error is kept for the operator.
pub async fn fail(
    tx: &mut Tx,
    job: &JobRow,
    holder: &str,
    error: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let wait = Duration::seconds(30i64 << (job.attempts - 1).clamp(0, 7)).min(Duration::hours(1));
    sql(
        "UPDATE jobs SET lease_until = NULL, lease_holder = NULL, last_error = $3, run_at = $4
         WHERE id = $1 AND lease_holder = $2",
    )
    .bind(job.id)
    .bind(holder)
    .bind(error)
    .bind(now + wait)
    .execute(tx)
    .await?;
    Ok(())
}
