//! The support desk at work (SUP-3, SUP-4, CAS-14): an engineer claims a routed case, replies
//! and notes, moves its status, orders parts and visits, refunds; service-level clocks, the
//! breach sweep and its single notice; and who may do any of it.

use crate::cases::world;
use crate::support::{PASSWORD, TestApp, on_both};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use supportal_domain::StaffRole;

pub(crate) struct Desk {
    pub ops: String,
    pub eng: String,
    pub queue: i64,
}

/// A default queue with one engineer, and targets for the world's server (4-hour care pack) at
/// severity 3: first response in an hour, resolution in eight, round the clock.
pub(crate) async fn desk(app: &TestApp) -> Desk {
    let ops = app.login("ops@operator.test", PASSWORD).await;
    let eng = app.staff("eng@operator.test", StaffRole::Engineer).await;
    let res = app
        .post(
            "/api/v1/admin/queues",
            Some(&ops),
            json!({ "name": "General", "engineers": ["eng@operator.test"], "default": true }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let queue = res.body["id"].as_i64().expect("queue");
    let res = app
        .post(
            "/api/v1/admin/slas",
            Some(&ops),
            json!({ "coverage": "4h_24x7_onsite", "severity": 3, "response_minutes": 60, "resolution_minutes": 480 }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    Desk { ops, eng, queue }
}

pub(crate) async fn open_case(app: &TestApp, worker: &str, title: &str) -> String {
    let case = json!({ "serial_number": "SRV0001", "title": title, "description": "The fan is loud", "severity": 3 });
    let res = app.post("/api/v1/cases", Some(worker), case).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.body["case_id"].as_str().expect("number").to_owned()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .unwrap_or_else(|| panic!("a time: {v}"))
        .parse()
        .expect("time")
}

fn kinds(body: &Value) -> Vec<String> {
    body["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn an_engineer_works_a_case_from_claim_to_resolution() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Fan noise").await;
        let path = format!("/api/v1/cases/{number}");

        let res = app.get("/api/v1/desk/queues", &d.eng).await;
        assert_eq!(res.body["items"], json!([{ "id": d.queue, "name": "General", "open": 1, "unassigned": 1, "breached": 0 }]), "{}", res.text);
        let res = app.get("/api/v1/desk/cases?assignee=none", &d.eng).await;
        let item = &res.body["items"][0];
        assert_eq!(item["case_id"], number.as_str());
        assert_eq!(item["company"], "Acme");
        let staff_view = app.get(&path, &d.eng).await;
        let opened = time(&staff_view.body["created_at"]);
        assert_eq!(time(&item["response_due"]), opened + Duration::minutes(60), "the response target counts from the opening, round the clock");
        assert_eq!(time(&item["resolution_due"]), opened + Duration::minutes(480));
        assert_eq!(staff_view.body["desk"]["coverage"], "4h_24x7_onsite");
        assert!(app.get(&path, &w.worker).await.body.get("desk").is_none(), "customers do not get the desk's side");

        let res = app.post(&format!("{path}/assign"), Some(&d.eng), json!({ "assignee": "me" })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["status"], "assigned", "a claimed case is assigned");
        assert_eq!(res.body["desk"]["assignee"], "Staff Member");

        let note = "Customer seems to run it at 45 degrees, check logs";
        let res = app.post(&format!("{path}/replies"), Some(&d.eng), json!({ "body": note, "internal": true })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert!(res.body["desk"]["responded_at"].is_null(), "an internal note does not meet the response target");
        let res = app.post(&format!("{path}/replies"), Some(&d.eng), json!({ "body": "Please send the fan logs.", "internal": false })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        assert!(res.body["desk"]["responded_at"].is_string(), "the first public reply meets it");
        assert_eq!(app.post(&format!("{path}/replies"), Some(&d.eng), json!({ "body": "  " })).await.fields(), ["body"]);

        let customer = app.get(&path, &w.worker).await;
        assert!(!customer.text.contains(note), "an internal note is never in a customer's answer");
        let reply = customer.body["history"].as_array().expect("history").iter().find(|e| e["kind"] == "reply").expect("reply").clone();
        assert_eq!(reply["from_support"], true);
        assert_eq!(reply["actor"], "Staff Member");
        let mails = app.mails("worker@acme.test").await;
        assert!(mails[0].0.contains(&number) && mails[0].1.contains("Please send the fan logs."), "the contacts get the reply: {:?}", mails[0]);
        assert!(mails.iter().all(|(s, t)| !s.contains(note) && !t.contains(note)), "nor in any email");
        let mut customer_browser = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        let page = customer_browser.get(&format!("/cases/{number}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Please send the fan logs.") && !page.text.contains(note), "nor on the case page");
        assert!(!page.text.contains("id=\"desk\""), "customers get no desk panel");
        let mut engineer = crate::desk_setup::signed_in(&app, "eng@operator.test").await;
        let desk_page = engineer.get(&format!("/cases/{number}")).await;
        assert!(desk_page.text.contains(note) && desk_page.text.contains("id=\"desk\""), "the engineer's workspace");
        let list = app.get("/api/v1/cases", &w.worker).await;
        assert!(!list.text.contains(note), "nor in a list");
        let staff_page = app.get(&path, &d.eng).await;
        assert!(staff_page.text.contains(note), "the desk reads it");

        // CAS-14: illegal moves are refused.
        let status_path = format!("{path}/status");
        let status = |body: Value| app.post(&status_path, Some(&d.eng), body);
        assert_eq!(status(json!({ "status": "closed" })).await.code(), "illegal_status_change");
        assert_eq!(status(json!({ "status": "new" })).await.code(), "illegal_status_change");
        assert_eq!(status(json!({ "status": "flying" })).await.fields(), ["status"]);
        assert_eq!(status(json!({ "status": "resolved" })).await.fields(), ["resolution_code"]);
        assert_eq!(status(json!({ "status": "resolved", "resolution_code": "magic" })).await.fields(), ["resolution_code"]);

        // Waiting on the customer stops the resolution clock; the customer's answer restarts it.
        let res = status(json!({ "status": "waiting_on_customer" })).await;
        assert_eq!(res.body["desk"]["sla_paused"], true, "{}", res.text);
        assert!(res.body["desk"]["resolution_due"].is_null());
        app.state.clock.advance(Duration::minutes(30));
        let res = app.post(&format!("{path}/messages"), Some(&w.worker), json!({ "body": "Logs attached tomorrow" })).await;
        assert_eq!(res.body["status"], "in_progress", "the customer's answer puts the case back in progress");
        let staff = app.get(&path, &d.eng).await;
        let due = time(&staff.body["desk"]["resolution_due"]);
        let expected = opened + Duration::minutes(480 + 30);
        assert!((due - expected).num_seconds().abs() < 5, "the pause is added to the due time: {due} vs {expected}");

        // Parts and onsite service.
        let res = app.post(&format!("{path}/parts-orders"), Some(&d.eng), json!({ "part_number": "FAN-220", "description": "System fan", "quantity": 0 })).await;
        assert_eq!(res.fields(), ["quantity"]);
        let res = app.post(&format!("{path}/parts-orders"), Some(&d.eng), json!({ "part_number": "FAN-220", "description": "System fan", "quantity": 1 })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let order = &res.body["parts_orders"][0];
        assert_eq!(order["status"], "ordered");
        assert!(order["ship_to"].as_str().expect("ship to").contains("Acme"), "ships to the case's address by default: {order}");
        let order_path = format!("{path}/parts-orders/{}", order["id"]);
        assert_eq!(app.patch(&order_path, &d.eng, json!({ "status": "shipped" })).await.fields(), ["carrier", "tracking"]);
        assert_eq!(app.patch(&order_path, &d.eng, json!({ "status": "delivered" })).await.code(), "illegal_order_change");
        let res = app.patch(&order_path, &d.eng, json!({ "status": "shipped", "carrier": "DHL", "tracking": "JD0123" })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(app.patch(&format!("{path}/parts-orders/999999"), &d.eng, json!({ "status": "shipped", "carrier": "DHL", "tracking": "X" })).await.status, StatusCode::NOT_FOUND);
        let seen = app.get(&path, &w.worker).await;
        assert_eq!(seen.body["parts_orders"][0]["tracking"], "JD0123", "the customer sees the part's status");
        assert!(customer_browser.get(&format!("/cases/{number}")).await.text.contains("JD0123"));

        let start = Utc::now() + Duration::days(1);
        let visit = |s: DateTime<Utc>, e: DateTime<Utc>| json!({ "window_start": s, "window_end": e, "engineer": "Kari Nordmann" });
        let res = app.post(&format!("{path}/service-orders"), Some(&d.eng), visit(start, start - Duration::hours(1))).await;
        assert_eq!(res.fields(), ["window_end"]);
        let res = app.post(&format!("{path}/service-orders"), Some(&d.eng), visit(start, start + Duration::hours(4))).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let visit_path = format!("{path}/service-orders/{}", res.body["service_orders"][0]["id"]);
        assert_eq!(app.patch(&visit_path, &d.eng, json!({ "status": "completed" })).await.status, StatusCode::OK);
        assert_eq!(app.patch(&visit_path, &d.eng, json!({ "status": "cancelled" })).await.code(), "illegal_order_change");

        let res = app.post(&format!("{path}/severity"), Some(&d.eng), json!({ "severity": 2, "reason": "" })).await;
        assert_eq!(res.fields(), ["reason"]);
        let res = app.post(&format!("{path}/severity"), Some(&d.eng), json!({ "severity": 2, "reason": "Second server affected" })).await;
        assert_eq!(res.body["severity"], 2, "{}", res.text);
        let res = app.post(&format!("{path}/refund"), Some(&d.eng), json!({ "reason": "Goodwill" })).await;
        assert_eq!(res.code(), "no_incident", "a case on a care pack spent no incident");

        let before = app.mails("worker@acme.test").await.len();
        let res = status(json!({ "status": "resolved", "resolution_code": "part_replaced" })).await;
        assert_eq!(res.body["status"], "resolved", "{}", res.text);
        assert_eq!(res.body["resolution_code"], "part_replaced");
        assert_eq!(app.mails("worker@acme.test").await.len(), before + 1, "the contact hears of the resolution");
        for kind in ["assigned", "internal_note", "reply", "status", "customer_answered", "parts_ordered", "parts_order_changed", "service_ordered", "service_order_changed", "severity_changed"] {
            assert!(kinds(&res.body).iter().any(|k| k == kind), "{kind} is in the history: {:?}", kinds(&res.body));
        }

        // Resolved cases close by themselves after 14 days.
        app.state.clock.advance(Duration::days(13));
        assert_eq!(supportal_app::desk::work::close_resolved(&app.state).await.expect("close"), 0);
        app.state.clock.advance(Duration::days(2));
        assert_eq!(supportal_app::desk::work::close_resolved(&app.state).await.expect("close"), 1);
        let res = app.get(&path, &w.worker).await;
        assert_eq!(res.body["status"], "closed");
        assert_eq!(kinds(&res.body).last().map(String::as_str), Some("auto_closed"));
        assert_eq!(app.mails("worker@acme.test").await[0].0, format!("Case {number} is closed"), "and of the closure");
    })
    .await;
}

#[tokio::test]
async fn a_breach_is_flagged_once_and_the_queue_told_once() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Disk errors").await;
        assert_eq!(
            supportal_app::desk::sla::sweep(&app.state)
                .await
                .expect("sweep"),
            0,
            "nothing due yet"
        );
        app.state.clock.advance(Duration::minutes(61));
        let state = app.state.clone();
        let other = app.state.clone();
        let (a, b) = tokio::join!(
            supportal_app::desk::sla::sweep(&state),
            supportal_app::desk::sla::sweep(&other)
        );
        assert_eq!(
            a.expect("a") + b.expect("b"),
            1,
            "two sweeps at once flag the breach once"
        );
        assert_eq!(
            supportal_app::desk::sla::sweep(&app.state)
                .await
                .expect("sweep"),
            0
        );
        let told: Vec<_> = app
            .mails("eng@operator.test")
            .await
            .into_iter()
            .filter(|(s, _)| s.contains(&number))
            .collect();
        assert_eq!(told.len(), 1, "one notice: {told:?}");
        assert!(
            told[0].0.contains("First response target missed"),
            "{:?}",
            told[0]
        );
        let res = app.get("/api/v1/desk/queues", &d.eng).await;
        assert_eq!(res.body["items"][0]["breached"], 1);
        let res = app.get("/api/v1/desk/cases?sla=breached", &d.eng).await;
        assert_eq!(res.body["items"][0]["case_id"], number.as_str());
        assert_eq!(res.body["items"][0]["breached"], true);
        assert_eq!(
            app.get("/api/v1/desk/cases?sla=due_soon", &d.eng)
                .await
                .body["items"],
            json!([])
        );
        assert_eq!(
            app.get("/api/v1/desk/cases?sla=later", &d.eng)
                .await
                .fields(),
            ["sla"]
        );
        let mut engineer = crate::desk_setup::signed_in(&app, "eng@operator.test").await;
        let page = engineer.get("/desk").await;
        assert!(
            page.text.contains(&number) && page.text.contains("class=\"breached\""),
            "the console flags it: {}",
            page.text
        );

        // A reply does not undo a breach, and the resolution target breaches on its own.
        let path = format!("/api/v1/cases/{number}");
        app.post(
            &format!("{path}/replies"),
            Some(&d.eng),
            json!({ "body": "On it" }),
        )
        .await;
        app.state.clock.advance(Duration::hours(8));
        assert_eq!(
            supportal_app::desk::sla::sweep(&app.state)
                .await
                .expect("sweep"),
            1
        );
        let told = app
            .mails("eng@operator.test")
            .await
            .into_iter()
            .filter(|(s, _)| s.contains(&number))
            .count();
        assert_eq!(told, 2);
    })
    .await;
}

#[tokio::test]
async fn business_hours_and_severity_set_the_due_times() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let hours = json!({ "mon": ["08:00-17:00"], "tue": ["08:00-17:00"], "wed": ["08:00-17:00"], "thu": ["08:00-17:00"], "fri": ["08:00-17:00"] });
        let calendar = json!({ "name": "Benelux", "time_zone": "Europe/Amsterdam", "hours": hours, "holidays": ["2026-12-25", "2026-12-26"] });
        let res = app.post("/api/v1/admin/calendars", Some(&d.ops), calendar.clone()).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let calendar_id = res.body["id"].as_i64().expect("id");
        assert_eq!(app.post("/api/v1/admin/calendars", Some(&d.ops), calendar).await.code(), "calendar_name_taken");
        let bad = json!({ "name": "Bad", "time_zone": "Mars/Olympus", "hours": { "mon": ["17:00-08:00"], "funday": ["08:00-09:00"] }, "holidays": ["soon"] });
        let mut fields = app.post("/api/v1/admin/calendars", Some(&d.ops), bad).await.fields();
        fields.sort();
        fields.dedup();
        assert!(fields.contains(&"time_zone".to_owned()) && fields.contains(&"hours".to_owned()), "{fields:?}");
        assert_eq!(app.post("/api/v1/admin/calendars", Some(&d.eng), json!({ "name": "X", "time_zone": "UTC" })).await.status, StatusCode::FORBIDDEN, "engineers do not set up");

        let sla = json!({ "coverage": "4h_24x7_onsite", "severity": 2, "response_minutes": 120, "resolution_minutes": 960, "calendar_id": calendar_id });
        let res = app.post("/api/v1/admin/slas", Some(&d.ops), sla.clone()).await;
        let id = res.body["id"].clone();
        assert_eq!(app.post("/api/v1/admin/slas", Some(&d.ops), sla).await.body["id"], id, "setting a target again replaces it");
        for (body, field) in [
            (json!({ "coverage": "gold", "severity": 2, "response_minutes": 1, "resolution_minutes": 1 }), "coverage"),
            (json!({ "coverage": "incident", "severity": 9, "response_minutes": 1, "resolution_minutes": 1 }), "severity"),
            (json!({ "coverage": "incident", "severity": 2, "response_minutes": 0, "resolution_minutes": 1 }), "response_minutes"),
            (json!({ "coverage": "incident", "severity": 2, "response_minutes": 1, "resolution_minutes": 1, "calendar_id": 999999 }), "calendar_id"),
        ] {
            assert_eq!(app.post("/api/v1/admin/slas", Some(&d.ops), body).await.fields(), [field]);
        }
        let listed = app.get("/api/v1/admin/slas", &d.eng).await;
        assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(2), "{}", listed.text);

        // Severity 3 runs round the clock; moved to 2, the case runs on the Benelux calendar.
        let number = open_case(&app, &w.worker, "Slow array").await;
        let path = format!("/api/v1/cases/{number}");
        let res = app.post(&format!("{path}/severity"), Some(&d.eng), json!({ "severity": 2, "reason": "More users affected" })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let opened = time(&res.body["created_at"]);
        let hours: Vec<(String, Vec<String>)> = ["mon", "tue", "wed", "thu", "fri"].iter().map(|d| (d.to_string(), vec!["08:00-17:00".to_string()])).collect();
        let benelux = supportal_domain::sla::Hours::Business(
            supportal_domain::sla::Calendar::parse("Europe/Amsterdam", &hours, &["2026-12-25".into(), "2026-12-26".into()]).expect("calendar"),
        );
        assert_eq!(time(&res.body["desk"]["response_due"]), benelux.add(opened, Duration::minutes(120)), "business hours from the opening");
        assert_eq!(app.post(&format!("{path}/severity"), Some(&d.eng), json!({ "severity": 2, "reason": "Again" })).await.fields(), ["severity"]);
    })
    .await;
}

