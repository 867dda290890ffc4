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
