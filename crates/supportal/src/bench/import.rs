//! `supportal bench import-assets`: measures importing N asset rows from CSV into a fresh
//! database (SQLite by default, PostgreSQL with `--postgres-url`), and prints rows per second
//! and the process's peak memory.

use super::{Fresh, peak_memory};
use anyhow::{Result, anyhow};
use std::fmt::Write as _;
use std::time::Instant;
use supportal_app::loading::{self, LoadKind, Target};
use supportal_domain::{CompanyKind, CompanyStatus};
use supportal_store::companies::{self, NewCompany};

pub async fn import_assets(rows: usize, postgres_url: Option<String>) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let (db, state) = (fresh.db.clone(), fresh.state.clone());
    let company = {
        let mut tx = db.begin().await?;
        let new = NewCompany {
            name: "Bench Co",
            kind: CompanyKind::Customer,
            status: CompanyStatus::Validated,
            address: "",
            serial_hint: None,
        };
        let operator = supportal_store::tools::operator();
        let company = companies::create(&mut tx, &operator, new, state.now()).await?;
        super::bench_product(&mut tx).await?;
        tx.commit().await?;
        company.get()
    };
    let mut csv = String::with_capacity(rows * 48);
    csv.push_str("serial_number,sku,company_id,ship_date\n");
    for i in 0..rows {
        let _ = writeln!(
            csv,
            "BENCH{i:010},BENCH-SRV,{company},2025-{:02}-{:02}",
            i % 12 + 1,
            i % 28 + 1
        );
    }
    let bytes = csv.into_bytes();
    println!(
        "importing {rows} asset rows into {} ({} bytes of CSV)",
        db.backend(),
        bytes.len()
    );
    for (label, expect_created) in [
        ("first import (all new)", rows),
        ("second import (all unchanged)", 0),
    ] {
        let source = loading::files::rows(
            loading::files::required(LoadKind::Assets),
            bytes.clone(),
            None,
        )
        .map_err(|e| anyhow!("{}", e.code))?;
        let started = Instant::now();
        let report = loading::load(
            &state,
            &supportal_app::i18n::Lang::default(),
            LoadKind::Assets,
            Target::Operator(supportal_store::tools::operator()),
            source,
            None,
        )
        .await
        .map_err(|e| anyhow!("{}", e.code))?;
        let seconds = started.elapsed().as_secs_f64();
        if report.error_count != 0 || report.created != expect_created {
            return Err(anyhow!(
                "unexpected report: {} created, {} errors",
                report.created,
                report.error_count
            ));
        }
        println!(
            "{label}: {seconds:.2} s, {:.0} rows/s",
            rows as f64 / seconds
        );
    }
    println!("peak memory (process high-water mark): {}", peak_memory());
    fresh.finish().await
}
