//! The pages over HTTP: CSRF, redirects, form errors and the onboarding flow without a browser.

use crate::support::{PASSWORD, TestApp, on_both, sqlite_app};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::collections::HashMap;

/// A browser without JavaScript: keeps cookies, posts forms with the CSRF token.
struct Visitor<'a> {
    app: &'a TestApp,
    cookies: HashMap<String, String>,
}

impl<'a> Visitor<'a> {
    fn new(app: &'a TestApp) -> Self {
        Visitor {
            app,
            cookies: HashMap::new(),
        }
    }

    async fn go(
        &mut self,
        method: Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> crate::support::Response {
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

    async fn get(&mut self, path: &str) -> crate::support::Response {
        self.go(Method::GET, path, &[]).await
    }

    /// Posts a form with this browser's CSRF token.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> crate::support::Response {
        let csrf = self
            .cookies
            .get("supportal_csrf")
            .cloned()
            .expect("visit a page first");
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.go(Method::POST, path, &form).await
    }
}

fn location(res: &crate::support::Response) -> &str {
    res.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn register_verify_choose_and_join_through_the_pages() {
    on_both(|app: TestApp| async move {
        supportal_web::demo::load_if_empty(&app.state)
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
    supportal_web::demo::load_if_empty(&app.state)
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
                ("password", supportal_web::demo::DEMO_PASSWORD),
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

/// Signs a demo account in through the sign-in form.
async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Visitor<'a> {
    let mut v = Visitor::new(app);
    v.get("/signin").await;
    let res = v
        .post(
            "/signin",
            &[
                ("email", email),
                ("password", supportal_web::demo::DEMO_PASSWORD),
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
async fn registered<'a>(app: &'a TestApp, email: &str, name: &str) -> Visitor<'a> {
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

#[tokio::test]
async fn choosing_among_several_and_describing_a_new_company_in_the_pages() {
    on_both(|app: TestApp| async move {
        supportal_web::demo::load_if_empty(&app.state)
            .await
            .expect("demo");
        let mut v = registered(&app, "pat@contoso-retail.test", "Pat Picker").await;
        let res = v.post("/onboarding", &[("choice", "enterprise")]).await;
        assert_eq!(location(&res), "/onboarding/company");
        let page = v.get("/onboarding/company").await;
        assert!(
            page.text.contains("Contoso Retail Benelux")
                && page.text.contains("Contoso Retail Nordics")
        );
        let res = v.post("/onboarding/company", &[]).await;
        assert!(
            res.text.contains("This field is required."),
            "nothing chosen"
        );
        let nordics = page
            .text
            .split("value=\"")
            .filter_map(|p| p.split('"').next())
            .filter_map(|id| id.parse::<i64>().ok())
            .nth(1)
            .expect("second candidate");
        let res = v
            .post(
                "/onboarding/company",
                &[("company_id", &nordics.to_string())],
            )
            .await;
        assert_eq!(location(&res), "/");
        assert!(v.get("/").await.text.contains("Contoso Retail Nordics"));

        // The first person of a new organisation describes it and waits; staff validate it.
        let mut first = registered(&app, "una@unknown-co.test", "Una First").await;
        let res = first.post("/onboarding", &[("choice", "enterprise")]).await;
        assert_eq!(location(&res), "/onboarding/company-profile");
        let res = first
            .post(
                "/onboarding/company-profile",
                &[("name", "Unknown Co"), ("country", "XX1")],
            )
            .await;
        assert!(res.text.contains("Enter a two-letter country code."));
        let res = first
            .post(
                "/onboarding/company-profile",
                &[
                    ("name", "Unknown Co"),
                    ("street", "Kade 1"),
                    ("postal_code", "1000 AB"),
                    ("city", "Utrecht"),
                    ("country", "NL"),
                    ("serial_number", ""),
                ],
            )
            .await;
        assert_eq!(location(&res), "/");
        let home = first.get("/").await;
        assert!(
            home.text.contains("Company validation pending")
                && home.text.contains("badge tier-limited")
        );

        let mut ops = signed_in(&app, "admin@operator.test").await;
        let list = ops.get("/admin/companies").await;
        let before = list.text.split(">Unknown Co<").next().expect("listed");
        let id = before
            .rsplit("/admin/companies/")
            .next()
            .and_then(|p| p.split('"').next())
            .expect("its link")
            .to_owned();
        let page = ops.get(&format!("/admin/companies/{id}")).await;
        assert!(
            page.text.contains("Unknown Co") && page.text.contains("Validate company"),
            "a pending company can be validated"
        );
        let res = ops
            .post(&format!("/admin/companies/{id}/validate"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(first.get("/").await.text.contains("badge tier-enterprise"));
    })
    .await;
}

#[tokio::test]
async fn access_requests_and_their_answers_in_the_pages() {
    let app = sqlite_app().await;
    supportal_web::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut olivia = signed_in(&app, "olivia@homeoffice.test").await;
    let res = olivia
        .post(
            "/access-requests",
            &[("phone", ""), ("contact_method", "email")],
        )
        .await;
    assert!(
        res.text.contains("Enter a valid phone number.")
            || res.text.contains("This field is required.")
    );
    let res = olivia
        .post(
            "/access-requests",
            &[
                ("phone", "+33 1 55 00 11 22"),
                ("contact_method", "phone"),
                ("page_url", "/cases"),
                ("intent", "Enterprise access"),
                ("company_name", "Fjordline Logistics"),
                ("site_address", "Havnegata 5, Oslo"),
            ],
        )
        .await;
    let number = res
        .text
        .split("id=\"request-number\">")
        .nth(1)
        .and_then(|p| p.split('<').next())
        .expect("number on screen")
        .to_owned();
    assert_eq!(number.len(), 8);

    let mut ops = signed_in(&app, "admin@operator.test").await;
    let queue = ops.get("/admin/access-requests").await;
    assert!(queue.text.contains(&number));
    let id = queue
        .text
        .split("/admin/access-requests/")
        .filter_map(|p| p.split('/').next())
        .filter_map(|p| p.parse::<i64>().ok())
        .next()
        .expect("a request");
    let res = ops
        .post(
            &format!("/admin/access-requests/{id}/resolve"),
            &[("decision", "decline"), ("reason", "")],
        )
        .await;
    assert!(
        res.text.contains("This field is required."),
        "declining needs a reason"
    );
    let res = ops
        .post(
            &format!("/admin/access-requests/{id}/resolve"),
            &[
                ("decision", "decline"),
                ("reason", "Please use your company address"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mine = olivia.get("/access-requests").await;
    assert!(
        mine.text.contains("Please use your company address") && mine.text.contains("Declined")
    );
}

#[tokio::test]
async fn a_company_admin_works_through_the_pages() {
    let app = sqlite_app().await;
    supportal_web::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
    let page = anna.get("/companies/1/users").await;
    let ids: Vec<i64> = page
        .text
        .split("/companies/1/users/")
        .filter_map(|p| p.split('"').next())
        .filter_map(|p| p.parse().ok())
        .collect();
    let [anna_id, bram, carla] = ids[..] else {
        panic!("three users in the demo company: {ids:?}")
    };
    let res = anna
        .post(
            &format!("/companies/1/users/{anna_id}"),
            &[("action", "revoke_admin")],
        )
        .await;
    assert!(
        res.text
            .contains("The company must keep at least one active admin."),
        "last admin refused with a clear message"
    );
    let res = anna
        .post(
            &format!("/companies/1/users/{bram}"),
            &[("action", "deactivate")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        anna.get("/companies/1/users")
            .await
            .text
            .contains("Deactivated")
    );
    let res = anna
        .post(
            "/companies/1/invitations",
            &[("email", "broken"), ("role", "member")],
        )
        .await;
    assert!(res.text.contains("Enter a valid email address."));

    let res = anna
        .post(
            "/companies/1/sites",
            &[
                ("name", "Lab"),
                ("street", ""),
                ("postal_code", "1"),
                ("city", "Delft"),
                ("country", "NL"),
            ],
        )
        .await;
    assert!(res.text.contains("This field is required."));
    let res = anna
        .post(
            "/companies/1/sites",
            &[
                ("name", "Lab"),
                ("street", "Mekelweg 4"),
                ("postal_code", "2628 CD"),
                ("city", "Delft"),
                ("country", "NL"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/companies/1", "{}", res.text);
    assert!(anna.get("/companies/1").await.text.contains("Mekelweg 4"));

    let res = anna
        .post(
            "/profile",
            &[
                ("phone", "+31 20 555 0100"),
                ("contact_method", "email"),
                ("language", "en"),
                ("time_zone", "Europe/Amsterdam"),
                ("country", "NL"),
                ("site_id", "1"),
                ("default_pin_id", ""),
            ],
        )
        .await;
    assert!(
        res.text.contains("This field is required."),
        "the company has PINs, so one is required"
    );
    let res = anna
        .post(
            "/profile",
            &[
                ("phone", "+31 20 555 0100"),
                ("contact_method", "email"),
                ("language", "en"),
                ("time_zone", "Europe/Amsterdam"),
                ("country", "NL"),
                ("site_id", "1"),
                ("default_pin_id", "1"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/profile");
    let page = anna.get("/profile").await;
    assert!(
        page.text.contains("Your profile has been saved.")
            && !page.text.contains("name=\"notify_box\" checked"),
        "notify unticked stays off"
    );

    let res = anna
        .post(
            "/contacts",
            &[
                ("name", "Supplier desk"),
                ("email", "desk@supplier.test"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(
        location(&res),
        "/contacts",
        "{} {}",
        res.status,
        res.text.split("<main").nth(1).unwrap_or_default()
    );
    let res = anna
        .post(
            "/contacts/from-company",
            &[("source", "user"), ("id", &bram.to_string())],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::NOT_FOUND,
        "a deactivated user is not on the company contact list"
    );
    let res = anna
        .post(
            "/contacts/from-company",
            &[("source", "user"), ("id", &carla.to_string())],
        )
        .await;
    assert_eq!(location(&res), "/contacts");
    let page = anna.get("/contacts").await;
    assert!(page.text.contains("desk@supplier.test") && page.text.contains("carla@northwind.test"));
    let res = anna
        .post(
            "/contacts",
            &[("name", "Supplier again"), ("email", "desk@supplier.test")],
        )
        .await;
    assert!(
        res.text
            .contains("You already saved a contact with this email address.")
    );
}
