//! Periodic jobs of a `serve` process. Each run is claimed in the database first
//! (`maintenance::claim_run`), so with several processes on one database a job still runs once
//! per period. So far one job: pruning what the database no longer needs (`maintenance::prune`).

use crate::context::Context;
use crate::error::AppResult;
use chrono::Duration;
use std::time::Duration as StdDuration;
use supportal_store::maintenance::{self, Pruned};

/// How often pruning runs, across all processes.
pub fn prune_every() -> Duration {
    Duration::hours(1)
}

/// How often a process looks whether a job is due.
const LOOK_EVERY: StdDuration = StdDuration::from_secs(300);

/// Prunes if this process claims the due run; `None` when another process has it.
pub async fn prune_if_due(ctx: &Context) -> AppResult<Option<Pruned>> {
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    if !maintenance::claim_run(&mut tx, "prune", prune_every(), now).await? {
        tx.rollback().await?;
        return Ok(None);
    }
    tx.commit().await?;
    let pruned = maintenance::prune(&ctx.db, now).await?;
    tracing::info!(?pruned, "pruned");
    Ok(Some(pruned))
}

/// Runs the jobs until `shutdown` changes.
pub fn spawn(
    ctx: Context,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = prune_if_due(&ctx).await {
                tracing::error!(code = e.code, cause = ?e.cause, "pruning");
            }
            tokio::select! {
                _ = tokio::time::sleep(LOOK_EVERY) => {}
                _ = shutdown.changed() => break,
            }
        }
    })
}
