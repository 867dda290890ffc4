//! Who sees a case, beyond the story in `cases.rs`: every contact of it (CAS-13).

use crate::cases::world;
use crate::support::{TestApp, on_both};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_alternate_contact_sees_the_case_and_other_colleagues_do_not() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let alternate = app.member("alternate@acme.test").await;
        let bystander = app.member("bystander@acme.test").await;
        let case = json!({ "serial_number": "SRV0001", "title": "Fan noise", "description": "Loud since Monday", "severity": 3,
            "alternate_contact": { "name": "Alex Alternate", "email": "alternate@acme.test", "phone": "+31 20 555 0102" } });
        let res = app.post("/api/v1/cases", Some(&w.worker), case).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let number = res.body["case_id"].as_str().expect("case id").to_owned();
        let path = format!("/api/v1/cases/{number}");

        let seen = app.get(&path, &alternate).await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
        assert_eq!(seen.body["alternate_email"], "alternate@acme.test");
        let listed = app.get("/api/v1/cases?view=recent", &alternate).await;
        assert!(
            listed.body["items"].as_array().expect("items").iter().any(|c| c["number"] == number.as_str()),
            "{}",
            listed.text
        );
        assert_eq!(app.get(&path, &bystander).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&path, &w.other).await.status, StatusCode::NOT_FOUND, "another company");
    })
    .await;
}
