//! `bench servers`: several `serve` processes on one PostgreSQL database, driven by one pool of
//! clients, as behind a load balancer. For N = 1 … `max` it starts N processes of this binary,
//! opens cases through all of them (client `i` on process `i % N`) and prints cases/s and p99.
//! Then it proves that nothing lives in one process: a case opened through one is read, answered
//! and read again through another, with the same session, and every email is delivered once.

use super::Fresh;
use super::http::Client;
use super::open::{check_counts, delivered, drive, openers, warm_up};
use anyhow::{Context, Result, bail};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `serve` processes of this binary; stopped when dropped.
struct Servers {
    children: Vec<Child>,
    addrs: Vec<SocketAddr>,
}

impl Servers {
    async fn start(
        n: usize,
        url: &str,
        dir: &std::path::Path,
        connections: u32,
    ) -> Result<Servers> {
        let exe = std::env::current_exe()?;
        let mut servers = Servers {
            children: Vec::new(),
            addrs: Vec::new(),
        };
        for _ in 0..n {
            let addr = free_port()?;
            let child = Command::new(&exe)
                .arg("serve")
                .args(["--listen", &addr.to_string()])
                .args(["--database-url", url])
                .args(["--database-connections", &connections.to_string()])
                .arg("--data-dir")
                .arg(dir)
                .env("RUST_LOG", "warn")
                .stdout(Stdio::null())
                .spawn()
                .context("starting serve")?;
            servers.children.push(child);
            servers.addrs.push(addr);
        }
        for addr in servers.addrs.clone() {
            servers.wait_until_up(addr).await?;
        }
        Ok(servers)
    }

    async fn wait_until_up(&mut self, addr: SocketAddr) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(mut client) = Client::connect(addr, "").await
                && let Ok(answer) = client.send("GET", "/healthz", None).await
                && answer.status == 200
            {
                return Ok(());
            }
            for child in &mut self.children {
                if let Some(status) = child.try_wait()? {
                    bail!("a serve process stopped: {status}");
                }
            }
            if Instant::now() > deadline {
                bail!("serve on {addr} did not answer within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}

/// What `bench servers` is asked to do.
pub struct ServersBench {
    pub max: usize,
    pub clients: usize,
    pub requests: usize,
    pub agreements: usize,
    /// PostgreSQL connections per process.
    pub connections: u32,
    pub postgres_url: String,
}

pub async fn servers(args: ServersBench) -> Result<()> {
    let fresh = Fresh::new(Some(&args.postgres_url)).await?;
    let url = fresh
        .postgres_url()
        .context("a PostgreSQL database")?
        .to_owned();
    let units = (args.requests * args.max / args.agreements + 100) as i64 * 2;
    let openers = Arc::new(openers(&fresh, args.agreements, units, args.clients).await?);
    let mut opened = 0;
    let mut rates = Vec::new();
    let mut warmed = false;
    for n in 1..=args.max {
        let servers = Servers::start(n, &url, fresh.dir(), args.connections).await?;
        println!(
            "{n} serve process{} on one PostgreSQL database ({} connections each): {} clients open {} cases over {} agreements, emails delivered meanwhile",
            if n == 1 { "" } else { "es" },
            args.connections,
            args.clients,
            args.requests,
            args.agreements
        );
        if !warmed {
            opened += warm_up(
                &fresh,
                &servers.addrs,
                &openers,
                args.clients,
                args.requests,
                true,
            )
            .await? as i64;
            warmed = true;
        }
        let run = drive(&servers.addrs, openers.clone(), args.clients, args.requests).await?;
        run.print(args.requests);
        rates.push(run.rate(args.requests));
        opened += args.requests as i64;
        check_counts(&fresh.db, opened).await?;
        let sent = delivered(&fresh.db).await?;
        println!("{sent} emails delivered in all, none left");
        if n > 1 {
            across(&servers.addrs, &openers[0].token, openers[0].agreement).await?;
            opened += 1;
            println!(
                "{n} processes give {:.2}× one process",
                rates[n - 1] / rates[0]
            );
        }
    }
    fresh.finish().await
}

/// A case opened through the first process is read, answered and read again through the
/// others, with the same session.
async fn across(addrs: &[SocketAddr], token: &str, agreement: i64) -> Result<()> {
    let mut first = Client::connect(addrs[0], token).await?;
    let body = super::open::body(agreement, 0);
    let answer = first.send("POST", "/api/v1/cases", Some(&body)).await?;
    let case: serde_json::Value = serde_json::from_slice(&answer.body)?;
    let number = case["case_id"].as_str().context("case number")?.to_owned();
    for (i, addr) in addrs.iter().enumerate().skip(1) {
        let mut other = Client::connect(*addr, token).await?;
        let path = format!("/api/v1/cases/{number}");
        if other.send("GET", &path, None).await?.status != 200 {
            bail!("process {i} does not see case {number}");
        }
        let text = format!("Answered through process {i}");
        let message = serde_json::json!({ "body": text }).to_string();
        let answer = other
            .send("POST", &format!("{path}/messages"), Some(&message))
            .await?;
        if answer.status >= 300 {
            bail!("process {i} refused the message: {}", answer.status);
        }
        let seen = first.send("GET", &path, None).await?;
        if !String::from_utf8_lossy(&seen.body).contains(&text) {
            bail!("process 0 does not see the message written through process {i}");
        }
    }
    println!(
        "case {number} opened through process 0, read and answered through the others with the same session, the answers read back through process 0"
    );
    Ok(())
}
