//! CAS-1 to CAS-14 through the API: opening, paying, seeing, listing and updating cases.

use crate::support::{TestApp, on_both};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

pub(crate) struct World {
    pub company: i64,
    pub admin: String,
    pub worker: String,
    pub other: String,
}

/// A company with a covered server (4-hour care pack), a notebook with parts-only warranty, a
/// software product, an agreement with two units and one with none, registered by the worker.
pub(crate) async fn world(app: &TestApp) -> World {
    let ops = app.operator_admin().await;
    let (company, admin) = app
        .company(&ops, "Acme", "acme.test", "boss@acme.test")
        .await;
    let (_, other) = app
        .company(&ops, "Globex", "globex.test", "boss@globex.test")
        .await;
    let worker = app.member("worker@acme.test").await;
    let today = chrono::Utc::now().date_naive();
    let d = |days: i64| (today + chrono::Duration::days(days)).to_string();
    let post = |path: &'static str, body: Value| {
        let ops = ops.clone();
        async move {
            let res = app.post(path, Some(&ops), body).await;
            assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
        }
    };
    post("/api/v1/admin/products", json!([
        { "sku": "SRV-1", "name": "Server One", "product_line": "Servers", "has_serial": true, "warranty_months": 12, "warranty_coverage": "nbd_onsite" },
        { "sku": "NB-1", "name": "Notebook One", "product_line": "Notebooks", "has_serial": true, "warranty_months": 12, "warranty_coverage": "parts_only" },
        { "sku": "SW-1", "name": "Suite One", "product_line": "Software", "has_serial": false, "warranty_months": 0 }
    ])).await;
    post("/api/v1/admin/assets", json!([
        { "serial_number": "SRV0001", "sku": "SRV-1", "company_id": company, "ship_date": d(-30) },
        { "serial_number": "NB0001", "sku": "NB-1", "company_id": company, "ship_date": d(-30) },
        { "serial_number": "NB0002", "sku": "NB-1", "company_id": company, "ship_date": d(-800) }
    ])).await;
    post("/api/v1/admin/entitlements", json!([
        { "kind": "care_pack", "reference": "CP-1", "company_id": company, "coverage": "4h_24x7_onsite", "start": d(-30), "end": d(300), "serial_numbers": ["SRV0001"] }
    ])).await;
    post("/api/v1/admin/agreements", json!([
        { "access_id": "A-1", "agreement_id": "7001", "programme": "Premier", "units": 2, "start": d(-10), "scopes": ["on_premises"], "skus": ["SW-1", "NB-1"] },
        { "access_id": "A-2", "agreement_id": "7002", "programme": "Premier", "units": 0, "start": d(-10), "scopes": ["on_premises"], "skus": ["SW-1"] }
    ])).await;
    for (access, id) in [("A-1", "7001"), ("A-2", "7002")] {
        let res = app
            .post(
                "/api/v1/me/agreements",
                Some(&worker),
                json!({ "access_id": access, "agreement_id": id }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let profile = app.get("/api/v1/me/profile", &worker).await;
    let site = profile.body["sites"][0]["id"].clone();
    let pin = profile.body["pins"][0]["id"].clone();
    let res = app
        .put("/api/v1/me/profile", &worker, json!({ "phone": "+31 20 555 0101", "contact_method": "email", "language": "en", "time_zone": "Europe/Amsterdam", "country": "NL", "site_id": site, "default_pin_id": pin }))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    World {
        company,
        admin,
        worker,
        other,
    }
}

fn remaining(app_res: &crate::support::Response, agreement_id: &str) -> i64 {
    app_res.body["items"]
        .as_array()
        .expect("agreements")
        .iter()
        .find(|a| a["agreement_id"] == agreement_id)
        .and_then(|a| a["units_remaining"].as_i64())
        .expect("agreement")
}

#[tokio::test]
async fn opening_cases_pays_with_the_right_entitlement() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let case = json!({ "serial_number": "srv 0001", "title": "Disk failure", "description": "Drive 3 shows amber", "severity": 1, "handling_24x7": true });
        let res = app.post("/api/v1/cases", Some(&w.worker), case).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let number = res.body["case_id"].as_str().expect("case id").to_owned();
        assert!(supportal_domain::case::is_case_number(&number), "{number}");
        assert_eq!(res.body["status"], "new");
        assert_eq!(res.body["entitlement"]["kind"], "care_pack", "the covered serial pays by its care pack");
        assert_eq!(res.body["primary_email"], "worker@acme.test", "primary contact from the profile");
        assert_eq!(res.body["equipment_city"], "Utrecht", "equipment site from the profile");
        assert_eq!(res.body["history"][0]["kind"], "created");
        let mails = app.mails("worker@acme.test").await;
        assert!(mails[0].0.contains(&number) && mails[0].1.contains(&number), "confirmation to the primary contact");

        // Software has no serial: an agreement pays, once, even when the client retries.
        let body = json!({ "sku": "SW-1", "title": "Crash on start", "description": "Since the update", "severity": 3, "entitlement_id": agreement_pk(&app, &w.worker, "7001").await });
        let first = send_with_key(&app, &w.worker, &body, "retry-1").await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        assert!(first.body["incident_use_id"].as_i64().is_some());
        let again = send_with_key(&app, &w.worker, &body, "retry-1").await;
        assert_eq!(again.body["case_id"], first.body["case_id"], "the same key returns the first case");
        assert_eq!(remaining(&app.get("/api/v1/me/agreements", &w.worker).await, "7001"), 1, "one unit spent, not two");

        // Refusals leave nothing behind.
        let before = app.get("/api/v1/cases?view=submitted_by_me", &w.worker).await.body["items"].as_array().map(Vec::len);
        let empty = json!({ "sku": "SW-1", "title": "t", "description": "d", "severity": 3, "entitlement_id": agreement_pk(&app, &w.worker, "7002").await });
        let res = app.post("/api/v1/cases", Some(&w.worker), empty).await;
        assert_eq!((res.status, res.code()), (StatusCode::CONFLICT, "no_units"));
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "NB0002", "title": "t", "description": "d", "severity": 2 })).await;
        assert_eq!(res.fields(), ["entitlement_id"], "an expired warranty pays for nothing");
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "NB0001", "title": "t", "description": "d", "severity": 1, "handling_24x7": true })).await;
        assert_eq!(res.body["errors"][0]["code"], "24x7_not_covered");
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "t", "description": "d", "severity": 3, "handling_24x7": true })).await;
        assert_eq!(res.body["errors"][0]["code"], "24x7_needs_severity_1");
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "sku": "SW-1", "title": "t", "description": "d", "severity": 3 })).await;
        assert_eq!(res.fields(), ["serial_number"], "exactly one start");
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "", "description": "", "severity": 9, "additional_contacts": ["nope"] })).await;
        assert_eq!(res.fields(), ["title", "description", "severity", "additional_contacts"]);
        let res = app.post("/api/v1/cases", Some(&w.other), json!({ "serial_number": "SRV0001", "title": "t", "description": "d", "severity": 3 })).await;
        assert_eq!(res.fields(), ["serial_number"], "another company's serial is unknown");
        let after = app.get("/api/v1/cases?view=submitted_by_me", &w.worker).await.body["items"].as_array().map(Vec::len);
        assert_eq!(before, after);
        assert_eq!(remaining(&app.get("/api/v1/me/agreements", &w.worker).await, "7001"), 1);
        let _ = w.company;
    })
    .await;
}

