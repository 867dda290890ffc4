//! ACC-1, ACC-6: registration, codes, sign-in, throttles, sessions and password reset.

use crate::support::{PASSWORD, TestApp, on_both};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Duration;
use serde_json::json;

#[tokio::test]
async fn register_verify_and_sign_in() {
    on_both(|app: TestApp| async move {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "Ada@Acme.test", "password": PASSWORD, "name": "Ada Lovelace" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", app.backend);
        let mails = app.mails("ada@acme.test").await;
        assert_eq!(mails.len(), 1, "one verification mail");
        assert!(
            !mails[0].0.contains(&app.last_code("ada@acme.test").await),
            "the code is not in the subject (logged)"
        );

        let res = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({ "email": "ada@acme.test", "password": PASSWORD }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::FORBIDDEN, "email_not_verified"),
            "unverified cannot sign in"
        );

        let code = app.last_code("ada@acme.test").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "ada@acme.test", "code": wrong }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
        );
        assert_eq!(
            res.headers[header::CONTENT_TYPE],
            "application/problem+json"
        );

        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "ada@acme.test", "code": code }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "ada@acme.test", "code": code }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code"),
            "a verified address answers as a wrong code would"
        );

        let token = app.login("ADA@acme.test", PASSWORD).await;
        let me = app.get("/api/v1/me", &token).await;
        assert_eq!(me.body["email"], "ada@acme.test");
        assert_eq!(me.body["tier"], "basic");
        assert_eq!(me.body["next_step"], "choose_access");
    })
    .await;
}

#[tokio::test]
async fn expired_and_burnt_codes() {
    on_both(|app: TestApp| async move {
        for email in ["late@acme.test", "guess@acme.test"] {
            let res = app
                .post(
                    "/api/v1/auth/register",
                    None,
                    json!({ "email": email, "password": PASSWORD, "name": "Tester" }),
                )
                .await;
            assert_eq!(res.status, StatusCode::CREATED);
        }
        let late = app.last_code("late@acme.test").await;
        let guess = app.last_code("guess@acme.test").await;

        let wrong = if guess == "999999" {
            "888888"
        } else {
            "999999"
        };
        for _ in 0..5 {
            let res = app
                .post(
                    "/api/v1/auth/verify",
                    None,
                    json!({ "email": "guess@acme.test", "code": wrong }),
                )
                .await;
            assert_eq!(res.code(), "invalid_code");
        }
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "guess@acme.test", "code": guess }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "code_burnt"),
            "five wrong tries burn the code"
        );

        app.state.clock.advance(Duration::minutes(16));
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "late@acme.test", "code": late }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "code_expired")
        );

        // A new code after the wait works again.
        let res = app
            .post(
                "/api/v1/auth/resend",
                None,
                json!({ "email": "guess@acme.test" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::ACCEPTED);
        let fresh = app.last_code("guess@acme.test").await;
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "guess@acme.test", "code": fresh }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);

        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "nobody@acme.test", "code": "123456" }),
            )
            .await;
        assert_eq!(
            res.code(),
            "invalid_code",
            "unknown address gives the same answer"
        );
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "late@acme.test", "code": "12ab" }),
            )
            .await;
        assert_eq!(res.fields(), ["code"]);
    })
    .await;
}

