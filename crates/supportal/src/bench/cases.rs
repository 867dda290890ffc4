//! The case benchmarks of the issue "Cases": opening cases through the HTTP API with an incident
//! spent (32 concurrent clients), the first page of the list views over 1,000,000 cases, and the
//! Excel export of 100,000 cases. Every request goes over TCP to the real router.

use super::data::{self, Generated};
use super::http::{self, Client};
use super::{Fresh, peak_memory, percentiles};
use anyhow::{Context, Result, bail};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use supportal_domain::EmailAddress;
use supportal_store::{accounts, tools};

/// `bench create-cases`: the demo data, Anna's Premier agreement topped up, `clients` clients
/// each with its own session opening `requests` cases in all, each paid by one incident. Then
/// the delivery of their confirmation emails, timed apart unless `deliver_while_creating`.
pub async fn create_cases(
    clients: usize,
    requests: usize,
    deliver_while_creating: bool,
    postgres_url: Option<String>,
) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let (db, state) = (fresh.db.clone(), fresh.state.clone());
    supportal_app::demo::load_if_empty(&state)
        .await
        .map_err(|e| anyhow::anyhow!("demo: {}", e.code))?;
    let now = state.now();
    let (anna, agreement) = {
        let mut tx = db.begin().await?;
        let email = EmailAddress::parse("anna.admin@northwind.test")
            .map_err(|_| anyhow::anyhow!("email"))?;
        let anna = accounts::find_by_email(&mut tx, &email)
            .await?
            .context("demo user")?
            .id();
        let units = (requests + 1_000) as i64;
        let agreement = tools::set_agreement_units(&mut tx, "41000001", units).await?;
        tx.commit().await?;
        (anna, agreement)
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut worker = None;
    if deliver_while_creating {
        worker = Some(supportal_app::jobs::spawn(
            state.ctx.clone(),
            stopped.clone(),
        ));
    }
    let addr = http::serve(state.clone()).await?;
    let body = move |n: usize| {
        format!(
            r#"{{"sku":"CS-MAIL","entitlement_id":{agreement},"title":"Mailbox sync stalls ({n})","description":"Outlook clients stop syncing after the nightly job","severity":3}}"#
        )
    };
    // One case first, to fail early with the reason if the set-up is wrong.
    let token = data::token_for(&db, anna.get(), now).await?;
    let first = Client::connect(addr, &token)
        .await?
        .send("POST", "/api/v1/cases", Some(&body(0)))
        .await?;
    if first.status != 201 {
        bail!(
            "opening a case answered {}: {}",
            first.status,
            String::from_utf8_lossy(&first.body)
        );
    }
    println!(
        "opening {requests} cases over HTTP on {} with {clients} clients, each paid by an incident; {}",
        db.backend(),
        match deliver_while_creating {
            true => "emails delivered meanwhile",
            false => "emails queued, delivered afterwards",
        }
    );
    let next = Arc::new(AtomicUsize::new(1));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let token = data::token_for(&db, anna.get(), now).await?;
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr, &token).await?;
            let mut latencies = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n > requests {
                    break;
                }
                let sent = Instant::now();
                let answer = client.send("POST", "/api/v1/cases", Some(&body(n))).await?;
                latencies.push(sent.elapsed());
                if answer.status != 201 {
                    bail!(
                        "case {n}: {} {}",
                        answer.status,
                        String::from_utf8_lossy(&answer.body)
                    );
                }
            }
            Ok::<Vec<Duration>, anyhow::Error>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let seconds = started.elapsed().as_secs_f64();
    let (opened, remaining) = {
        let mut tx = db.read().await?;
        let opened = tools::count_rows(&mut tx, "cases").await?;
        let remaining = tools::units_remaining(&mut tx, agreement).await?;
        tx.rollback().await?;
        (opened, remaining)
    };
    println!(
        "{requests} cases in {seconds:.2} s: {:.0} cases/s; {}",
        requests as f64 / seconds,
        percentiles(latencies)
    );
    println!(
        "check: {opened} cases in the database, {} incidents spent",
        (requests + 1_000) as i64 - remaining
    );
    if opened != requests as i64 + 1 || (requests + 1_000) as i64 - remaining != requests as i64 + 1
    {
        bail!("the counts do not match the requests");
    }
    let started = Instant::now();
    let worker = worker.unwrap_or_else(|| supportal_app::jobs::spawn(state.ctx.clone(), stopped));
    let delivered = delivery(&db).await?;
    let seconds = started.elapsed().as_secs_f64();
    let outbox = state.config.data_dir.join("outbox");
    match deliver_while_creating {
        true => println!(
            "{delivered} confirmation emails delivered to {}, the last {seconds:.2} s after the last case",
            outbox.display()
        ),
        false => println!(
            "{delivered} confirmation emails delivered to {} afterwards in {seconds:.2} s: {:.0} emails/s",
            outbox.display(),
            delivered as f64 / seconds
        ),
    }
    println!("peak memory (process high-water mark): {}", peak_memory());
    let _ = stop.send(true);
    let _ = worker.await;
    fresh.finish().await
}

/// Waits until the outbox has nothing left to send (at most ten minutes); returns how many
/// emails it has sent.
async fn delivery(db: &supportal_store::Db) -> Result<i64> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let mut tx = db.read().await?;
        let pending = tools::unsent_mail(&mut tx).await?;
        if pending == 0 {
            return Ok(tools::count_rows(&mut tx, "outbox").await?);
        }
        tx.rollback().await?;
        if Instant::now() > deadline {
            bail!("{pending} emails still unsent after ten minutes");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

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
    let generated = data::generate(&db, companies, 5, cases, now).await?;
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
    println!("peak memory (process high-water mark): {}", peak_memory());
    fresh.finish().await
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