async fn send_with_key(
    app: &TestApp,
    token: &str,
    body: &Value,
    key: &str,
) -> crate::support::Response {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/cases")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", key)
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send(req).await
}

async fn act(app: &TestApp, path: &str, token: &str, action: &str) -> crate::support::Response {
    app.post(
        &format!("{path}/actions"),
        Some(token),
        json!({ "action": action }),
    )
    .await
}

async fn agreement_pk(app: &TestApp, token: &str, agreement_id: &str) -> i64 {
    let res = app.get("/api/v1/me/agreements", token).await;
    res.body["items"]
        .as_array()
        .expect("agreements")
        .iter()
        .find(|a| a["agreement_id"] == agreement_id)
        .and_then(|a| a["id"].as_i64())
        .expect("agreement")
}

#[tokio::test]
async fn who_sees_a_case_and_how_it_moves() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let colleague = app.member("colleague@acme.test").await;
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "Fan noise", "description": "Loud", "severity": 4 })).await;
        let number = res.body["case_id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/cases/{number}");

        assert_eq!(app.get(&path, &w.admin).await.status, StatusCode::OK, "company admins see every case of the company");
        assert_eq!(app.get(&path, &colleague).await.status, StatusCode::NOT_FOUND, "a colleague who is not a contact does not");
        assert_eq!(app.get(&path, &w.other).await.status, StatusCode::NOT_FOUND, "another company never");
        assert_eq!(app.get("/api/v1/cases/5999999999", &w.worker).await.code(), "case_not_found");

        let res = app.post(&format!("{path}/contacts"), Some(&w.worker), json!({ "email": "colleague@acme.test" })).await;
        assert_eq!(res.body["additional_contacts"], json!(["colleague@acme.test"]), "{}", res.text);
        assert_eq!(app.get(&path, &colleague).await.status, StatusCode::OK, "an additional contact follows the case");
        let res = app.post(&format!("{path}/contacts"), Some(&w.worker), json!({ "email": "colleague@acme.test" })).await;
        assert_eq!(res.code(), "contact_already_on_case");
        let res = app.post(&format!("{path}/messages"), Some(&colleague), json!({ "body": "Still loud this morning" })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let res = app.post(&format!("{path}/messages"), Some(&colleague), json!({ "body": " " })).await;
        assert_eq!(res.fields(), ["body"]);

        assert_eq!(act(&app, &path, &w.worker, "escalate").await.body["escalated"], true);
        assert_eq!(act(&app, &path, &w.worker, "fly").await.fields(), ["action"]);
        assert_eq!(act(&app, &path, &w.worker, "reopen").await.code(), "case_not_reopenable");
        let before = app.mails("colleague@acme.test").await.len();
        let res = act(&app, &path, &w.worker, "cancel").await;
        assert_eq!(res.body["status"], "cancelled");
        assert_eq!(app.mails("worker@acme.test").await[0].0, format!("Case {number} is now: Cancelled"), "opted-in primary contact told");
        assert_eq!(app.mails("colleague@acme.test").await.len(), before + 1, "an additional contact who follows the case is mailed too, saved profile or not");
        assert_eq!(act(&app, &path, &w.worker, "cancel").await.code(), "case_not_open", "an illegal move is refused");
        let kinds: Vec<&str> = res.body["history"].as_array().expect("history").iter().filter_map(|e| e["kind"].as_str()).collect();
        assert_eq!(kinds, ["created", "contact_added", "message", "escalate", "cancel"], "every event is in the history");
        assert_eq!(res.body["history"][4]["status_to"], "cancelled");

        // A resolved case reopens within 14 days, not after.
        let second = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "PSU", "description": "Beeps", "severity": 2 })).await;
        let second = second.body["case_id"].as_str().expect("id").to_owned();
        let mut tx = app.state.db.begin().await.expect("tx");
        let row = supportal_store::cases::get(&mut tx, &supportal_store::cases::CaseViewer::of(&staffish(&app, &w.worker).await), &second).await.expect("get").expect("case");
        supportal_store::cases::set_status(&mut tx, row.id, "resolved", Some(app.state.now())).await.expect("resolve");
        tx.commit().await.expect("commit");
        app.state.clock.advance(chrono::Duration::days(15));
        let res = app.post(&format!("/api/v1/cases/{second}/actions"), Some(&w.worker), json!({ "action": "reopen" })).await;
        assert_eq!(res.code(), "reopen_window_passed");
    })
    .await;
}