#[tokio::test]
async fn resend_is_throttled_to_once_a_minute() {
    on_both(|app: TestApp| async move {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "eve@acme.test", "password": PASSWORD, "name": "Eve" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
        let res = app
            .post(
                "/api/v1/auth/resend",
                None,
                json!({ "email": "eve@acme.test" }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::TOO_MANY_REQUESTS, "resend_too_soon")
        );
        let wait: i64 = res.headers[header::RETRY_AFTER]
            .to_str()
            .expect("header")
            .parse()
            .expect("seconds");
        assert!((1..=60).contains(&wait), "Retry-After {wait}");
        assert_eq!(
            app.mails("eve@acme.test").await.len(),
            1,
            "nothing sent while throttled"
        );

        app.state.clock.advance(Duration::seconds(61));
        let res = app
            .post(
                "/api/v1/auth/resend",
                None,
                json!({ "email": "eve@acme.test" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::ACCEPTED);
        assert_eq!(app.mails("eve@acme.test").await.len(), 2);
        let res = app
            .post(
                "/api/v1/auth/resend",
                None,
                json!({ "email": "stranger@acme.test" }),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::ACCEPTED,
            "unknown address: same quiet answer"
        );
    })
    .await;
}

#[tokio::test]
async fn bad_registrations_are_refused_with_field_errors() {
    on_both(|app: TestApp| async move {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "not-an-email", "password": "short", "name": " " }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        );
        assert_eq!(res.fields(), ["email", "name", "password"]);
        assert!(
            res.body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );

        let long = "x".repeat(300);
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "a@acme.test", "password": PASSWORD, "name": long }),
            )
            .await;
        assert_eq!(res.fields(), ["name"]);

        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/register")
            .body(Body::from("email=x"))
            .expect("req");
        assert_eq!(
            app.send(req).await.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/register")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"email\":"))
            .expect("req");
        let res = app.send(req).await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::BAD_REQUEST, "malformed_json")
        );
        let res = app
            .post("/api/v1/auth/register", None, json!({ "email": 5 }))
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
        );
        let big = "y".repeat(2 * 1024 * 1024);
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "big@acme.test", "password": PASSWORD, "name": big }),
            )
            .await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "over-limit body");

        app.register_verified("taken@acme.test", "Taken").await;
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "taken@acme.test", "password": PASSWORD, "name": "Again" }),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "an address with an account answers as a new one"
        );
    })
    .await;
}

#[tokio::test]
async fn wrong_passwords_are_throttled_per_account() {
    on_both(|app: TestApp| async move {
        app.register_verified("bob@acme.test", "Bob").await;
        for _ in 0..5 {
            let res = app
                .post(
                    "/api/v1/auth/login",
                    None,
                    json!({ "email": "bob@acme.test", "password": "wrong password!" }),
                )
                .await;
            assert_eq!(
                (res.status, res.code()),
                (StatusCode::UNAUTHORIZED, "invalid_credentials")
            );
        }
        let res = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({ "email": "bob@acme.test", "password": PASSWORD }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::TOO_MANY_REQUESTS, "too_many_sign_in_attempts"),
            "even the right password waits"
        );
        assert!(res.headers.contains_key(header::RETRY_AFTER));

        app.state.clock.advance(Duration::minutes(16));
        app.login("bob@acme.test", PASSWORD).await;
        let res = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({ "email": "nobody@acme.test", "password": PASSWORD }),
            )
            .await;
        assert_eq!(
            res.code(),
            "invalid_credentials",
            "unknown account: same answer as a wrong password"
        );
    })
    .await;
}

#[tokio::test]
async fn sessions_end_on_logout_everywhere_and_reset() {
    on_both(|app: TestApp| async move {
        app.register_verified("cy@acme.test", "Cy").await;
        let first = app.login("cy@acme.test", PASSWORD).await;
        let second = app.login("cy@acme.test", PASSWORD).await;
        assert_eq!(app.get("/api/v1/me/sessions", &first).await.body["items"].as_array().map(Vec::len), Some(2));

        let res = app.request(Method::POST, "/api/v1/auth/logout", Some(&first), None).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get("/api/v1/me", &first).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/me", &second).await.status, StatusCode::OK);

        let third = app.login("cy@acme.test", PASSWORD).await;
        let res = app.request(Method::POST, "/api/v1/auth/logout-all", Some(&third), None).await;
        assert_eq!(res.body["sessions_ended"], 2);
        assert_eq!(app.get("/api/v1/me", &second).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/me", "not-a-token").await.status, StatusCode::UNAUTHORIZED);

        // Password reset: the emailed code sets a new password and ends every session.
        let token = app.login("cy@acme.test", PASSWORD).await;
        let res = app.post("/api/v1/auth/password-reset", None, json!({ "email": "cy@acme.test" })).await;
        assert_eq!(res.status, StatusCode::ACCEPTED);
        let code = app.last_code("cy@acme.test").await;
        let res = app
            .post("/api/v1/auth/password-reset/confirm", None, json!({ "email": "cy@acme.test", "code": code, "new_password": "short" }))
            .await;
        assert_eq!(res.fields(), ["new_password"]);
        let res = app
            .post("/api/v1/auth/password-reset/confirm", None, json!({ "email": "cy@acme.test", "code": code, "new_password": "a brand new secret" }))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::UNAUTHORIZED);
        let res = app.post("/api/v1/auth/login", None, json!({ "email": "cy@acme.test", "password": PASSWORD })).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "the old password is gone");
        app.login("cy@acme.test", "a brand new secret").await;
        let res = app
            .post("/api/v1/auth/password-reset/confirm", None, json!({ "email": "cy@acme.test", "code": code, "new_password": "another new secret" }))
            .await;
        assert_eq!(res.code(), "code_burnt", "a used code does not work twice");
    })
    .await;
}

