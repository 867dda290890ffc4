//! `supportal bench …`: benchmarks that print their figures (docs/PERFORMANCE.md). Each makes a
//! fresh database — a temporary SQLite file, or a scratch PostgreSQL database next to
//! `--postgres-url`, dropped afterwards — so figures never depend on what was there.

mod cases;
mod channel;
pub mod command;
mod data;
mod desk;
mod http;
mod import;
mod live;
mod open;
mod raw;
mod servers;
mod sign_in;

pub use cases::{case_lists, export_cases};
pub use channel::{device_alerts, device_feed};
pub use desk::desk;
pub use import::import_assets;
pub use live::{chat, kb_search};
pub use open::{CreateCases, create_cases};
pub use servers::{ServersBench, servers};
pub use sign_in::sign_in_burst;

use anyhow::Result;
use std::path::PathBuf;
use std::time::Duration;
use supportal_store::Db;
use supportal_store::testing::ScratchPostgres;
use supportal_web::{AppState, Config};

/// A fresh database and application state in a temporary folder.
pub struct Fresh {
    pub state: AppState,
    pub db: Db,
    dir: PathBuf,
    db_dir: PathBuf,
    scratch: Option<ScratchPostgres>,
}

impl Fresh {
    pub async fn new(postgres_url: Option<&str>) -> Result<Fresh> {
        let name = format!("supportal-bench-{}", std::process::id());
        // The data folder (the outbox's `.eml` files, attachments) on a tmpfs where there is one:
        // creating many small files on this machine's ext4 costs more than anything measured
        // (see docs/PERFORMANCE.md), and a deployment sends over SMTP. The SQLite file stays on
        // disk.
        let shm = std::path::Path::new("/dev/shm");
        let dir = match shm.is_dir() {
            true => shm.join(&name),
            false => std::env::temp_dir().join(&name),
        };
        let db_dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir)?;
        std::fs::create_dir_all(&db_dir)?;
        let (db, scratch) = match postgres_url {
            Some(url) => {
                let scratch = ScratchPostgres::create(url).await?;
                (scratch.db.clone(), Some(scratch))
            }
            None => {
                let db = Db::open_sqlite_file(&db_dir.join("bench.db")).await?;
                db.migrate().await?;
                (db, None)
            }
        };
        let state = AppState::new(
            db.clone(),
            Config::new(dir.clone(), "http://127.0.0.1:8080".into()),
        );
        Ok(Fresh {
            state,
            db,
            dir,
            db_dir,
            scratch,
        })
    }

    /// The scratch PostgreSQL database's URL (none on SQLite).
    pub fn postgres_url(&self) -> Option<&str> {
        self.scratch.as_ref().map(|s| s.url())
    }

    /// The temporary folder (attachments, outbox).
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub async fn finish(self) -> Result<()> {
        self.db.close().await;
        if let Some(scratch) = self.scratch {
            scratch.drop_database().await?;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        let _ = std::fs::remove_dir_all(&self.db_dir);
        Ok(())
    }
}

/// The one product the generated assets and cases are of; returns its id.
pub async fn bench_product(tx: &mut supportal_store::Tx) -> Result<supportal_domain::ProductId> {
    let product = supportal_store::catalog::ProductInput {
        sku: "BENCH-SRV".into(),
        name: "Bench Server".into(),
        product_line: "Servers".into(),
        has_serial: true,
        warranty_months: 36,
        warranty_coverage: "nbd_onsite".into(),
        versions: vec![],
        categories: vec![],
    };
    Ok(supportal_store::catalog::upsert_product(tx, &product)
        .await?
        .0)
}

/// `VmHWM` from `/proc/self/status` (Linux); "unknown" elsewhere.
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// p50, p99 and the maximum of a set of latencies, in milliseconds.
pub fn percentiles(mut samples: Vec<Duration>) -> String {
    if samples.is_empty() {
        return "no samples".into();
    }
    samples.sort();
    let at = |p: f64| {
        let i = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[i].as_secs_f64() * 1000.0
    };
    format!(
        "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
        at(0.50),
        at(0.99),
        at(1.0),
        samples.len()
    )
}