/// The session behind a token, to build a viewer in a test.
async fn staffish(app: &TestApp, token: &str) -> supportal_store::sessions::SessionUser {
    let mut tx = app.state.db.read().await.expect("tx");
    let user = supportal_store::sessions::authenticate(
        &mut tx,
        &supportal_app::auth::sha256_hex(token),
        app.state.now(),
    )
    .await
    .expect("auth")
    .expect("user");
    tx.rollback().await.expect("rollback");
    user
}

#[tokio::test]
async fn lists_filter_sort_page_and_favourite() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        for (title, severity) in [("B second", 2), ("A first", 4), ("C third", 3)] {
            let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": title, "description": "d", "severity": severity })).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        }
        let res = app.post("/api/v1/cases", Some(&w.admin), json!({ "serial_number": "NB0001", "title": "Admin's", "description": "d", "severity": 3, "country": "nl", "time_zone": "UTC" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);

        let titles = |res: &crate::support::Response| -> Vec<String> { res.body["items"].as_array().expect("items").iter().filter_map(|c| c["title"].as_str().map(str::to_owned)).collect() };
        let mine = app.get("/api/v1/cases?view=submitted_by_me&sort=title", &w.worker).await;
        assert_eq!(titles(&mine), ["A first", "B second", "C third"]);
        let by_severity = app.get("/api/v1/cases?view=submitted_by_me&sort=-severity", &w.worker).await;
        assert_eq!(titles(&by_severity), ["A first", "C third", "B second"]);
        let company = app.get(&format!("/api/v1/cases?view=company&company_id={}", w.company), &w.admin).await;
        assert_eq!(titles(&company).len(), 4, "the admin sees the whole company");
        let only_mine = app.get("/api/v1/cases?view=company&mine=true", &w.admin).await;
        assert_eq!(titles(&only_mine), ["Admin's"], "the 'only cases created by me' switch");
        assert_eq!(titles(&app.get("/api/v1/cases?view=company", &w.worker).await).len(), 3, "a member sees the cases they may see");
        let by_serial = app.get("/api/v1/cases?serial=nb%200001", &w.admin).await;
        assert_eq!(titles(&by_serial), ["Admin's"]);
        let notebook = res.body["product_id"].as_i64().expect("product");
        let by_product = app.get(&format!("/api/v1/cases?view=company&product_id={notebook}"), &w.admin).await;
        assert_eq!(titles(&by_product), ["Admin's"], "by product");
        let site = res.body["site_id"].as_i64().expect("the primary site");
        assert_eq!(titles(&app.get(&format!("/api/v1/cases?view=site&site_id={site}&sort=title"), &w.admin).await).len(), 4, "by site");
        assert!(app.get(&format!("/api/v1/cases?view=site&site_id={site}"), &w.other).await.body["items"].as_array().is_some_and(Vec::is_empty), "another company's site shows nothing");
        assert_eq!(app.get("/api/v1/cases?product_id=many", &w.admin).await.status, StatusCode::BAD_REQUEST);

        let page1 = app.get("/api/v1/cases?view=submitted_by_me&sort=title&limit=2", &w.worker).await;
        assert_eq!(titles(&page1), ["A first", "B second"]);
        let cursor = page1.body["next_cursor"].as_str().expect("more").to_owned();
        let page2 = app.get(&format!("/api/v1/cases?view=submitted_by_me&sort=title&limit=2&cursor={cursor}"), &w.worker).await;
        assert_eq!((titles(&page2), page2.body["next_cursor"].is_null()), (vec!["C third".to_owned()], true));

        let number = mine.body["items"][0]["number"].as_str().expect("number").to_owned();
        assert_eq!(app.request(Method::PUT, &format!("/api/v1/cases/{number}/favorite"), Some(&w.worker), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(titles(&app.get("/api/v1/cases?view=favorites", &w.worker).await), ["A first"]);
        assert_eq!(app.request(Method::PUT, &format!("/api/v1/cases/{number}/favorite"), Some(&w.other), None).await.status, StatusCode::NOT_FOUND);
        app.delete(&format!("/api/v1/cases/{number}/favorite"), &w.worker).await;
        assert_eq!(titles(&app.get("/api/v1/cases?view=favorites", &w.worker).await).len(), 0);

        assert_eq!(app.get("/api/v1/cases?sort=password", &w.worker).await.fields(), ["sort"]);
        assert_eq!(app.get("/api/v1/cases?view=everything", &w.worker).await.fields(), ["view"]);
        assert_eq!(app.get("/api/v1/cases?cursor=-4", &w.worker).await.fields(), ["cursor"]);
        assert!(app.get("/api/v1/cases?view=recent", &w.other).await.body["items"].as_array().is_some_and(Vec::is_empty), "another company sees none");
    })
    .await;
}

/// A multipart body of named parts: (part name, file name, bytes).
fn parts(items: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "case-boundary-41";
    let mut body = Vec::new();
    for (name, file, bytes) in items {
        let disposition = match file {
            Some(f) => format!("form-data; name=\"{name}\"; filename=\"{f}\""),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn post_parts(
    app: &TestApp,
    path: &str,
    token: &str,
    items: &[(&str, Option<&str>, &[u8])],
) -> crate::support::Response {
    let (content_type, body) = parts(items);
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    app.send(req).await
}

fn stored_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&app.state.config.data_dir.join("attachments"))
}

#[tokio::test]
async fn attachments_are_checked_by_content_and_nothing_is_half_saved() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let case = json!({ "serial_number": "SRV0001", "title": "Boot loop", "description": "See photo and log", "severity": 2 }).to_string();
        let png: &[u8] = b"\x89PNG\r\n\x1a\n fake image";
        let log: &[u8] = b"2026-01-01 12:00 disk 3 failed\n";
        let res = post_parts(&app, "/api/v1/cases", &w.worker, &[("case", None, case.as_bytes()), ("attachment", Some("front.png"), png), ("attachment", Some("server.log"), log)]).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let number = res.body["case_id"].as_str().expect("id").to_owned();
        let names: Vec<&str> = res.body["attachments"].as_array().expect("files").iter().filter_map(|a| a["file_name"].as_str()).collect();
        assert_eq!(names, ["front.png", "server.log"]);
        assert!(!res.text.contains("storage_key"), "storage keys stay inside");
        assert_eq!(stored_files(&app), 2);
        let id = res.body["attachments"][1]["id"].as_i64().expect("id");
        let download = app.get(&format!("/api/v1/cases/{number}/attachments/{id}"), &w.admin).await;
        assert_eq!((download.status, download.text.as_str()), (StatusCode::OK, "2026-01-01 12:00 disk 3 failed\n"));
        assert!(download.headers[header::CONTENT_DISPOSITION].to_str().expect("disposition").contains("server.log"));
        assert_eq!(app.get(&format!("/api/v1/cases/{number}/attachments/{id}"), &w.other).await.status, StatusCode::NOT_FOUND, "another company cannot download");

        let before = app.get("/api/v1/cases?view=submitted_by_me", &w.worker).await.body["items"].as_array().map(Vec::len);
        let exe: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00";
        let res = post_parts(&app, "/api/v1/cases", &w.worker, &[("case", None, case.as_bytes()), ("attachment", Some("front.png"), png), ("attachment", Some("readme.txt"), exe)]).await;
        assert_eq!((res.status, res.code()), (StatusCode::UNPROCESSABLE_ENTITY, "attachment_type_not_allowed"));
        assert_eq!(res.fields(), ["readme.txt"], "the refusal names the file");
        let four: Vec<(&str, Option<&str>, &[u8])> = std::iter::once(("case", None, case.as_bytes())).chain((0..4).map(|_| ("attachment", Some("a.log"), log))).collect();
        assert_eq!(post_parts(&app, "/api/v1/cases", &w.worker, &four).await.code(), "too_many_attachments");
        let big = vec![b'a'; 2 * 1024 * 1024 + 1];
        let res = post_parts(&app, "/api/v1/cases", &w.worker, &[("case", None, case.as_bytes()), ("attachment", Some("big.txt"), &big)]).await;
        assert_eq!(res.code(), "attachment_too_large");
        let sw = json!({ "sku": "SW-1", "title": "t", "description": "d", "severity": 3, "entitlement_id": agreement_pk(&app, &w.worker, "7002").await }).to_string();
        let res = post_parts(&app, "/api/v1/cases", &w.worker, &[("case", None, sw.as_bytes()), ("attachment", Some("front.png"), png)]).await;
        assert_eq!(res.code(), "no_units", "a failing spend after the files were stored");
        assert_eq!(stored_files(&app), 2, "no stray files from refused cases");
        assert_eq!(app.get("/api/v1/cases?view=submitted_by_me", &w.worker).await.body["items"].as_array().map(Vec::len), before);

        let res = post_parts(&app, &format!("/api/v1/cases/{number}/attachments"), &w.worker, &[("attachment", Some("later.pdf"), b"%PDF-1.7 report")]).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["attachments"].as_array().map(Vec::len), Some(3));
        let res = post_parts(&app, &format!("/api/v1/cases/{number}/attachments"), &w.other, &[("attachment", Some("x.pdf"), b"%PDF-1.7")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    })
    .await;
}

const BULK_HEADER: &str = "serial_number,agreement_id,sku,title,description,severity,country,time_zone,additional_contacts\n";

fn company_cases(res: &crate::support::Response) -> usize {
    res.body["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn bulk_submission_checks_every_row_and_opens_all_or_none() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let count = |token: String| {
            let app = &app;
            async move { company_cases(&app.get("/api/v1/cases?view=company", &token).await) }
        };
        let good = format!(
            "{BULK_HEADER}SRV0001,,,Disk failure,Drive 3 amber,2,NL,Europe/Amsterdam,ops@acme.test;boss@acme.test\n,7001,SW-1,Crash,Since the update,3,NL,Europe/Amsterdam,\n"
        );

        // Wrong role and wrong tenant.
        let res = app.upload("/api/v1/cases/bulk", &w.worker, "cases.csv", good.as_bytes()).await;
        assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "company_admin_required"));
        let res = app.upload("/api/v1/cases/bulk", &w.other, "cases.csv", good.as_bytes()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(res.body["errors"][0]["code"], "unknown_serial", "another company's serial is unknown");
        assert_eq!(res.body["errors"][1]["code"], "unknown_agreement");

        let res = app.post("/api/v1/me/agreements", Some(&w.admin), json!({ "access_id": "A-1", "agreement_id": "7001" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "the admin registers the agreement too: {}", res.text);

        // One bad row: every row has its outcome, and no case, incident or mail is written.
        let bad = format!("{good}SRV0001,,,Crash,,9,NL,Europe/Amsterdam,not-an-email\n");
        let res = app.upload("/api/v1/cases/bulk", &w.admin, "cases.csv", bad.as_bytes()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        let outcomes: Vec<_> = res.body["rows"].as_array().expect("rows").iter().map(|r| (r["row"].as_i64(), r["outcome"].as_str())).collect();
        assert_eq!(outcomes, [(Some(2), Some("valid")), (Some(3), Some("valid")), (Some(4), Some("invalid"))]);
        let fields: Vec<_> = res.body["errors"].as_array().expect("errors").iter().map(|e| (e["row"].as_i64(), e["field"].as_str(), e["code"].as_str())).collect();
        assert_eq!(fields, [(Some(4), Some("description"), Some("required")), (Some(4), Some("severity"), Some("invalid_severity")), (Some(4), Some("additional_contacts"), Some("invalid_email"))]);
        assert!(res.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(count(w.admin.clone()).await, 0);
        assert_eq!(remaining(&app.get("/api/v1/me/agreements", &w.worker).await, "7001"), 2);
        assert!(app.mails("boss@acme.test").await.iter().all(|m| !m.0.contains("Disk failure")));

        // Three rows spending an agreement with two units: the third runs out, so none is opened.
        let three = format!("{BULK_HEADER},7001,SW-1,A,a,3,NL,Europe/Amsterdam,\n,7001,SW-1,B,b,3,NL,Europe/Amsterdam,\n,7001,SW-1,C,c,3,NL,Europe/Amsterdam,\n");
        let res = app.upload("/api/v1/cases/bulk", &w.admin, "cases.csv", three.as_bytes()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!((res.body["errors"][0]["row"].as_i64(), res.body["errors"][0]["code"].as_str()), (Some(4), Some("no_units")));
        assert_eq!(count(w.admin.clone()).await, 0);
        assert_eq!(remaining(&app.get("/api/v1/me/agreements", &w.worker).await, "7001"), 2, "no unit spent");

        // The mended file opens every case, with the row's contacts and the admin as submitter.
        let res = app.upload("/api/v1/cases/bulk", &w.admin, "cases.csv", good.as_bytes()).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["created"], 2);
        let number = res.body["rows"][0]["case_id"].as_str().expect("case id").to_owned();
        let case = app.get(&format!("/api/v1/cases/{number}"), &w.admin).await;
        assert_eq!(case.body["entitlement"]["kind"], "care_pack");
        assert_eq!(case.body["additional_contacts"], json!(["boss@acme.test", "ops@acme.test"]));
        assert_eq!(count(w.admin.clone()).await, 2);
        assert_eq!(remaining(&app.get("/api/v1/me/agreements", &w.worker).await, "7001"), 1);
        assert!(app.mails("boss@acme.test").await.iter().any(|m| m.0.contains(&number)), "a confirmation per case");
    })
    .await;
}

#[tokio::test]
async fn bulk_files_that_cannot_be_used_are_refused() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let upload = |bytes: Vec<u8>| {
            let app = &app;
            let token = w.admin.clone();
            async move {
                app.upload("/api/v1/cases/bulk", &token, "cases.csv", &bytes)
                    .await
            }
        };
        let res = upload(b"title,sku\nDisk,SRV-1\n".to_vec()).await;
        assert_eq!(
            res.fields(),
            ["description", "severity"],
            "missing columns are named"
        );
        let res = upload(BULK_HEADER.as_bytes().to_vec()).await;
        assert_eq!(res.fields(), ["file"], "a header without rows");
        let res = upload(vec![0xff, 0xfe, 0x00, 0x01]).await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file")
        );
        let mut many = BULK_HEADER.to_owned();
        for i in 0..501 {
            many.push_str(&format!("SRV0001,,,Row {i},d,3,NL,Europe/Amsterdam,\n"));
        }
        let res = upload(many.into_bytes()).await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too_many_rows")
        );
        let res = app
            .post("/api/v1/cases/bulk", Some(&w.admin), json!({}))
            .await;
        assert!(
            res.status.is_client_error(),
            "JSON is not a file: {}",
            res.status
        );
        assert_eq!(
            company_cases(&app.get("/api/v1/cases?view=company", &w.admin).await),
            0
        );
    })
    .await;
}

