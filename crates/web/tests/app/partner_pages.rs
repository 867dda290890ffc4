//! The partner channel's pages on both databases: the partner tenant's navigation and forms,
//! the operator's programme, feed-token and claim pages, the end user's *View* without an
//! account; and 404 for anyone outside the partner.

use crate::desk_setup::signed_in;
use crate::partners::{channel, feed};
use crate::support::{TestApp, on_both};
use crate::visitor::{Visitor, location};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_partner_works_its_tenant_through_the_pages() {
    on_both(|app: TestApp| async move {
        let c = channel(&app).await;
        let sid = c.service.0;
        let rows = json!([
            { "serial_number": "5CG0000501", "sku": "8A4X2EA", "service_plan": "premium", "partner_company_id": sid, "sold_on": "2026-11-02", "reference": "P-1" },
            { "serial_number": "5CG0000502", "sku": "8A4X2EA", "service_plan": "premium_plus", "partner_company_id": sid, "sold_on": "2026-11-02", "reference": "P-1" }
        ]);
        assert_eq!(feed(&app, &c.feed, rows).await.status, StatusCode::OK);
        let mut p = signed_in(&app, "admin@fjord.test").await;
        let home = p.get("/cases").await;
        for link in ["/devices\"", "/customers\"", "/cases\"", "/claims\""] {
            assert!(home.text.contains(&format!("/partner/{sid}{link}")), "partner navigation {link}");
        }
        let page = p.get(&format!("/partner/{sid}/devices")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("5CG0000501") && page.text.contains("Premium+"), "{}", page.text);
        // A dashboard, then the checked devices onto it.
        let res = p.post(&format!("/partner/{sid}/customers"), &[("name", "Acme Oslo")]).await;
        let dash_path = location(&res).to_owned();
        assert!(dash_path.starts_with(&format!("/partner/{sid}/customers/")), "{}", res.text);
        let page = p.get(&dash_path).await;
        assert!(page.text.contains("id=\"alerts-locked\""), "the switch is locked before a device: {}", page.text);
        let dash_id = dash_path.rsplit('/').next().expect("id").to_owned();
        let res = p
            .post(&format!("/partner/{sid}/devices/transfer"), &[("serial_numbers", "5CG0000501"), ("serial_numbers", "5CG0000502"), ("customer_id", &dash_id)])
            .await;
        assert_eq!(location(&res), dash_path, "{}", res.text);
        let page = p.get(&dash_path).await;
        assert!(page.text.contains("5CG0000502") && page.text.contains("id=\"switch-alerts\""), "{}", page.text);
        let res = p.post(&format!("{dash_path}/alerts"), &[("enabled", "false")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = p.get(&format!("/partner/{sid}/devices/5CG0000501")).await;
        assert!(page.text.contains("Moved to a customer dashboard"), "{}", page.text);
        // A missing-devices request with a bad serial keeps what was typed.
        let res = p.post(&format!("/partner/{sid}/missing"), &[("serial_numbers", "5CG0000599\nbad/serial"), ("note", "")]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.text.contains("bad/serial") && res.text.contains("field-error"), "{}", res.text);
        let res = p.post(&format!("/partner/{sid}/missing"), &[("serial_numbers", "5CG0000599"), ("note", "Sold on Monday")]).await;
        assert!(location(&res).starts_with("/cases/"), "{}", res.text);
        // The claims page lists the queue's cases to claim for.
        let page = p.get(&format!("/partner/{sid}/claims")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);

        // Outsiders: the other partner and staff get 404 on this tenant's pages.
        let mut other = signed_in(&app, "admin@nordic.test").await;
        for path in [format!("/partner/{sid}/devices"), dash_path.clone(), format!("/partner/{sid}/claims")] {
            assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let mut ops = signed_in(&app, "ops@operator.test").await;
        assert_eq!(ops.get(&format!("/partner/{sid}/devices")).await.status, StatusCode::NOT_FOUND);
        // CSRF holds on the partner forms.
        let res = other_post_without_csrf(&app, &format!("/partner/{sid}/customers")).await;
        assert_eq!(res, StatusCode::FORBIDDEN);
    })
    .await;
}

async fn other_post_without_csrf(app: &TestApp, path: &str) -> StatusCode {
    let v = signed_in(app, "admin@fjord.test").await;
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", v.cookie_header())
        .body(axum::body::Body::from("name=Sneaky"))
        .expect("request");
    app.send(req).await.status
}

#[tokio::test]
async fn the_operator_and_the_end_user_in_the_pages() {
    on_both(|app: TestApp| async move {
        let c = channel(&app).await;
        let rid = c.resell.0;
        let mut ops = signed_in(&app, "ops@operator.test").await;
        let page = ops.get("/admin/partners").await;
        assert!(page.text.contains("Fjord Service AS") && page.text.contains("Nordic Resale AB"), "{}", page.text);
        let res = ops.post("/admin/feed-tokens", &[("name", "Second distributor")]).await;
        assert!(res.text.contains("sfeed_"), "the token once: {}", res.text);
        let res = ops.post(&format!("/admin/partners/{rid}/programme"), &[("kind", "resell_monitor"), ("enrolled", "false")]).await;
        assert_eq!(location(&res), "/admin/partners", "{}", res.text);
        let res = ops.post(&format!("/admin/partners/{rid}/programme"), &[("kind", "resell_monitor"), ("enrolled", "true")]).await;
        assert_eq!(location(&res), "/admin/partners", "{}", res.text);
        // A device, its agent and an alert; the end user opens View without an account.
        feed(&app, &c.feed, json!([{ "serial_number": "5CG0000601", "sku": "8A4X2EA", "service_plan": "premium", "partner_company_id": rid, "sold_on": "2026-11-02", "reference": "R" }])).await;
        let res = app.post(&format!("/api/v1/partners/{rid}/devices/5CG0000601/agent-token"), Some(&c.resell.1), json!({ "end_user_email": "enduser@customer.test" })).await;
        let agent = res.body["device_token"].as_str().expect("token").to_owned();
        let res = app.post("/api/v1/devices/5CG0000601/alerts", Some(&agent), json!({ "code": "DSK-3", "component": "disk", "severity": "critical", "message": "Disk failure predicted" })).await;
        let view = res.body["view_url"].as_str().expect("view").to_owned();
        let path = view.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned())).expect("path");
        let mut user = Visitor::new(&app);
        let page = user.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("Disk failure predicted") && page.text.contains("enduser@customer.test"), "{}", page.text);
        let res = user.post(&path, &[("name", ""), ("email", "enduser@customer.test"), ("phone", ""), ("note", "")]).await;
        assert!(res.text.contains("field-error"), "a name is needed: {}", res.text);
        let res = user.post(&path, &[("name", "Eva End"), ("email", "enduser@customer.test"), ("phone", ""), ("note", "Clicking noise")]).await;
        assert!(res.text.contains("id=\"repair-number\""), "{}", res.text);
        let page = user.get(&path).await;
        assert!(page.text.contains("id=\"repair-number\""), "submitted once, shown again: {}", page.text);
        assert_eq!(user.get("/alerts/view/0000000000000000000000000000000000000000000000000000000000000000").await.status, StatusCode::NOT_FOUND);
        // The claims page for staff.
        let page = ops.get("/admin/claims").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    })
    .await;
}
