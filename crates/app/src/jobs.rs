//! The job runner: work that any `serve` process may do and one does at a time, on the leases
//! of the `jobs` table (`supportal_store::jobs`). Every process runs a `Runner`; each looks for
//! due jobs when woken — by PostgreSQL `NOTIFY` from any process, by this process's own wake-up
//! (SQLite), or by its timer — and claims one at a time. A process that dies holding a job holds
//! it only until the lease runs out. The jobs so far:
//! - `mail`: delivers queued mail (every few seconds, and at once when mail is queued);
//! - `prune`: removes what the database no longer needs (hourly, `maintenance::prune`);
//! - `desk`: flags service-level breaches and tells the queues' engineers once, and closes cases
//!   resolved 14 days ago (every minute).

use crate::context::Context;
use crate::error::AppResult;
use chrono::Duration;
use std::time::Duration as StdDuration;
use supportal_store::jobs::{self, JobRow};
use supportal_store::maintenance::{self, Pruned};

/// Delivers queued mail.
pub const MAIL: &str = "mail";
/// Prunes throttle hits, sessions, codes and old mail.
pub const PRUNE: &str = "prune";
/// Flags breaches and closes long-resolved cases.
pub const DESK: &str = "desk";

/// The recurring jobs and how often each runs.
pub fn recurring() -> [(&'static str, Duration); 3] {
    [
        (MAIL, Duration::seconds(5)),
        (PRUNE, Duration::hours(1)),
        (DESK, Duration::minutes(1)),
    ]
}

/// How long a claimed job is its holder's before another process may take it over.
pub const LEASE: Duration = Duration::minutes(5);

/// One process's runner: its name on the leases it takes, and how often it looks without being
/// woken.
#[derive(Clone)]
pub struct Runner {
    ctx: Context,
    holder: String,
    poll: StdDuration,
}

impl Runner {
    pub fn new(ctx: Context) -> Runner {
        let holder = format!(
            "{}-{}",
            std::process::id(),
            &crate::auth::random_token()[..8]
        );
        Runner {
            ctx,
            holder,
            poll: StdDuration::from_secs(2),
        }
    }

    /// Looks for due jobs every `poll` when nothing wakes it.
    pub fn polling_every(mut self, poll: StdDuration) -> Runner {
        self.poll = poll;
        self
    }

    /// Makes sure every recurring job exists.
    pub async fn ensure_jobs(&self) -> AppResult<()> {
        let now = self.ctx.now();
        let mut tx = self.ctx.db.begin().await?;
        for (name, every) in recurring() {
            jobs::ensure_recurring(&mut tx, name, every, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Runs every job that is due and not held by another process, one after the other;
    /// returns the names of those it ran.
    pub async fn run_due(&self) -> AppResult<Vec<String>> {
        let mut ran = Vec::new();
        loop {
            let mut tx = self.ctx.db.begin().await?;
            let claimed = jobs::claim_next(&mut tx, &self.holder, self.ctx.now(), LEASE).await?;
            tx.commit().await?;
            let Some(job) = claimed else {
                return Ok(ran);
            };
            self.run(&job).await?;
            ran.push(job.name);
        }
    }

    /// Runs a claimed job and records how it went.
    async fn run(&self, job: &JobRow) -> AppResult<()> {
        let outcome = perform(&self.ctx, &job.name).await;
        let now = self.ctx.now();
        let mut tx = self.ctx.db.begin().await?;
        match &outcome {
            Ok(()) => {
                if !jobs::finish(&mut tx, job, &self.holder, now).await? {
                    tracing::warn!(job = %job.name, "lease lost while running");
                }
            }
            Err(error) => {
                tracing::error!(job = %job.name, attempts = job.attempts, %error, "job failed");
                jobs::fail(&mut tx, job, &self.holder, error, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Runs jobs until `shutdown` changes.
    pub fn spawn(
        self,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ready = false;
            let mut listener = match self.ctx.db.listen(&[crate::mail::CHANNEL]).await {
                Ok(listener) => Some(listener),
                Err(e) => {
                    tracing::warn!(error = %e, "no wake-ups from other processes; polling");
                    None
                }
            };
            loop {
                // Until the jobs exist (a failure at start is tried again), nothing is due.
                if !ready {
                    match self.ensure_jobs().await {
                        Ok(()) => ready = true,
                        Err(e) => tracing::error!(error = %e, "setting up jobs"),
                    }
                }
                if let Err(e) = self.run_due().await {
                    tracing::error!(error = %e, "running jobs");
                }
                let woken = async {
                    match &mut listener {
                        Some(l) => l.recv().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    _ = woken => self.mail_queued().await,
                    _ = self.ctx.mail_wakeup.notified() => self.mail_queued().await,
                    _ = tokio::time::sleep(self.poll) => {}
                    _ = shutdown.changed() => break,
                }
            }
        })
    }

    /// Mail was queued somewhere: its delivery is due now.
    async fn mail_queued(&self) {
        let made_due = async {
            let mut tx = self.ctx.db.begin().await?;
            jobs::make_due(&mut tx, MAIL, self.ctx.now()).await?;
            tx.commit().await
        };
        if let Err(e) = made_due.await {
            tracing::warn!(error = %e, "waking mail delivery");
        }
    }
}

/// Does the work of the job `name`.
async fn perform(ctx: &Context, name: &str) -> Result<(), String> {
    match name {
        MAIL => crate::mail::deliver_due(ctx)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        PRUNE => {
            let pruned = maintenance::prune(&ctx.db, ctx.now())
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(?pruned, "pruned");
            Ok(())
        }
        DESK => {
            let flagged = crate::desk::sla::sweep(ctx)
                .await
                .map_err(|e| e.to_string())?;
            let closed = crate::desk::work::close_resolved(ctx)
                .await
                .map_err(|e| e.to_string())?;
            if flagged + closed > 0 {
                tracing::info!(flagged, closed, "desk sweep");
            }
            Ok(())
        }
        other => Err(format!("no such job: {other}")),
    }
}

/// Prunes now if the `prune` job is due and nobody holds it (the CLI, and tests); `None` when
/// it is not due or another process has it.
pub async fn prune_if_due(ctx: &Context) -> AppResult<Option<Pruned>> {
    let runner = Runner::new(ctx.clone());
    runner.ensure_jobs().await?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let claimed = jobs::claim(&mut tx, PRUNE, &runner.holder, now, LEASE).await?;
    tx.commit().await?;
    let Some(job) = claimed else {
        return Ok(None);
    };
    let pruned = maintenance::prune(&ctx.db, now).await;
    let mut tx = ctx.db.begin().await?;
    match &pruned {
        Ok(_) => {
            jobs::finish(&mut tx, &job, &runner.holder, now).await?;
        }
        Err(e) => jobs::fail(&mut tx, &job, &runner.holder, &e.to_string(), now).await?,
    }
    tx.commit().await?;
    Ok(Some(pruned?))
}

/// Runs the jobs of this process until `shutdown` changes.
pub fn spawn(
    ctx: Context,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    Runner::new(ctx).spawn(shutdown)
}
