//! Issue 9's purchase defects: incidents for free from an always-on test provider, no throttle,
//! and a double submit that charged twice.

use crate::support::{TestApp, on_both};
use crate::visitor::registered;
use axum::http::StatusCode;
use serde_json::json;

fn five_pack() -> serde_json::Value {
    json!({ "pack": "five_pack", "region": "EU", "card_number": "4242 4242 4242 4242", "card_holder": "Bo Buyer" })
}

async fn agreements(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/me/agreements", token).await.body["items"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn without_a_provider_purchases_are_unavailable_and_say_why() {
    on_both(|mut app: TestApp| async move {
        let mut config = (*app.state.config).clone();
        config.payment_provider = None;
        let state = supportal_web::AppState::new(app.state.db.clone(), config);
        app.state = state.clone();
        app.router = supportal_web::router(state);
        let mut v = registered(&app, "buyer@shop.test", "Bo Buyer").await;
        let page = v.get("/purchase").await;
        assert!(page.text.contains("not available"), "{}", page.text);
        assert!(!page.text.contains("card_number"), "no card form");
        drop(v);
        let buyer = app.login("buyer@shop.test", crate::support::PASSWORD).await;
        let res = app
            .post("/api/v1/purchases", Some(&buyer), five_pack())
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::SERVICE_UNAVAILABLE, "payments_unavailable"),
            "{}",
            res.text
        );
        assert_eq!(agreements(&app, &buyer).await, 0, "no incidents for free");
    })
    .await;
}

#[tokio::test]
async fn a_retry_with_the_same_key_buys_once() {
    on_both(|app: TestApp| async move {
        let buyer = app.user("buyer@shop.test", "Bo Buyer").await;
        let served = app.serve().await;
        let headers = [("Idempotency-Key", "order-7")];
        // Ten copies of one request at once, as a client that retries on a timeout would send.
        let mut copies = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let buyer = buyer.clone();
            copies.spawn(async move {
                served.json("POST", "/api/v1/purchases", Some(&buyer), &headers, Some(&five_pack())).await
            });
        }
        let mut bought = Vec::new();
        while let Some(answer) = copies.join_next().await {
            let (status, body, _) = answer.expect("task");
            match status {
                201 => bought.push(body["purchase_id"].as_i64()),
                409 => assert_eq!(body["code"], "purchase_in_progress"),
                other => panic!("unexpected {other}: {body}"),
            }
        }
        assert!(!bought.is_empty());
        assert!(bought.windows(2).all(|w| w[0] == w[1]), "{bought:?}");
        // Afterwards, the same key answers with the same purchase.
        let (status, again, _) = served.json("POST", "/api/v1/purchases", Some(&buyer), &headers, Some(&five_pack())).await;
        assert_eq!((status, again["purchase_id"].as_i64()), (201, bought[0]));
        assert_eq!(again["agreement"]["units_remaining"], 5, "{again}");
        let receipts: Vec<_> = app.mails("buyer@shop.test").await.into_iter().filter(|(s, _)| s.starts_with("Your receipt")).collect();
        assert_eq!(receipts.len(), 1, "one receipt for the one purchase: {receipts:?}");
        assert!(receipts[0].1.contains("Payment reference") && receipts[0].1.contains("agreement ID"), "{:?}", receipts[0]);
        assert_eq!(agreements(&app, &buyer).await, 1, "{}: one agreement, one charge", app.backend);

        // A declined card leaves the key free for the corrected request.
        let declined = json!({ "pack": "single", "region": "EU", "card_number": "4000 0000 0000 0002", "card_holder": "Bo" });
        let key = [("Idempotency-Key", "order-8")];
        assert_eq!(served.json("POST", "/api/v1/purchases", Some(&buyer), &key, Some(&declined)).await.0, 402);
        assert_eq!(served.json("POST", "/api/v1/purchases", Some(&buyer), &key, Some(&five_pack())).await.0, 201);
        assert_eq!(agreements(&app, &buyer).await, 2);

        let res = app.send(
            axum::http::Request::post("/api/v1/purchases")
                .header("authorization", format!("Bearer {buyer}"))
                .header("content-type", "application/json")
                .header("idempotency-key", "x".repeat(300))
                .body(axum::body::Body::from(five_pack().to_string()))
                .expect("request"),
        ).await;
        assert_eq!(res.fields(), ["idempotency_key"]);
    })
    .await;
}

#[tokio::test]
async fn purchases_are_throttled_per_buyer() {
    on_both(|app: TestApp| async move {
        let buyer = app.user("buyer@shop.test", "Bo Buyer").await;
        let declined = json!({ "pack": "single", "region": "EU", "card_number": "4000 0000 0000 0002", "card_holder": "Bo" });
        for _ in 0..supportal_app::entitlements::PURCHASE_LIMIT_ACCOUNT {
            assert_eq!(app.post("/api/v1/purchases", Some(&buyer), declined.clone()).await.status, StatusCode::PAYMENT_REQUIRED);
        }
        let res = app.post("/api/v1/purchases", Some(&buyer), five_pack()).await;
        assert_eq!((res.status, res.code()), (StatusCode::TOO_MANY_REQUESTS, "too_many_purchases"));
        assert!(res.headers.contains_key("retry-after"));
        assert_eq!(agreements(&app, &buyer).await, 0);
        app.state.clock.advance(chrono::Duration::minutes(61));
        assert_eq!(app.post("/api/v1/purchases", Some(&buyer), five_pack()).await.status, StatusCode::CREATED);
    })
    .await;
}