#[tokio::test]
async fn wrong_role_and_wrong_tenant_on_every_desk_route() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Who may touch this").await;
        let stranger = app.staff("other-eng@operator.test", StaffRole::Engineer).await;
        let path = format!("/api/v1/cases/{number}");
        let actions: Vec<(String, Value)> = vec![
            (format!("{path}/assign"), json!({ "assignee": "me" })),
            (format!("{path}/replies"), json!({ "body": "Hello" })),
            (format!("{path}/status"), json!({ "status": "in_progress" })),
            (format!("{path}/severity"), json!({ "severity": 1, "reason": "x" })),
            (format!("{path}/refund"), json!({ "reason": "x" })),
            (format!("{path}/parts-orders"), json!({ "part_number": "P", "description": "D", "quantity": 1 })),
            (format!("{path}/service-orders"), json!({ "window_start": Utc::now(), "window_end": Utc::now() + Duration::hours(1), "engineer": "E" })),
        ];
        for (route, body) in &actions {
            let res = app.post(route, Some(&w.worker), body.clone()).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "a customer on {route}: {}", res.text);
            assert_eq!(res.code(), "staff_required");
            let res = app.post(route, Some(&w.other), body.clone()).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "another company on {route}");
            let res = app.post(route, Some(&stranger), body.clone()).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "an engineer of no queue of the case on {route}: {}", res.text);
            let res = app.post(route, None, body.clone()).await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "nobody on {route}");
        }
        for route in ["/api/v1/desk/queues", "/api/v1/desk/cases", "/api/v1/admin/calendars", "/api/v1/admin/slas"] {
            assert_eq!(app.get(route, &w.worker).await.status, StatusCode::FORBIDDEN, "{route}");
        }
        let calendar = json!({ "name": "X", "time_zone": "UTC", "hours": { "mon": ["08:00-17:00"] } });
        let sla = json!({ "coverage": "incident", "severity": 3, "response_minutes": 60, "resolution_minutes": 600 });
        for (route, body) in [("/api/v1/admin/calendars", calendar), ("/api/v1/admin/slas", sla)] {
            for (who, token) in [("a customer", &w.worker), ("another company", &w.other), ("an engineer", &stranger)] {
                let res = app.post(route, Some(token), body.clone()).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} on {route}: {}", res.text);
            }
            assert_eq!(app.post(route, None, body.clone()).await.status, StatusCode::UNAUTHORIZED, "nobody on {route}");
        }
        assert_eq!(app.get(&path, &stranger).await.status, StatusCode::NOT_FOUND, "engineers see their queues' cases only");
        assert_eq!(app.get("/api/v1/desk/queues", &stranger).await.body["items"], json!([]));
        assert_eq!(app.get("/api/v1/desk/cases", &stranger).await.body["items"], json!([]));
        assert_eq!(app.get(&format!("/api/v1/desk/cases?queue_id={}", d.queue), &stranger).await.body["items"], json!([]), "nor by naming the queue");
        for bad in ["assignee=someone", "status=flying", "sort=password_hash", "cursor=-4", "severity=7"] {
            let res = app.get(&format!("/api/v1/desk/cases?{bad}"), &d.eng).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", res.text);
        }
        // Assigning to a customer, or to nobody that exists, is refused.
        let worker_id = app.user_id(&w.worker).await;
        let res = app.post(&format!("{path}/assign"), Some(&d.eng), json!({ "assignee": worker_id })).await;
        assert_eq!(res.fields(), ["assignee"]);
        let res = app.post(&format!("{path}/assign"), Some(&d.eng), json!({ "assignee": "me", "queue_id": 999999 })).await;
        assert_eq!(res.fields(), ["queue_id"]);
        // Assigned to the other engineer, the case is theirs to see.
        let stranger_id = app.user_id(&stranger).await;
        let res = app.post(&format!("{path}/assign"), Some(&d.eng), json!({ "assignee": stranger_id })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(app.get(&path, &stranger).await.status, StatusCode::OK);
        // Many engineers at once over HTTP: every claim answers, the case ends with one of them.
        let claims = (0..20).map(|i| {
            let token = if i % 2 == 0 { d.eng.clone() } else { d.ops.clone() };
            let route = format!("{path}/assign");
            let app = &app;
            async move { app.post(&route, Some(&token), json!({ "assignee": "me" })).await.status }
        });
        for status in futures_util::future::join_all(claims).await {
            assert_eq!(status, StatusCode::OK);
        }
        let _ = d.ops;
    })
    .await;
}

