//! Live chat under races (CHAT-1): sixteen starts at once make one chat, ten takes at once
//! one engineer, over real connections on both databases.

use crate::cases::world;
use crate::desk_work::desk;
use crate::support::{TestApp, on_both};
use serde_json::json;

#[tokio::test]
async fn racing_starts_and_takes_stay_consistent() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let served = app.serve().await;
        let mut calls = Vec::new();
        for _ in 0..16 {
            let token = w.worker.clone();
            calls.push(tokio::spawn(async move {
                served
                    .json(
                        "POST",
                        "/api/v1/chats",
                        Some(&token),
                        &[],
                        Some(&json!({ "subject": "Race" })),
                    )
                    .await
            }));
        }
        let mut ids = Vec::new();
        for call in calls {
            let (status, body, _) = call.await.expect("join");
            assert!(status == 200 || status == 201, "{status} {body}");
            ids.push(body["id"].as_i64().expect("id"));
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "one chat: {ids:?}");
        let chat = ids[0];
        // The queue's engineer and an operator admin (who may take any chat) at once.
        let second = d.ops.clone();
        let mut takes = Vec::new();
        for i in 0..10 {
            let token = if i % 2 == 0 {
                d.eng.clone()
            } else {
                second.clone()
            };
            takes.push(tokio::spawn(async move {
                served
                    .json(
                        "POST",
                        &format!("/api/v1/chats/{chat}/take"),
                        Some(&token),
                        &[],
                        None,
                    )
                    .await
            }));
        }
        let mut engineers = Vec::new();
        for take in takes {
            let (status, body, _) = take.await.expect("join");
            match status {
                200 => engineers.push(body["engineer"].as_str().unwrap_or_default().to_owned()),
                409 => assert_eq!(body["code"], "chat_taken"),
                other => panic!("{other} {body}"),
            }
        }
        let res = app.get(&format!("/api/v1/chats/{chat}"), &d.eng).await;
        let joined = res.body["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .filter(|m| m["kind"] == "joined")
            .count();
        assert_eq!(joined, 1, "taken once: {}", res.text);
        assert!(!engineers.is_empty());
    })
    .await;
}
