//! Browser tests: headless Chromium (Debian's `chromium` and `chromium-driver`) driven through
//! WebDriver against the real server on a free port. They run when `SUPPORTAL_TEST_BROWSER=1`.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use supportal_store::Db;
use supportal_web::{AppState, Config};

pub(crate) fn enabled() -> bool {
    if std::env::var("SUPPORTAL_TEST_BROWSER").as_deref() == Ok("1") {
        true
    } else {
        eprintln!(
            "skipped: set SUPPORTAL_TEST_BROWSER=1 (with chromium and chromedriver installed) to run the browser tests"
        );
        false
    }
}

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Waits until something accepts connections on `port`: the readiness signal, no fixed sleep.
pub(crate) async fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) struct Portal {
    pub(crate) url: String,
    pub(crate) outbox: PathBuf,
    /// The running portal's state, for what a device or a distributor sends to the API.
    pub(crate) state: AppState,
    _dir: tempfile::TempDir,
}

pub(crate) async fn start_portal() -> Portal {
    let dir = tempfile::tempdir().expect("dir");
    let db = Db::open_sqlite_file(&dir.path().join("browser.db"))
        .await
        .expect("db");
    db.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut config = Config::new(dir.path().to_path_buf(), format!("http://{addr}"));
    config.payment_provider = Some(supportal_app::payments::ProviderKind::Test);
    let state = AppState::new(db, config);
    supportal_app::demo::load_if_empty(&state)
        .await
        .expect("demo");
    let (_stop, stop_rx) = tokio::sync::watch::channel(false);
    std::mem::forget(_stop);
    supportal_app::jobs::spawn(state.ctx.clone(), stop_rx);
    let app =
        supportal_web::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Portal {
        url: format!("http://{addr}"),
        outbox: state.config.outbox_dir(),
        state: state.clone(),
        _dir: dir,
    }
}

pub(crate) async fn browser() -> (Client, Driver, tempfile::TempDir) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = free_port();
    let driver =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
    let driver = Driver(driver);
    wait_for_port(port).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ];
    let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    let mut caps = serde_json::Map::new();
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": binary, "args": args }),
    );
    let client = ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver");
    (client, driver, profile)
}

/// The code on its own line in the newest `.eml` to `to` under the outbox folder.
pub(crate) async fn code_from_outbox(outbox: &Path, to: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut newest: Option<(PathBuf, String)> = None;
        if let Ok(entries) = std::fs::read_dir(outbox) {
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if text.lines().any(|l| l.starts_with("To:") && l.contains(to))
                    && newest.as_ref().is_none_or(|(p, _)| entry.path() > *p)
                {
                    newest = Some((entry.path(), text));
                }
            }
        }
        if let Some((_, text)) = newest
            && let Some(code) = text
                .lines()
                .map(str::trim)
                .find(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
        {
            return code.to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no code for {to} in {}",
            outbox.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn fill(c: &Client, id: &str, value: &str) {
    let field = c
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("field {id}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

pub(crate) async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .expect("click");
}

pub(crate) async fn wait_path(c: &Client, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = c.current_url().await.expect("url");
        if url.path() == path {
            return;
        }
        assert!(Instant::now() < deadline, "expected {path}, at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn body_text(c: &Client) -> String {
    match c.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits until the page shows `text` (pages may still be loading after a click).
pub(crate) async fn wait_text(c: &Client, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let body = body_text(c).await;
        if body.contains(text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected {text:?} on the page, found: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn screenshot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("SUPPORTAL_SCREENSHOTS")
        && let Ok(png) = c.screenshot().await
    {
        let _ = std::fs::write(Path::new(&dir).join(format!("{name}.png")), png);
    }
}

pub(crate) async fn sign_in(c: &Client, portal: &Portal, email: &str) {
    c.goto(&format!("{}/signin", portal.url))
        .await
        .expect("open");
    fill(c, "f-email", email).await;
    fill(c, "f-password", supportal_app::demo::DEMO_PASSWORD).await;
    click(c, "main form button[type=submit]").await;
    wait_path(c, "/").await;
}

pub(crate) async fn sign_out(c: &Client) {
    click(c, "header form[action='/signout'] button").await;
    wait_path(c, "/signin").await;
}

pub(crate) fn url_path(link: &str) -> String {
    let rest = link.split_once("://").map(|(_, r)| r).unwrap_or(link);
    rest.find('/')
        .map(|i| rest[i..].to_owned())
        .unwrap_or_else(|| "/".into())
}
