//! `bench desk`: cases spread over desk queues; times the first page of a queue sorted by due
//! time over HTTP, and the breach sweep while cases are being written.

use super::data::{self, DeskShape};
use super::http::{self, Client};
use super::{Fresh, peak_memory, percentiles};
use anyhow::{Result, bail};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use supportal_store::{Arg, tools};

fn text(v: impl Into<String>) -> Arg {
    Arg::Text(Some(v.into()))
}

pub async fn desk(
    cases: i64,
    queues: i64,
    samples: usize,
    postgres_url: Option<String>,
) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let (db, state) = (fresh.db.clone(), fresh.state.clone());
    let now = state.now();
    let companies = (cases / 100).clamp(1, 10_000);
    let users_per_company = 5;
    println!(
        "generating {cases} open cases over {queues} queues and {companies} companies on {}",
        db.backend()
    );
    let started = Instant::now();
    let shape = DeskShape {
        queues,
        breached_every: 1000,
    };
    // The queues first: the cases name them.
    let queue_rows: Vec<Vec<Arg>> = (1..=queues)
        .map(|q| {
            vec![
                q.into(),
                text(format!("Queue {q}")),
                false.into(),
                now.into(),
            ]
        })
        .collect();
    for chunk in queue_rows.chunks(50) {
        tools::insert_rows(
            &db,
            "queues",
            &["id", "name", "is_default", "created_at"],
            chunk.to_vec(),
        )
        .await?;
    }
    data::generate_with(
        &db,
        companies,
        users_per_company,
        cases,
        now,
        Some(shape),
        0,
    )
    .await?;
    // One engineer per queue, after the customers' users.
    let first_engineer = companies * users_per_company + 1;
    let engineer_rows: Vec<Vec<Arg>> = (0..queues)
        .map(|q| {
            let id = first_engineer + q;
            vec![
                id.into(),
                text(format!("engineer{id}@operator.bench")),
                text(format!("Engineer {id}")),
                text("not-a-password-hash"),
                now.into(),
                text("engineer"),
                now.into(),
            ]
        })
        .collect();
    let columns = [
        "id",
        "email",
        "name",
        "password_hash",
        "verified_at",
        "staff_role",
        "created_at",
    ];
    for chunk in engineer_rows.chunks(50) {
        tools::insert_rows(&db, "users", &columns, chunk.to_vec()).await?;
    }
    let links: Vec<Vec<Arg>> = (0..queues)
        .map(|q| vec![(q + 1).into(), (first_engineer + q).into()])
        .collect();
    for chunk in links.chunks(50) {
        tools::insert_rows(
            &db,
            "queue_engineers",
            &["queue_id", "user_id"],
            chunk.to_vec(),
        )
        .await?;
    }
    tools::after_bulk_insert(&db).await?;
    println!("generated in {:.1} s", started.elapsed().as_secs_f64());

    let addr = http::serve(state.clone()).await?;
    let mut clients = Vec::new();
    for q in 0..queues.min(50) {
        let token = data::token_for(&db, first_engineer + q, now).await?;
        clients.push((q + 1, Client::connect(addr, &token).await?));
    }
    for (label, path) in [
        (
            "queue list, first page by due time",
            "/api/v1/desk/cases?queue_id={q}",
        ),
        ("my queues with counts", "/api/v1/desk/queues"),
    ] {
        let mut latencies = Vec::with_capacity(samples);
        for i in 0..samples {
            let (q, client) = &mut clients[i % queues.min(50) as usize];
            let path = path.replace("{q}", &q.to_string());
            let sent = Instant::now();
            let answer = client.send("GET", &path, None).await?;
            latencies.push(sent.elapsed());
            if answer.status != 200 || !String::from_utf8_lossy(&answer.body).contains("\"items\"")
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

    // The sweep, while another task keeps writing cases: each write's latency shows whether the
    // sweep holds it up.
    // The writer is company 1's admin adding messages to the company's cases over HTTP.
    let per_company = (cases + companies - 1) / companies;
    let admin = data::token_for(&db, 1, now).await?;
    let mut customer = Client::connect(addr, &admin).await?;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                let number = format!("5{:09}", n % per_company + 1);
                let path = format!("/api/v1/cases/{number}/messages");
                let sent = Instant::now();
                let answer = customer
                    .send("POST", &path, Some(r#"{"body":"Still failing"}"#))
                    .await?;
                samples.push((sent, sent.elapsed()));
                if answer.status != 201 {
                    bail!("{path}: {}", answer.status);
                }
                n += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            anyhow::Ok(samples)
        })
    };
    // Writes alone first, for comparison; then the sweep while they go on.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let started = Instant::now();
    let flagged = supportal_app::desk::sla::sweep(&state).await?;
    let took = started.elapsed();
    let ended = Instant::now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    let samples = writer.await??;
    let (during, before): (Vec<_>, Vec<_>) = samples
        .into_iter()
        .filter(|(at, _)| *at < ended)
        .partition(|(at, latency)| *at + *latency >= started);
    let latencies = |v: Vec<(Instant, Duration)>| v.into_iter().map(|(_, l)| l).collect();
    println!(
        "breach sweep over {cases} open cases: {:.2} s, {flagged} breaches flagged and told",
        took.as_secs_f64()
    );
    println!(
        "case writes before the sweep: {}",
        percentiles(latencies(before))
    );
    println!(
        "case writes during the sweep: {}",
        percentiles(latencies(during))
    );
    println!("peak memory (process high-water mark): {}", peak_memory());
    fresh.finish().await
}
