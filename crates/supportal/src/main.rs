//! The `supportal` binary: `serve`, `migrate`, `staff add` and `demo`.
#![forbid(unsafe_code)]

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use supportal_domain::{EmailAddress, StaffRole};
use supportal_store::{Db, accounts};
use supportal_web::{AppState, Config};

mod bench;
mod import;
mod settings;

#[derive(Parser)]
#[command(
    name = "supportal",
    version,
    about = "Self-hosted enterprise support portal"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (pages and JSON API).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Manage operator staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Load the demo data into an empty database and exit.
    Demo(DbArgs),
    /// Load a CSV or XLSX file of products, assets, entitlements or agreements (all or nothing).
    Import {
        /// products, assets, entitlements or agreements
        kind: String,
        file: PathBuf,
        /// Load entitlements as this company's admin would (rows go to this company only).
        #[arg(long)]
        company_id: Option<i64>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Read one email (RFC 5322) on standard input and add it to its case as a reply, for an
    /// MTA pipe. Exits 0 when it was taken (or taken before), 1 when it was refused.
    MailIn(DbArgs),
    /// Settings: `--print-default` prints the settings file with every setting and its default.
    Config {
        #[arg(long)]
        print_default: bool,
    },
    /// Benchmarks that print their figures.
    Bench {
        #[command(subcommand)]
        command: bench::command::BenchCommand,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create (or promote) an operator staff account.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// operator-admin or engineer
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "Operator staff")]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Where the data is; every command that opens the database takes these. Unset, each comes
/// from the settings file, else its default.
#[derive(Args, Clone)]
struct DbArgs {
    /// A TOML settings file (see `supportal config --print-default`).
    #[arg(long, env = "SUPPORTAL_CONFIG")]
    config: Option<PathBuf>,
    /// Folder for the SQLite database, the mail outbox and attachments [default: ./data].
    #[arg(long, env = "SUPPORTAL_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// `sqlite:…` or `postgres://…` [default: <data-dir>/supportal.db].
    #[arg(long, env = "SUPPORTAL_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// PostgreSQL connections this process keeps, reads and writes together [default: 16].
    #[arg(long, env = "SUPPORTAL_DATABASE_CONNECTIONS", value_parser = clap::value_parser!(u32).range(2..=1000))]
    database_connections: Option<u32>,
}

#[derive(Args)]
struct ServeArgs {
    /// Address and port to serve on [default: 127.0.0.1:8080].
    #[arg(long, env = "SUPPORTAL_LISTEN")]
    listen: Option<SocketAddr>,
    #[command(flatten)]
    db: DbArgs,
    /// `smtp://user:pass@host:587` or `smtps://…`; none writes mail to `<data-dir>/outbox/`.
    #[arg(long, env = "SUPPORTAL_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender of every message [default: Supportal <no-reply@supportal.test>].
    #[arg(long, env = "SUPPORTAL_MAIL_FROM")]
    mail_from: Option<String>,
    /// The address people reach the portal at (for links in email) [default: http://<listen>].
    #[arg(long, env = "SUPPORTAL_BASE_URL")]
    base_url: Option<String>,
    /// Load the demo data if the database is empty.
    #[arg(long, env = "SUPPORTAL_DEMO")]
    demo: bool,
    /// Mark cookies Secure (serve behind https).
    #[arg(long, env = "SUPPORTAL_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Who charges cards for pay-per-incident: "test" (test cards, no money moves) [default: none,
    /// or "test" with --demo].
    #[arg(long, env = "SUPPORTAL_PAYMENT_PROVIDER", value_parser = parse_provider)]
    payment_provider: Option<supportal_app::payments::ProviderKind>,
}

fn parse_provider(value: &str) -> Result<supportal_app::payments::ProviderKind, String> {
    supportal_app::payments::ProviderKind::parse(value)
        .ok_or_else(|| format!("unknown payment provider {value:?} (known: test)"))
}

/// The settings file, and the data folder and database resolved over it.
struct Place {
    file: settings::FileSettings,
    data_dir: PathBuf,
    database_url: Option<supportal_app::Secret>,
}

impl DbArgs {
    fn place(&self) -> Result<Place> {
        let file = settings::read(self.config.as_deref())?;
        Ok(Place {
            data_dir: self
                .data_dir
                .clone()
                .or_else(|| file.data_dir.clone())
                .unwrap_or_else(|| PathBuf::from("./data")),
            database_url: self
                .database_url
                .clone()
                .map(supportal_app::Secret::new)
                .or_else(|| file.database_url.clone()),
            file,
        })
    }

