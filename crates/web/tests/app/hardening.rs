//! Issue 9's smaller defects, each as the story that found it: a company left without an admin
//! by a stale invitation, another company's contract after an asset changed owner, NUL bytes.

use crate::support::{TestApp, on_both};
use axum::http::StatusCode;
use serde_json::json;

/// The code of the newest invitation mailed to `to`.
async fn invitation_code(app: &TestApp, to: &str) -> String {
    let (_, text) = app
        .mails(to)
        .await
        .into_iter()
        .next()
        .expect("invitation mail");
    text.lines()
        .find(|l| l.contains("/invitations/"))
        .and_then(|l| l.trim().rsplit('/').next())
        .expect("link")
        .to_owned()
}

#[tokio::test]
async fn a_stale_member_invitation_never_demotes_the_last_admin() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, art) = app
            .company(&ops, "Vandelay", "vandelay.test", "art@vandelay.test")
            .await;
        let invite = format!("/api/v1/companies/{company}/invitations");
        // Two invitations for Kramer: as member, then as admin.
        let res = app
            .post(
                &invite,
                Some(&art),
                json!({ "email": "kramer@vandelay.test", "role": "member" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let stale = invitation_code(&app, "kramer@vandelay.test").await;
        let res = app
            .post(
                &invite,
                Some(&art),
                json!({ "email": "kramer@vandelay.test", "role": "admin" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let fresh = invitation_code(&app, "kramer@vandelay.test").await;
        let kramer = app.user("kramer@vandelay.test", "Kramer").await;
        let res = app
            .post(
                &format!("/api/v1/invitations/{fresh}/accept"),
                Some(&kramer),
                json!({}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        // Art steps down; Kramer is the only admin.
        let art_id = app.user_id(&art).await;
        let res = app
            .patch(
                &format!("/api/v1/companies/{company}/users/{art_id}"),
                &art,
                json!({ "role": "member" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        // The stale invitation is accepted: Kramer stays admin.
        let res = app
            .post(
                &format!("/api/v1/invitations/{stale}/accept"),
                Some(&kramer),
                json!({}),
            )
            .await;
        assert!(
            res.status == StatusCode::OK || res.status == StatusCode::CONFLICT,
            "{}",
            res.text
        );
        let users = app
            .get(&format!("/api/v1/companies/{company}/users"), &kramer)
            .await;
        let admins: Vec<&str> = users.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|u| u["role"] == "admin" && u["active"] == true)
            .filter_map(|u| u["email"].as_str())
            .collect();
        assert_eq!(admins, ["kramer@vandelay.test"], "{}", users.text);
    })
    .await;
}

#[tokio::test]
async fn after_a_transfer_the_new_owner_uses_only_its_own_entitlements() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (acme, acme_admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let (globex, globex_admin) = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await;
        let res = app.post("/api/v1/admin/products", Some(&ops), json!([{ "sku": "SRV-1", "name": "Server", "product_line": "Servers", "has_serial": true, "warranty_months": 36 }])).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let ship = (chrono::Utc::now().date_naive() - chrono::Duration::days(30)).to_string();
        let asset = |company: i64| json!([{ "serial_number": "MOVE001", "sku": "SRV-1", "company_id": company, "ship_date": ship }]);
        assert_eq!(app.post("/api/v1/admin/assets", Some(&ops), asset(acme)).await.status, StatusCode::OK);
        let res = app.post("/api/v1/admin/entitlements", Some(&ops), json!([{ "kind": "contract", "reference": "ACME-GOLD", "company_id": acme, "coverage": "4h_24x7_onsite", "start": "2026-01-01", "end": "2030-12-31", "serial_numbers": ["MOVE001"] }])).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let kinds = |res: &crate::support::Response| -> Vec<String> {
            res.body["available"].as_array().into_iter().flatten().filter_map(|p| p["kind"].as_str().map(str::to_owned)).collect()
        };
        let before = app.get("/api/v1/plans?serial=MOVE001", &acme_admin).await;
        assert!(kinds(&before).contains(&"contract".to_owned()), "{}", before.text);

        // The asset is sold to Globex.
        assert_eq!(app.post("/api/v1/admin/assets", Some(&ops), asset(globex)).await.status, StatusCode::OK);
        let after = app.get("/api/v1/plans?serial=MOVE001", &globex_admin).await;
        assert_eq!(after.status, StatusCode::OK, "{}", after.text);
        assert!(!after.text.contains("ACME-GOLD"), "{}", after.text);
        assert!(!kinds(&after).contains(&"contract".to_owned()), "{}", after.text);
        assert!(kinds(&after).contains(&"factory_warranty".to_owned()), "{}", after.text);
        let theirs = app.get(&format!("/api/v1/companies/{globex}/entitlements"), &globex_admin).await;
        assert!(!theirs.text.contains("ACME-GOLD"), "{}", theirs.text);
        // Acme keeps its contract, without the serial it no longer owns.
        let ours = app.get(&format!("/api/v1/companies/{acme}/entitlements?kind=contract"), &acme_admin).await;
        assert!(ours.text.contains("ACME-GOLD") && !ours.text.contains("MOVE001"), "{}", ours.text);
        // Nor can Globex name the contract to pay for a case.
        let contract_id = before.body["available"].as_array().into_iter().flatten().find(|p| p["kind"] == "contract").and_then(|p| p["id"].as_i64()).expect("id");
        let res = app.post("/api/v1/cases", Some(&globex_admin), json!({ "serial_number": "MOVE001", "entitlement_id": contract_id, "title": "Disk", "description": "Broken", "severity": 3, "country": "NL", "time_zone": "Europe/Amsterdam", "primary_contact": { "name": "Boss", "email": "boss@globex.test", "phone": "+31 20 555 0100" } })).await;
        assert!(res.status.is_client_error(), "{}", res.text);
        assert!(!res.text.contains("ACME-GOLD"), "{}", res.text);
    })
    .await;
}

/// Every way of putting one NUL into `body`: a copy per string in it (keys left alone).
fn with_nul_in_each_string(body: &serde_json::Value) -> Vec<serde_json::Value> {
    fn walk(
        value: &serde_json::Value,
        path: &mut Vec<serde_json::Value>,
        out: &mut Vec<Vec<serde_json::Value>>,
    ) {
        match value {
            serde_json::Value::String(_) => out.push(path.clone()),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(json!(i));
                    walk(item, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    path.push(json!(k));
                    walk(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut paths = Vec::new();
    walk(body, &mut Vec::new(), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let mut copy = body.clone();
            let mut at = &mut copy;
            for step in &path {
                at = match step {
                    serde_json::Value::Number(n) => {
                        &mut at[n.as_u64().unwrap_or_default() as usize]
                    }
                    serde_json::Value::String(k) => &mut at[k.as_str()],
                    _ => at,
                };
            }
            let text = at.as_str().unwrap_or_default().to_owned();
            let mid = text.len() / 2;
            let mid = (0..=mid)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            *at = json!(format!("{}\u{0}{}", &text[..mid], &text[mid..]));
            copy
        })
        .collect()
}

#[tokio::test]
async fn a_nul_in_any_text_field_gets_the_same_answer_on_both_databases() {
    let answers = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<(String, u16)>>::new()));
    let seen = answers.clone();
    on_both(move |app: TestApp| {
        let seen = seen.clone();
        async move {
            let w = crate::cases::world(&app).await;
            let ops = app.login("ops@operator.test", crate::support::PASSWORD).await;
            let case = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "Fan", "description": "Loud", "severity": 3 })).await;
            let case_id = case.body["case_id"].as_str().map(str::to_owned).unwrap_or_default();
            let c = w.company;
            let routes: Vec<(&str, String, Option<&str>, serde_json::Value)> = vec![
                ("POST", "/api/v1/auth/register".into(), None, json!({ "email": "new@acme.test", "password": "long enough password", "name": "New Person" })),
                ("POST", "/api/v1/auth/login".into(), None, json!({ "email": "worker@acme.test", "password": "wrong password here" })),
                ("POST", "/api/v1/auth/verify".into(), None, json!({ "email": "new@acme.test", "code": "123456" })),
                ("POST", "/api/v1/auth/password-reset".into(), None, json!({ "email": "nobody@acme.test" })),
                ("PUT", "/api/v1/me/profile".into(), Some(&w.worker), json!({ "phone": "+31 20 555 0101", "contact_method": "email", "language": "en", "time_zone": "Europe/Amsterdam", "country": "NL" })),
                ("POST", "/api/v1/me/saved-contacts".into(), Some(&w.worker), json!({ "name": "Pat", "email": "pat@acme.test", "phone": "+31 20 555 0199" })),
                ("POST", format!("/api/v1/companies/{c}/sites"), Some(&w.admin), json!({ "name": "Lab", "street": "Main 1", "city": "Delft", "postal_code": "2611 AA", "country": "NL" })),
                ("POST", format!("/api/v1/companies/{c}/contacts"), Some(&w.admin), json!({ "name": "Sam", "email": "sam@else.test", "phone": "+31 20 555 0111" })),
                ("POST", format!("/api/v1/companies/{c}/invitations"), Some(&w.admin), json!({ "email": "inv@acme.test", "role": "member" })),
                ("POST", "/api/v1/me/agreements".into(), Some(&w.worker), json!({ "access_id": "A-1", "agreement_id": "7001" })),
                ("POST", "/api/v1/cases".into(), Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "Disk", "description": "Broken", "troubleshooting": "Rebooted", "severity": 3, "country": "NL", "time_zone": "Europe/Amsterdam", "primary_contact": { "name": "Wim", "email": "worker@acme.test", "phone": "+31 20 555 0101" }, "additional_contacts": ["colleague@acme.test"] })),
                ("POST", format!("/api/v1/cases/{case_id}/messages"), Some(&w.worker), json!({ "body": "Still loud" })),
                ("POST", format!("/api/v1/cases/{case_id}/contacts"), Some(&w.worker), json!({ "email": "colleague@acme.test" })),
                ("POST", "/api/v1/admin/products".into(), Some(&ops), json!([{ "sku": "NEW-1", "name": "New", "product_line": "Servers", "has_serial": true, "warranty_months": 12, "versions": ["1.0"], "categories": [{ "name": "Hardware", "problem_types": ["Disk"] }] }])),
                ("POST", "/api/v1/admin/assets".into(), Some(&ops), json!([{ "serial_number": "NUL0001", "sku": "SRV-1", "company_id": c, "ship_date": "2026-01-05" }])),
                ("POST", "/api/v1/admin/companies".into(), Some(&ops), json!({ "name": "Initech", "kind": "customer", "domains": ["initech.test"], "pins": ["PIN7"], "first_admin_email": "bill@initech.test" })),
            ];
            let mut statuses = Vec::new();
            for (route, (method, path, token, body)) in routes.iter().enumerate() {
                for variant in with_nul_in_each_string(body) {
                    let res = app.request(method.parse().expect("method"), path, *token, Some(variant.clone())).await;
                    assert!(res.status.as_u16() < 500, "{} {method} {path} {variant}: {}", app.backend, res.text);
                    // Labelled without the path: case numbers differ between the two runs.
                    statuses.push((format!("{method} route {route} {variant}"), res.status.as_u16()));
                }
            }
            for path in ["/api/v1/products?q=Ser%00ver", "/api/v1/warranty/SRV%000001", "/api/v1/cases?view=company&serial=SRV%000001"] {
                let res = app.get(path, &w.worker).await;
                assert!(res.status.as_u16() < 500, "{} {path}: {}", app.backend, res.text);
                statuses.push((path.to_owned(), res.status.as_u16()));
            }
            seen.lock().expect("lock").push(statuses);
        }
    })
    .await;
    let answers = answers.lock().expect("lock");
    if let [sqlite, postgres] = answers.as_slice() {
        for (a, b) in sqlite.iter().zip(postgres) {
            assert_eq!(a, b, "the same answer on both databases");
        }
    }
}

#[tokio::test]
async fn files_added_after_opening_are_capped_per_case_even_at_once() {
    on_both(|app: TestApp| async move {
        let w = crate::cases::world(&app).await;
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "Fan", "description": "Loud", "severity": 3 })).await;
        let number = res.body["case_id"].as_str().expect("case").to_owned();
        let path = format!("/api/v1/cases/{number}/attachments");
        // A name that would read backwards loses its override mark.
        let res = crate::cases::post_parts(&app, &path, &w.worker, &[("attachment", Some("report\u{202E}fdp.pdf"), b"%PDF-1.7 one")]).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["attachments"][0]["file_name"], "reportfdp.pdf");
        // Thirty more at once: the case ends with twenty, the rest are refused by name.
        let mut uploads = tokio::task::JoinSet::new();
        for i in 0..30 {
            let (router, path, token) = (app.router.clone(), path.clone(), w.worker.clone());
            uploads.spawn(async move {
                let boundary = "b0undary";
                let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"f{i}.pdf\"\r\n\r\n%PDF-1.7 {i}\r\n--{boundary}--\r\n");
                let req = axum::http::Request::post(path)
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                    .body(axum::body::Body::from(body))
                    .expect("request");
                let res = tower::ServiceExt::oneshot(router, req).await.expect("response");
                res.status().as_u16()
            });
        }
        let mut statuses = Vec::new();
        while let Some(s) = uploads.join_next().await {
            statuses.push(s.expect("task"));
        }
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 19, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 201 || *s == 422), "{statuses:?}");
        let res = crate::cases::post_parts(&app, &path, &w.worker, &[("attachment", Some("late.pdf"), b"%PDF-1.7 late")]).await;
        assert_eq!((res.status, res.code()), (StatusCode::UNPROCESSABLE_ENTITY, "case_attachments_full"));
        let detail = app.get(&format!("/api/v1/cases/{number}"), &w.worker).await;
        assert_eq!(detail.body["attachments"].as_array().map(Vec::len), Some(20));
    })
    .await;
}

