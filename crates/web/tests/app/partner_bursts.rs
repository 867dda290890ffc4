//! The partner channel under bursts over real connections, on both databases: one alert
//! submitted twenty times at once makes one repair case; one feed sent twenty times at once
//! reports each device once; one device moved to two dashboards at once lands on one. No answer
//! is a server error.

use crate::partners::{channel, feed};
use crate::support::{Served, TestApp, on_both};
use serde_json::{Value, json};

async fn burst(
    served: &Served,
    path: &str,
    token: Option<&str>,
    bodies: Vec<Value>,
) -> Vec<(u16, Value)> {
    let mut tasks = tokio::task::JoinSet::new();
    for body in bodies {
        let (served, path, token) = (*served, path.to_owned(), token.map(str::to_owned));
        tasks.spawn(async move {
            let (status, answer, _) = served
                .json("POST", &path, token.as_deref(), &[], Some(&body))
                .await;
            assert!(status < 500, "{status}: {answer}");
            (status, answer)
        });
    }
    let mut out = Vec::new();
    while let Some(done) = tasks.join_next().await {
        out.push(done.expect("task"));
    }
    out
}

fn sale(serial: &str, partner: i64) -> Value {
    json!({ "serial_number": serial, "sku": "8A4X2EA", "service_plan": "premium",
            "partner_company_id": partner, "sold_on": "2026-11-02", "reference": "B-1" })
}

#[tokio::test]
async fn bursts_on_the_channel_do_everything_once() {
    on_both(|app: TestApp| async move {
        let c = channel(&app).await;
        let (sid, ref partner) = c.service;
        let served = app.serve().await;

        // One feed, twenty times at once.
        let rows: Vec<Value> = (0..50).map(|i| sale(&format!("5CG7{i:06}"), sid)).collect();
        let answers = burst(&served, "/api/v1/feeds/device-sales", Some(&c.feed), vec![Value::Array(rows); 20]).await;
        let created: i64 = answers.iter().filter_map(|(_, a)| a["created"].as_i64()).sum();
        assert_eq!(created, 50, "{answers:?}");
        for (status, answer) in &answers {
            assert!(*status == 200 || (*status == 409 && answer["code"] == "concurrent_report"), "{status} {answer}");
        }
        let res = app.get(&format!("/api/v1/partners/{sid}/unassigned-devices?limit=500"), partner).await;
        assert_eq!(res.body["items"].as_array().map(Vec::len), Some(50));

        // One device onto two dashboards at once: it lands on one.
        let mut dashboards = Vec::new();
        for name in ["North", "South"] {
            let res = app.post(&format!("/api/v1/partners/{sid}/customers"), Some(partner), json!({ "name": name })).await;
            dashboards.push(res.body["id"].as_i64().expect("id"));
        }
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..20 {
            let path = format!("/api/v1/partners/{sid}/customers/{}/devices", dashboards[i % 2]);
            let token = partner.clone();
            tasks.spawn(async move {
                let body = json!({ "serial_numbers": ["5CG7000001"] });
                served.json("POST", &path, Some(&token), &[], Some(&body)).await.0
            });
        }
        let mut moved = 0;
        while let Some(status) = tasks.join_next().await {
            match status.expect("task") {
                200 => moved += 1,
                422 => {}
                other => panic!("transfer answered {other}"),
            }
        }
        assert!(moved >= 1);
        let res = app.get(&format!("/api/v1/partners/{sid}/devices/5CG7000001"), partner).await;
        let moves = res.body["history"].as_array().expect("history").iter().filter(|e| e["kind"] == "transferred").count();
        assert_eq!(moves, 1, "{}", res.text);

        // One alert's repair case, twenty times at once.
        let res = app.post(&format!("/api/v1/partners/{sid}/devices/5CG7000002/agent-token"), Some(partner), json!({})).await;
        let agent = res.body["device_token"].as_str().expect("token").to_owned();
        let res = app.post("/api/v1/devices/5CG7000002/alerts", Some(&agent), json!({ "code": "PSU-1", "component": "power", "severity": "critical", "message": "No power" })).await;
        let token = res.body["view_url"].as_str().expect("view").rsplit('/').next().expect("t").to_owned();
        let body = json!({ "name": "Eve", "email": "eve@customer.test" });
        let answers = burst(&served, &format!("/api/v1/alerts/view/{token}/repair-case"), None, vec![body; 20]).await;
        let numbers: std::collections::BTreeSet<String> = answers
            .iter()
            .filter(|(s, _)| *s == 201)
            .filter_map(|(_, a)| a["number"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(numbers.len(), 1, "{answers:?}");
        for (status, answer) in &answers {
            assert!(*status == 201 || (*status == 409 && answer["code"] == "alert_case_exists"), "{status} {answer}");
        }
        let res = app.get(&format!("/api/v1/partners/{sid}/cases"), partner).await;
        assert_eq!(res.body["items"].as_array().map(Vec::len), Some(1), "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn a_customer_sees_only_the_devices_of_its_own_dashboards() {
    on_both(|app: TestApp| async move {
        let c = channel(&app).await;
        let (sid, ref partner) = c.service;
        let (acme, acme_admin) = app.company(&c.ops, "Acme", "acme.test", "boss@acme.test").await;
        let (globex, globex_admin) = app.company(&c.ops, "Globex", "globex.test", "boss@globex.test").await;
        feed(&app, &c.feed, json!([sale("5CG8000001", sid), sale("5CG8000002", sid), sale("5CG8000003", sid)])).await;
        for (company, serial) in [(acme, "5CG8000001"), (globex, "5CG8000002")] {
            let res = app.post(&format!("/api/v1/partners/{sid}/customers"), Some(partner), json!({ "name": format!("Customer {company}"), "customer_company_id": company })).await;
            let dash = res.body["id"].as_i64().expect("id");
            let res = app.post(&format!("/api/v1/partners/{sid}/customers/{dash}/devices"), Some(partner), json!({ "serial_numbers": [serial] })).await;
            assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text);
        }
        let res = app.get(&format!("/api/v1/companies/{acme}/devices"), &acme_admin).await;
        let serials: Vec<&str> = res.body["items"].as_array().expect("items").iter().filter_map(|d| d["serial_number"].as_str()).collect();
        assert_eq!(serials, ["5CG8000001"], "{}", res.text);
        let res = app.get(&format!("/api/v1/companies/{acme}/devices"), &globex_admin).await;
        assert_eq!(res.status, axum::http::StatusCode::NOT_FOUND, "{}", res.text);
        let res = app.post(&format!("/api/v1/partners/{sid}/customers"), Some(partner), json!({ "name": "Nobody", "customer_company_id": 999999 })).await;
        assert_eq!(res.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    })
    .await;
}