#[tokio::test]
async fn the_api_refuses_the_cookie_alone() {
    on_both(|app: TestApp| async move {
        app.register_verified("dee@acme.test", "Dee").await;
        let token = app.login("dee@acme.test", PASSWORD).await;
        let req = Request::builder()
            .uri("/api/v1/me")
            .header(header::COOKIE, format!("supportal_session={token}"))
            .body(Body::empty())
            .expect("req");
        assert_eq!(app.send(req).await.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn wrong_codes_are_throttled_per_address() {
    on_both(|app: TestApp| async move {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "fay@acme.test", "password": PASSWORD, "name": "Fay" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
        let code = app.last_code("fay@acme.test").await;
        // Thirty wrong codes from this address (across many accounts) in the window.
        let mut tx = app.state.db.begin().await.expect("tx");
        let limits = [(
            "code:address:local",
            supportal_app::accounts::CODE_LIMIT_ADDRESS,
        )];
        for _ in 0..supportal_app::accounts::CODE_LIMIT_ADDRESS {
            let window = chrono::Duration::minutes(15);
            let taken = supportal_store::throttle::take(&mut tx, &limits, window, app.state.now());
            assert!(taken.await.expect("take").is_ok());
        }
        tx.commit().await.expect("commit");
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "fay@acme.test", "code": code }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::TOO_MANY_REQUESTS, "too_many_code_attempts")
        );
        assert!(res.headers.contains_key(header::RETRY_AFTER));
        app.state.clock.advance(Duration::minutes(16));
        app.post(
            "/api/v1/auth/resend",
            None,
            json!({ "email": "fay@acme.test" }),
        )
        .await;
        let code = app.last_code("fay@acme.test").await;
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "fay@acme.test", "code": code }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "after the window: {}", res.text);
    })
    .await;
}

#[tokio::test]
async fn address_throttles_see_the_caller_behind_a_trusted_proxy_only() {
    on_both(|mut app: TestApp| async move {
        // The portal behind a proxy at 127.0.0.1; `app.router` sees the proxy's connections.
        let mut config = (*app.state.config).clone();
        config.trusted_proxies = vec![supportal_web::auth::IpNet::parse("127.0.0.1").expect("ip")];
        let state = supportal_web::AppState {
            config: std::sync::Arc::new(config),
            ..app.state.clone()
        };
        app.router = supportal_web::router(state);
        let attempt = |peer: &str, forwarded: &str, n: usize| {
            let mut req = Request::builder()
                .method(Method::POST)
                .uri("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-forwarded-for", forwarded)
                .body(Body::from(
                    json!({ "email": format!("nobody{n}@acme.test"), "password": "wrong password!" })
                        .to_string(),
                ))
                .expect("request");
            let peer: std::net::SocketAddr = format!("{peer}:40000").parse().expect("peer");
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            req
        };
        // Twenty failures from one caller behind the proxy, then that caller waits…
        for n in 0..20 {
            let res = app.send(attempt("127.0.0.1", "203.0.113.7", n)).await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{} attempt {n}", app.backend);
        }
        let res = app.send(attempt("127.0.0.1", "203.0.113.7", 20)).await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::TOO_MANY_REQUESTS, "too_many_sign_in_attempts")
        );
        // …while another caller behind the same proxy does not.
        let res = app.send(attempt("127.0.0.1", "203.0.113.8", 21)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // A caller who is not a proxy cannot escape by writing the header.
        for n in 0..20 {
            let forged = format!("198.18.0.{n}");
            let res = app.send(attempt("198.51.100.4", &forged, 100 + n)).await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        }
        let res = app.send(attempt("198.51.100.4", "198.18.1.1", 200)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}