#[tokio::test]
async fn a_csrf_token_belongs_to_one_session_and_changes_at_sign_in() {
    let app = crate::support::sqlite_app().await;
    app.register_verified("ada@acme.test", "Ada").await;
    let mut ada = crate::visitor::Visitor::new(&app);
    ada.get("/signin").await;
    let before = ada.csrf();
    let res = ada
        .post(
            "/signin",
            &[
                ("email", "ada@acme.test"),
                ("password", crate::support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let after = ada.csrf();
    assert_ne!(before, after, "a new token at sign-in");
    let page = ada.get("/account").await;
    assert!(
        page.text.contains(&after),
        "the pages carry the session's token"
    );

    // Ada's own token from before the sign-in, and another session's token, are refused.
    let mut other = crate::visitor::Visitor::new(&app);
    other.get("/signin").await;
    other
        .post(
            "/signin",
            &[
                ("email", "ada@acme.test"),
                ("password", crate::support::PASSWORD),
            ],
        )
        .await;
    for stale in [before, other.csrf()] {
        let res = ada
            .go(
                axum::http::Method::POST,
                "/account/signout-everywhere",
                &[("csrf", &stale)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    }
    let res = ada.post("/account/signout-everywhere", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
}

#[tokio::test]
async fn silent_and_slow_connections_are_closed_and_answers_carry_a_request_id() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = crate::support::sqlite_app().await;
    let mut config = (*app.state.config).clone();
    config.limits = supportal_web::serve::Limits {
        header_timeout: std::time::Duration::from_secs(1),
        request_timeout: std::time::Duration::from_secs(2),
    };
    let app = TestApp::with_state(
        &app,
        supportal_web::AppState::new(app.state.db.clone(), config),
    );
    let served = app.serve().await;
    let started = std::time::Instant::now();

    // Sends `head`, then waits (ten seconds at most) for the server to answer and close.
    let closed_after = |head: &'static [u8]| async move {
        let mut stream = tokio::net::TcpStream::connect(served.addr)
            .await
            .expect("connect");
        stream.write_all(head).await.expect("write");
        let mut answer = Vec::new();
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            stream.read_to_end(&mut answer),
        )
        .await;
        read.ok()
            .map(|_| String::from_utf8_lossy(&answer).into_owned())
    };
    // Connected, saying nothing; half a head, then nothing: closed once the head is overdue.
    assert!(
        closed_after(b"").await.is_some(),
        "the server closed the silent connection"
    );
    assert!(
        closed_after(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .is_some(),
        "the server closed the half-sent head"
    );
    // A body promised and never sent: answered 408.
    let answer = closed_after(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"em").await;
    assert!(
        answer
            .as_deref()
            .is_some_and(|a| a.starts_with("HTTP/1.1 408")),
        "{answer:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));

    // Every answer names its request.
    let (status, _, head) = served.json("GET", "/healthz", None, &[], None).await;
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase().contains("x-request-id: "),
        "{head}"
    );
    let (_, _, head) = served
        .json(
            "GET",
            "/healthz",
            None,
            &[("X-Request-Id", "trace-42")],
            None,
        )
        .await;
    assert!(head.contains("trace-42"), "{head}");
    let (_, _, head) = served
        .json(
            "GET",
            "/healthz",
            None,
            &[("X-Request-Id", "bad id\twith spaces")],
            None,
        )
        .await;
    assert!(!head.contains("bad id"), "{head}");
}

#[tokio::test]
async fn pruning_runs_once_per_period_and_removes_what_is_no_longer_needed() {
    on_both(|app: TestApp| async move {
        app.register_verified("old@acme.test", "Old").await;
        let token = app.login("old@acme.test", crate::support::PASSWORD).await;
        let res = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({ "email": "old@acme.test", "password": "wrong password here" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // The verification mail is delivered (to the outbox folder).
        supportal_app::mail::deliver_due(&app.state)
            .await
            .expect("delivered");

        // Two servers look at once: one prunes.
        let first = supportal_app::jobs::prune_if_due(&app.state);
        let second = supportal_app::jobs::prune_if_due(&app.state);
        let (a, b) = tokio::join!(first, second);
        let runs = [a.expect("prune"), b.expect("prune")];
        assert_eq!(runs.iter().filter(|r| r.is_some()).count(), 1, "{runs:?}");
        assert_eq!(
            supportal_app::jobs::prune_if_due(&app.state)
                .await
                .expect("prune"),
            None,
            "not due again yet"
        );

        // Forty days later: the session has expired, the failed sign-in is forgotten, the code
        // mail keeps its subject but no longer its code.
        app.state.clock.advance(chrono::Duration::days(40));
        let pruned = supportal_app::jobs::prune_if_due(&app.state)
            .await
            .expect("prune")
            .expect("due");
        assert!(
            pruned.throttle_hits >= 1 && pruned.sessions >= 1 && pruned.mail_bodies >= 1,
            "{pruned:?}"
        );
        assert_eq!(
            app.get("/api/v1/me", &token).await.status,
            StatusCode::UNAUTHORIZED
        );
        let mails = app.mails("old@acme.test").await;
        assert!(
            mails
                .iter()
                .all(|(subject, body)| !subject.is_empty()
                    && crate::support::code_in(body).is_none()),
            "{mails:?}"
        );
    })
    .await;
}
