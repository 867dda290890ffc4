//! Opening cases over HTTP at speed: `bench create-cases` (one process) and `bench servers`
//! (N `serve` processes on one PostgreSQL database). Every case is paid by an incident of its
//! company's agreement and its confirmation email is delivered while the cases are opened, as
//! `serve` does. Cases are spread over many companies, each with an agreement of its own, as real
//! traffic is; `--agreements 1` makes every client spend one agreement (one hot row).

use super::data;
use super::http::{self, Client};
use super::{Fresh, percentiles};
use anyhow::{Context, Result, bail};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use supportal_domain::UserId;
use supportal_store::{agreements, catalog, tools};

/// A user who opens cases, with the agreement that pays for them.
pub struct Opener {
    pub token: String,
    pub agreement: i64,
}

/// The product every bench case is about: a service, so no serial number is asked for.
const SKU: &str = "BENCH-SVC";

/// `agreements` companies of one user each, each user with an agreement of `units` incidents
/// over the bench product, and an API session per user (with one agreement, a session per
/// client, all of the same user).
pub async fn openers(
    fresh: &Fresh,
    agreements: usize,
    units: i64,
    clients: usize,
) -> Result<Vec<Opener>> {
    let (db, state) = (&fresh.db, &fresh.state);
    let now = state.now();
    let mut tx = db.begin().await?;
    catalog::upsert_product(
        &mut tx,
        &catalog::ProductInput {
            sku: SKU.into(),
            name: "Bench Mail Service".into(),
            product_line: "Cloud".into(),
            has_serial: false,
            warranty_months: 0,
            warranty_coverage: "parts_only".into(),
            versions: vec![],
            categories: vec![],
        },
    )
    .await?;
    tx.commit().await?;
    let generated = data::generate(db, agreements as i64, 1, 0, now).await?;
    let start = (now - chrono::Duration::days(1)).date_naive().to_string();
    let number = |c: usize| (format!("BENCH-{c:06}"), format!("6{c:07}"));
    let rows = (1..=agreements).map(|c| {
        let (access, id) = number(c);
        let row = serde_json::json!({ "access_id": access, "agreement_id": id, "programme": "Premier Support",
            "units": units, "start": start, "scopes": ["on_premises", "cloud"], "skus": [SKU] });
        (c, Ok(row))
    });
    let report = supportal_app::loading::load(
        &state.ctx,
        &supportal_app::i18n::Lang::default(),
        supportal_app::loading::LoadKind::Agreements,
        supportal_app::loading::Target::Operator(tools::operator()),
        rows,
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!("loading agreements: {}", e.code))?;
    if !report.errors.is_empty() {
        bail!("agreements refused: {:?}", report.errors.first());
    }
    let mut ids = Vec::new();
    let mut tx = db.begin().await?;
    for c in 1..=agreements {
        let (access, id) = number(c);
        let row = agreements::find_by_ids(&mut tx, &access, &id)
            .await?
            .context("agreement just loaded")?;
        let user = UserId(generated.admin_of(c as i64));
        agreements::link(&mut tx, row.id, user, now).await?;
        ids.push((user, row.id.get()));
    }
    tx.commit().await?;
    // Planner statistics for what was just loaded, as autovacuum keeps them in a running portal.
    tools::after_bulk_insert(db).await?;
    let mut openers = Vec::new();
    for i in 0..ids.len().max(clients) {
        let (user, agreement) = ids[i % ids.len()];
        let token = data::token_for(db, user.get(), now).await?;
        openers.push(Opener { token, agreement });
    }
    Ok(openers)
}

/// The body of the `n`th case (the generated users have no profile to default from).
pub fn body(agreement: i64, n: usize) -> String {
    format!(
        r#"{{"sku":"{SKU}","entitlement_id":{agreement},"title":"Mailbox sync stalls ({n})","description":"Outlook clients stop syncing after the nightly job","severity":3,"country":"NL","time_zone":"Europe/Amsterdam","equipment_address":{{"company_name":"Bench BV","street":"Keizersgracht 1","postal_code":"1015 AA","city":"Amsterdam","country":"NL"}}}}"#
    )
}

/// What a run measured.
pub struct Run {
    pub seconds: f64,
    pub latencies: Vec<Duration>,
}

impl Run {
    pub fn rate(&self, requests: usize) -> f64 {
        requests as f64 / self.seconds
    }

    pub fn print(&self, requests: usize) {
        println!(
            "{requests} cases in {:.2} s: {:.0} cases/s; {}",
            self.seconds,
            self.rate(requests),
            percentiles(self.latencies.clone())
        );
    }
}

