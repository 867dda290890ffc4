//! The `supportal bench …` subcommands and what each runs.

use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Import N asset rows from CSV into a fresh database; prints rows per second and peak memory.
    ImportAssets {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// Run on a scratch database created next to this PostgreSQL URL instead of SQLite.
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Open cases through the HTTP API with concurrent clients over many companies, each case
    /// paid by an incident of its company's agreement, the emails delivered meanwhile as `serve`
    /// does; prints cases per second and latency percentiles. On PostgreSQL, pgbench's rate for a
    /// case-like transaction on the same server is measured first.
    CreateCases {
        #[arg(long, default_value_t = 32)]
        clients: usize,
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        /// Companies, each with one user and one agreement; 1 makes every case spend one
        /// agreement (one hot row).
        #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        agreements: u32,
        /// Only queue the emails while opening; deliver them afterwards, timed apart.
        #[arg(long)]
        queue_only: bool,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Start 1 … N `serve` processes on one PostgreSQL database and open cases through all of
    /// them with one pool of clients; prints cases per second and p99 for each N, then checks
    /// that a case opened through one process is read and answered through the others.
    Servers {
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
        max: u32,
        #[arg(long, default_value_t = 32)]
        clients: usize,
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        agreements: u32,
        /// PostgreSQL connections of each process.
        #[arg(long, default_value_t = 16)]
        connections: u32,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: String,
    },
    /// Generate cases over many companies; time the first page of the list views and a look-up
    /// by serial number over HTTP.
    CaseLists {
        #[arg(long, default_value_t = 1_000_000)]
        cases: i64,
        #[arg(long, default_value_t = 10_000)]
        companies: i64,
        #[arg(long, default_value_t = 2_000)]
        samples: usize,
        /// Cases of company 1, the large one (0: every company alike).
        #[arg(long, default_value_t = 100_000)]
        hot_company_cases: i64,
        /// Clients asking company 1's lists at once.
        #[arg(long, default_value_t = 16)]
        concurrent: usize,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Send wrong passwords for one account over many connections at once; prints how many
    /// were checked and refused, and peak memory.
    SignInBurst {
        #[arg(long, default_value_t = 500)]
        connections: usize,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Spread open cases over desk queues; time a queue's first page by due time over HTTP, and
    /// the breach sweep while cases are being written.
    Desk {
        #[arg(long, default_value_t = 1_000_000)]
        cases: i64,
        #[arg(long, default_value_t = 200)]
        queues: i64,
        #[arg(long, default_value_t = 2_000)]
        samples: usize,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Report resold devices through the feed API in batches; prints rows per second and peak
    /// memory, then the rate of a batch sent again (every row unchanged).
    DeviceFeed {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        #[arg(long, default_value_t = 5_000)]
        batch: usize,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Device agents report alerts over HTTP from many clients at once, each alert mailed to its
    /// end user; prints alerts per second and latency percentiles.
    DeviceAlerts {
        #[arg(long, default_value_t = 20_000)]
        alerts: usize,
        #[arg(long, default_value_t = 32)]
        clients: usize,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Generate public articles over the five languages; time searches in any language and in
    /// one (latency percentiles).
    KbSearch {
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Open chats with a WebSocket each on one process; the desk sends messages to random
    /// chats; prints send-to-arrival percentiles and peak memory.
    Chat {
        #[arg(long, default_value_t = 1_000)]
        connections: usize,
        #[arg(long, default_value_t = 2_000)]
        messages: usize,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Export one company's cases to Excel over HTTP; prints seconds and peak memory.
    ExportCases {
        #[arg(long, default_value_t = 100_000)]
        cases: i64,
        #[arg(long, env = "SUPPORTAL_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
}

/// Runs one benchmark.
pub async fn run(command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Desk {
            cases,
            queues,
            samples,
            postgres_url,
        } => super::desk(cases, queues, samples, postgres_url).await,
        BenchCommand::KbSearch {
            articles,
            queries,
            postgres_url,
        } => super::kb_search(articles, queries, postgres_url).await,
        BenchCommand::Chat {
            connections,
            messages,
            postgres_url,
        } => super::chat(connections, messages, postgres_url).await,
        BenchCommand::ImportAssets { rows, postgres_url } => {
            super::import_assets(rows, postgres_url).await
        }
        BenchCommand::CreateCases {
            clients,
            requests,
            agreements,
            queue_only,
            postgres_url,
        } => {
            super::create_cases(super::CreateCases {
                clients,
                requests,
                agreements: agreements as usize,
                queue_only,
                postgres_url,
            })
            .await
        }
        BenchCommand::Servers {
            max,
            clients,
            requests,
            agreements,
            connections,
            postgres_url,
        } => {
            super::servers(super::ServersBench {
                max: max as usize,
                clients,
                requests,
                agreements: agreements as usize,
                connections,
                postgres_url,
            })
            .await
        }
        BenchCommand::CaseLists {
            cases,
            companies,
            samples,
            hot_company_cases,
            concurrent,
            postgres_url,
        } => {
            super::case_lists(
                cases,
                companies,
                samples,
                hot_company_cases,
                concurrent,
                postgres_url,
            )
            .await
        }
        BenchCommand::ExportCases {
            cases,
            postgres_url,
        } => super::export_cases(cases, postgres_url).await,
        BenchCommand::DeviceFeed {
            rows,
            batch,
            postgres_url,
        } => super::device_feed(rows, batch.clamp(1, 5_000), postgres_url).await,
        BenchCommand::DeviceAlerts {
            alerts,
            clients,
            postgres_url,
        } => super::device_alerts(alerts, clients.max(1), postgres_url).await,
        BenchCommand::SignInBurst {
            connections,
            postgres_url,
        } => super::sign_in_burst(connections, postgres_url).await,
    }
}
