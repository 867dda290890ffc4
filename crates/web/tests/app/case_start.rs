//! The customer's side of the case form, from the walkthrough of seed 003: an agreement that
//! covers several products asks which one, an ambiguous product name is not guessed, an unknown
//! agreement ID is refused at the start, an agreement can be registered from inside the form,
//! the review names the plan, the severity, the PIN and the site, and an expired agreement says so.

use crate::cases::world;
use crate::support::{TestApp, on_both, sqlite_app};
use crate::visitor::signed_in;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_agreement_over_several_products_asks_which_one() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        // Agreement 7001 covers the software suite and the notebook.
        let case = |sku: Option<&str>| {
            let mut body = json!({ "agreement_id": "7001", "title": "Licence", "description": "Key refused", "severity": 3 });
            if let Some(sku) = sku {
                body["sku"] = json!(sku);
            }
            body
        };
        let res = app.post("/api/v1/cases", Some(&w.worker), case(None)).await;
        assert_eq!(res.fields(), ["sku"], "{}", res.text);
        assert_eq!(res.body["errors"][0]["code"], "choose_product");
        let res = app.post("/api/v1/cases", Some(&w.worker), case(Some("SRV-1"))).await;
        assert_eq!(res.body["errors"][0]["code"], "product_not_covered", "{}", res.text);
        let res = app.post("/api/v1/cases", Some(&w.worker), case(Some("SW-1"))).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["sku"], "SW-1");
        assert_eq!(res.body["entitlement"]["kind"], "agreement");
    })
    .await;
}

#[tokio::test]
async fn the_form_asks_refuses_early_registers_and_names_the_plan() {
    let app = sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut anna = signed_in(&app, "anna.admin@northwind.test").await;

    // 41000001 covers three products: the details step asks which.
    let page = anna
        .get("/cases/new/details?start=agreement&value=41000001")
        .await;
    assert!(page.text.contains("id=\"f-sku\""), "a product choice");
    for sku in ["DS-ENT", "CS-MAIL", "PS-R740"] {
        assert!(
            page.text.contains(&format!("value=\"{sku}\"")),
            "{sku} offered"
        );
    }
    // An unknown agreement ID is refused on the first step.
    let page = anna
        .get("/cases/new/details?start=agreement&value=99999999")
        .await;
    assert!(
        page.text.contains("No registered agreement has this ID."),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("id=\"register-agreement\""),
        "with a way to register one"
    );
    // A name that matches several products is not guessed.
    let page = anna
        .get("/cases/new/details?start=product&value=Suite")
        .await;
    assert!(
        page.text.contains("Several products match this name."),
        "{}",
        page.text
    );
    let page = anna
        .get("/cases/new/details?start=product&value=DataSuite%20Enterprise")
        .await;
    assert!(page.text.contains("DS-ENT"), "an exact name is taken");

    // Registering from inside the form goes on with a case on that agreement.
    let res = anna
        .post(
            "/cases/new/agreement",
            &[("access_id", "DEMO-SHARE"), ("agreement_id", "42000042")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let to = res
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        to.starts_with("/cases/new/details?start=agreement&value=42000042"),
        "{to}"
    );
    let res = anna
        .post(
            "/cases/new/agreement",
            &[("access_id", "NOPE"), ("agreement_id", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.text.contains("id=\"register-agreement\"") && res.text.contains("value=\"NOPE\""),
        "refused, answers kept"
    );

    // The review names the plan, the severity, the PIN and the site.
    let details = anna
        .get("/cases/new/details?start=serial&value=NWR-SRV-0001")
        .await;
    let pin = details
        .text
        .split("name=\"pin\"")
        .nth(1)
        .and_then(|rest| rest.split("selected").next())
        .and_then(|before| before.rsplit("value=\"").next())
        .and_then(|v| v.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let site = details
        .text
        .split("name=\"equipment_site_id\"")
        .nth(1)
        .and_then(|rest| rest.split("value=\"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let review = anna
        .post(
            "/cases/new/review",
            &[
                ("start", "serial"),
                ("value", "NWR-SRV-0001"),
                ("title", "Fan noise"),
                ("description", "Loud"),
                ("severity", "2"),
                ("pin", &pin),
                ("equipment_site_id", &site),
                ("primary_name", "Anna"),
                ("primary_email", "anna.admin@northwind.test"),
            ],
        )
        .await;
    assert!(
        review.text.contains("CP-4H-88231"),
        "the care pack that pays is named: {}",
        review.text
    );
    assert!(!review.text.contains("chosen automatically"));
    assert!(
        review.text.contains("2 — High"),
        "severity with its meaning"
    );
    if !pin.is_empty() {
        assert!(
            review.text.contains(&format!("id=\"review-pin\">{pin}<")),
            "the PIN"
        );
    }
}

#[tokio::test]
async fn an_expired_agreement_says_so() {
    let app = sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
    let page = anna.get("/agreements").await;
    // 41000003 ended long ago (start 500 days back, one year and 30 days of grace).
    let row = page
        .text
        .split("<tr>")
        .find(|r| r.contains("41000003"))
        .expect("the expired agreement");
    assert!(
        row.contains("pill bad") && row.contains("Expired") && !row.contains("pill ok"),
        "{row}"
    );
}
