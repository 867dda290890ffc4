//! Sliding-window throttles kept in the database, so every `serve` process sees the same counts.
//! Every throttle goes through `take`, which checks and counts in one step.
//! A bucket is a string such as `login:account:ada@acme.test` or `login:ip:127.0.0.1`.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};

/// If `bucket` had `limit` or more hits in the last `window`, the seconds until the oldest of
/// them leaves the window.
async fn retry_after(
    tx: &mut Tx,
    bucket: &str,
    limit: i64,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    #[derive(sqlx::FromRow)]
    struct Hit {
        at: DateTime<Utc>,
    }
    let since = now - window;
    let hits: Vec<Hit> =
        sql("SELECT at FROM throttle_hits WHERE bucket = $1 AND at > $2 ORDER BY at DESC LIMIT $3")
            .bind(bucket)
            .bind(since)
            .bind(limit)
            .fetch_all(tx)
            .await?;
    if (hits.len() as i64) < limit {
        return Ok(None);
    }
    let oldest = hits.last().map(|h| h.at).unwrap_or(now);
    Ok(Some(((oldest + window) - now).num_seconds().max(1)))
}

/// Counts one attempt in every bucket of `limits` unless one of them is full: then nothing is
/// counted and the answer is the longest wait. Run in a write transaction, this is atomic across
/// requests and processes: SQLite has one writer, and PostgreSQL takes a transaction-scoped
/// advisory lock per bucket (in a fixed order, so two callers never wait on each other). The ids
/// of the counted hits are returned, so a caller can give them back (`release`).
/// The hits one `take` counted, to give back with `release`.
#[derive(Debug, Clone, Default)]
pub struct Hits(Vec<i64>);

pub async fn take(
    tx: &mut Tx,
    limits: &[(&str, i64)],
    window: Duration,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Hits, i64>> {
    if let Some(lock) = tx.dialect().lock_name() {
        let mut buckets: Vec<&str> = limits.iter().map(|(b, _)| *b).collect();
        buckets.sort_unstable();
        buckets.dedup();
        for bucket in buckets {
            sql(lock).bind(bucket).fetch_i64(tx).await?;
        }
    }
    let mut wait = None;
    for (bucket, limit) in limits {
        if let Some(w) = retry_after(tx, bucket, *limit, window, now).await? {
            wait = Some(wait.map_or(w, |v: i64| v.max(w)));
        }
    }
    if let Some(wait) = wait {
        return Ok(Err(wait));
    }
    let mut ids = Vec::with_capacity(limits.len());
    for (bucket, _) in limits {
        let id = sql("INSERT INTO throttle_hits (bucket, at) VALUES ($1, $2) RETURNING id AS v")
            .bind(*bucket)
            .bind(now)
            .fetch_i64(tx)
            .await?;
        ids.push(id);
    }
    Ok(Ok(Hits(ids)))
}

/// Gives back hits counted by `take` (an attempt that turned out fine).
pub async fn release(tx: &mut Tx, hits: &Hits) -> Result<()> {
    for id in &hits.0 {
        sql("DELETE FROM throttle_hits WHERE id = $1")
            .bind(*id)
            .execute(tx)
            .await?;
    }
    Ok(())
}

pub async fn clear(tx: &mut Tx, bucket: &str) -> Result<()> {
    sql("DELETE FROM throttle_hits WHERE bucket = $1")
        .bind(bucket)
        .execute(tx)
        .await?;
    Ok(())
}