#[tokio::test]
async fn letting_go_moving_away_and_reopening_leave_a_consistent_case() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Consistency").await;
        let path = format!("/api/v1/cases/{number}");
        let res = app
            .post(
                &format!("{path}/assign"),
                Some(&d.eng),
                json!({ "assignee": "me" }),
            )
            .await;
        assert_eq!(res.body["status"], "assigned");
        let res = app
            .post(
                &format!("{path}/assign"),
                Some(&d.eng),
                json!({ "assignee": null }),
            )
            .await;
        assert_eq!(
            res.body["status"], "new",
            "let go, the case is new again: {}",
            res.text
        );
        assert!(res.body["desk"]["assignee"].is_null());

        // Resolved, then reopened by the customer: the resolution code goes with it.
        app.post(
            &format!("{path}/assign"),
            Some(&d.eng),
            json!({ "assignee": "me" }),
        )
        .await;
        let res = app
            .post(
                &format!("{path}/status"),
                Some(&d.eng),
                json!({ "status": "resolved", "resolution_code": "fixed" }),
            )
            .await;
        assert_eq!(res.body["resolution_code"], "fixed");
        let res = app
            .post(
                &format!("{path}/actions"),
                Some(&w.worker),
                json!({ "action": "reopen" }),
            )
            .await;
        assert_eq!(res.body["status"], "reopened", "{}", res.text);
        assert!(
            res.body["resolution_code"].is_null(),
            "no resolution on an open case"
        );

        // Moved to a queue the engineer does not work: the move is answered, not refused.
        let res = app
            .post(
                "/api/v1/admin/queues",
                Some(&d.ops),
                json!({ "name": "Elsewhere", "engineers": [] }),
            )
            .await;
        let elsewhere = res.body["id"].as_i64().expect("queue");
        let res = app
            .post(
                &format!("{path}/assign"),
                Some(&d.eng),
                json!({ "assignee": null, "queue_id": elsewhere }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["desk"]["queue"], "Elsewhere");
        assert_eq!(
            app.get(&path, &d.eng).await.status,
            StatusCode::NOT_FOUND,
            "and then it is out of sight"
        );
    })
    .await;
}