    async fn open(&self) -> Result<(Db, Place)> {
        let place = self.place()?;
        std::fs::create_dir_all(&place.data_dir)
            .with_context(|| format!("creating {}", place.data_dir.display()))?;
        let mut sizes = supportal_store::Sizes::default();
        if let Some(n) = self
            .database_connections
            .or(place.file.database_connections)
        {
            sizes.pg_connections = n;
        }
        let db = match &place.database_url {
            Some(url) => Db::connect_sized(url.expose(), sizes).await,
            None => Db::open_sqlite_file(&place.data_dir.join("supportal.db")).await,
        }
        .context("opening the database")?;
        db.migrate().await.context("applying migrations")?;
        Ok((db, place))
    }
}

impl ServeArgs {
    /// Where to listen and the server's configuration: these flags (or their environment
    /// variables) over the settings file over the defaults.
    fn resolve(&self, place: &Place) -> (SocketAddr, Config) {
        let listen = self
            .listen
            .or(place.file.listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let base_url = self
            .base_url
            .clone()
            .or_else(|| place.file.base_url.clone())
            .unwrap_or_else(|| format!("http://{listen}"));
        let mut config = place.config(base_url.trim_end_matches('/').to_owned());
        if let Some(url) = &self.smtp_url {
            config.smtp_url = Some(supportal_app::Secret::new(url.clone()));
        }
        if let Some(from) = &self.mail_from {
            config.mail_from = from.clone();
        }
        config.secure_cookies |= self.secure_cookies;
        if self.payment_provider.is_some() {
            config.payment_provider = self.payment_provider;
        }
        // The demo shows purchases working, with test cards, unless a provider is named.
        if self.demo && config.payment_provider.is_none() {
            config.payment_provider = Some(supportal_app::payments::ProviderKind::Test);
        }
        (listen, config)
    }
}

impl Place {
    /// The server configuration for this place, its links pointing at `base_url`.
    fn config(&self, base_url: String) -> Config {
        self.file.config(self.data_dir.clone(), base_url)
    }
}

/// Where tools that serve no pages say the portal is, for links in what they write.
const LOCAL_URL: &str = "http://127.0.0.1:8080";

#[tokio::main]
async fn main() -> Result<()> {
    // Two TLS providers are in the tree (ring, and aws-lc-rs through a test dependency): pick one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(db) => {
            let (db, _) = db.open().await?;
            println!("migrations applied ({})", db.backend());
            Ok(())
        }
        Command::Demo(db_args) => {
            let (db, place) = db_args.open().await?;
            let ctx = supportal_app::Context::new(db, place.config(LOCAL_URL.into()).app);
            let loaded = supportal_app::demo::load_if_empty(&ctx)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.code))?;
            println!(
                "{}",
                if loaded {
                    "demo data loaded"
                } else {
                    "database not empty: demo not loaded"
                }
            );
            Ok(())
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    email,
                    password,
                    role,
                    name,
                    db,
                },
        } => staff_add(db, &email, password, &role, &name).await,
        Command::MailIn(db_args) => {
            use std::io::Read;
            let limit = supportal_app::desk::inbound::MAX_RAW_BYTES;
            let mut raw = Vec::new();
            std::io::stdin()
                .take(limit as u64 + 1)
                .read_to_end(&mut raw)?;
            let (db, place) = db_args.open().await?;
            let ctx = supportal_app::Context::new(db, place.config(LOCAL_URL.into()).app);
            match supportal_app::desk::inbound::receive(&ctx, &raw).await {
                Ok(r) if r.added => println!("added to case {}", r.case_id),
                Ok(r) => println!("taken before: case {}", r.case_id),
                Err(e) => {
                    eprintln!("refused: {}", e.code);
                    std::process::exit(1)
                }
            }
            Ok(())
        }
        Command::Import {
            kind,
            file,
            company_id,
            db,
        } => {
            let (db, place) = db.open().await?;
            let ctx = supportal_app::Context::new(db, place.config(LOCAL_URL.into()).app);
            let report = import::run(&ctx, &kind, &file, company_id).await?;
            if import::print(&report) {
                Ok(())
            } else {
                std::process::exit(1)
            }
        }
        Command::Config { print_default } => {
            if !print_default {
                bail!("say what to show: supportal config --print-default");
            }
            print!("{}", settings::DEFAULT);
            Ok(())
        }
        Command::Bench { command } => bench::command::run(command).await,
    }
}

