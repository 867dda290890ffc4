//! `bench device-feed` and `bench device-alerts` (issue 12): the distributors' device feed in
//! batches over HTTP (rows per second and peak memory), and device agents reporting alerts over
//! HTTP from many clients at once (alerts per second and latency percentiles). Every alert goes
//! to its device's end user, so each also queues an email, as in a running portal.

use super::http::{self, Client};
use super::{Fresh, bench_product, data, peak_memory, percentiles};
use anyhow::{Result, bail};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use supportal_domain::partner::Programme;
use supportal_domain::{CompanyKind, CompanyStatus, EmailAddress, Role};
use supportal_store::companies::{self, NewCompany};
use supportal_store::{accounts, members, partners, tools};

const FEED_TOKEN: &str = "sfeed_bench0000000000000000000000000000000000000000000000000000000000";

/// An enrolled partner with an admin, and a feed token: (partner id, the admin's API token).
async fn partner(fresh: &Fresh) -> Result<(i64, String)> {
    let (db, now) = (&fresh.db, fresh.state.now());
    let staff = tools::operator();
    let mut tx = db.begin().await?;
    bench_product(&mut tx).await?;
    let company = companies::create(
        &mut tx,
        &staff,
        NewCompany {
            name: "Bench Partner",
            kind: CompanyKind::PartnerServiceDelivery,
            status: CompanyStatus::Validated,
            address: "",
            serial_hint: None,
        },
        now,
    )
    .await?;
    let email = EmailAddress::parse("partner@bench.test").map_err(|_| anyhow::anyhow!("email"))?;
    let user = accounts::create(&mut tx, &email, "Bench Partner", "unused", None, now).await?;
    accounts::mark_verified(&mut tx, user, now).await?;
    members::put(&mut tx, company, user, Role::Admin, now).await?;
    partners::set_programme(
        &mut tx,
        &staff,
        company,
        Programme::ResellMonitor,
        true,
        None,
        now,
    )
    .await?;
    let hash = supportal_app::auth::sha256_hex(FEED_TOKEN);
    partners::create_feed_token(&mut tx, &staff, "bench", &hash, now).await?;
    tx.commit().await?;
    let token = data::token_for(db, user.get(), now).await?;
    Ok((company.get(), token))
}

fn batch_json(partner: i64, from: usize, to: usize) -> String {
    let rows: Vec<String> = (from..to)
        .map(|i| {
            format!(
                r#"{{"serial_number":"BNC{i:08}","sku":"BENCH-SRV","service_plan":"premium_plus","partner_company_id":{partner},"sold_on":"2026-11-02","reference":"SO-{}"}}"#,
                i / 1000
            )
        })
        .collect();
    format!("[{}]", rows.join(","))
}

/// Sends rows `from..to` in batches of `batch`; returns the time and the answers' counts.
async fn send_feed(
    client: &mut Client,
    partner: i64,
    (from, to): (usize, usize),
    batch: usize,
) -> Result<(Duration, usize, usize)> {
    let started = Instant::now();
    let (mut created, mut unchanged) = (0, 0);
    let mut at = from;
    while at < to {
        let end = (at + batch).min(to);
        let body = batch_json(partner, at, end);
        let answer = client
            .send_as(
                FEED_TOKEN,
                "POST",
                "/api/v1/feeds/device-sales",
                Some(&body),
            )
            .await?;
        if answer.status != 200 {
            bail!(
                "feed: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
        }
        let v: serde_json::Value = serde_json::from_slice(&answer.body)?;
        created += v["created"].as_u64().unwrap_or(0) as usize;
        unchanged += v["unchanged"].as_u64().unwrap_or(0) as usize;
        at = end;
    }
    Ok((started.elapsed(), created, unchanged))
}

pub async fn device_feed(rows: usize, batch: usize, postgres_url: Option<String>) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let (partner, _) = partner(&fresh).await?;
    let addr = http::serve(fresh.state.clone()).await?;
    let mut client = Client::connect(addr, "").await?;
    let (took, created, _) = send_feed(&mut client, partner, (0, rows), batch).await?;
    let secs = took.as_secs_f64();
    println!(
        "device feed on {}: {created} new devices in {secs:.2} s, {:.0} rows/s (batches of {batch}); peak memory {}",
        fresh.db.backend(),
        rows as f64 / secs,
        peak_memory()
    );
    let again = (rows / 10).max(1);
    let (took, _, unchanged) = send_feed(&mut client, partner, (0, again), batch).await?;
    println!(
        "the same {again} rows again: {unchanged} unchanged in {:.2} s, {:.0} rows/s",
        took.as_secs_f64(),
        again as f64 / took.as_secs_f64()
    );
    fresh.finish().await
}

pub async fn device_alerts(
    alerts: usize,
    clients: usize,
    postgres_url: Option<String>,
) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let (partner, session) = partner(&fresh).await?;
    let addr = http::serve(fresh.state.clone()).await?;
    let devices = (clients * 8).max(1);
    let mut client = Client::connect(addr, &session).await?;
    send_feed(&mut client, partner, (0, devices), 5_000).await?;
    let mut agents = Vec::new();
    for i in 0..devices {
        let serial = format!("BNC{i:08}");
        let body = format!(r#"{{"end_user_email":"user{i}@customer.test"}}"#);
        let path = format!("/api/v1/partners/{partner}/devices/{serial}/agent-token");
        let answer = client.send("POST", &path, Some(&body)).await?;
        if answer.status != 201 {
            bail!(
                "agent token: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
        }
        let v: serde_json::Value = serde_json::from_slice(&answer.body)?;
        let token = v["device_token"].as_str().unwrap_or_default().to_owned();
        agents.push((serial, token));
    }
    let agents = Arc::new(agents);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (agents, next) = (agents.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr, "").await?;
            let mut latencies = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= alerts {
                    break;
                }
                let (serial, token) = &agents[n % agents.len()];
                let body = format!(
                    r#"{{"code":"BAT-{}","component":"battery","severity":"warning","message":"Battery capacity below 60 %"}}"#,
                    n % 100
                );
                let sent = Instant::now();
                let path = format!("/api/v1/devices/{serial}/alerts");
                let answer = client.send_as(token, "POST", &path, Some(&body)).await?;
                latencies.push(sent.elapsed());
                if answer.status != 201 {
                    bail!("alert {n}: {} {}", answer.status, String::from_utf8_lossy(&answer.body));
                }
            }
            Ok::<Vec<Duration>, anyhow::Error>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "device alerts on {}: {alerts} alerts from {clients} clients ({devices} devices) in {secs:.2} s, {:.0} alerts/s; {}; peak memory {}",
        fresh.db.backend(),
        alerts as f64 / secs,
        percentiles(latencies),
        peak_memory()
    );
    fresh.finish().await
}
