//! The partner channel over HTTP on both databases (PTN-1 to PTN-6): enrolment, the feed and its
//! token, unassigned devices, dashboards by transfer and by cPIN, alerts and their switch, the
//! end user's repair case in the right queue, parts and the claim; and what nobody else reaches.

use crate::support::{PASSWORD, TestApp, on_both};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) struct Channel {
    pub ops: String,
    pub feed: String,
    /// The service-delivery partner, its admin's token; the resell-and-monitor one likewise.
    pub service: (i64, String),
    pub resell: (i64, String),
}

/// A partner company made and validated by staff, with its first admin; not enrolled.
pub(crate) async fn partner(app: &TestApp, ops: &str, name: &str, domain: &str) -> (i64, String) {
    let admin = format!("admin@{domain}");
    app.register_verified(&admin, "Partner Admin").await;
    let res = app
        .post(
            "/api/v1/admin/companies",
            Some(ops),
            json!({
                "name": name, "kind": "partner_resell_monitor", "domains": [domain],
                "first_admin_email": admin,
                "site": { "name": "Office", "street": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO" }
            }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.body["company_id"].as_i64().expect("id");
    (id, app.login(&admin, PASSWORD).await)
}

async fn enrol(app: &TestApp, ops: &str, company: i64, kind: &str) -> Value {
    let res = app
        .put(
            &format!("/api/v1/admin/partners/{company}/programme"),
            ops,
            json!({ "enrolled": true, "kind": kind }),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    res.body
}

/// Two enrolled partners, a product, a default operator queue and a feed token.
pub(crate) async fn channel(app: &TestApp) -> Channel {
    let ops = app.operator_admin().await;
    let res = app
        .post(
            "/api/v1/admin/products",
            Some(&ops),
            json!([{ "sku": "8A4X2EA", "name": "EliteBook 840", "product_line": "Notebooks", "has_serial": true }]),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = app
        .post(
            "/api/v1/admin/queues",
            Some(&ops),
            json!({ "name": "General", "engineers": [], "default": true }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let service = partner(app, &ops, "Fjord Service AS", "fjord.test").await;
    let resell = partner(app, &ops, "Nordic Resale AB", "nordic.test").await;
    let body = enrol(app, &ops, service.0, "service_delivery").await;
    assert!(body["repair_queue_id"].as_i64().is_some(), "{body}");
    enrol(app, &ops, resell.0, "resell_monitor").await;
    let res = app
        .post(
            "/api/v1/admin/feed-tokens",
            Some(&ops),
            json!({ "name": "e2Open distributor" }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let feed = res.body["token"].as_str().expect("token").to_owned();
    // The partners' admins signed in before enrolment: sign in again for the repair queue.
    let service = (service.0, app.login("admin@fjord.test", PASSWORD).await);
    Channel {
        ops,
        feed,
        service,
        resell,
    }
}

fn sale(serial: &str, partner: i64, reference: &str) -> Value {
    json!({ "serial_number": serial, "sku": "8A4X2EA", "service_plan": "premium_plus",
            "partner_company_id": partner, "sold_on": "2026-11-02", "reference": reference })
}

pub(crate) async fn feed(app: &TestApp, token: &str, rows: Value) -> crate::support::Response {
    app.post("/api/v1/feeds/device-sales", Some(token), rows)
        .await
}

fn serials(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| d["serial_number"].as_str().expect("serial").to_owned())
        .collect()
}

#[tokio::test]
async fn the_seed_story_from_feed_to_approved_claim() {
    on_both(|app| async move {
        let c = channel(&app).await;
        let (sid, ref partner) = c.service;
        // PTN-2: the feed, then the same feed again changes nothing.
        let rows = json!([sale("5CG0000001", sid, "SO-1"), sale("5CG0000002", sid, "SO-1"), sale("5CG0000003", c.resell.0, "SO-2")]);
        let res = feed(&app, &c.feed, rows.clone()).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!((res.body["created"].as_i64(), res.body["unchanged"].as_i64()), (Some(3), Some(0)));
        let res = feed(&app, &c.feed, rows).await;
        assert_eq!((res.body["created"].as_i64(), res.body["unchanged"].as_i64()), (Some(0), Some(3)), "{}", res.text);
        let res = app.get(&format!("/api/v1/partners/{sid}/unassigned-devices"), partner).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(serials(&res.body), ["5CG0000001", "5CG0000002"]);
        assert_eq!(res.body["items"][0]["product"], "EliteBook 840");
        assert_eq!(res.body["items"][0]["service_plan"], "premium_plus");

        // PTN-3: a request for missing devices is a case of the partner's.
        let res = app
            .post(&format!("/api/v1/partners/{sid}/missing-devices"), Some(partner), json!({ "serial_numbers": ["5CG0000009", "5CG0000010"], "note": "Sold last week" }))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let missing = res.body["number"].as_str().expect("number").to_owned();
        let res = app.get(&format!("/api/v1/cases/{missing}"), partner).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert!(res.body["description"].as_str().unwrap_or_default().contains("5CG0000010"), "{}", res.text);

        // PTN-4: a dashboard; its alerts are locked off until a device arrives.
        let res = app.post(&format!("/api/v1/partners/{sid}/customers"), Some(partner), json!({ "name": "Acme Oslo" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let dash = res.body["id"].as_i64().expect("id");
        let cpin = res.body["cpin"].as_str().expect("cpin").to_owned();
        assert_eq!(res.body["self_service_alerts"], false);
        let alerts_path = format!("/api/v1/partners/{sid}/customers/{dash}/settings/alerts");
        let res = app.put(&alerts_path, partner, json!({ "enabled": false })).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
        assert_eq!(res.code(), "alerts_locked_until_first_device");

        // The customer enrols a device with the cPIN: on by itself now.
        let res = app.post("/api/v1/devices/enroll", None, json!({ "cpin": cpin.to_lowercase(), "serial_number": "5cg0000001", "device_name": "Reception PC" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let device_token = res.body["device_token"].as_str().expect("token").to_owned();
        let res = app.get(&alerts_path, partner).await;
        assert_eq!((res.body["enabled"].as_bool(), res.body["switchable"].as_bool()), (Some(true), Some(true)), "{}", res.text);
        // The partner transfers the other one.
        let res = app.post(&format!("/api/v1/partners/{sid}/customers/{dash}/devices"), Some(partner), json!({ "serial_numbers": ["5CG0000002"] })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let res = app.get(&format!("/api/v1/partners/{sid}/unassigned-devices"), partner).await;
        assert!(serials(&res.body).is_empty(), "{}", res.text);
        let res = app.get(&format!("/api/v1/partners/{sid}/devices/5CG0000001"), partner).await;
        let kinds: Vec<&str> = res.body["history"].as_array().expect("history").iter().filter_map(|e| e["kind"].as_str()).collect();
        assert_eq!(kinds, ["reported", "enrolled"], "{}", res.text);

        // PTN-5: an alert goes to the end user (self-service on) with a View link.
        let res = app.post("/api/v1/devices/5CG0000001/alerts", Some(&device_token), json!({ "code": "BAT-042", "component": "battery", "severity": "critical", "message": "Battery cannot hold a charge" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["routed_to"], "end_user");
        let view = res.body["view_url"].as_str().expect("view url").to_owned();
        let token = view.rsplit('/').next().expect("token").to_owned();
        let res = app.request(Method::GET, &format!("/api/v1/alerts/view/{token}"), None, None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["code"], "BAT-042");
        let confirm = json!({ "name": "Kari Nordmann", "email": "kari@acme-oslo.test", "phone": "+47 22 00 00 00" });
        let path = format!("/api/v1/alerts/view/{token}/repair-case");
        let res = app.request(Method::POST, &path, None, Some(confirm.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let repair = res.body["number"].as_str().expect("number").to_owned();
        // A retry answers the same case.
        let res = app.request(Method::POST, &path, None, Some(confirm)).await;
        assert_eq!(res.body["number"].as_str(), Some(repair.as_str()), "{}", res.text);

        // The service partner's own repair queue has it; its engineer works it with the desk's tools.
        let res = app.get(&format!("/api/v1/partners/{sid}/cases"), partner).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let numbers: Vec<&str> = res.body["items"].as_array().expect("items").iter().filter_map(|c| c["case_id"].as_str()).collect();
        assert_eq!(numbers, [repair.as_str()], "{}", res.text);
        let res = app.post(&format!("/api/v1/cases/{repair}/assign"), Some(partner), json!({ "assignee": "me" })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let res = app.post(&format!("/api/v1/cases/{repair}/parts-orders"), Some(partner), json!({ "part_number": "BAT-3C", "description": "Battery 3 cell", "quantity": 1 })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        // The operator's default queue does not have it.
        let res = app.get("/api/v1/desk/cases?queue_id=1", &c.ops).await;
        assert!(!res.text.contains(&repair), "{}", res.text);

        // The claim, and the operator's decision.
        let claim = json!({ "parts": [{ "part_number": "BAT-3C", "quantity": 1, "amount": 8900 }], "labour_minutes": 45, "labour_amount": 6000, "currency": "EUR" });
        let res = app.post(&format!("/api/v1/cases/{repair}/claims"), Some(partner), claim.clone()).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!((res.body["status"].as_str(), res.body["amount"].as_i64()), (Some("submitted"), Some(14_900)));
        let claim_id = res.body["id"].as_i64().expect("id");
        let res = app.post(&format!("/api/v1/cases/{repair}/claims"), Some(partner), claim).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
        let res = app.get("/api/v1/admin/claims?status=submitted", &c.ops).await;
        assert_eq!(res.body["items"][0]["id"].as_i64(), Some(claim_id), "{}", res.text);
        let decision = format!("/api/v1/admin/claims/{claim_id}/decision");
        let res = app.post(&decision, Some(&c.ops), json!({ "decision": "reject" })).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a reason: {}", res.text);
        let res = app.post(&decision, Some(&c.ops), json!({ "decision": "approve" })).await;
        assert_eq!((res.status, res.body["status"].as_str()), (StatusCode::OK, Some("approved")), "{}", res.text);
        let res = app.post(&decision, Some(&c.ops), json!({ "decision": "reject", "reason": "late" })).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
        assert!(!app.mails("admin@fjord.test").await.is_empty());

        // A resell-and-monitor partner's repair goes to the operator's desk.
        let (rid, ref resell) = c.resell;
        let res = app.post(&format!("/api/v1/partners/{rid}/devices/5CG0000003/agent-token"), Some(resell), json!({ "end_user_email": "ola@nordic-customer.test" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let agent = res.body["device_token"].as_str().expect("token").to_owned();
        let res = app.post("/api/v1/devices/5CG0000003/alerts", Some(&agent), json!({ "code": "FAN-1", "component": "fan", "severity": "warning", "message": "Fan speed low" })).await;
        assert_eq!(res.body["routed_to"], "end_user", "{}", res.text);
        assert!(!app.mails("ola@nordic-customer.test").await.is_empty(), "the end user is mailed");
        let token = res.body["view_url"].as_str().expect("url").rsplit('/').next().expect("t").to_owned();
        let res = app.request(Method::POST, &format!("/api/v1/alerts/view/{token}/repair-case"), None, Some(json!({ "name": "Ola", "email": "ola@nordic-customer.test" }))).await;
        let resold = res.body["number"].as_str().expect("number").to_owned();
        let res = app.get("/api/v1/desk/cases", &c.ops).await;
        assert!(res.text.contains(&resold), "{}", res.text);
        let res = app.get(&format!("/api/v1/partners/{rid}/cases"), resell).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn partners_never_reach_each_other_and_tokens_reach_only_their_routes() {
    on_both(|app| async move {
        let c = channel(&app).await;
        let (sid, ref service) = c.service;
        let (rid, ref resell) = c.resell;
        let res = feed(&app, &c.feed, json!([sale("5CG0000101", sid, "S"), sale("5CG0000102", rid, "R")])).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let res = app.post(&format!("/api/v1/partners/{sid}/customers"), Some(service), json!({ "name": "Acme" })).await;
        let dash = res.body["id"].as_i64().expect("id");
        // The other partner, a customer and a stranger: 404 on every partner route.
        let outsider = app.user("someone@else.test", "Someone").await;
        for token in [resell, &outsider] {
            for path in [
                format!("/api/v1/partners/{sid}/unassigned-devices"),
                format!("/api/v1/partners/{sid}/customers"),
                format!("/api/v1/partners/{sid}/customers/{dash}"),
                format!("/api/v1/partners/{sid}/devices/5CG0000101"),
                format!("/api/v1/partners/{sid}/claims"),
            ] {
                let res = app.get(&path, token).await;
                assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.text);
            }
        }
        // Its own dashboard id under its own company is still 404 for another partner's dashboard.
        let res = app.get(&format!("/api/v1/partners/{rid}/customers/{dash}"), resell).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Transferring another partner's device: nothing moves.
        let res = app.post(&format!("/api/v1/partners/{sid}/customers/{dash}/devices"), Some(service), json!({ "serial_numbers": ["5CG0000102"] })).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(res.body["not_unassigned"], json!(["5CG0000102"]));
        // Staff are not the partner.
        let res = app.get(&format!("/api/v1/partners/{sid}/unassigned-devices"), &c.ops).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        // A session token is no feed token; a revoked feed token is refused.
        let res = feed(&app, service, json!([sale("5CG0000103", sid, "S")])).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.text);
        let res = app.get("/api/v1/admin/feed-tokens", &c.ops).await;
        let id = res.body["items"][0]["id"].as_i64().expect("id");
        // A device token is for its own device's alerts only.
        let res = app.post(&format!("/api/v1/partners/{sid}/devices/5CG0000101/agent-token"), Some(service), json!({})).await;
        let device = res.body["device_token"].as_str().expect("token").to_owned();
        let alert = json!({ "code": "X", "component": "disk", "severity": "info", "message": "SMART warning" });
        let res = app.post("/api/v1/devices/5CG0000102/alerts", Some(&device), alert.clone()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.text);
        let res = app.post("/api/v1/devices/5CG0000101/alerts", Some(&c.feed), alert.clone()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.text);
        let res = feed(&app, &device, json!([sale("5CG0000104", sid, "S")])).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.text);
        let res = app.get("/api/v1/me", &device).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.text);
        let res = app.post("/api/v1/devices/5CG0000101/alerts", Some(&device), alert).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let res = app.delete(&format!("/api/v1/admin/feed-tokens/{id}"), &c.ops).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
        let res = feed(&app, &c.feed, json!([sale("5CG0000105", sid, "S")])).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn a_bad_feed_writes_nothing_and_says_why_by_row() {
    on_both(|app| async move {
        let c = channel(&app).await;
        let sid = c.service.0;
        let res = feed(&app, &c.feed, json!([sale("5CG0000201", sid, "A")])).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let rows = json!([
            sale("5CG0000202", sid, "A"),
            sale("5CG0000201", sid, "B"),
            { "serial_number": "5CG0000203", "sku": "NOPE", "service_plan": "gold", "partner_company_id": 999999, "sold_on": "2099-01-01", "reference": "C" },
            { "serial_number": "bad serial\u{0}", "sku": "8A4X2EA", "service_plan": "premium", "partner_company_id": sid, "sold_on": "yesterday", "reference": "" },
            "not an object",
        ]);
        let res = feed(&app, &c.feed, rows).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(res.body["created"], 0);
        let found: Vec<(i64, String, String)> = res.body["errors"].as_array().expect("errors").iter()
            .map(|e| (e["row"].as_i64().unwrap_or(0), e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned()))
            .collect();
        for expected in [
            (2, "serial_number", "serial_already_reported"),
            (3, "service_plan", "invalid_choice"),
            (3, "sold_on", "date_in_future"),
            (4, "sold_on", "invalid_date"),
            (4, "reference", "required"),
            (5, "", "invalid_row"),
        ] {
            assert!(found.iter().any(|(r, f, code)| (*r, f.as_str(), code.as_str()) == expected), "{expected:?} in {found:?}");
        }
        // The good row of that batch was not written.
        let res = app.get(&format!("/api/v1/partners/{sid}/unassigned-devices"), &c.service.1).await;
        assert_eq!(serials(&res.body), ["5CG0000201"]);
        // Malformed and oversized bodies.
        let res = app.request(Method::POST, "/api/v1/feeds/device-sales", Some(&c.feed), Some(json!({ "not": "an array" }))).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text);
        let many: Vec<Value> = (0..5_001).map(|i| sale(&format!("5CG9{i:06}"), sid, "X")).collect();
        let res = feed(&app, &c.feed, Value::Array(many)).await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.text);
        // A file with the same checks.
        let csv = format!("serial_number;sku;service_plan;partner_company_id;sold_on;reference\n5CG0000301;8A4X2EA;Premium+;{sid};2026-10-01;F-1\n");
        let res = app.send(
            axum::http::Request::builder().method(Method::POST).uri("/api/v1/feeds/device-sales")
                .header("authorization", format!("Bearer {}", c.feed)).header("content-type", "text/csv")
                .body(axum::body::Body::from(csv)).expect("request"),
        ).await;
        assert_eq!((res.status, res.body["created"].as_i64()), (StatusCode::OK, Some(1)), "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn alerts_go_to_the_partner_when_a_dashboard_switched_them_off() {
    on_both(|app| async move {
        let c = channel(&app).await;
        let (rid, ref partner) = c.resell;
        feed(&app, &c.feed, json!([sale("5CG0000401", rid, "A")])).await;
        let res = app.post(&format!("/api/v1/partners/{rid}/customers"), Some(partner), json!({ "name": "DaaS customer" })).await;
        let dash = res.body["id"].as_i64().expect("id");
        let cpin = res.body["cpin"].as_str().expect("cpin").to_owned();
        let res = app.post("/api/v1/devices/enroll", None, json!({ "cpin": cpin, "serial_number": "5CG0000401" })).await;
        let token = res.body["device_token"].as_str().expect("token").to_owned();
        let res = app.put(&format!("/api/v1/partners/{rid}/customers/{dash}/settings/alerts"), partner, json!({ "enabled": false })).await;
        assert_eq!((res.status, res.body["enabled"].as_bool()), (StatusCode::OK, Some(false)), "{}", res.text);
        let res = app.post("/api/v1/devices/5CG0000401/alerts", Some(&token), json!({ "code": "MEM-7", "component": "memory", "severity": "critical", "message": "ECC errors" })).await;
        assert_eq!((res.body["routed_to"].as_str(), res.body["view_url"].is_null()), (Some("partner"), true), "{}", res.text);
        let alert = res.body["alert_id"].as_i64().expect("alert");
        let res = app.get(&format!("/api/v1/partners/{rid}/customers/{dash}"), partner).await;
        assert_eq!(res.body["alerts"][0]["alert_id"].as_i64(), Some(alert), "{}", res.text);
        let res = app.post(&format!("/api/v1/partners/{rid}/alerts/{alert}/repair-case"), Some(partner), json!({ "name": "Partner Admin", "email": "admin@nordic.test" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        // Wrong cPINs and unknown devices get one answer.
        for body in [json!({ "cpin": "C-2222222222", "serial_number": "5CG0000401" }), json!({ "cpin": cpin, "serial_number": "5CG0999999" })] {
            let res = app.post("/api/v1/devices/enroll", None, body).await;
            assert_eq!((res.status, res.code()), (StatusCode::UNPROCESSABLE_ENTITY, "unknown_device_or_cpin"), "{}", res.text);
        }
    })
    .await;
}

#[tokio::test]
async fn the_demo_shows_both_partners_at_work() {
    on_both(|app| async move {
        assert!(
            supportal_app::demo::load_if_empty(&app.state)
                .await
                .expect("demo")
        );
        let pia = app
            .login("pia@brightpath.test", supportal_app::demo::DEMO_PASSWORD)
            .await;
        let me = app.get("/api/v1/me", &pia).await;
        let bright = me.body["memberships"][0]["company_id"]
            .as_i64()
            .expect("company");
        let res = app
            .get(
                &format!("/api/v1/partners/{bright}/unassigned-devices"),
                &pia,
            )
            .await;
        assert_eq!(
            serials(&res.body),
            ["BPD-0003", "BPD-0004", "BPD-0005", "BPD-0006"],
            "{}",
            res.text
        );
        let res = app
            .get(&format!("/api/v1/partners/{bright}/customers"), &pia)
            .await;
        assert_eq!(res.body["items"][0]["devices"], 2, "{}", res.text);
        // Bram has an alert waiting for his View; Carla's became a case on the operator's desk.
        let bram = app
            .login("bram@northwind.test", supportal_app::demo::DEMO_PASSWORD)
            .await;
        let res = app.get("/api/v1/me/notifications", &bram).await;
        assert_eq!(res.body["items"][0]["kind"], "device_alert", "{}", res.text);
        assert!(
            res.body["items"][0]["case_draft"]
                .as_str()
                .is_some_and(|l| l.contains("/alerts/")),
            "{}",
            res.text
        );
        // In the pages: the alert on Bram's home page, its View form ready for him.
        let mut page = crate::visitor::signed_in(&app, "bram@northwind.test").await;
        let home = page.get("/").await;
        let alert = res.body["items"][0]["alert_id"].as_i64().expect("alert");
        assert!(
            home.text.contains(&format!("href=\"/alerts/{alert}\"")),
            "{}",
            home.text
        );
        let view = page.get(&format!("/alerts/{alert}")).await;
        assert!(
            view.text.contains("BAT-042") && view.text.contains("id=\"repair-form\""),
            "{}",
            view.text
        );
        let ops = app
            .login("admin@operator.test", supportal_app::demo::DEMO_PASSWORD)
            .await;
        let res = app.get("/api/v1/admin/claims?status=submitted", &ops).await;
        assert_eq!(
            res.body["items"].as_array().map(Vec::len),
            Some(1),
            "{}",
            res.text
        );
        assert_eq!(res.body["items"][0]["partner"], "Nordlys Service AS");
        let sven = app
            .login("sven@nordlys.test", supportal_app::demo::DEMO_PASSWORD)
            .await;
        let nordlys = app.get("/api/v1/me", &sven).await.body["memberships"][0]["company_id"]
            .as_i64()
            .expect("company");
        let res = app
            .get(&format!("/api/v1/partners/{nordlys}/cases"), &sven)
            .await;
        assert_eq!(
            res.body["items"].as_array().map(Vec::len),
            Some(1),
            "{}",
            res.text
        );
        let res = app
            .get(&format!("/api/v1/partners/{nordlys}/customers"), &sven)
            .await;
        assert_eq!(
            (
                res.body["items"][0]["self_service_alerts"].as_bool(),
                res.body["items"][0]["alerts"].as_i64()
            ),
            (Some(false), Some(1)),
            "{}",
            res.text
        );
    })
    .await;
}

#[tokio::test]
async fn guessing_cpins_and_flooding_alerts_are_bounded() {
    on_both(|app| async move {
        let c = channel(&app).await;
        let (sid, ref partner) = c.service;
        feed(&app, &c.feed, json!([sale("5CG0000701", sid, "A")])).await;
        let res = app
            .post(
                &format!("/api/v1/partners/{sid}/customers"),
                Some(partner),
                json!({ "name": "Acme" }),
            )
            .await;
        let cpin = res.body["cpin"].as_str().expect("cpin").to_owned();
        // Thirty wrong guesses from one address, then 429 even for the right cPIN.
        let digits = b"23456789";
        for i in 0..30 {
            let guess = format!(
                "C-ABCDEFGH{}{}",
                digits[i / 8] as char,
                digits[i % 8] as char
            );
            let body = json!({ "cpin": guess, "serial_number": "5CG0000701" });
            let res = app.post("/api/v1/devices/enroll", None, body).await;
            assert_eq!(res.code(), "unknown_device_or_cpin", "{}", res.text);
        }
        let res = app
            .post(
                "/api/v1/devices/enroll",
                None,
                json!({ "cpin": cpin, "serial_number": "5CG0000701" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text);
        assert!(res.headers.get("retry-after").is_some());
        // A device reports at most 120 alerts an hour.
        let res = app
            .post(
                &format!("/api/v1/partners/{sid}/devices/5CG0000701/agent-token"),
                Some(partner),
                json!({}),
            )
            .await;
        let agent = res.body["device_token"].as_str().expect("token").to_owned();
        let alert =
            json!({ "code": "T", "component": "thermal", "severity": "info", "message": "Warm" });
        for _ in 0..120 {
            let res = app
                .post(
                    "/api/v1/devices/5CG0000701/alerts",
                    Some(&agent),
                    alert.clone(),
                )
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        }
        let res = app
            .post("/api/v1/devices/5CG0000701/alerts", Some(&agent), alert)
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text);
    })
    .await;
}
