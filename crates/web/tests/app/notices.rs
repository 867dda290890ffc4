//! In-app notifications (NTF-1): the bell and its page, the API, read and unread, each person's
//! choice per kind honoured for the portal and for email, and hostile or foreign input.

use crate::cases::world;
use crate::desk_work::{desk, open_case};
use crate::support::{TestApp, on_both};
use crate::visitor::location;
use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

async fn reply(app: &TestApp, eng: &str, number: &str, body: &str) {
    let path = format!("/api/v1/cases/{number}/replies");
    let res = app.post(&path, Some(eng), json!({ "body": body })).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
}

fn kinds(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn replies_and_status_changes_ring_the_bell_until_read() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Fan noise").await;
        let res = app.get("/api/v1/me/notifications", &w.worker).await;
        assert_eq!(
            res.body,
            json!({ "items": [], "unread": 0, "next_before": null }),
            "{}",
            res.text
        );

        let res = app
            .post(
                &format!("/api/v1/cases/{number}/assign"),
                Some(&d.eng),
                json!({ "assignee": "me" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        app.post("/api/v1/me/notifications/read", Some(&w.worker), json!({}))
            .await;
        reply(&app, &d.eng, &number, "Please send the fan logs.").await;
        let res = app
            .post(
                &format!("/api/v1/cases/{number}/status"),
                Some(&d.eng),
                json!({ "status": "waiting_on_customer" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let res = app
            .get("/api/v1/me/notifications?unread=true", &w.worker)
            .await;
        assert_eq!(
            kinds(&res.body),
            ["case_status", "case_reply"],
            "{}",
            res.text
        );
        assert_eq!(res.body["unread"], 2);
        let newest = &res.body["items"][0];
        assert_eq!(newest["read"], false);
        assert!(
            newest["title"]
                .as_str()
                .is_some_and(|t| t.contains(&number) && t.contains("Fan noise")),
            "{newest}"
        );
        assert!(
            newest["link"]
                .as_str()
                .is_some_and(|l| l.ends_with(&format!("/cases/{number}"))),
            "{newest}"
        );
        let reply_id = res.body["items"][1]["id"].as_i64().expect("id");
        // The engineer who wrote it hears nothing; someone of another company cannot mark it.
        assert_eq!(
            app.get("/api/v1/me/notifications", &d.eng).await.body["unread"],
            0
        );
        let res = app
            .post(
                "/api/v1/me/notifications/read",
                Some(&w.other),
                json!({ "ids": [reply_id] }),
            )
            .await;
        assert_eq!(res.body["unread"], 0, "{}", res.text);
        assert_eq!(
            app.get("/api/v1/me/notifications", &w.worker).await.body["unread"],
            2,
            "still unread for its owner"
        );

        // The bell on every page, its page, and opening one marks it read and goes to the case.
        let mut page = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        let home = page.get("/cases").await;
        assert!(
            home.text.contains("id=\"bell\"")
                && home.text.contains("<span class=\"count\">2</span>"),
            "{}",
            home.text
        );
        let list = page.get("/notifications").await;
        assert!(
            list.text
                .contains(&format!("href=\"/notifications/{reply_id}\"")),
            "{}",
            list.text
        );
        let opened = page.get(&format!("/notifications/{reply_id}")).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&opened), format!("/cases/{number}"));
        let res = app
            .get("/api/v1/me/notifications?unread=true", &w.worker)
            .await;
        assert_eq!(kinds(&res.body), ["case_status"], "{}", res.text);
        assert_eq!(res.body["unread"], 1);
        let mut stranger = crate::desk_setup::signed_in(&app, "boss@globex.test").await;
        assert_eq!(
            stranger
                .get(&format!("/notifications/{reply_id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            stranger.get("/notifications/abc").await.status,
            StatusCode::NOT_FOUND
        );

        // Mark all read, in the page; twice is the same.
        let res = page.post("/notifications/read", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let res = app
            .post("/api/v1/me/notifications/read", Some(&w.worker), json!({}))
            .await;
        assert_eq!(res.body, json!({ "unread": 0 }), "{}", res.text);
        let cases = page.get("/cases").await;
        assert!(
            !cases.text.contains("<span class=\"count\">"),
            "the bell is quiet"
        );
    })
    .await;
}

#[tokio::test]
async fn each_person_chooses_per_kind_and_the_choice_is_honoured() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let res = app.get("/api/v1/me/notification-settings", &w.worker).await;
        assert_eq!(
            res.body,
            json!({ "case_reply": "both", "case_status": "both", "invitation": "both",
                    "access_request": "both", "device_alert": "both" }),
            "customers have no SLA setting: {}",
            res.text
        );
        let res = app.get("/api/v1/me/notification-settings", &d.eng).await;
        assert_eq!(res.body["sla_breach"], "both", "{}", res.text);

        let number = open_case(&app, &w.worker, "Disk errors").await;
        async fn counts(app: &TestApp, token: &str, number: &str) -> (usize, usize) {
            let mails = app
                .mails("worker@acme.test")
                .await
                .into_iter()
                .filter(|(s, _)| s.contains(number) && s.contains("reply"))
                .count();
            let res = app.get("/api/v1/me/notifications", token).await;
            let bell = kinds(&res.body)
                .iter()
                .filter(|k| *k == "case_reply")
                .count();
            (mails, bell)
        }
        async fn put(app: &TestApp, token: &str, delivery: &str) {
            let res = app
                .put(
                    "/api/v1/me/notification-settings",
                    token,
                    json!({ "case_reply": delivery }),
                )
                .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.text);
            assert_eq!(res.body["case_reply"], delivery);
            assert_eq!(res.body["case_status"], "both", "the others keep theirs");
        }
        put(&app, &w.worker, "none").await;
        reply(&app, &d.eng, &number, "One").await;
        assert_eq!(
            counts(&app, &w.worker, &number).await,
            (0, 0),
            "none: neither"
        );
        put(&app, &w.worker, "email").await;
        reply(&app, &d.eng, &number, "Two").await;
        assert_eq!(counts(&app, &w.worker, &number).await, (1, 0), "email only");
        put(&app, &w.worker, "in_app").await;
        reply(&app, &d.eng, &number, "Three").await;
        assert_eq!(
            counts(&app, &w.worker, &number).await,
            (1, 1),
            "in the portal only"
        );
        put(&app, &w.worker, "both").await;
        reply(&app, &d.eng, &number, "Four").await;
        assert_eq!(counts(&app, &w.worker, &number).await, (2, 2), "both");

        // An SLA breach reaches the engineer in the portal only, once they chose so.
        let res = app
            .put(
                "/api/v1/me/notification-settings",
                &d.eng,
                json!({ "sla_breach": "in_app" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let late = open_case(&app, &w.worker, "Late one").await;
        app.state.clock.advance(Duration::minutes(61));
        supportal_app::desk::sla::sweep(&app.state)
            .await
            .expect("sweep");
        let res = app.get("/api/v1/me/notifications", &d.eng).await;
        let breach = res.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|n| n["kind"] == "sla_breach")
            .cloned()
            .expect("breach");
        assert!(
            breach["title"]
                .as_str()
                .is_some_and(|t| t.contains("First response target missed") && t.contains(&late)),
            "{breach}"
        );
        assert!(
            app.mails("eng@operator.test")
                .await
                .iter()
                .all(|(s, _)| !s.contains(&late)),
            "no mail"
        );

        // The settings page shows and saves the same choices.
        let mut page = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        let form = page.get("/notifications/settings").await;
        assert!(
            form.text.contains("name=\"case_reply\"") && !form.text.contains("name=\"sla_breach\""),
            "{}",
            form.text
        );
        let res = page
            .post(
                "/notifications/settings",
                &[("case_status", "none"), ("device_alert", "in_app")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let res = app.get("/api/v1/me/notification-settings", &w.worker).await;
        assert_eq!(
            (
                res.body["case_status"].as_str(),
                res.body["device_alert"].as_str()
            ),
            (Some("none"), Some("in_app"))
        );
        let res = page
            .post("/notifications/settings", &[("case_status", "pigeon")])
            .await;
        assert_eq!(res.status, StatusCode::OK, "the form again: {}", res.text);
        assert!(
            res.text
                .contains("Choose in the portal, by email, both or not at all."),
            "{}",
            res.text
        );
    })
    .await;
}

#[tokio::test]
async fn wrong_kinds_malformed_bodies_and_strangers_are_refused() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let put = |body: Value| app.put("/api/v1/me/notification-settings", &w.worker, body);
        assert_eq!(
            put(json!({ "case_reply": "sms" })).await.fields(),
            ["case_reply"]
        );
        assert_eq!(put(json!({ "weather": "both" })).await.fields(), ["kind"]);
        assert_eq!(
            put(json!({ "sla_breach": "both" })).await.fields(),
            ["kind"],
            "not a customer's kind"
        );
        assert_eq!(
            put(json!({ "case_reply": 7 })).await.fields(),
            ["case_reply"]
        );
        assert_eq!(put(json!(["case_reply"])).await.code(), "invalid_body");
        let many: serde_json::Map<String, Value> =
            (0..50).map(|i| (format!("k{i}"), json!("both"))).collect();
        assert_eq!(
            put(Value::Object(many)).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            app.get("/api/v1/me/notification-settings", &w.worker)
                .await
                .body["case_reply"],
            "both",
            "nothing was saved"
        );

        let read = |body: Value| app.post("/api/v1/me/notifications/read", Some(&w.worker), body);
        assert_eq!(read(json!({ "ids": "all" })).await.code(), "invalid_body");
        assert_eq!(
            read(json!({ "ids": [1], "extra": true })).await.code(),
            "invalid_body"
        );
        let ids: Vec<i64> = (0..201).collect();
        assert_eq!(read(json!({ "ids": ids })).await.fields(), ["ids"]);
        let req = axum::http::Request::post("/api/v1/me/notifications/read")
            .header("authorization", format!("Bearer {}", w.worker))
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{not json"))
            .expect("request");
        let res = app.send(req).await;
        assert_eq!(res.code(), "malformed_json", "{}", res.text);
        assert_eq!(
            app.get("/api/v1/me/notifications?before=x", &w.worker)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );

        assert_eq!(
            app.get("/api/v1/me/notifications", "nonsense").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.post("/api/v1/me/notifications/read", None, json!({}))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let mut anonymous = crate::visitor::Visitor::new(&app);
        let res = anonymous.get("/notifications").await;
        assert!(
            res.status == StatusCode::SEE_OTHER || res.status == StatusCode::UNAUTHORIZED,
            "{}",
            res.status
        );
    })
    .await;
}

#[tokio::test]
async fn an_invitation_to_an_existing_account_rings_its_bell_and_leads_to_it() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        // The boss of Globex is invited to Acme: the bell says so and leads to the invitation.
        let res = app
            .post(
                &format!("/api/v1/companies/{}/invitations", w.company),
                Some(&w.admin),
                json!({ "email": "boss@globex.test", "role": "member" }),
            )
            .await;
        assert!(res.status.is_success(), "{}", res.text);
        let res = app.get("/api/v1/me/notifications", &w.other).await;
        assert_eq!(kinds(&res.body), ["invitation"], "{}", res.text);
        assert!(
            res.body["items"][0]["title"]
                .as_str()
                .is_some_and(|t| t.contains("Acme")),
            "{}",
            res.text
        );
        assert!(
            res.body["items"][0]["link"]
                .as_str()
                .is_some_and(|l| l.contains("/me/invitations/")),
            "{}",
            res.text
        );
        assert!(
            !app.mails("boss@globex.test").await.is_empty(),
            "the invitation is mailed too"
        );
        let link = res.body["items"][0]["link"].as_str().expect("link");
        let path = &link[link.find("/me/invitations/").expect("path")..];
        let mut invitee = crate::desk_setup::signed_in(&app, "boss@globex.test").await;
        let page = invitee.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(
            page.text.contains("Acme") && page.text.contains(&format!("action=\"{path}/accept\"")),
            "{}",
            page.text
        );
        let mut someone_else = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        assert_eq!(
            someone_else.get(path).await.status,
            StatusCode::NOT_FOUND,
            "only the invitee sees it"
        );
    })
    .await;
}

#[tokio::test]
async fn marking_read_from_many_connections_at_once_counts_right() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Busy").await;
        for i in 0..5 {
            reply(&app, &d.eng, &number, &format!("Reply {i}")).await;
        }
        let served = app.serve().await;
        let mut calls = Vec::new();
        for i in 0..30 {
            let token = w.worker.clone();
            calls.push(tokio::spawn(async move {
                match i % 3 {
                    0 => {
                        served
                            .json(
                                "POST",
                                "/api/v1/me/notifications/read",
                                Some(&token),
                                &[],
                                None,
                            )
                            .await
                    }
                    1 => {
                        served
                            .json("GET", "/api/v1/me/notifications", Some(&token), &[], None)
                            .await
                    }
                    _ => {
                        served
                            .json(
                                "PUT",
                                "/api/v1/me/notification-settings",
                                Some(&token),
                                &[],
                                Some(&json!({ "case_status": "in_app" })),
                            )
                            .await
                    }
                }
            }));
        }
        for call in calls {
            let (status, body, _) = call.await.expect("join");
            assert_eq!(status, 200, "{body}");
        }
        let res = app.get("/api/v1/me/notifications", &w.worker).await;
        assert_eq!(res.body["unread"], 0);
        assert_eq!(res.body["items"].as_array().map(Vec::len), Some(5));
        assert_eq!(
            app.get("/api/v1/me/notification-settings", &w.worker)
                .await
                .body["case_status"],
            "in_app"
        );
    })
    .await;
}
