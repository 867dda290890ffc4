//! Sliding-window throttles kept in the database, so every `serve` process sees the same counts.
//! A bucket is a string such as `login:account:ada@acme.test` or `login:ip:127.0.0.1`.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};

pub async fn hit(tx: &mut Tx, bucket: &str, now: DateTime<Utc>) -> Result<()> {
    sql("INSERT INTO throttle_hits (bucket, at) VALUES ($1, $2)")
        .bind(bucket)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

/// If `bucket` had `limit` or more hits in the last `window`, the seconds until the oldest of
/// them leaves the window.
pub async fn retry_after(
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

pub async fn clear(tx: &mut Tx, bucket: &str) -> Result<()> {
    sql("DELETE FROM throttle_hits WHERE bucket = $1")
        .bind(bucket)
        .execute(tx)
        .await?;
    Ok(())
}

/// Drops hits older than any window in use.
pub async fn prune(tx: &mut Tx, before: DateTime<Utc>) -> Result<u64> {
    sql("DELETE FROM throttle_hits WHERE at < $1")
        .bind(before)
        .execute(tx)
        .await
}
