//! Issue 9's attacks on accounts: a password planted in an unverified account, a burst of
//! sign-ins, and answers that tell who has an account.

use crate::support::{PASSWORD, TestApp, on_both};
use crate::visitor::{Visitor, location};
use axum::http::StatusCode;
use serde_json::json;

const ATTACKER_PASSWORD: &str = "attacker knows this one";

#[tokio::test]
async fn a_password_planted_before_verification_never_signs_in() {
    on_both(|app: TestApp| async move {
        // The victim registers; the attacker registers the same address again with a password of
        // their own; the victim verifies with the code from their mailbox.
        let register = |password: &'static str| {
            json!({ "email": "victim@acme.test", "password": password, "name": "Victim" })
        };
        let res = app.post("/api/v1/auth/register", None, register(PASSWORD)).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let res = app.post("/api/v1/auth/register", None, register(ATTACKER_PASSWORD)).await;
        assert_eq!(res.status, StatusCode::CREATED, "the same answer as any registration");
        let code = app.last_code("victim@acme.test").await;
        let res = app.post("/api/v1/auth/verify", None, json!({ "email": "victim@acme.test", "code": code })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let res = app.post("/api/v1/auth/login", None, json!({ "email": "victim@acme.test", "password": ATTACKER_PASSWORD })).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "the attacker's password does nothing");
        app.login("victim@acme.test", PASSWORD).await;

        // The attacker registers first; the victim verifies on the page with their own password.
        let res = app.post("/api/v1/auth/register", None, json!({ "email": "early@acme.test", "password": ATTACKER_PASSWORD, "name": "Mallory" })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let mut v = Visitor::new(&app);
        v.get("/register").await;
        v.post("/register", &[("name", "Early"), ("email", "early@acme.test"), ("password", PASSWORD)]).await;
        let code = app.last_code("early@acme.test").await;
        // A valid code alone signs nobody in.
        let res = v.post("/verify", &[("email", "early@acme.test"), ("code", &code)]).await;
        assert_eq!(res.status, StatusCode::OK, "the form again, asking for the password");
        let session = res.headers.get_all("set-cookie").iter().any(|c| c.to_str().unwrap_or_default().starts_with("supportal_session="));
        assert!(!session, "no session without the password");
        let res = v.post("/verify", &[("email", "early@acme.test"), ("code", &code), ("password", PASSWORD)]).await;
        assert_eq!(location(&res), "/onboarding", "{}", res.text);
        let res = app.post("/api/v1/auth/login", None, json!({ "email": "early@acme.test", "password": ATTACKER_PASSWORD })).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "the planted password was replaced");
        app.login("early@acme.test", PASSWORD).await;
    })
    .await;
}