/// Opens `requests` cases with `clients` clients, client `i` on server `i % servers`; request
/// `n` is made by opener `n * 7919 % openers` (with one agreement, by the client's own session),
/// so consecutive requests come from different companies.
pub async fn drive(
    servers: &[SocketAddr],
    openers: Arc<Vec<Opener>>,
    clients: usize,
    requests: usize,
) -> Result<Run> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    let one_agreement = openers.iter().all(|o| o.agreement == openers[0].agreement);
    for i in 0..clients {
        let (next, openers) = (next.clone(), openers.clone());
        let addr = servers[i % servers.len()];
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr, "").await?;
            let mut latencies = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= requests {
                    break;
                }
                let opener = match one_agreement {
                    true => &openers[i % openers.len()],
                    false => &openers[n * 7919 % openers.len()],
                };
                let body = body(opener.agreement, n);
                let sent = Instant::now();
                let answer = client
                    .send_as(&opener.token, "POST", "/api/v1/cases", Some(&body))
                    .await?;
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
    Ok(Run {
        seconds: started.elapsed().as_secs_f64(),
        latencies,
    })
}

/// Opens a tenth of the cases (at most 2,000) untimed, then refreshes the planner statistics: the
/// timed run starts on a database that has cases and incidents, as a running portal does, not
/// on empty tables whose first plans would be kept. Returns how many it opened.
pub async fn warm_up(
    fresh: &Fresh,
    servers: &[SocketAddr],
    openers: &Arc<Vec<Opener>>,
    clients: usize,
    requests: usize,
    delivering: bool,
) -> Result<usize> {
    let warm = (requests / 10).min(2_000);
    drive(servers, openers.clone(), clients, warm).await?;
    tools::after_bulk_insert(&fresh.db).await?;
    if delivering {
        delivered(&fresh.db).await?;
    }
    Ok(warm)
}

/// Checks that `expected` cases and as many spent incidents exist.
pub async fn check_counts(db: &supportal_store::Db, expected: i64) -> Result<()> {
    let mut tx = db.read().await?;
    let cases = tools::count_rows(&mut tx, "cases").await?;
    let spent = tools::count_rows(&mut tx, "incident_uses").await?;
    tx.rollback().await?;
    println!("check: {cases} cases in the database, {spent} incidents spent");
    if cases != expected || spent != expected {
        bail!("expected {expected} of each");
    }
    Ok(())
}

/// Waits until the outbox has nothing left to send (at most ten minutes); returns how many
/// emails were sent.
pub async fn delivered(db: &supportal_store::Db) -> Result<i64> {
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

/// What `bench create-cases` is asked to do.
pub struct CreateCases {
    pub clients: usize,
    pub requests: usize,
    pub agreements: usize,
    /// Leave delivery off while opening (the emails are queued, then delivered and timed apart).
    pub queue_only: bool,
    pub postgres_url: Option<String>,
}

/// `bench create-cases`: one process serving, `clients` clients opening `requests` cases over
/// `agreements` companies; on PostgreSQL the raw rate of a case-like transaction is measured
/// first with pgbench on the same database.
pub async fn create_cases(args: CreateCases) -> Result<()> {
    let fresh = Fresh::new(args.postgres_url.as_deref()).await?;
    let units = (args.requests / args.agreements + 100) as i64 * 2;
    let openers = Arc::new(openers(&fresh, args.agreements, units, args.clients).await?);
    let raw = match fresh.postgres_url() {
        Some(url) => super::raw::measure(&fresh.db, url, args.agreements, args.clients).await?,
        None => None,
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = (!args.queue_only)
        .then(|| supportal_app::jobs::spawn(fresh.state.ctx.clone(), stopped.clone()));
    let addr = http::serve(fresh.state.clone()).await?;
    let warm = warm_up(
        &fresh,
        &[addr],
        &openers,
        args.clients,
        args.requests,
        !args.queue_only,
    )
    .await?;
    println!(
        "opening {} cases over HTTP on {} with {} clients over {} agreement{}, each case paid by an incident; {}",
        args.requests,
        fresh.db.backend(),
        args.clients,
        args.agreements,
        if args.agreements == 1 { "" } else { "s" },
        match args.queue_only {
            false => "emails delivered meanwhile, as serve does",
            true => "emails queued only, delivered afterwards",
        }
    );
    let run = drive(&[addr], openers, args.clients, args.requests).await?;
    run.print(args.requests);
    if let Some(raw) = raw {
        println!(
            "that is {:.0} % of the raw rate",
            run.rate(args.requests) / raw * 100.0
        );
    }
    check_counts(&fresh.db, (warm + args.requests) as i64).await?;
    let started = Instant::now();
    let worker =
        worker.unwrap_or_else(|| supportal_app::jobs::spawn(fresh.state.ctx.clone(), stopped));
    let sent = delivered(&fresh.db).await?;
    let seconds = started.elapsed().as_secs_f64();
    match args.queue_only {
        false => println!("{sent} emails delivered, the last {seconds:.2} s after the last case"),
        true => println!(
            "{sent} emails delivered afterwards in {seconds:.2} s: {:.0} emails/s",
            sent as f64 / seconds
        ),
    }
    println!(
        "peak memory (process high-water mark): {}",
        super::peak_memory()
    );
    let _ = stop.send(true);
    let _ = worker.await;
    fresh.finish().await
}
