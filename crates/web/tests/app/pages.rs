//! The pages over HTTP: CSRF, redirects, form errors and the onboarding flow without a browser.

use crate::support::{PASSWORD, TestApp, on_both, sqlite_app};
use crate::visitor::{Visitor, location};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

#[tokio::test]
async fn register_verify_choose_and_join_through_the_pages() {
    on_both(|app: TestApp| async move {
        supportal_app::demo::load_if_empty(&app.state)
            .await
            .expect("demo");
        let mut v = Visitor::new(&app);
        let page = v.get("/register").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text.contains("<label for=\"f-email\">"),
            "labelled fields"
        );

        let res = v
            .post(
                "/register",
                &[("name", ""), ("email", "nope"), ("password", "x")],
            )
            .await;
        assert!(
            res.text.contains("Enter a valid email address.")
                && res.text.contains("This field is required."),
            "field errors on the page"
        );

        let res = v
            .post(
                "/register",
                &[
                    ("name", "Nils New"),
                    ("email", "nils@northwind.test"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(location(&res).starts_with("/verify?email=nils%40northwind.test"));
        let page = v.get(location(&res)).await;
        assert!(
            page.text.contains("We sent a verification code"),
            "flash message shown once"
        );
        let code = app.last_code("nils@northwind.test").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let res = v
            .post(
                "/verify",
                &[
                    ("email", "nils@northwind.test"),
                    ("code", wrong),
                    ("password", PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        assert!(res.text.contains("That code is not right."));
        let res = v
            .post(
                "/verify",
                &[
                    ("email", "nils@northwind.test"),
                    ("code", &code),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/onboarding");
        let page = v.get("/").await;
        assert_eq!(
            location(&page),
            "/onboarding",
            "no access chosen yet: onboarding first"
        );
        let page = v.get("/onboarding").await;
        assert!(page.text.contains("What access do you need?"));
        let res = v.post("/onboarding", &[("choice", "enterprise")]).await;
        assert_eq!(location(&res), "/");
        let home = v.get("/").await;
        assert!(
            home.text.contains("Northwind Robotics"),
            "joined the company"
        );
        assert!(
            home.text.contains("badge tier-enterprise"),
            "tier badge next to the name"
        );
        assert!(home.text.contains("Nils New"));
    })
    .await;
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = sqlite_app().await;
    let mut v = Visitor::new(&app);
    v.get("/signin").await;
    let res = v
        .go(
            Method::POST,
            "/signin",
            &[("email", "a@b.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(
        res.text.contains("Reload the page"),
        "an error page a person understands"
    );
    assert!(
        res.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/html")
    );
    let res = v
        .go(
            Method::POST,
            "/signin",
            &[("email", "a@b.test"), ("csrf", "forged")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn pages_need_sign_in_and_carry_security_headers() {
    let app = sqlite_app().await;
    let mut v = Visitor::new(&app);
    let res = v.get("/profile").await;
    let cookie = res
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie.contains("supportal_csrf=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/signin?next=%2Fprofile");
    let res = v.get("/signin").await;
    assert!(
        res.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .contains("default-src 'self'")
    );
    assert_eq!(res.headers[header::X_FRAME_OPTIONS], "DENY");
    let res = v.get("/no/such/page").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.text.contains("We could not find that page"));
    let res = app
        .send(
            Request::builder()
                .uri("/healthz")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!((res.status, res.text.as_str()), (StatusCode::OK, "ok"));
    let res = v.get("/static/style.css").await;
    assert!(
        res.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn a_wrong_password_shows_on_the_sign_in_page_and_staff_pages_need_staff() {
    let app = sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut v = Visitor::new(&app);
    v.get("/signin").await;
    let res = v
        .post(
            "/signin",
            &[
                ("email", "bram@northwind.test"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert!(
        res.text
            .contains("The email address or password is not right.")
    );
    let res = v
        .post(
            "/signin",
            &[
                ("email", "bram@northwind.test"),
                ("password", supportal_app::demo::DEMO_PASSWORD),
                ("next", "/profile"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/profile");
    let page = v.get("/admin/companies").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = v.get("/companies/1/users").await;
    assert_eq!(page.status, StatusCode::OK, "members see the user list");
    assert!(!page.text.contains("Make admin"), "but no admin actions");
    let page = v.get("/companies/2").await;
    assert_eq!(
        page.status,
        StatusCode::NOT_FOUND,
        "another company's page does not exist for this user"
    );
    let res = v.post("/profile", &[("phone", "")]).await;
    assert!(
        res.text.contains("This field is required."),
        "incomplete profile refused on the page"
    );
}
