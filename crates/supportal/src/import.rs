//! `supportal import <kind> <file>`: loads a CSV or XLSX file like the upload page does, in one
//! transaction, with a progress line on standard error.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use supportal_app::loading::{self, LoadKind, LoadReport, Target};

pub async fn run(
    ctx: &supportal_app::Context,
    kind: &str,
    file: &Path,
    company_id: Option<i64>,
) -> Result<LoadReport> {
    let Some(kind) = LoadKind::parse(kind) else {
        bail!("kind must be products, assets, entitlements or agreements")
    };
    let target = match company_id {
        Some(id) if kind == LoadKind::Entitlements => Target::Company(
            supportal_store::tools::operator()
                .company(supportal_domain::CompanyId(id))
                .admin()
                .context("the operator administers every company")?,
        ),
        Some(_) => bail!("--company-id only goes with entitlements"),
        None => Target::Operator(supportal_store::tools::operator()),
    };
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let total = bytes.iter().filter(|b| **b == b'\n').count().max(1);
    let rows = loading::files::rows(loading::files::required(kind), bytes, None)
        .map_err(|e| anyhow::anyhow!("{}: {:?}", e.code, e.fields.0))?;
    let shown = AtomicUsize::new(usize::MAX);
    let progress = move |done: usize| {
        let percent = (done * 100 / total).min(100);
        if shown.swap(percent, Ordering::Relaxed) != percent {
            eprint!("\rchecking and loading: {percent:>3}% ({done} rows)");
            let _ = std::io::stderr().flush();
        }
    };
    let report = loading::load(
        ctx,
        &supportal_app::i18n::Lang::default(),
        kind,
        target,
        rows,
        Some(&progress),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.code))?;
    eprintln!(
        "\rchecking and loading: done ({} rows)        ",
        total.saturating_sub(1)
    );
    Ok(report)
}

/// Prints the report as people read it; returns whether the file was loaded.
pub fn print(report: &LoadReport) -> bool {
    if report.error_count == 0 {
        println!("loaded: {} new, {} updated", report.created, report.updated);
        return true;
    }
    println!("nothing was loaded: {} problems", report.error_count);
    for e in &report.errors {
        println!("  row {:>6}  {:<16} {}", e.row, e.field, e.message);
    }
    if report.error_count > report.errors.len() {
        println!("  … and {} more", report.error_count - report.errors.len());
    }
    false
}
