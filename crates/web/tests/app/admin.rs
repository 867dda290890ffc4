//! SUP-5 / CMP-4: operator tools and who may use them.

use crate::support::{TestApp, on_both};
use axum::http::StatusCode;
use serde_json::json;
use supportal_domain::StaffRole;

#[tokio::test]
async fn only_staff_use_operator_tools_and_input_is_checked() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let engineer = app.staff("eng@operator.test", StaffRole::Engineer).await;
        let (company, admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;

        assert_eq!(app.get("/api/v1/admin/companies", &admin).await.code(), "staff_required");
        assert_eq!(app.get("/api/v1/admin/companies", &engineer).await.status, StatusCode::OK, "engineers may look");
        let res = app.post("/api/v1/admin/companies", Some(&engineer), json!({ "name": "X", "kind": "customer" })).await;
        assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "operator_admin_required"));
        let res = app.post(&format!("/api/v1/admin/companies/{company}/validate"), Some(&admin), json!({})).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);

        let res = app
            .post("/api/v1/admin/companies", Some(&ops), json!({ "name": "", "kind": "reseller", "domains": ["gmail.com", "nodot"], "pins": ["x"], "first_admin_email": "nope" }))
            .await;
        assert_eq!(res.fields(), ["name", "kind", "domains", "domains", "pins", "first_admin_email"]);
        let res = app.post("/api/v1/admin/companies", Some(&ops), json!({ "name": "Partner Co", "kind": "partner_service_delivery", "domains": ["partner.test"], "first_admin_email": "new@partner.test" })).await;
        assert_eq!((res.status, res.body["first_admin"].as_str()), (StatusCode::CREATED, Some("invited")), "no account yet: an admin invitation");
        assert!(app.mails("new@partner.test").await[0].1.contains("/invitations/"));
        let partner = res.body["company_id"].as_i64().expect("id");

        let res = app.post(&format!("/api/v1/admin/companies/{partner}/admins"), Some(&ops), json!({ "email": "boss@acme.test" })).await;
        assert_eq!(res.body["outcome"], "member", "an existing account is appointed at once");
        let res = app.post(&format!("/api/v1/admin/companies/{partner}/admins"), Some(&ops), json!({ "email": "bad" })).await;
        assert_eq!(res.fields(), ["email"]);
        let res = app.post("/api/v1/admin/companies/424242/admins", Some(&ops), json!({ "email": "a@b.test" })).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app.post("/api/v1/admin/companies/424242/validate", Some(&ops), json!({})).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Domains and PINs can be added later; a new domain is matched at once.
        let path = format!("/api/v1/admin/companies/{company}/domains");
        let res = app.post(&path, Some(&engineer), json!({ "domain": "acme-labs.test" })).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = app.post(&path, Some(&ops), json!({ "domain": "hotmail.com" })).await;
        assert_eq!(res.body["errors"][0]["code"], "free_mail_domain");
        let res = app.post(&path, Some(&ops), json!({ "domain": "acme-labs.test" })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let labs = app.member("lab@acme-labs.test").await;
        assert_eq!(app.get("/api/v1/me", &labs).await.body["memberships"][0]["company_id"], company);
        let path = format!("/api/v1/admin/companies/{company}/pins");
        let res = app.post(&path, Some(&ops), json!({ "code": "no spaces!" })).await;
        assert_eq!(res.fields(), ["code"]);
        let res = app.post(&path, Some(&ops), json!({ "code": "silver-2", "description": "Silver" })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let pins = app.get(&format!("/api/v1/companies/{company}"), &admin).await.body["pins"].clone();
        assert_eq!(pins.as_array().map(|p| p.iter().filter_map(|x| x["code"].as_str()).collect::<Vec<_>>()), Some(vec!["GOLD-1", "SILVER-2"]));
        let res = app.post("/api/v1/admin/companies/424242/pins", Some(&ops), json!({ "code": "X1" })).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        let res = app.get("/api/v1/admin/no-such-thing", &ops).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    })
    .await;
}
