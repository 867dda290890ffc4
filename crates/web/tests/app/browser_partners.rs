//! The partner channel's story in headless Chromium (issue 12): the operator issues a feed token,
//! a distributor reports devices, the service partner moves them onto a customer dashboard by
//! transfer, by a file and by the cPIN, switches self-service alerts on; a device's alert reaches
//! its end user's *View*, which submits the repair case into the partner's repair queue; the
//! partner's engineer takes it, orders the part and claims the repair; the operator approves.

use crate::browser::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use fantoccini::{Client, Locator};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A call to the portal's API, as a distributor's system or a device agent makes it.
async fn api(portal: &Portal, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
    let method = if body.is_null() { "GET" } else { "POST" };
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let res = supportal_web::router(portal.state.clone())
        .oneshot(req.body(Body::from(body.to_string())).expect("request"))
        .await
        .expect("answer");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

async fn choose(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .expect("pick");
}

#[tokio::test]
async fn from_the_feed_to_an_approved_claim() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;

    // The operator issues a feed token; a distributor reports three devices for Nordlys.
    sign_in(&c, &portal, "admin@operator.test").await;
    click(&c, "header a[href='/admin/partners']").await;
    wait_text(&c, "Nordlys Service AS").await;
    fill(&c, "f-token-name", "Nordic distributor").await;
    click(&c, "#issue-token").await;
    wait_text(&c, "shown only once").await;
    let feed = text_of(&c, "#new-token code").await;
    screenshot(&c, "partners-admin").await;
    sign_out(&c).await;
    let (_, login) = api(
        &portal,
        "/api/v1/auth/login",
        None,
        json!({ "email": "sven@nordlys.test", "password": supportal_app::demo::DEMO_PASSWORD }),
    )
    .await;
    let session = login["token"].as_str().expect("token").to_owned();
    let (_, me) = api(&portal, "/api/v1/me", Some(&session), Value::Null).await;
    let partner = me["memberships"][0]["company_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("Sven's company: {me}"));
    let rows: Vec<Value> = (1..=3)
        .map(|i| json!({ "serial_number": format!("NLS-010{i}"), "sku": "TB-14G5", "service_plan": "premium_plus",
                         "partner_company_id": partner, "sold_on": "2026-11-20", "reference": "SO-7700" }))
        .collect();
    let (status, body) = api(
        &portal,
        "/api/v1/feeds/device-sales",
        Some(&feed),
        Value::Array(rows),
    )
    .await;
    assert_eq!(
        (status, body["created"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{body}"
    );

    // The partner sees them unassigned and moves one by transfer, one by a file.
    sign_in(&c, &portal, "sven@nordlys.test").await;
    click(&c, "header a[href^='/partner/'][href$='/devices']").await;
    wait_text(&c, "NLS-0103").await;
    screenshot(&c, "partner-unassigned").await;
    click(&c, "input[value='NLS-0101']").await;
    choose(&c, "#f-customer_id option").await;
    click(&c, "#move").await;
    wait_text(&c, "The devices have been moved").await;
    wait_text(&c, "NLS-0101").await;
    let file = tempfile::Builder::new()
        .suffix(".csv")
        .tempfile()
        .expect("file");
    std::fs::write(file.path(), "serial_number\nNLS-0102\n").expect("write");
    c.find(Locator::Id("f-file"))
        .await
        .expect("file input")
        .send_keys(&file.path().display().to_string())
        .await
        .expect("choose the file");
    click(&c, "form[enctype='multipart/form-data'] button").await;
    wait_text(&c, "One device has been moved.").await;
    // The customer's agent enrols the third with the cPIN.
    let cpin = text_of(&c, "#cpin").await;
    let (status, body) = api(
        &portal,
        "/api/v1/devices/enroll",
        None,
        json!({ "cpin": cpin, "serial_number": "NLS-0103", "device_name": "Warehouse scanner PC" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let device = body["device_token"].as_str().expect("token").to_owned();
    c.refresh().await.expect("reload");
    wait_text(&c, "Warehouse scanner PC").await;
    // Self-service alerts were off on this dashboard: switch them on.
    wait_text(&c, "Settings").await;
    click(&c, "#switch-alerts").await;
    wait_text(&c, "Your changes have been saved.").await;
    assert_eq!(text_of(&c, "#alert-state").await, "On");
    screenshot(&c, "partner-dashboard").await;
    sign_out(&c).await;

    // The device reports an alert; its end user opens View and submits the repair case.
    let (status, body) = api(&portal, "/api/v1/devices/NLS-0103/alerts", Some(&device), json!({ "code": "BAT-042", "component": "battery", "severity": "critical", "message": "The battery is swelling" })).await;
    assert_eq!(
        (status, body["routed_to"].as_str()),
        (StatusCode::CREATED, Some("end_user")),
        "{body}"
    );
    let view = body["view_url"].as_str().expect("view").to_owned();
    c.goto(&view).await.expect("open View");
    wait_text(&c, "The battery is swelling").await;
    fill(&c, "f-name", "Ingrid Berg").await;
    fill(&c, "f-email", "ingrid@fjordline.test").await;
    click(&c, "#submit-repair").await;
    wait_text(&c, "Your repair case has been submitted").await;
    let number = text_of(&c, "#repair-number").await;
    screenshot(&c, "alert-view").await;

    // It is in Nordlys's repair queue: Sven takes it, orders the part and claims the repair.
    sign_in(&c, &portal, "sven@nordlys.test").await;
    click(&c, "header a[href^='/partner/'][href$='/cases']").await;
    wait_text(&c, &number).await;
    click(&c, &format!("a[href='/cases/{number}']")).await;
    wait_text(&c, "The battery is swelling").await;
    click(&c, "#desk-claim").await;
    wait_text(&c, "The case has been updated.").await;
    fill(&c, "f-part", "BAT-14G5").await;
    fill(&c, "f-part-description", "Battery 3 cell").await;
    click(&c, "#desk-order-part").await;
    wait_text(&c, "The part was ordered.").await;
    click(&c, "header a[href^='/partner/'][href$='/claims']").await;
    choose(&c, &format!("#f-case_id option[value='{number}']")).await;
    fill(&c, "f-part1", "BAT-14G5").await;
    fill(&c, "f-qty1", "1").await;
    fill(&c, "f-amount1", "89,00").await;
    fill(&c, "f-labour_minutes", "30").await;
    fill(&c, "f-labour_amount", "45").await;
    click(&c, "#submit-claim").await;
    wait_text(&c, "Your claim has been submitted for approval.").await;
    wait_text(&c, "Waiting for approval").await;
    sign_out(&c).await;

    // The operator approves it.
    sign_in(&c, &portal, "admin@operator.test").await;
    click(&c, "header a[href='/admin/claims']").await;
    wait_text(&c, &number).await;
    screenshot(&c, "admin-claims").await;
    c.find(Locator::XPath(&format!(
        "//section[.//a[contains(., '{number}')]]//input[@value='approve']/following-sibling::button"
    )))
    .await
    .expect("approve button")
    .click()
    .await
    .expect("approve");
    wait_text(&c, "Your changes have been saved.").await;
    sign_out(&c).await;
    sign_in(&c, &portal, "sven@nordlys.test").await;
    click(&c, "header a[href^='/partner/'][href$='/claims']").await;
    wait_text(&c, "Approved").await;
}
