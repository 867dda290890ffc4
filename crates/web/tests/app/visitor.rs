//! A browser without JavaScript for page tests: keeps cookies and posts forms with the CSRF
//! token, plus the ways such a visitor signs in.

use crate::support::{PASSWORD, Response, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::collections::HashMap;

/// A browser without JavaScript: keeps cookies, posts forms with the CSRF token.
pub struct Visitor<'a> {
    app: &'a TestApp,
    pub cookies: HashMap<String, String>,
}

impl<'a> Visitor<'a> {
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn new(app: &'a TestApp) -> Self {
        Visitor {
            app,
            cookies: HashMap::new(),
        }
    }

    pub async fn go(&mut self, method: Method, path: &str, form: &[(&str, &str)]) -> Response {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, cookie);
        let body = if form.is_empty() {
            Body::empty()
        } else {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(serde_urlencoded::to_string(form).expect("form"))
        };
        let res = self.app.send(req.body(body).expect("request")).await;
        for set in res.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().expect("cookie");
            let (pair, _) = set.split_once(';').unwrap_or((set, ""));
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() {
                    self.cookies.remove(k)
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned())
                };
            }
        }
        res
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.go(Method::GET, path, &[]).await
    }

    /// The CSRF token the pages put in this browser's forms: its session's once signed in,
    /// its CSRF cookie's before.
    pub fn csrf(&self) -> String {
        match self.cookies.get(supportal_web::auth::SESSION_COOKIE) {
            Some(session) => supportal_web::forms::session_csrf(session),
            None => self
                .cookies
                .get("supportal_csrf")
                .cloned()
                .expect("visit a page first"),
        }
    }

    /// Posts a form with this browser's CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.go(Method::POST, path, &form).await
    }
}

pub fn location(res: &Response) -> &str {
    res.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Signs a demo account in through the sign-in form.
pub async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Visitor<'a> {
    let mut v = Visitor::new(app);
    v.get("/signin").await;
    let res = v
        .post(
            "/signin",
            &[
                ("email", email),
                ("password", supportal_app::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "sign in {email}: {}",
        res.text
    );
    v
}

/// Registers and verifies through the forms; the visitor is signed in afterwards.
pub async fn registered<'a>(app: &'a TestApp, email: &str, name: &str) -> Visitor<'a> {
    let mut v = Visitor::new(app);
    v.get("/register").await;
    v.post(
        "/register",
        &[("name", name), ("email", email), ("password", PASSWORD)],
    )
    .await;
    let code = app.last_code(email).await;
    let res = v
        .post("/verify", &[("email", email), ("code", &code)])
        .await;
    assert_eq!(location(&res), "/onboarding");
    v
}
