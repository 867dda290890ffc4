//! Self-help and live help in headless Chromium (issue 13): a customer typing a case title gets
//! a suggested article, reads it and withdraws the case (a deflection the operator's report
//! counts); another chats with the desk, turns the chat into a case, and the bell shows the
//! desk's reply to it.

use crate::browser::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use fantoccini::{Client, Locator};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// A call to the API as the operator's admin would make it.
async fn api(
    portal: &Portal,
    method: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(if body.is_null() {
            String::new()
        } else {
            body.to_string()
        }))
        .expect("request");
    let res = supportal_web::router(portal.state.clone())
        .oneshot(req)
        .await
        .expect("answer");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn admin_token(portal: &Portal) -> String {
    let req = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "email": "admin@operator.test", "password": supportal_app::demo::DEMO_PASSWORD }).to_string()))
        .expect("request");
    let res = supportal_web::router(portal.state.clone())
        .oneshot(req)
        .await
        .expect("answer");
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let v: Value = serde_json::from_slice(&bytes).expect("json");
    v["token"].as_str().expect("token").to_owned()
}

async fn wait_css(c: &Client, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while c.find(Locator::Css(css)).await.is_err() {
        assert!(
            Instant::now() < deadline,
            "expected {css}: {}",
            body_text(c).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_suggested_article_read_and_the_case_withdrawn() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;
    sign_in(&c, &portal, "anna.admin@northwind.test").await;
    c.goto(&format!("{}/cases/new", portal.url))
        .await
        .expect("open");
    fill(&c, "f-value", "NWR-SRV-0001").await;
    click(&c, "main form button[type=submit]").await;
    wait_path(&c, "/cases/new/details").await;
    // Typing the title is enough: the script asks for suggestions for this product.
    fill(&c, "f-title", "The fans are loud").await;
    wait_css(&c, "#suggestions li a").await;
    wait_text(&c, "Loud fans on the ProServer R740").await;
    screenshot(&c, "kb-suggestions").await;
    let form_window = c.window().await.expect("window");
    click(&c, "#suggestions li a").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let article_window = loop {
        let windows = c.windows().await.expect("windows");
        if let Some(w) = windows.into_iter().find(|w| *w != form_window) {
            break w;
        }
        assert!(
            Instant::now() < deadline,
            "the article opens beside the form"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    c.switch_to_window(article_window).await.expect("switch");
    wait_text(&c, "Update the BIOS and the iLO firmware").await;
    click(&c, "#feedback button[value='yes']").await;
    wait_text(&c, "Thank you for your feedback.").await;
    c.close_window().await.expect("close");
    c.switch_to_window(form_window).await.expect("back");
    // Solved: no case.
    click(&c, "#withdraw").await;
    wait_path(&c, "/cases").await;
    wait_text(&c, "Good to hear the article solved it").await;
    sign_out(&c).await;

    sign_in(&c, &portal, "admin@operator.test").await;
    c.goto(&format!("{}/admin/articles/report", portal.url))
        .await
        .expect("open");
    wait_text(&c, "Loud fans on the ProServer R740").await;
    let deflected = c
        .find(Locator::Id("deflected"))
        .await
        .expect("total")
        .text()
        .await
        .expect("text");
    assert_eq!(deflected, "1");
    screenshot(&c, "kb-report").await;
    c.close().await.expect("close");
}

#[tokio::test]
async fn a_chat_becomes_a_case_and_the_bell_rings_for_the_reply() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let admin = admin_token(&portal).await;
    let (c, _driver, _profile) = browser().await;
    sign_in(&c, &portal, "carla@northwind.test").await;
    click(&c, "#chat-link").await;
    wait_path(&c, "/chat").await;
    fill(&c, "f-subject", "Server fan").await;
    fill(&c, "f-message", "The fans of NWR-SRV-0001 are loud").await;
    click(&c, "main form button[type=submit]").await;
    wait_css(&c, "#chat[data-live='socket']").await;
    wait_text(&c, "next in line").await;
    let chat: i64 = c
        .find(Locator::Id("chat"))
        .await
        .expect("chat")
        .attr("data-chat")
        .await
        .expect("attr")
        .and_then(|v| v.parse().ok())
        .expect("chat id");
    // The desk takes it and answers: both reach the page without a reload.
    let (status, body) = api(
        &portal,
        "POST",
        &format!("/api/v1/chats/{chat}/take"),
        &admin,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    api(
        &portal,
        "POST",
        &format!("/api/v1/chats/{chat}/messages"),
        &admin,
        json!({ "body": "Which firmware does it run?" }),
    )
    .await;
    wait_text(&c, "Which firmware does it run?").await;
    fill(&c, "chat-body", "Version 2.10").await;
    click(&c, "#chat-form button").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, v) = api(
            &portal,
            "GET",
            &format!("/api/v1/chats/{chat}"),
            &admin,
            Value::Null,
        )
        .await;
        if v["messages"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m["body"] == "Version 2.10"))
        {
            break;
        }
        assert!(Instant::now() < deadline, "the answer over the socket: {v}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(&c, "chat").await;
    // Carla turns it into a case.
    click(&c, "#to-case").await;
    wait_path(&c, &format!("/chat/{chat}/case")).await;
    fill(&c, "f-value", "NWR-SRV-0001").await;
    click(&c, "#f-country option[value='NL']").await;
    click(&c, "main form button[type=submit]").await;
    wait_text(
        &c,
        "The case has been opened with the chat's transcript attached.",
    )
    .await;
    let path = c.current_url().await.expect("url").path().to_owned();
    let number = path.trim_start_matches("/cases/").to_owned();
    wait_text(&c, &format!("chat-{chat}.txt")).await;
    // The desk replies on the case; Carla's bell shows it.
    let (status, body) = api(
        &portal,
        "POST",
        &format!("/api/v1/cases/{number}/replies"),
        &admin,
        json!({ "body": "A new fan is on its way." }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    c.refresh().await.expect("reload");
    wait_css(&c, "#bell .count").await;
    click(&c, "#bell").await;
    wait_path(&c, "/notifications").await;
    wait_text(&c, &format!("New reply on case {number}")).await;
    screenshot(&c, "notifications").await;
    click(&c, "ul.notices li.unread a").await;
    wait_path(&c, &format!("/cases/{number}")).await;
    wait_text(&c, "A new fan is on its way.").await;
    c.close().await.expect("close");
}
