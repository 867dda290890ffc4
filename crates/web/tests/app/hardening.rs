//! Issue 9's smaller defects, each as the story that found it: a company left without an admin
//! by a stale invitation, another company's contract after an asset changed owner, NUL bytes.

use crate::support::{TestApp, on_both};
use axum::http::StatusCode;
use serde_json::json;

/// The code of the newest invitation mailed to `to`.
async fn invitation_code(app: &TestApp, to: &str) -> String {
    let (_, text) = app.mails(to).await.into_iter().next().expect("invitation mail");
    text.lines()
        .find(|l| l.contains("/invitations/"))
        .and_then(|l| l.trim().rsplit('/').next())
        .expect("link")
        .to_owned()
}

#[tokio::test]
async fn a_stale_member_invitation_never_demotes_the_last_admin() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, art) = app.company(&ops, "Vandelay", "vandelay.test", "art@vandelay.test").await;
        let invite = format!("/api/v1/companies/{company}/invitations");
        // Two invitations for Kramer: as member, then as admin.
        let res = app.post(&invite, Some(&art), json!({ "email": "kramer@vandelay.test", "role": "member" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let stale = invitation_code(&app, "kramer@vandelay.test").await;
        let res = app.post(&invite, Some(&art), json!({ "email": "kramer@vandelay.test", "role": "admin" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let fresh = invitation_code(&app, "kramer@vandelay.test").await;
        let kramer = app.user("kramer@vandelay.test", "Kramer").await;
        let res = app.post(&format!("/api/v1/invitations/{fresh}/accept"), Some(&kramer), json!({})).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        // Art steps down; Kramer is the only admin.
        let art_id = app.user_id(&art).await;
        let res = app.patch(&format!("/api/v1/companies/{company}/users/{art_id}"), &art, json!({ "role": "member" })).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        // The stale invitation is accepted: Kramer stays admin.
        let res = app.post(&format!("/api/v1/invitations/{stale}/accept"), Some(&kramer), json!({})).await;
        assert!(res.status == StatusCode::OK || res.status == StatusCode::CONFLICT, "{}", res.text);
        let users = app.get(&format!("/api/v1/companies/{company}/users"), &kramer).await;
        let admins: Vec<&str> = users.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|u| u["role"] == "admin" && u["active"] == true)
            .filter_map(|u| u["email"].as_str())
            .collect();
        assert_eq!(admins, ["kramer@vandelay.test"], "{}", users.text);
    })
    .await;
}

#[tokio::test]
async fn after_a_transfer_the_new_owner_uses_only_its_own_entitlements() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (acme, acme_admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let (globex, globex_admin) = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await;
        let res = app.post("/api/v1/admin/products", Some(&ops), json!([{ "sku": "SRV-1", "name": "Server", "product_line": "Servers", "has_serial": true, "warranty_months": 36 }])).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let ship = (chrono::Utc::now().date_naive() - chrono::Duration::days(30)).to_string();
        let asset = |company: i64| json!([{ "serial_number": "MOVE001", "sku": "SRV-1", "company_id": company, "ship_date": ship }]);
        assert_eq!(app.post("/api/v1/admin/assets", Some(&ops), asset(acme)).await.status, StatusCode::OK);
        let res = app.post("/api/v1/admin/entitlements", Some(&ops), json!([{ "kind": "contract", "reference": "ACME-GOLD", "company_id": acme, "coverage": "4h_24x7_onsite", "start": "2026-01-01", "end": "2030-12-31", "serial_numbers": ["MOVE001"] }])).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let kinds = |res: &crate::support::Response| -> Vec<String> {
            res.body["available"].as_array().into_iter().flatten().filter_map(|p| p["kind"].as_str().map(str::to_owned)).collect()
        };
        let before = app.get("/api/v1/plans?serial=MOVE001", &acme_admin).await;
        assert!(kinds(&before).contains(&"contract".to_owned()), "{}", before.text);

        // The asset is sold to Globex.
        assert_eq!(app.post("/api/v1/admin/assets", Some(&ops), asset(globex)).await.status, StatusCode::OK);
        let after = app.get("/api/v1/plans?serial=MOVE001", &globex_admin).await;
        assert_eq!(after.status, StatusCode::OK, "{}", after.text);
        assert!(!after.text.contains("ACME-GOLD"), "{}", after.text);
        assert!(!kinds(&after).contains(&"contract".to_owned()), "{}", after.text);
        assert!(kinds(&after).contains(&"factory_warranty".to_owned()), "{}", after.text);
        let theirs = app.get(&format!("/api/v1/companies/{globex}/entitlements"), &globex_admin).await;
        assert!(!theirs.text.contains("ACME-GOLD"), "{}", theirs.text);
        // Acme keeps its contract, without the serial it no longer owns.
        let ours = app.get(&format!("/api/v1/companies/{acme}/entitlements?kind=contract"), &acme_admin).await;
        assert!(ours.text.contains("ACME-GOLD") && !ours.text.contains("MOVE001"), "{}", ours.text);
        // Nor can Globex name the contract to pay for a case.
        let contract_id = before.body["available"].as_array().into_iter().flatten().find(|p| p["kind"] == "contract").and_then(|p| p["id"].as_i64()).expect("id");
        let res = app.post("/api/v1/cases", Some(&globex_admin), json!({ "serial_number": "MOVE001", "entitlement_id": contract_id, "title": "Disk", "description": "Broken", "severity": 3, "country": "NL", "time_zone": "Europe/Amsterdam", "primary_contact": { "name": "Boss", "email": "boss@globex.test", "phone": "+31 20 555 0100" } })).await;
        assert!(res.status.is_client_error(), "{}", res.text);
        assert!(!res.text.contains("ACME-GOLD"), "{}", res.text);
    })
    .await;
}
