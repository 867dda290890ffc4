//! Replies by email: the mail provider's hook (`POST /api/v1/inbound/email`) threads a reply
//! into its case when its sender may see the case, trims the quoted text, takes attachments
//! under the case rules, takes a retry once, and refuses everything else.

use crate::cases::world;
use crate::desk_work::{desk, open_case};
use crate::support::{INBOUND_ADDRESS, INBOUND_SECRET, TestApp, on_both};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

async fn inbound(app: &TestApp, secret: Option<&str>, raw: &str) -> crate::support::Response {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/inbound/email")
        .header("content-type", "message/rfc822");
    if let Some(s) = secret {
        req = req.header("x-supportal-inbound-secret", s);
    }
    app.send(req.body(Body::from(raw.to_owned())).expect("request"))
        .await
}

/// The reply address case mail to `recipient` carries.
fn address_for(recipient: &str, number: &str) -> String {
    supportal_app::mail::reply_address(INBOUND_ADDRESS, INBOUND_SECRET, number, recipient)
        .expect("address")
}

fn reply_to(from: &str, to: &str, number: &str, id: &str, text: &str) -> String {
    format!(
        "From: Someone <{from}>\r\nTo: {to}\r\nSubject: Re: Case {number}\r\nMessage-ID: <{id}@mail.test>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    )
}

/// A reply from `from` to the case mail it received.
fn reply(from: &str, number: &str, id: &str, text: &str) -> String {
    reply_to(from, &address_for(from, number), number, id, text)
}

fn history(body: &serde_json::Value) -> Vec<(String, String)> {
    body["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["body"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_reply_threads_into_its_case_and_a_strangers_is_refused() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Fan noise").await;
        let path = format!("/api/v1/cases/{number}");
        app.post(&format!("{path}/assign"), Some(&d.eng), json!({ "assignee": "me" })).await;
        app.post(&format!("{path}/status"), Some(&d.eng), json!({ "status": "waiting_on_customer" })).await;

        let text = "The logs show 45 degrees.\r\n\r\nOn Tue, 1 Dec 2026, Support wrote:\r\n> Please send the logs.\r\n";
        let raw = reply("worker@acme.test", &number, "r1", text);
        assert_eq!(inbound(&app, None, &raw).await.status, StatusCode::UNAUTHORIZED, "no secret");
        assert_eq!(inbound(&app, Some("guess"), &raw).await.status, StatusCode::UNAUTHORIZED, "a wrong secret");

        let res = inbound(&app, Some(INBOUND_SECRET), &raw).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body, json!({ "case_id": number, "added": true }));
        let case = app.get(&path, &d.eng).await;
        let entry = history(&case.body).into_iter().find(|(k, _)| k == "message").expect("the reply");
        assert_eq!(entry.1, "The logs show 45 degrees.", "quoted text trimmed");
        assert_eq!(case.body["status"], "in_progress", "the customer answered");
        let count = history(&case.body).len();

        let res = inbound(&app, Some(INBOUND_SECRET), &raw).await;
        assert_eq!(res.body["added"], false, "the provider's retry adds nothing: {}", res.text);
        assert_eq!(history(&app.get(&path, &d.eng).await.body).len(), count);

        let stolen = reply_to("mallory@evil.test", &address_for("worker@acme.test", &number), &number, "r2", "Close it");
        let res = inbound(&app, Some(INBOUND_SECRET), &stolen).await;
        assert_eq!(res.code(), "sender_not_on_case", "a stranger with someone else's reply address is refused");
        let res = inbound(&app, Some(INBOUND_SECRET), &reply("mallory@evil.test", &number, "r2b", "Close it")).await;
        assert_eq!(res.code(), "sender_not_on_case", "a stranger is refused");
        let made_up = reply_to("worker@acme.test", &INBOUND_ADDRESS.replace('@', &format!("+{number}@")), &number, "r2c", "Hi");
        assert_eq!(inbound(&app, Some(INBOUND_SECRET), &made_up).await.code(), "unknown_case", "an address without its tag is not a reply address");
        let res = inbound(&app, Some(INBOUND_SECRET), &reply("boss@globex.test", &number, "r3", "Mine now")).await;
        assert_eq!(res.code(), "sender_not_on_case", "another company's user is refused");
        let res = inbound(&app, Some(INBOUND_SECRET), &reply("worker@acme.test", "5999999999", "r4", "Hello")).await;
        assert_eq!(res.code(), "sender_not_on_case", "an unknown case is refused");
        assert_eq!(history(&app.get(&path, &d.eng).await.body).len(), count, "nothing was attached");
        assert_eq!(inbound(&app, Some(INBOUND_SECRET), "\u{0}\u{1}garbage").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = inbound(&app, Some(INBOUND_SECRET), &reply("worker@acme.test", &number, "r5", "> only a quote")).await;
        assert_eq!(res.code(), "empty_reply");
        let auto = reply("worker@acme.test", &number, "r5b", "I am out of the office").replace("Subject:", "Auto-Submitted: auto-replied\r\nSubject:");
        let res = inbound(&app, Some(INBOUND_SECRET), &auto).await;
        assert_eq!(res.body["added"], false, "an out-of-office reply is dropped: {}", res.text);
        assert_eq!(history(&app.get(&path, &d.eng).await.body).len(), count);
        let no_id = reply("worker@acme.test", &number, "unused", "Sent twice, no Message-ID").replace("Message-ID: <unused@mail.test>\r\n", "");
        assert_eq!(inbound(&app, Some(INBOUND_SECRET), &no_id).await.body["added"], true);
        assert_eq!(inbound(&app, Some(INBOUND_SECRET), &no_id).await.body["added"], false, "a retry without a Message-ID is known by its content");

        // An engineer's reply by email is the desk's public reply.
        let res = inbound(&app, Some(INBOUND_SECRET), &reply("eng@operator.test", &number, "r6", "Thanks, a fan is on its way.")).await;
        assert_eq!(res.body["added"], true, "{}", res.text);
        let seen = app.get(&path, &w.worker).await;
        let last = seen.body["history"].as_array().expect("history").last().cloned().expect("entry");
        assert_eq!((last["kind"].as_str(), last["from_support"].as_bool()), (Some("reply"), Some(true)));

        // A file comes along under the case's rules.
        let boundary = "XYZ";
        let to = address_for("worker@acme.test", &number);
        let with_file = format!(
            "From: worker@acme.test\r\nTo: {to}\r\nSubject: logs\r\nMessage-ID: <r7@mail.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary={boundary}\r\n\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\nHere is the log.\r\n--{boundary}\r\nContent-Type: text/plain; name=fan.log\r\nContent-Disposition: attachment; filename=fan.log\r\n\r\nfan speed 9000 rpm\r\n--{boundary}--\r\n"
        );
        let res = inbound(&app, Some(INBOUND_SECRET), &with_file).await;
        assert_eq!(res.body["added"], true, "{}", res.text);
        let seen = app.get(&path, &w.worker).await;
        assert_eq!(seen.body["attachments"][0]["file_name"], "fan.log", "{}", seen.text);
    })
    .await;
}

#[tokio::test]
async fn case_mail_carries_a_reply_address_for_its_case() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let number = open_case(&app, &w.worker, "Reply address").await;
        let path = format!("/api/v1/cases/{number}/replies");
        app.post(
            &path,
            Some(&d.eng),
            json!({ "body": "Which firmware do you run?" }),
        )
        .await;
        supportal_app::mail::deliver_due(&app.state)
            .await
            .expect("deliver");
        let outbox = app.state.config.outbox_dir();
        let mut found = false;
        for entry in std::fs::read_dir(&outbox).expect("outbox") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            if text.contains("Which firmware") || text.contains("reply from support") {
                let expected = format!("Reply-To: {}", address_for("worker@acme.test", &number));
                found |= text.contains(&expected);
            }
        }
        assert!(found, "the reply's email names the case's reply address");
    })
    .await;
}
