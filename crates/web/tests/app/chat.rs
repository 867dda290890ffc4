//! Live chat (CHAT-1): starting, waiting in line, an engineer of the routed queue taking it,
//! messages over HTTP and over a WebSocket (also from another process on the same database),
//! the transcript kept, a case from it, chat hours, and strangers, bad input and races.

use crate::cases::world;
use crate::desk_work::desk;
use crate::support::{PASSWORD, Served, TestApp, on_both};
use axum::http::StatusCode;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A chat's API WebSocket, with the caller's bearer token.
async fn socket(served: &Served, chat: i64, token: &str) -> Socket {
    let url = format!("ws://{}/api/v1/chats/{chat}/socket", served.addr);
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    tokio_tungstenite::connect_async(request)
        .await
        .expect("socket")
        .0
}

/// The next frame of `kind` (`message` or `status`), within five seconds.
async fn next(socket: &mut Socket, kind: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .unwrap_or_else(|_| panic!("no {kind} frame in time"))
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = frame {
            let value: Value = serde_json::from_str(text.as_str()).expect("json");
            if value["type"] == kind {
                return value;
            }
        }
    }
}

async fn start(app: &TestApp, token: &str, subject: &str) -> Value {
    let res = app
        .post(
            "/api/v1/chats",
            Some(token),
            json!({ "subject": subject, "message": "Hello, my fan is loud" }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.body
}

#[tokio::test]
async fn a_chat_waits_is_taken_and_becomes_a_case_with_its_transcript() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let first = start(&app, &w.worker, "Fan noise").await;
        let chat = first["id"].as_i64().expect("id");
        assert_eq!(
            (first["status"].as_str(), first["position"].as_i64()),
            (Some("waiting"), Some(1))
        );
        assert_eq!(first["queue"], "General", "routing picked the queue");
        let again = app
            .post(
                "/api/v1/chats",
                Some(&w.worker),
                json!({ "subject": "Again" }),
            )
            .await;
        assert_eq!(
            (again.status, again.body["id"].as_i64()),
            (StatusCode::OK, Some(chat)),
            "one open chat a person"
        );
        let second = start(&app, &w.admin, "Login").await;
        assert_eq!(second["position"], 2, "second in line");

        let console = app.get("/api/v1/desk/chats", &d.eng).await;
        assert_eq!(
            console.body["items"].as_array().map(Vec::len),
            Some(2),
            "{}",
            console.text
        );
        assert_eq!(
            app.get("/api/v1/desk/chats", &w.worker).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(&format!("/api/v1/chats/{chat}"), &w.other)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "another company"
        );
        assert_eq!(
            app.get(&format!("/api/v1/chats/{chat}"), &w.admin)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "a colleague"
        );
        let outsider = app
            .staff("eng2@operator.test", supportal_domain::StaffRole::Engineer)
            .await;
        assert_eq!(
            app.get(&format!("/api/v1/chats/{chat}"), &outsider)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "an engineer of no queue of it"
        );

        let res = app
            .post(
                &format!("/api/v1/chats/{chat}/take"),
                Some(&d.eng),
                json!({}),
            )
            .await;
        assert_eq!(
            (res.status, res.body["status"].as_str()),
            (StatusCode::OK, Some("active")),
            "{}",
            res.text
        );
        assert_eq!(
            app.post(
                &format!("/api/v1/chats/{chat}/take"),
                Some(&w.worker),
                json!({})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let res = app
            .get(&format!("/api/v1/chats/{}", second["id"]), &w.admin)
            .await;
        assert_eq!(res.body["position"], 1, "the line moved");
        let res = app
            .post(
                &format!("/api/v1/chats/{chat}/messages"),
                Some(&d.eng),
                json!({ "body": "Which model is it?" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let res = app
            .post(
                &format!("/api/v1/chats/{chat}/messages"),
                Some(&w.worker),
                json!({ "body": "Server One, SRV0001" }),
            )
            .await;
        let mine = res.body["id"].as_i64().expect("id");
        let res = app
            .get(
                &format!("/api/v1/chats/{chat}/messages?after={}", mine - 1),
                &w.worker,
            )
            .await;
        assert_eq!(
            res.body["items"].as_array().map(Vec::len),
            Some(1),
            "after: only what is new: {}",
            res.text
        );
        assert_eq!(res.body["engineer"], "Staff Member");

        let res = app
            .post(
                &format!("/api/v1/chats/{chat}/end"),
                Some(&w.worker),
                json!({}),
            )
            .await;
        assert_eq!(res.body["status"], "ended");
        assert_eq!(
            app.post(
                &format!("/api/v1/chats/{chat}/messages"),
                Some(&w.worker),
                json!({ "body": "late" })
            )
            .await
            .code(),
            "chat_ended"
        );
        let recent = app.get("/api/v1/me/chats", &w.worker).await;
        let kept = &recent.body["items"][0];
        assert_eq!(kept["id"], chat);
        let bodies: Vec<&str> = kept["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .filter_map(|m| m["body"].as_str())
            .filter(|b| !b.is_empty())
            .collect();
        assert_eq!(
            bodies,
            [
                "Hello, my fan is loud",
                "Which model is it?",
                "Server One, SRV0001"
            ]
        );

        // The engineer turns it into the customer's case; the transcript comes along.
        let res = app
            .post(
                &format!("/api/v1/chats/{chat}/case"),
                Some(&d.eng),
                json!({ "serial_number": "SRV0001" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let number = res.body["case_id"].as_str().expect("case").to_owned();
        let res = app
            .post(
                &format!("/api/v1/chats/{chat}/case"),
                Some(&w.worker),
                json!({ "serial_number": "SRV0001" }),
            )
            .await;
        assert_eq!(res.body["case_id"], number.as_str(), "once");
        let case = app.get(&format!("/api/v1/cases/{number}"), &w.worker).await;
        assert_eq!(case.body["title"], "Fan noise", "{}", case.text);
        assert!(
            case.body["description"]
                .as_str()
                .is_some_and(|d| d.contains("Which model is it?")),
            "{}",
            case.text
        );
        assert!(
            case.text.contains(&format!("chat-{chat}.txt")),
            "the transcript attached: {}",
            case.text
        );
        assert_eq!(
            app.get("/api/v1/me/chats", &w.worker).await.body["items"][0]["case_id"],
            number.as_str()
        );
    })
    .await;
}

#[tokio::test]
async fn outside_chat_hours_a_case_is_offered_instead() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        // Open all week, but closed for the holidays around today: closed now, wherever.
        let hours: serde_json::Map<String, Value> =
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .map(|d| (d.to_string(), json!(["00:00-24:00"])))
                .collect();
        let today = chrono::Utc::now().date_naive();
        let holidays: Vec<String> = (-1..=1)
            .map(|d| (today + chrono::Duration::days(d)).to_string())
            .collect();
        let res = app
            .post(
                "/api/v1/admin/calendars",
                Some(&d.ops),
                json!({ "name": "Never", "time_zone": "Europe/Amsterdam",
                "hours": hours, "holidays": holidays }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let calendar = res.body["id"].as_i64().expect("calendar");
        let path = format!("/api/v1/admin/queues/{}/chat-hours", d.queue);
        assert_eq!(
            app.put(&path, &d.eng, json!({ "calendar_id": calendar }))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.put(&path, &d.ops, json!({ "calendar_id": 999_999 }))
                .await
                .fields(),
            ["calendar_id"]
        );
        assert_eq!(
            app.put(
                "/api/v1/admin/queues/999999/chat-hours",
                &d.ops,
                json!({ "calendar_id": null })
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.put(&path, &d.ops, json!({ "calendar_id": calendar }))
                .await
                .status,
            StatusCode::OK
        );
        let res = app
            .post(
                "/api/v1/chats",
                Some(&w.worker),
                json!({ "subject": "Help" }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::CONFLICT, "chat_closed"),
            "{}",
            res.text
        );
        let mut page = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        let res = page.post("/chat", &[("subject", "Help")]).await;
        assert!(
            res.text.contains("id=\"chat-closed\"") && res.text.contains("href=\"/cases/new\""),
            "{}",
            res.text
        );
        assert_eq!(
            app.put(&path, &d.ops, json!({ "calendar_id": null }))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.post(
                "/api/v1/chats",
                Some(&w.worker),
                json!({ "subject": "Help" })
            )
            .await
            .status,
            StatusCode::CREATED,
            "round the clock again"
        );
    })
    .await;
}

#[tokio::test]
async fn bad_input_and_the_wrong_people_are_refused() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        assert_eq!(
            app.post("/api/v1/chats", Some(&w.worker), json!({}))
                .await
                .fields(),
            ["subject"]
        );
        assert_eq!(
            app.post(
                "/api/v1/chats",
                Some(&w.worker),
                json!({ "subject": "x".repeat(201) })
            )
            .await
            .fields(),
            ["subject"]
        );
        assert_eq!(
            app.post(
                "/api/v1/chats",
                Some(&w.worker),
                json!({ "subject": "ok", "message": "x".repeat(4_001) })
            )
            .await
            .fields(),
            ["message"]
        );
        assert_eq!(
            app.post("/api/v1/chats", Some(&w.worker), json!({ "subject": 5 }))
                .await
                .code(),
            "invalid_body"
        );
        assert_eq!(
            app.post("/api/v1/chats", Some(&d.eng), json!({ "subject": "me" }))
                .await
                .code(),
            "chat_customers_only"
        );
        assert_eq!(
            app.post("/api/v1/chats", None, json!({ "subject": "me" }))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let chat = start(&app, &w.worker, "Help").await["id"]
            .as_i64()
            .expect("id");
        let path = format!("/api/v1/chats/{chat}/messages");
        let send = |body: Value| app.post(&path, Some(&w.worker), body);
        assert_eq!(send(json!({ "body": "  " })).await.fields(), ["body"]);
        assert_eq!(
            send(json!({ "body": "x".repeat(4_001) })).await.fields(),
            ["body"]
        );
        assert_eq!(
            send(json!({ "body": "nul\u{0}byte" })).await.status,
            StatusCode::CREATED,
            "a NUL is dropped on both databases"
        );
        assert_eq!(
            app.post(
                "/api/v1/chats/999999/messages",
                Some(&w.worker),
                json!({ "body": "hi" })
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/api/v1/chats/abc", &w.worker).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("/api/v1/chats/{chat}/messages?after=x"), &w.worker)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            app.post(
                &format!("/api/v1/chats/{chat}/case"),
                Some(&w.worker),
                json!({ "serial_number": "NOPE" })
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // The page's socket only opens from the portal's own pages.
        let served = app.serve().await;
        let mut page = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        let url = format!("ws://{}/chat/{chat}/socket", served.addr);
        let mut request = url.into_client_request().expect("request");
        request
            .headers_mut()
            .insert("cookie", page.cookie_header().parse().expect("cookie"));
        request
            .headers_mut()
            .insert("origin", "https://evil.test".parse().expect("origin"));
        assert!(
            tokio_tungstenite::connect_async(request).await.is_err(),
            "a foreign origin is refused"
        );
        let res = page.get(&format!("/chat/{chat}")).await;
        assert!(res.text.contains("Hello, my fan is loud"), "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn messages_reach_the_socket_also_from_another_process() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let chat = start(&app, &w.worker, "Live").await["id"]
            .as_i64()
            .expect("id");
        let served = app.serve().await;
        let mut customer = socket(&served, chat, &w.worker).await;
        let hello = next(&mut customer, "message").await;
        assert_eq!(hello["body"], "Hello, my fan is loud");
        let waiting = next(&mut customer, "status").await;
        assert_eq!(
            (waiting["status"].as_str(), waiting["position"].as_i64()),
            (Some("waiting"), Some(1))
        );

        // Another process on the same database: its own state, its own pool and hub.
        let other_db = app.state.db.another_process().await.expect("pool");
        let config = (*app.state.config).clone();
        let other = TestApp::with_state(&app, supportal_web::AppState::new(other_db, config));
        let eng = other.login("eng@operator.test", PASSWORD).await;
        let res = other
            .post(&format!("/api/v1/chats/{chat}/take"), Some(&eng), json!({}))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let joined = next(&mut customer, "status").await;
        assert_eq!(
            (joined["status"].as_str(), joined["engineer"].as_str()),
            (Some("active"), Some("Staff Member"))
        );
        other
            .post(
                &format!("/api/v1/chats/{chat}/messages"),
                Some(&eng),
                json!({ "body": "From the other process" }),
            )
            .await;
        let frame = next(&mut customer, "message").await;
        let frame = if frame["kind"] == "joined" {
            next(&mut customer, "message").await
        } else {
            frame
        };
        assert_eq!(frame["body"], "From the other process");

        // And the customer's words over the socket reach the engineer on the other process.
        let other_served = other.serve().await;
        let mut engineer = socket(&other_served, chat, &eng).await;
        customer
            .send(Message::Text(
                json!({ "body": "Thanks!" }).to_string().into(),
            ))
            .await
            .expect("send");
        loop {
            let m = next(&mut engineer, "message").await;
            if m["body"] == "Thanks!" {
                break;
            }
        }
        customer
            .send(Message::Text("not json".into()))
            .await
            .expect("send");
        let error = next(&mut customer, "error").await;
        assert_eq!(error["code"], "validation_failed");
        // A burst past twenty messages in ten seconds is refused on the socket itself.
        for i in 0..25 {
            let frame = json!({ "body": format!("burst {i}") }).to_string();
            customer
                .send(Message::Text(frame.into()))
                .await
                .expect("send");
        }
        assert_eq!(
            next(&mut customer, "error").await["code"],
            "too_many_requests"
        );
        // Signing out ends the socket at its next check.
        let res = app
            .post("/api/v1/auth/logout", Some(&w.worker), json!({}))
            .await;
        assert!(res.status.is_success(), "{}", res.text);
        let closed = tokio::time::timeout(Duration::from_secs(8), async {
            loop {
                match customer.next().await {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                    Some(Ok(_)) => {}
                }
            }
        })
        .await;
        assert!(closed.is_ok(), "the socket closes once its session ended");
        let _ = d;
    })
    .await;
}