async fn staff_add(
    db: DbArgs,
    email: &str,
    password: String,
    role: &str,
    name: &str,
) -> Result<()> {
    let Some(role) = StaffRole::parse(role) else {
        bail!("--role must be operator-admin or engineer")
    };
    let email = EmailAddress::parse(email)
        .map_err(|_| anyhow::anyhow!("--email is not a valid email address"))?;
    if let Some(problem) = supportal_domain::account::password_problem(&password) {
        bail!("--password is not acceptable: {problem} (at least 10 characters)");
    }
    let (db, _) = db.open().await?;
    let hash = supportal_app::auth::hash_password(password)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.code))?;
    let now = supportal_app::Clock::default().now();
    let mut tx = db.begin().await?;
    let id = match accounts::find_by_email(&mut tx, &email).await? {
        Some(user) => {
            accounts::set_password(&mut tx, user.id(), &hash).await?;
            user.id()
        }
        None => accounts::create(&mut tx, &email, name, &hash, None, now).await?,
    };
    accounts::mark_verified(&mut tx, id, now).await?;
    accounts::set_staff_role(&mut tx, id, role).await?;
    tx.commit().await?;
    println!("staff account {email} is now {}", role.as_str());
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<()> {
    let (db, place) = args.db.open().await?;
    let (listen, config) = args.resolve(&place);
    let state = AppState::try_new(db.clone(), config).context("opening the attachment store")?;
    if args.demo {
        let loaded = supportal_app::demo::load_if_empty(&state)
            .await
            .map_err(|e| anyhow::anyhow!("loading the demo: {}", e.code))?;
        if loaded {
            tracing::info!("demo data loaded");
        }
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let jobs = supportal_app::jobs::spawn(state.ctx.clone(), stop_rx);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let app = supportal_web::router(state.clone());
    // What the operator reads at start, in the operator's language.
    let lang = supportal_app::i18n::Lang::choose(None, None, None, &state.config.language);
    let address = state.config.base_url.clone();
    let backend = db.backend().to_string();
    println!(
        "{}",
        lang.tn(
            "serve-running",
            &[("address", address), ("database", backend)]
        )
    );
    if state.config.smtp_url.is_none() {
        let folder = state.config.outbox_dir().display().to_string();
        println!("{}", lang.t1("serve-mail-folder", "folder", folder));
    }
    if args.demo {
        for line in supportal_app::demo::introduction(&lang) {
            println!("{line}");
        }
    }
    supportal_web::serve::serve(listener, app, state.config.limits, shutdown_signal()).await;
    let _ = stop_tx.send(true);
    let _ = jobs.await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::Parser;

    /// `supportal serve` with these arguments, resolved over a settings file with `file`.
    fn serve(file: &str, args: &[&str]) -> (std::net::SocketAddr, supportal_web::Config) {
        let dir = std::env::temp_dir().join(format!("supportal-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join(format!("{}.toml", args.len()));
        std::fs::write(&path, file).expect("settings file");
        let path = path.display().to_string();
        let mut argv = vec!["supportal", "serve", "--config", path.as_str()];
        argv.extend_from_slice(args);
        let super::Command::Serve(serve) = Cli::parse_from(argv).command else {
            panic!("not serve")
        };
        let place = serve.db.place().expect("place");
        let _ = std::fs::remove_file(&path);
        serve.resolve(&place)
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_the_defaults() {
        let file = r#"
            listen = "127.0.0.1:9000"
            data_dir = "/srv/supportal"
            mail_from = "Support <support@example.com>"
            smtp_url = "smtp://file@mail.example.com"
        "#;
        let (listen, config) = serve(file, &[]);
        assert_eq!(listen.port(), 9000);
        assert_eq!(config.base_url, "http://127.0.0.1:9000");
        assert_eq!(config.data_dir, std::path::PathBuf::from("/srv/supportal"));
        assert_eq!(config.mail_from, "Support <support@example.com>");
        assert_eq!(
            config.smtp_url.as_ref().map(|s| s.expose()),
            Some("smtp://file@mail.example.com")
        );
        let (listen, config) = serve(
            file,
            &[
                "--listen",
                "127.0.0.1:9100",
                "--data-dir",
                "./elsewhere",
                "--base-url",
                "https://support.example.com/",
                "--smtp-url",
                "smtp://flag@mail.example.com",
                "--secure-cookies",
            ],
        );
        assert_eq!(listen.port(), 9100);
        assert_eq!(config.base_url, "https://support.example.com");
        assert_eq!(config.data_dir, std::path::PathBuf::from("./elsewhere"));
        assert_eq!(
            config.smtp_url.as_ref().map(|s| s.expose()),
            Some("smtp://flag@mail.example.com")
        );
        assert!(config.secure_cookies);
        let (listen, config) = serve("", &[]);
        assert_eq!(listen.port(), 8080);
        assert_eq!(config.data_dir, std::path::PathBuf::from("./data"));
        assert_eq!(config.mail_from, "Supportal <no-reply@supportal.test>");
    }
}
