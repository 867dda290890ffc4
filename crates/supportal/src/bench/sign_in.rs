//! `bench sign-in-burst`: many wrong passwords for one account at once, each on a connection of
//! its own, as an attacker would send them. Prints how many were checked and refused, the
//! time, and the process's peak memory: attempts are counted before hashing and argon2id runs a
//! few at a time, so the peak stays flat however many arrive.

use super::{Fresh, http, peak_memory};
use anyhow::Result;
use std::collections::BTreeMap;
use std::time::Instant;
use supportal_domain::EmailAddress;
use supportal_store::accounts;

pub async fn sign_in_burst(connections: usize, postgres_url: Option<String>) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let state = fresh.state.clone();
    let hash = supportal_app::auth::hash_password("the right password".into())
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.code))?;
    let email = EmailAddress::parse("target@bench.test").map_err(|_| anyhow::anyhow!("email"))?;
    let mut tx = state.db.begin().await?;
    let user = accounts::create(&mut tx, &email, "Target", &hash, None, state.now()).await?;
    accounts::mark_verified(&mut tx, user, state.now()).await?;
    tx.commit().await?;
    let addr = http::serve(state.clone()).await?;
    println!("before the burst: peak memory {}", peak_memory());

    let body = r#"{"email":"target@bench.test","password":"a wrong password"}"#;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        tasks.spawn(async move {
            let mut client = http::Client::connect(addr, "").await?;
            let answer = client
                .send("POST", "/api/v1/auth/login", Some(body))
                .await?;
            anyhow::Ok(answer.status)
        });
    }
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut failed = 0;
    while let Some(done) = tasks.join_next().await {
        match done? {
            Ok(status) => *statuses.entry(status).or_default() += 1,
            Err(_) => failed += 1,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{connections} wrong passwords at once in {seconds:.2} s on {}: {}",
        state.db.backend(),
        statuses
            .iter()
            .map(|(status, n)| format!("{n} × {status}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if failed > 0 {
        println!("{failed} connections failed");
    }
    println!(
        "passwords checked: {} (401); peak memory {}",
        statuses.get(&401).copied().unwrap_or_default(),
        peak_memory()
    );
    fresh.finish().await
}
