//! Bursts over real connections (issue 9): fifty case openings at once from each start — serial
//! number, agreement ID, product — on a database with one read connection (see
//! `Sizes::strict`), so a handler that holds a connection while waiting for another fails here.
//! Every answer is a case or a refusal with a reason; none is a server error, and an agreement
//! never pays for more cases than it has units.

use crate::cases::world;
use crate::support::{Served, TestApp, on_both};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Sends `body` fifty times at once; returns the statuses.
async fn burst(served: &Served, token: &str, body: Value) -> Vec<u16> {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..50 {
        let (served, token) = (*served, token.to_owned());
        let mut body = body.clone();
        body["title"] = json!(format!("Burst {i}"));
        tasks.spawn(async move {
            let (status, answer, _) = served
                .json("POST", "/api/v1/cases", Some(&token), &[], Some(&body))
                .await;
            assert!(status < 500, "{status}: {answer}");
            status
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("task"));
    }
    statuses
}

fn created(statuses: &[u16]) -> usize {
    statuses.iter().filter(|s| **s == 201).count()
}

#[tokio::test]
async fn fifty_case_openings_at_once_from_each_start() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app.login("ops@operator.test", crate::support::PASSWORD).await;
        let today = chrono::Utc::now().date_naive();
        let res = app
            .post("/api/v1/admin/agreements", Some(&ops), json!([{ "access_id": "A-9", "agreement_id": "7009", "programme": "Premier", "units": 20, "start": (today - chrono::Duration::days(1)).to_string(), "scopes": ["on_premises"], "skus": ["SW-1"] }]))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let res = app.post("/api/v1/me/agreements", Some(&w.worker), json!({ "access_id": "A-9", "agreement_id": "7009" })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let served = app.serve().await;

        // A care pack pays for every case of its serial.
        let statuses = burst(&served, &w.worker, json!({ "serial_number": "SRV0001", "description": "d", "severity": 3 })).await;
        assert_eq!(created(&statuses), 50, "{}: {statuses:?}", app.backend);

        // Twenty units for fifty openings: twenty cases, thirty refusals.
        let statuses = burst(&served, &w.worker, json!({ "agreement_id": "7009", "description": "d", "severity": 3 })).await;
        assert_eq!(created(&statuses), 20, "{}: {statuses:?}", app.backend);

        // By product: the last two units of the other agreement for the same product.
        let mine = app.get("/api/v1/me/agreements", &w.worker).await;
        let other = mine.body["items"].as_array().into_iter().flatten().find(|a| a["agreement_id"] == "7001").and_then(|a| a["id"].as_i64()).expect("7001");
        let statuses = burst(&served, &w.worker, json!({ "sku": "SW-1", "entitlement_id": other, "description": "d", "severity": 3 })).await;
        assert_eq!(created(&statuses), 2, "{}: {statuses:?}", app.backend);

        let list = app.get("/api/v1/cases?view=company&limit=500", &w.admin).await;
        assert_eq!(list.body["items"].as_array().map(Vec::len), Some(72), "every answered case exists, no more");
    })
    .await;
}

#[tokio::test]
async fn ten_copies_of_one_case_at_once_open_it_once() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let served = app.serve().await;
        let body = json!({ "serial_number": "SRV0001", "title": "Retried", "description": "d", "severity": 3 });
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let (token, body) = (w.worker.clone(), body.clone());
            tasks.spawn(async move {
                served.json("POST", "/api/v1/cases", Some(&token), &[("Idempotency-Key", "retry-1")], Some(&body)).await
            });
        }
        let mut numbers = Vec::new();
        while let Some(answer) = tasks.join_next().await {
            let (status, body, _) = answer.expect("task");
            assert_eq!(status, 201, "{body}");
            numbers.push(body["case_id"].as_str().map(str::to_owned));
        }
        assert!(numbers.windows(2).all(|n| n[0] == n[1]), "{numbers:?}");
        let list = app.get("/api/v1/cases?view=company", &w.admin).await;
        assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1), "{}", app.backend);
    })
    .await;
}
