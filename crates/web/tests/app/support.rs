//! The test harness: a fresh database and app per test, JSON and form helpers, typed actors.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Once;
use supportal_store::testing::ScratchPostgres;
use supportal_store::{Db, Sizes};
use supportal_web::{AppState, Config};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub backend: &'static str,
    _dir: tempfile::TempDir,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Response {
    /// The problem document's machine code.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    /// The fields named in a validation problem.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

async fn app_on(db: Db, dir: tempfile::TempDir, backend: &'static str) -> TestApp {
    let mut config = Config::new(dir.path().to_path_buf(), "http://portal.test".into());
    // Purchases run on the test provider here; `purchases.rs` also tries a portal without one.
    config.payment_provider = Some(supportal_app::payments::ProviderKind::Test);
    config.app.inbound_address = Some(INBOUND_ADDRESS.into());
    config.app.inbound_secret = Some(supportal_app::Secret::new(INBOUND_SECRET));
    let state = AppState::new(db, config);
    TestApp {
        router: supportal_web::router(state.clone()),
        state,
        backend,
        _dir: dir,
    }
}

/// Where replies to case mail go in tests, and the inbound hook's secret.
pub const INBOUND_ADDRESS: &str = "cases@reply.portal.test";
pub const INBOUND_SECRET: &str = "inbound-test-secret";

pub async fn sqlite_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    // Strict sizes: a handler that holds a connection while waiting for another fails here.
    let db = Db::open_sqlite_file_sized(&dir.path().join("test.db"), Sizes::strict())
        .await
        .expect("sqlite");
    db.migrate().await.expect("migrate");
    app_on(db, dir, "sqlite").await
}

static PG_SKIP: Once = Once::new();

/// Runs `story` on a fresh SQLite database, then on a fresh PostgreSQL database when
/// `SUPPORTAL_TEST_POSTGRES_URL` is set (printing one skip line per run otherwise).
pub async fn on_both<F, Fut>(story: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    story(sqlite_app().await).await;
    match std::env::var("SUPPORTAL_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            let scratch = ScratchPostgres::create_sized(&url, Sizes::strict())
                .await
                .expect("scratch PostgreSQL database");
            let dir = tempfile::tempdir().expect("temp dir");
            let app = app_on(scratch.db.clone(), dir, "postgres").await;
            story(app).await;
            scratch
                .drop_database()
                .await
                .expect("drop scratch database");
        }
        _ => PG_SKIP.call_once(|| {
            eprintln!(
                "skipped: set SUPPORTAL_TEST_POSTGRES_URL to run the story suite on PostgreSQL too"
            )
        }),
    }
}