#[tokio::test]
async fn the_registering_browser_verifies_with_the_code_alone_and_no_other_does() {
    on_both(|app: TestApp| async move {
        let mut victim = Visitor::new(&app);
        victim.get("/register").await;
        victim.post("/register", &[("name", "Vic"), ("email", "vic@acme.test"), ("password", PASSWORD)]).await;
        // The attacker registers the address again, from elsewhere, with a password of their own.
        let res = app.post("/api/v1/auth/register", None, json!({ "email": "vic@acme.test", "password": ATTACKER_PASSWORD, "name": "Mallory" })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let code = app.last_code("vic@acme.test").await;

        // Another browser with the code alone is asked for the password, and the code stays good.
        let mut other = Visitor::new(&app);
        let page = other.get("/verify?email=vic%40acme.test").await;
        assert!(page.text.contains("name=\"password\""), "another browser is asked for the password");
        let res = other.post("/verify", &[("email", "vic@acme.test"), ("code", &code)]).await;
        assert_eq!(res.status, StatusCode::OK, "the form again");
        assert!(!res.headers.get_all("set-cookie").iter().any(|c| c.to_str().unwrap_or_default().starts_with("supportal_session=")));

        // The browser that registered needs the code only, and is signed in with its password.
        let page = victim.get("/verify?email=vic%40acme.test").await;
        assert!(!page.text.contains("name=\"password\""), "{}", page.text);
        let res = victim.post("/verify", &[("email", "vic@acme.test"), ("code", &code)]).await;
        assert_eq!(location(&res), "/onboarding", "{}", res.text);
        let res = app.post("/api/v1/auth/login", None, json!({ "email": "vic@acme.test", "password": ATTACKER_PASSWORD })).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        app.login("vic@acme.test", PASSWORD).await;
    })
    .await;
}

#[tokio::test]
async fn register_verify_and_resend_answer_alike_for_any_address() {
    on_both(|app: TestApp| async move {
        app.register_verified("known@acme.test", "Known").await;
        let known = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "known@acme.test", "password": PASSWORD, "name": "Again" }),
            )
            .await;
        let fresh = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "fresh@acme.test", "password": PASSWORD, "name": "Fresh" }),
            )
            .await;
        assert_eq!((known.status, &known.body), (fresh.status, &fresh.body));
        // The owner hears of it; the password is unchanged.
        let mails = app.mails("known@acme.test").await;
        assert!(
            mails
                .iter()
                .any(|(subject, _)| subject.contains("tried to register")),
            "{mails:?}"
        );
        app.login("known@acme.test", PASSWORD).await;

        app.state.clock.advance(chrono::Duration::seconds(61));
        for email in ["known@acme.test", "fresh@acme.test", "nobody@acme.test"] {
            let first = app
                .post("/api/v1/auth/resend", None, json!({ "email": email }))
                .await;
            let second = app
                .post("/api/v1/auth/resend", None, json!({ "email": email }))
                .await;
            assert_eq!(first.status, StatusCode::ACCEPTED, "{email}");
            assert_eq!(
                (second.status, second.code()),
                (StatusCode::TOO_MANY_REQUESTS, "resend_too_soon"),
                "{email}"
            );
            let verify = app
                .post(
                    "/api/v1/auth/verify",
                    None,
                    json!({ "email": email, "code": "123456" }),
                )
                .await;
            assert_eq!(
                (verify.status, verify.code()),
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code"),
                "{email}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_checks_five_and_leaves_the_owner_in() {
    on_both(|app: TestApp| async move {
        app.register_verified("target@acme.test", "Target").await;
        let served = app.serve().await;
        let mut burst = tokio::task::JoinSet::new();
        for _ in 0..100 {
            burst.spawn(async move {
                served
                    .json(
                        "POST",
                        "/api/v1/auth/login",
                        None,
                        &[],
                        Some(
                            &json!({ "email": "target@acme.test", "password": "not the password" }),
                        ),
                    )
                    .await
                    .0
            });
        }
        let mut checked = 0;
        while let Some(status) = burst.join_next().await {
            match status.expect("task") {
                401 => checked += 1,
                429 => {}
                other => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(
            checked, 5,
            "{}: five checks, the rest refused before hashing",
            app.backend
        );

        // The owner, from another address, still signs in (the stranger is counted apart).
        let res = app
            .send(
                axum::http::Request::builder()
                    .method("POST")
                    .uri("/api/v1/auth/login")
                    .header("content-type", "application/json")
                    .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                        [198, 51, 100, 9],
                        4000,
                    ))))
                    .body(axum::body::Body::from(
                        json!({ "email": "target@acme.test", "password": PASSWORD }).to_string(),
                    ))
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn mail_sending_requests_are_throttled_per_address() {
    on_both(|app: TestApp| async move {
        // The address has sent as many as it may in the window (requests in-process come from
        // "local").
        let mut tx = app.state.db.begin().await.expect("tx");
        for _ in 0..supportal_app::accounts::MAIL_LIMIT_ADDRESS {
            let taken = supportal_store::throttle::take(
                &mut tx,
                &[(
                    "mail:address:local",
                    supportal_app::accounts::MAIL_LIMIT_ADDRESS,
                )],
                chrono::Duration::minutes(15),
                app.state.now(),
            )
            .await
            .expect("take");
            assert!(taken.is_ok());
        }
        tx.commit().await.expect("commit");
        for (path, body) in [
            (
                "/api/v1/auth/register",
                json!({ "email": "one.more@acme.test", "password": PASSWORD, "name": "One More" }),
            ),
            (
                "/api/v1/auth/resend",
                json!({ "email": "one.more@acme.test" }),
            ),
            (
                "/api/v1/auth/password-reset",
                json!({ "email": "one.more@acme.test" }),
            ),
        ] {
            let res = app.post(path, None, body).await;
            assert_eq!(
                (res.status, res.code()),
                (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
                "{path}"
            );
            assert!(res.headers.contains_key("retry-after"));
        }
        assert!(
            app.mails("one.more@acme.test").await.is_empty(),
            "nothing was sent"
        );
        app.state.clock.advance(chrono::Duration::minutes(16));
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "one.more@acme.test", "password": PASSWORD, "name": "One More" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
    })
    .await;
}

#[tokio::test]
async fn guesses_at_once_still_burn_a_code_after_five() {
    on_both(|app: TestApp| async move {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "guess@acme.test", "password": PASSWORD, "name": "Guess" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
        let code = app.last_code("guess@acme.test").await;
        let served = app.serve().await;
        let mut guesses = tokio::task::JoinSet::new();
        for i in 0..40 {
            let guess = format!(
                "{:06}",
                (code.parse::<u32>().unwrap_or_default() + 1 + i) % 1_000_000
            );
            guesses.spawn(async move {
                let (status, body, _) = served
                    .json(
                        "POST",
                        "/api/v1/auth/verify",
                        None,
                        &[],
                        Some(&json!({ "email": "guess@acme.test", "code": guess })),
                    )
                    .await;
                (status, body["code"].as_str().unwrap_or_default().to_owned())
            });
        }
        let mut wrong = 0;
        while let Some(answer) = guesses.join_next().await {
            let (status, code) = answer.expect("task");
            assert!(status == 422 || status == 429, "{status} {code}");
            if code == "invalid_code" {
                wrong += 1;
            }
        }
        assert!(
            wrong <= 5,
            "{}: {wrong} guesses were checked against a live code",
            app.backend
        );
        let res = app
            .post(
                "/api/v1/auth/verify",
                None,
                json!({ "email": "guess@acme.test", "code": code }),
            )
            .await;
        assert_eq!(res.code(), "code_burnt", "{}", res.text);
    })
    .await;
}