#[tokio::test]
async fn a_case_number_already_taken_writes_nothing_and_is_drawn_again() {
    use supportal_store::cases::{NewCase, Opened, Opening, open};
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": "First", "description": "d", "severity": 3 })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let number = res.body["case_id"].as_str().expect("number").to_owned();
        let id = |k: &str| res.body[k].as_i64().expect(k);
        let new = NewCase {
            company_id: supportal_domain::CompanyId(id("company_id")),
            submitter_id: Some(supportal_domain::UserId(id("submitter_id"))),
            product_id: supportal_domain::ProductId(id("product_id")),
            severity: 3,
            title: "Second".into(),
            entitlement_kind: "care_pack".into(),
            entitlement_id: id("entitlement_id"),
            ..Default::default()
        };
        let mail = supportal_store::outbox::Email { to: "worker@acme.test".into(), intent: "{}".into(), secrets: None };
        let db = app.state.db.clone();
        let count = |table: &'static str| {
            let db = db.clone();
            async move {
                let mut tx = db.read().await.expect("read");
                supportal_store::tools::count_rows(&mut tx, table).await.expect("count")
            }
        };
        let before = (count("cases").await, count("case_events").await, count("outbox").await, count("case_contacts").await);
        let mut tx = app.state.db.begin().await.expect("begin");
        let desk = supportal_store::cases::DeskStart::default();
        let contacts = vec!["colleague@acme.test".to_owned()];
        let opening = Opening { case: &new, number: &number, actor: new.submitter_id, mail: &mail, agreement: None, desk: &desk, contacts: &contacts, idempotency_key: None, now: chrono::Utc::now() };
        assert_eq!(open(&mut tx, &opening).await.expect("open"), Opened::NumberTaken);
        let fresh = supportal_store::cases::new_number();
        let opening = Opening { number: &fresh, ..opening };
        assert!(matches!(open(&mut tx, &opening).await.expect("open"), Opened::Done { .. }), "the same transaction goes on with a new number");
        tx.rollback().await.expect("rollback");
        assert_eq!((count("cases").await, count("case_events").await, count("outbox").await, count("case_contacts").await), before, "rolled back whole");
    })
    .await;
}