impl TestApp {
    /// Another server on `app`'s database: the same data, its own state (configuration, files).
    pub fn with_state(app: &TestApp, state: AppState) -> TestApp {
        TestApp {
            router: supportal_web::router(state.clone()),
            state,
            backend: app.backend,
            _dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let req = match body {
            Some(body) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> Response {
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Response {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::PUT, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    /// Every message queued for `to`, newest first: (subject, text body).
    pub async fn mails(&self, to: &str) -> Vec<(String, String)> {
        supportal_app::mail::preview(&self.state, to)
            .await
            .expect("outbox")
    }

    /// The six-digit code in the newest message to `to`.
    pub async fn last_code(&self, to: &str) -> String {
        let mails = self.mails(to).await;
        let (_, text) = mails.first().unwrap_or_else(|| panic!("no mail to {to}"));
        code_in(text).unwrap_or_else(|| panic!("no code in mail to {to}: {text}"))
    }

    /// Registers and verifies an account; returns nothing (sign in with `login`).
    pub async fn register_verified(&self, email: &str, name: &str) {
        let res = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": email, "password": PASSWORD, "name": name }),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "register {email}: {}",
            res.text
        );
        let code = self.last_code(email).await;
        let res = self
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": email, "code": code }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "verify {email}: {}", res.text);
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "login {email}: {}", res.text);
        res.body["token"].as_str().expect("token").to_owned()
    }

    /// A verified, signed-in account that made no access choice yet.
    pub async fn user(&self, email: &str, name: &str) -> String {
        self.register_verified(email, name).await;
        self.login(email, PASSWORD).await
    }

    /// An operator admin made like the CLI does.
    pub async fn operator_admin(&self) -> String {
        self.staff(
            "ops@operator.test",
            supportal_domain::StaffRole::OperatorAdmin,
        )
        .await
    }

    pub async fn staff(&self, email: &str, role: supportal_domain::StaffRole) -> String {
        self.register_verified(email, "Staff Member").await;
        let mut tx = self.state.db.begin().await.expect("tx");
        let parsed = supportal_domain::EmailAddress::parse(email).expect("email");
        let user = supportal_store::accounts::find_by_email(&mut tx, &parsed)
            .await
            .expect("find")
            .expect("user");
        supportal_store::accounts::set_staff_role(&mut tx, user.id(), role)
            .await
            .expect("role");
        tx.commit().await.expect("commit");
        self.login(email, PASSWORD).await
    }

    /// A validated customer company with a domain, a PIN and a site, created by staff;
    /// returns (company id, its admin's token).
    pub async fn company(
        &self,
        staff: &str,
        name: &str,
        domain: &str,
        admin_email: &str,
    ) -> (i64, String) {
        self.register_verified(admin_email, "Company Admin").await;
        let res = self
            .post(
                "/api/v1/admin/companies",
                Some(staff),
                json!({
                    "name": name, "kind": "customer", "domains": [domain], "pins": ["GOLD-1"],
                    "first_admin_email": admin_email,
                    "site": { "name": "Head office", "street": "Main street 1", "postal_code": "1000", "city": "Utrecht", "country": "NL" }
                }),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "create company: {}",
            res.text
        );
        assert_eq!(res.body["first_admin"], "member");
        let id = res.body["company_id"].as_i64().expect("company id");
        (id, self.login(admin_email, PASSWORD).await)
    }

    /// A member of the company (joined by domain) and their token.
    pub async fn member(&self, email: &str) -> String {
        let token = self.user(email, "Company Member").await;
        let res = self
            .post(
                "/api/v1/me/access",
                Some(&token),
                json!({ "choice": "enterprise" }),
            )
            .await;
        assert_eq!(res.body["outcome"], "joined", "{}", res.text);
        token
    }

    pub async fn user_id(&self, token: &str) -> i64 {
        self.get("/api/v1/me", token).await.body["id"]
            .as_i64()
            .expect("id")
    }
}

/// The first run of exactly six digits standing alone in a text.
pub fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_owned)
}

/// A `multipart/form-data` body: text fields and one `file` part. Returns (content type, body).
pub fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "supportal-test-boundary-7d93";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl TestApp {
    /// Posts a file to an API upload route.
    pub async fn upload(&self, path: &str, token: &str, file_name: &str, file: &[u8]) -> Response {
        let (content_type, body) = multipart(&[], file_name, file);
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }
}

/// The app served on a local port, for tests that must cross real connections (concurrency).
#[derive(Clone, Copy)]
pub struct Served {
    pub addr: std::net::SocketAddr,
}

impl TestApp {
    /// Serves this app's router on 127.0.0.1 with the caller's address known to it.
    pub async fn serve(&self) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = self.router.clone();
        let limits = self.state.config.limits;
        tokio::spawn(supportal_web::serve::serve(
            listener,
            router,
            limits,
            std::future::pending(),
        ));
        Served { addr }
    }
}

impl Served {
    /// One HTTP/1.1 request on a connection of its own: (status, JSON body or null, headers).
    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> (u16, Value, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .expect("connect");
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if let Some(token) = token {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.expect("write");
        stream.write_all(body.as_bytes()).await.expect("write");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("read");
        let text = String::from_utf8_lossy(&answer).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        // Bodies here are small; a chunked one is a single chunk between its size lines.
        let json = serde_json::from_str(rest).unwrap_or_else(|_| {
            let inner = rest.split_once("\r\n").map(|(_, r)| r).unwrap_or(rest);
            let inner = inner
                .rsplit_once("\r\n0\r\n")
                .map(|(b, _)| b)
                .unwrap_or(inner);
            serde_json::from_str(inner.trim_end()).unwrap_or(Value::Null)
        });
        (status, json, head.to_owned())
    }
}
