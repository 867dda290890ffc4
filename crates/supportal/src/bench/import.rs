//! `supportal bench import-assets`: measures importing N asset rows from CSV into a fresh
//! database (SQLite by default, PostgreSQL with `--postgres-url`), and prints rows per second
//! and the process's peak memory.

use super::{Fresh, peak_memory};
use anyhow::{Result, anyhow};
use std::fmt::Write as _;
use std::time::Instant;
use supportal_app::loading::{self, LoadKind, Target};
use supportal_domain::{CompanyKind, CompanyStatus};
use supportal_store::accounts;
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
    let bytes = csv(rows, company, "BENCH");
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
    upload(&fresh, rows, company).await?;
    println!("peak memory (process high-water mark): {}", peak_memory());
    fresh.finish().await
}

/// The same load through the HTTP upload (`POST /api/v1/admin/uploads/assets`, multipart) as an
/// operator admin: `rows` new serial numbers.
async fn upload(fresh: &Fresh, rows: usize, company: i64) -> Result<()> {
    let (db, state) = (&fresh.db, &fresh.state);
    let now = state.now();
    let admin = {
        let mut tx = db.begin().await?;
        let email = supportal_domain::EmailAddress::parse("bench.admin@operator.test")
            .map_err(|_| anyhow!("email"))?;
        let id = accounts::create(&mut tx, &email, "Bench Admin", "not-a-hash", None, now).await?;
        accounts::mark_verified(&mut tx, id, now).await?;
        accounts::set_staff_role(&mut tx, id, supportal_domain::StaffRole::OperatorAdmin).await?;
        tx.commit().await?;
        id
    };
    let token = super::data::token_for(db, admin.get(), now).await?;
    let boundary = "supportal-bench-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"assets.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend(csv(rows, company, "HTTP"));
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let addr = super::http::serve(state.clone()).await?;
    let mut client = super::http::Client::connect(addr, &token).await?;
    let started = Instant::now();
    let answer = client
        .send_body(
            &token,
            "POST",
            "/api/v1/admin/uploads/assets",
            &format!("multipart/form-data; boundary={boundary}"),
            &body,
        )
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    let report: serde_json::Value = serde_json::from_slice(&answer.body)?;
    if answer.status != 200 || report["created"].as_u64() != Some(rows as u64) {
        return Err(anyhow!("upload answered {}: {report}", answer.status));
    }
    println!(
        "through the HTTP upload ({} bytes, all new): {seconds:.2} s, {:.0} rows/s",
        body.len(),
        rows as f64 / seconds
    );
    Ok(())
}

/// A CSV of `rows` assets of the bench product in `company`, serials starting with `prefix`.
fn csv(rows: usize, company: i64, prefix: &str) -> Vec<u8> {
    let mut csv = String::with_capacity(rows * 48);
    csv.push_str("serial_number,sku,company_id,ship_date\n");
    for i in 0..rows {
        let _ = writeln!(
            csv,
            "{prefix}{i:010},BENCH-SRV,{company},2025-{:02}-{:02}",
            i % 12 + 1,
            i % 28 + 1
        );
    }
    csv.into_bytes()
}