#[tokio::test]
async fn every_illegal_status_move_is_refused() {
    use supportal_domain::case::{CaseStatus, desk_move};
    const ALL: [&str; 8] = [
        "new",
        "assigned",
        "in_progress",
        "waiting_on_customer",
        "resolved",
        "closed",
        "cancelled",
        "reopened",
    ];
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        // Tries every move the lifecycle does not allow from where the case is: each is refused
        // and leaves the status as it was.
        let refuse_illegal = |path: String, from: &'static str| {
            let (app, eng) = (&app, d.eng.clone());
            async move {
                let status = CaseStatus::parse(from).expect("status");
                for to in ALL {
                    let target = CaseStatus::parse(to).expect("status");
                    if desk_move(status, target).is_ok() {
                        continue;
                    }
                    let body = json!({ "status": to, "resolution_code": "fixed" });
                    let res = app.post(&format!("{path}/status"), Some(&eng), body).await;
                    assert_eq!(
                        res.status,
                        StatusCode::CONFLICT,
                        "{from} -> {to}: {}",
                        res.text
                    );
                    assert_eq!(res.code(), "illegal_status_change", "{from} -> {to}");
                }
                let now = app.get(&path, &eng).await;
                assert_eq!(now.body["status"], from, "unchanged");
            }
        };
        let step = |path: String, to: &'static str| {
            let (app, eng) = (&app, d.eng.clone());
            async move {
                let body = json!({ "status": to, "resolution_code": "fixed" });
                let res = app.post(&format!("{path}/status"), Some(&eng), body).await;
                assert_eq!(res.body["status"], to, "{}", res.text);
            }
        };
        let number = open_case(&app, &w.worker, "Lifecycle").await;
        let path = format!("/api/v1/cases/{number}");
        refuse_illegal(path.clone(), "new").await;
        app.post(
            &format!("{path}/assign"),
            Some(&d.eng),
            json!({ "assignee": "me" }),
        )
        .await;
        refuse_illegal(path.clone(), "assigned").await;
        for (to, then) in [
            ("in_progress", "in_progress"),
            ("waiting_on_customer", "waiting_on_customer"),
            ("resolved", "resolved"),
            ("closed", "closed"),
        ] {
            step(path.clone(), to).await;
            refuse_illegal(path.clone(), then).await;
        }
        let number = open_case(&app, &w.worker, "Lifecycle, cancelled").await;
        let path = format!("/api/v1/cases/{number}");
        step(path.clone(), "cancelled").await;
        refuse_illegal(path.clone(), "cancelled").await;
        let number = open_case(&app, &w.worker, "Lifecycle, reopened").await;
        let path = format!("/api/v1/cases/{number}");
        app.post(
            &format!("{path}/assign"),
            Some(&d.eng),
            json!({ "assignee": "me" }),
        )
        .await;
        step(path.clone(), "resolved").await;
        let res = app
            .post(
                &format!("{path}/actions"),
                Some(&w.worker),
                json!({ "action": "reopen" }),
            )
            .await;
        assert_eq!(res.body["status"], "reopened");
        refuse_illegal(path.clone(), "reopened").await;
    })
    .await;
}
