//! PRF-1, PRF-2: the case-management profile.

use crate::support::{TestApp, on_both};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_incomplete_profile_is_refused_field_by_field() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, _) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let (other, other_admin) = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await;
        let worker = app.member("worker@acme.test").await;

        let view = app.get("/api/v1/me/profile", &worker).await;
        assert_eq!(view.status, StatusCode::OK, "{}", view.text);
        assert_eq!(view.body["complete"], false);
        assert_eq!(view.body["name"], "Company Member", "names come from the account");
        let site = view.body["sites"][0]["id"].as_i64().expect("site");
        let pin = view.body["pins"][0]["id"].as_i64().expect("pin");

        let res = app.put("/api/v1/me/profile", &worker, json!({})).await;
        assert_eq!((res.status, res.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
        assert_eq!(res.fields(), ["phone", "contact_method", "language", "time_zone", "country", "site_id", "default_pin_id"]);

        let other_view = app.get("/api/v1/me/profile", &other_admin).await;
        let foreign_site = other_view.body["sites"][0]["id"].as_i64().expect("site");
        let foreign_pin = other_view.body["pins"][0]["id"].as_i64().expect("pin");
        let mut profile = json!({
            "phone": "+31 20 555 0101", "contact_method": "phone", "language": "nl", "time_zone": "Europe/Amsterdam",
            "country": "nl", "site_id": foreign_site, "default_pin_id": foreign_pin
        });
        let res = app.put("/api/v1/me/profile", &worker, profile.clone()).await;
        assert_eq!(res.fields(), ["site_id", "default_pin_id"], "another company's site and PIN are refused");

        profile["site_id"] = json!(site);
        profile["default_pin_id"] = json!(pin);
        let res = app.put("/api/v1/me/profile", &worker, profile).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["complete"], true);
        assert_eq!(res.body["profile"]["country"], "NL");
        assert_eq!(res.body["profile"]["notify"], true, "notifications are on by default");
        let _ = (company, other);

        let basic = app.user("bea@gmail.com", "Bea").await;
        let res = app.get("/api/v1/me/profile", &basic).await;
        assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "company_required"));
    })
    .await;
}
