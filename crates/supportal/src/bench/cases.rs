//! The case benchmarks of the issue "Cases": the first page of the list views over 1,000,000
//! cases, and the Excel export of 100,000 cases. Every request goes over TCP to the real router.
//! (Opening cases is `open`.)

use super::data::{self, Generated};
use super::http::{self, Client};
use super::{Fresh, peak_memory, percentiles};
use anyhow::{Result, bail};
use std::time::Instant;

/// Deterministic pseudo-random picks (a linear congruential generator), so runs compare.
struct Picks(u64);

impl Picks {
    fn next(&mut self, below: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as i64 + 1
    }
}

/// `bench case-lists`: `cases` cases over `companies` companies (five users each); the first page
/// of *by company* (as the company's admin), *submitted by me* (as a member) and a look-up by
/// serial number, `samples` times each, over HTTP.
pub async fn case_lists(
    cases: i64,
    companies: i64,
    samples: usize,
    hot: i64,
    concurrent: usize,
    postgres_url: Option<String>,
) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let (db, state) = (fresh.db.clone(), fresh.state.clone());
    let now = state.now();
    println!(
        "generating {cases} cases over {companies} companies on {}",
        db.backend()
    );
    let started = Instant::now();
    if hot > 0 {
        println!("  company 1 has {hot} of them; the rest are spread evenly");
    }
    let generated = data::generate_with(&db, companies, 5, cases, now, None, hot).await?;
    println!("generated in {:.1} s", started.elapsed().as_secs_f64());
    let addr = http::serve(state.clone()).await?;

    // Sessions for a spread of companies: their admin and one member.
    let mut picks = Picks(42);
    let mut people = Vec::new();
    for _ in 0..200 {
        let c = picks.next(companies);
        let admin = data::token_for(&db, generated.admin_of(c), now).await?;
        let member = data::token_for(&db, generated.member_of(c, 1), now).await?;
        people.push((c, admin, member));
    }
    type Path = fn(&Generated, i64, i64) -> String;
    let views: [(&str, bool, Path); 3] = [
        ("by company (company admin)", true, |_, c, _| {
            format!("/api/v1/cases?view=company&company_id={c}")
        }),
        ("submitted by me (member)", false, |_, _, _| {
            "/api/v1/cases?view=submitted_by_me".to_owned()
        }),
        ("look-up by serial (company admin)", true, |_, c, n| {
            format!(
                "/api/v1/cases?view=recent&serial={}",
                Generated::serial_of(c, n)
            )
        }),
    ];
    for (label, as_admin, path) in views {
        let mut latencies = Vec::with_capacity(samples);
        let mut clients = Vec::new();
        for (c, admin, member) in &people {
            clients.push((
                *c,
                Client::connect(addr, if as_admin { admin } else { member }).await?,
            ));
        }
        for i in 0..samples {
            let (c, client) = &mut clients[i % people.len()];
            let path = path(&generated, *c, i as i64);
            let sent = Instant::now();
            let answer = client.send("GET", &path, None).await?;
            latencies.push(sent.elapsed());
            if answer.status != 200 || !String::from_utf8_lossy(&answer.body).contains("\"number\"")
            {
                bail!(
                    "{path}: {} {}",
                    answer.status,
                    String::from_utf8_lossy(&answer.body)
                );
            }
        }
        println!("{label}: {}", percentiles(latencies));
    }
    if hot > 0 && concurrent > 0 {
        one_large_company(&db, &generated, addr, samples, concurrent, now).await?;
    }
    println!("peak memory (process high-water mark): {}", peak_memory());
    fresh.finish().await
}

/// The lists of company 1 (the large one) asked by `concurrent` clients at once, each its own
/// session of one of the company's five users: by company (the admin's view), submitted by me
/// and a serial look-up, in turn.
async fn one_large_company(
    db: &supportal_store::Db,
    generated: &Generated,
    addr: std::net::SocketAddr,
    samples: usize,
    concurrent: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let mut tasks = Vec::new();
    let per_client = samples.div_ceil(concurrent);
    for k in 0..concurrent {
        let user = generated.member_of(1, k as i64);
        let admin = k as i64 % generated.users_per_company == 0;
        let token = data::token_for(db, user, now).await?;
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr, &token).await?;
            let mut latencies = Vec::with_capacity(per_client * 3);
            for i in 0..per_client {
                let by_company = match admin {
                    true => "/api/v1/cases?view=company&company_id=1".to_owned(),
                    false => "/api/v1/cases?view=submitted_by_me".to_owned(),
                };
                let serial = format!(
                    "/api/v1/cases?view=recent&serial={}",
                    Generated::serial_of(1, (k * per_client + i) as i64)
                );
                for path in [by_company, serial] {
                    let sent = Instant::now();
                    let answer = client.send("GET", &path, None).await?;
                    latencies.push(sent.elapsed());
                    if answer.status != 200 {
                        bail!("{path}: {}", answer.status);
                    }
                }
            }
            Ok::<Vec<std::time::Duration>, anyhow::Error>(latencies)
        }));
    }
    let started = Instant::now();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "one large company, {concurrent} clients at once (first page by company or submitted by me, and serial look-ups), {:.0} requests/s: {}",
        latencies.len() as f64 / seconds,
        percentiles(latencies)
    );
    Ok(())
}

/// `bench export-cases`: one company with `cases` cases; its admin exports the company view.
pub async fn export_cases(cases: i64, postgres_url: Option<String>) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let (db, state) = (fresh.db.clone(), fresh.state.clone());
    let now = state.now();
    println!(
        "generating {cases} cases in one company on {}",
        db.backend()
    );
    let generated = data::generate(&db, 1, 2, cases, now).await?;
    let addr = http::serve(state.clone()).await?;
    let token = data::token_for(&db, generated.admin_of(1), now).await?;
    let mut client = Client::connect(addr, &token).await?;
    println!("peak memory before the export: {}", peak_memory());
    let started = Instant::now();
    let answer = client
        .send("GET", "/api/v1/cases/export.xlsx?view=company", None)
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    if answer.status != 200 || !answer.body.starts_with(b"PK") {
        bail!("export answered {}", answer.status);
    }
    println!(
        "exported {cases} cases in {seconds:.2} s ({} bytes of .xlsx)",
        answer.body.len()
    );
    println!("peak memory (process high-water mark): {}", peak_memory());
    fresh.finish().await
}
