//! The raw rate the HTTP figures are held against: pgbench running a case-like transaction on the
//! same PostgreSQL server, in the same run. The transaction spends a unit of a random agreement
//! row (or the one row, with one agreement), records the incident, inserts a case row with its
//! indexes, its history entry and its email, and commits: the writes of opening a case, without
//! HTTP, sessions, checks or the reads before them.

use anyhow::{Context, Result};
use std::process::Command;
use supportal_store::Db;

/// Tables of their own, so the raw run leaves the application's tables as they were.
const TABLES: &str = "
CREATE TABLE raw_agreements (id BIGINT PRIMARY KEY, units BIGINT NOT NULL);
INSERT INTO raw_agreements SELECT g, 1000000000 FROM generate_series(1, {rows}) g;
CREATE TABLE raw_uses (id BIGSERIAL PRIMARY KEY, agreement_id BIGINT NOT NULL, reference TEXT NOT NULL UNIQUE,
    at TIMESTAMPTZ NOT NULL);
CREATE TABLE raw_cases (id BIGSERIAL PRIMARY KEY, number TEXT NOT NULL UNIQUE, company_id BIGINT NOT NULL,
    submitter_id BIGINT NOT NULL, status TEXT NOT NULL, severity BIGINT NOT NULL, title TEXT NOT NULL,
    description TEXT NOT NULL, use_id BIGINT, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
CREATE INDEX raw_cases_company ON raw_cases (company_id, updated_at);
CREATE INDEX raw_cases_submitter ON raw_cases (submitter_id, updated_at);
CREATE TABLE raw_events (id BIGSERIAL PRIMARY KEY, case_id BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX raw_events_case ON raw_events (case_id);
CREATE TABLE raw_outbox (id BIGSERIAL PRIMARY KEY, to_addr TEXT NOT NULL, intent TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL, sent_at TIMESTAMPTZ);
";

/// The pgbench script (`pg_case.sql`): one case-like transaction.
const SCRIPT: &str = "\\set a random(1, :rows)
\\set n random(1, 2000000000)
BEGIN;
UPDATE raw_agreements SET units = units - 1 WHERE id = :a AND units > 0;
INSERT INTO raw_uses (agreement_id, reference, at) VALUES (:a, :client_id || '-' || :n || '-' || random(), now());
INSERT INTO raw_cases (number, company_id, submitter_id, status, severity, title, description, use_id, created_at, updated_at)
    VALUES (:client_id || '-' || :n || '-' || random(), :a, :a, 'new', 3, 'Mailbox sync stalls',
            'Outlook clients stop syncing after the nightly job', currval('raw_uses_id_seq'), now(), now());
INSERT INTO raw_events (case_id, at, kind, body) VALUES (currval('raw_cases_id_seq'), now(), 'created', '');
INSERT INTO raw_outbox (to_addr, intent, created_at) VALUES ('bench@example.test', '{}', now());
COMMIT;
";

/// Seconds pgbench runs.
const SECONDS: u32 = 15;

/// Runs pgbench on the database at `url` with `clients` connections over `rows` agreement rows
/// and prints its rate; says so and goes on when pgbench is not installed.
pub async fn measure(db: &Db, url: &str, rows: usize, clients: usize) -> Result<Option<f64>> {
    db.run_unprepared(&TABLES.replace("{rows}", &rows.to_string()))
        .await?;
    let script = std::env::temp_dir().join(format!("supportal-pg_case-{}.sql", std::process::id()));
    std::fs::write(&script, SCRIPT)?;
    let output = tokio::task::spawn_blocking({
        let (url, script) = (url.to_owned(), script.clone());
        move || {
            Command::new("pgbench")
                .args(["-n", "-M", "prepared", "-j", "2"])
                .args(["-c", &clients.to_string(), "-T", &SECONDS.to_string()])
                .args(["-D", &format!("rows={rows}")])
                .arg("-f")
                .arg(&script)
                .arg(&url)
                .output()
        }
    })
    .await?;
    let _ = std::fs::remove_file(&script);
    db.run_unprepared("DROP TABLE raw_agreements, raw_uses, raw_cases, raw_events, raw_outbox")
        .await?;
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            println!("raw rate: not measured (pgbench: {e})");
            return Ok(None);
        }
    };
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        anyhow::bail!(
            "pgbench failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let tps: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("no tps in pgbench's output: {text}"))?;
    let latency = text
        .lines()
        .find(|l| l.starts_with("latency average"))
        .unwrap_or("")
        .to_owned();
    println!(
        "raw rate (pgbench, case-like transaction, {clients} clients, {rows} agreement row{}, {SECONDS} s): {tps:.0} tps; {latency}",
        if rows == 1 { "" } else { "s" }
    );
    Ok(Some(tps))
}
