//! ACC-2 to ACC-5: the access choice, domain matching, company profiles, access requests and
//! invitations.

use crate::support::{PASSWORD, TestApp, on_both};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn one_company_owns_the_domain_so_the_user_joins() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, _) = app
            .company(&ops, "Acme Industries", "acme.test", "boss@acme.test")
            .await;
        let token = app.user("worker@acme.test", "Wendy Worker").await;
        let res = app
            .post(
                "/api/v1/me/access",
                Some(&token),
                json!({ "choice": "enterprise" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["outcome"], "joined");
        assert_eq!(res.body["company_id"], company);
        let me = app.get("/api/v1/me", &token).await;
        assert_eq!(me.body["tier"], "enterprise");
        assert!(me.body.get("next_step").is_none());
        assert_eq!(me.body["memberships"][0]["role"], "member");
        let mails = app.mails("worker@acme.test").await;
        assert!(
            mails[0].0.contains("Acme Industries"),
            "confirmation email: {:?}",
            mails[0]
        );

        let res = app
            .post(
                "/api/v1/me/access",
                Some(&token),
                json!({ "choice": "enterprise" }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::CONFLICT, "already_member")
        );
        let res = app
            .post(
                "/api/v1/me/access",
                Some(&token),
                json!({ "choice": "everything" }),
            )
            .await;
        assert_eq!(res.fields(), ["choice"]);
        // A domain is owned once: a partner choice with the customer's domain joins that
        // company rather than describing a second one (issue 12).
        let partner = app.user("other@acme.test", "Other").await;
        let res = app
            .post(
                "/api/v1/me/access",
                Some(&partner),
                json!({ "choice": "partner" }),
            )
            .await;
        assert_eq!(res.body["outcome"], "joined", "{}", res.text);
        let me = app.get("/api/v1/me", &partner).await;
        let memberships = me.body["memberships"].as_array().expect("memberships");
        assert_eq!(memberships.len(), 1, "{}", me.text);
        assert_eq!(
            memberships[0]["company_name"], "Acme Industries",
            "{}",
            me.text
        );
    })
    .await;
}

#[tokio::test]
async fn several_companies_share_the_domain_so_the_user_picks() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (east, _) = app
            .company(&ops, "Globex East", "globex.test", "east@globex.test")
            .await;
        let (west, _) = app
            .company(&ops, "Globex West", "globex.test", "west@globex.test")
            .await;
        let (elsewhere, _) = app
            .company(&ops, "Initech", "initech.test", "boss@initech.test")
            .await;
        let token = app.user("new@globex.test", "Nina New").await;
        let res = app
            .post(
                "/api/v1/me/access",
                Some(&token),
                json!({ "choice": "enterprise" }),
            )
            .await;
        assert_eq!(res.body["outcome"], "choose_company");
        let ids: Vec<i64> = res.body["candidates"]
            .as_array()
            .expect("candidates")
            .iter()
            .filter_map(|c| c["id"].as_i64())
            .collect();
        assert_eq!(ids, [east, west]);

        let res = app
            .post(
                "/api/v1/me/company-join",
                Some(&token),
                json!({ "company_id": elsewhere }),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "a company outside the candidates does not exist for this user"
        );
        let res = app
            .post(
                "/api/v1/me/company-join",
                Some(&token),
                json!({ "company_id": west }),
            )
            .await;
        assert_eq!(res.body["outcome"], "joined");
        assert_eq!(res.body["company_name"], "Globex West");
        assert_eq!(
            app.get("/api/v1/me", &token).await.body["tier"],
            "enterprise"
        );
    })
    .await;
}

#[tokio::test]
async fn first_of_the_company_waits_for_validation() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let first = app.user("first@umbrella.test", "Fay First").await;
        let res = app.post("/api/v1/me/access", Some(&first), json!({ "choice": "enterprise" })).await;
        assert_eq!(res.body["outcome"], "company_profile_needed");

        let res = app.post("/api/v1/me/company-profile", Some(&first), json!({ "name": "", "address": { "country": "Netherlands" } })).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.fields(), ["name", "street", "postal_code", "city", "country"]);

        let profile = json!({ "name": "Umbrella BV", "address": { "street": "Dam 1", "postal_code": "1012 JS", "city": "Amsterdam", "country": "nl" }, "serial_number": "CZC1234" });
        let res = app.post("/api/v1/me/company-profile", Some(&first), profile.clone()).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["status"], "pending");
        let company = res.body["company_id"].as_i64().expect("id");
        assert_eq!(app.get("/api/v1/me", &first).await.body["tier"], "limited");
        assert_eq!(app.get(&format!("/api/v1/companies/{company}"), &first).await.status, StatusCode::NOT_FOUND, "no company data before validation");

        // A colleague registering before validation joins the same pending company.
        let second = app.user("second@umbrella.test", "Sam Second").await;
        app.post("/api/v1/me/access", Some(&second), json!({ "choice": "enterprise" })).await;
        let res = app.post("/api/v1/me/company-profile", Some(&second), profile).await;
        assert_eq!(res.body["company_id"], company);

        let list = app.get("/api/v1/admin/companies", &ops).await;
        assert_eq!(list.body["items"][0]["status"], "pending", "pending companies come first");
        let res = app.post(&format!("/api/v1/admin/companies/{company}/validate"), Some(&ops), json!({})).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(app.get("/api/v1/me", &first).await.body["tier"], "enterprise");
        assert!(app.mails("second@umbrella.test").await[0].0.contains("validated"));
        let users = app.get(&format!("/api/v1/companies/{company}/users"), &first).await;
        let roles: Vec<&str> = users.body["items"].as_array().expect("users").iter().filter_map(|u| u["role"].as_str()).collect();
        assert_eq!(roles, ["admin", "member"], "the first registrant administers the company");
        let res = app.post(&format!("/api/v1/admin/companies/{company}/validate"), Some(&ops), json!({})).await;
        assert_eq!(res.code(), "already_validated");
    })
    .await;
}

#[tokio::test]
async fn free_mail_and_basic_stay_basic() {
    on_both(|app: TestApp| async move {
        let token = app.user("someone@gmail.com", "Gina Gmail").await;
        let res = app
            .post(
                "/api/v1/me/access",
                Some(&token),
                json!({ "choice": "enterprise" }),
            )
            .await;
        assert_eq!(res.body["outcome"], "free_mail");
        assert_eq!(app.get("/api/v1/me", &token).await.body["tier"], "basic");
        let res = app
            .post(
                "/api/v1/me/company-profile",
                Some(&token),
                json!({ "name": "Gina's", "address": {} }),
            )
            .await;
        assert_eq!(res.code(), "free_mail_domain");

        let basic = app.user("bea@small.test", "Bea Basic").await;
        let res = app
            .post(
                "/api/v1/me/access",
                Some(&basic),
                json!({ "choice": "basic" }),
            )
            .await;
        assert_eq!(res.body["outcome"], "basic");
        let me = app.get("/api/v1/me", &basic).await;
        assert_eq!(me.body["tier"], "basic");
        assert!(me.body.get("next_step").is_none());
    })
    .await;
}

#[tokio::test]
async fn access_requests_get_a_number_and_an_answer() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, _) = app
            .company(&ops, "Hooli", "hooli.test", "boss@hooli.test")
            .await;
        let token = app.user("rita@homeoffice.test", "Rita Request").await;
        app.post(
            "/api/v1/me/access",
            Some(&token),
            json!({ "choice": "basic" }),
        )
        .await;

        let res = app
            .post(
                "/api/v1/access-requests",
                Some(&token),
                json!({ "phone": "abc", "contact_method": "fax" }),
            )
            .await;
        assert_eq!(
            res.fields(),
            [
                "phone",
                "contact_method",
                "page_url",
                "intent",
                "company_name",
                "site_address"
            ]
        );

        let request = json!({
            "phone": "+31 6 1234 5678", "contact_method": "email", "page_url": "/cases",
            "intent": "Enable enterprise access for my account", "serial_number": "5CG1234",
            "company_name": "Hooli", "site_address": "Dam 1, Amsterdam"
        });
        let res = app
            .post("/api/v1/access-requests", Some(&token), request.clone())
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let number = res.body["number"].as_str().expect("number").to_owned();
        assert_eq!(number.len(), 8);
        let mails = app.mails("rita@homeoffice.test").await;
        assert!(
            mails[0].0.contains(&number) && mails[0].1.contains(&number),
            "number by email"
        );
        let second = app
            .post("/api/v1/access-requests", Some(&token), request)
            .await
            .body["number"]
            .as_str()
            .expect("n")
            .to_owned();

        let member = app.member("mo@hooli.test").await;
        assert_eq!(
            app.get("/api/v1/admin/access-requests", &member)
                .await
                .code(),
            "staff_required"
        );
        let queue = app.get("/api/v1/admin/access-requests", &ops).await;
        let items = queue.body["items"].as_array().expect("queue");
        let id = items
            .iter()
            .find(|r| r["number"] == number.as_str())
            .expect("in queue")["id"]
            .as_i64()
            .expect("id");
        let other = items
            .iter()
            .find(|r| r["number"] == second.as_str())
            .expect("in queue")["id"]
            .as_i64()
            .expect("id");

        let path = format!("/api/v1/admin/access-requests/{other}/resolve");
        let res = app
            .post(&path, Some(&ops), json!({ "decision": "decline" }))
            .await;
        assert_eq!(res.fields(), ["reason"], "declining needs a reason");
        let res = app
            .post(
                &path,
                Some(&ops),
                json!({ "decision": "decline", "reason": "Duplicate of your other request" }),
            )
            .await;
        assert_eq!(res.body["status"], "declined");

        let path = format!("/api/v1/admin/access-requests/{id}/resolve");
        let res = app
            .post(
                &path,
                Some(&ops),
                json!({ "decision": "upgrade", "company_id": 999_999 }),
            )
            .await;
        assert_eq!(res.fields(), ["company_id"]);
        let res = app
            .post(
                &path,
                Some(&ops),
                json!({ "decision": "upgrade", "company_id": company }),
            )
            .await;
        assert_eq!(res.body["status"], "upgraded", "{}", res.text);
        let res = app
            .post(
                &path,
                Some(&ops),
                json!({ "decision": "upgrade", "company_id": company }),
            )
            .await;
        assert_eq!(res.code(), "request_already_resolved");

        assert_eq!(
            app.get("/api/v1/me", &token).await.body["tier"],
            "enterprise"
        );
        let mine = app.get("/api/v1/access-requests", &token).await;
        let reasons: Vec<&str> = mine.body["items"]
            .as_array()
            .expect("mine")
            .iter()
            .filter_map(|r| r["resolution_reason"].as_str())
            .collect();
        assert_eq!(reasons, ["Duplicate of your other request"]);
        let res = app
            .post("/api/v1/access-requests", Some(&token), json!({}))
            .await;
        assert_eq!(res.code(), "already_upgraded");
    })
    .await;
}

#[tokio::test]
async fn invitations_bring_people_in_with_the_chosen_role() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, admin) = app
            .company(
                &ops,
                "Vandelay Industries",
                "vandelay.test",
                "art@vandelay.test",
            )
            .await;
        let path = format!("/api/v1/companies/{company}/invitations");
        let res = app
            .post(
                &path,
                Some(&admin),
                json!({ "email": "kramer@elsewhere.test", "role": "owner" }),
            )
            .await;
        assert_eq!(res.fields(), ["role"]);
        let res = app
            .post(
                &path,
                Some(&admin),
                json!({ "email": "kramer@elsewhere.test", "role": "admin" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let res = app
            .post(&path, Some(&admin), json!({ "email": "art@vandelay.test" }))
            .await;
        assert_eq!(res.code(), "already_member");

        let (_, text) = app.mails("kramer@elsewhere.test").await.remove(0);
        let link = text
            .lines()
            .find(|l| l.contains("/invitations/"))
            .expect("link")
            .trim()
            .to_owned();
        let code = link.rsplit('/').next().expect("code").to_owned();
        assert_eq!(
            app.request(
                axum::http::Method::GET,
                &format!("/api/v1/invitations/{code}"),
                None,
                None
            )
            .await
            .body["company_name"],
            "Vandelay Industries"
        );

        let stranger = app.user("jerry@elsewhere.test", "Jerry").await;
        let accept = format!("/api/v1/invitations/{code}/accept");
        let res = app.post(&accept, Some(&stranger), json!({})).await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::FORBIDDEN, "invitation_other_email")
        );

        let kramer = app.user("kramer@elsewhere.test", "Cosmo Kramer").await;
        let res = app.post(&accept, Some(&kramer), json!({})).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let me = app.get("/api/v1/me", &kramer).await;
        assert_eq!(me.body["tier"], "enterprise");
        assert_eq!(me.body["memberships"][0]["role"], "admin");
        let res = app.post(&accept, Some(&kramer), json!({})).await;
        assert_eq!(res.code(), "invitation_used");
        let res = app
            .post(
                "/api/v1/invitations/not-a-code/accept",
                Some(&kramer),
                json!({}),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        // Expired invitations are refused.
        app.post(
            &path,
            Some(&admin),
            json!({ "email": "newman@elsewhere.test" }),
        )
        .await;
        let (_, text) = app.mails("newman@elsewhere.test").await.remove(0);
        let code = text
            .lines()
            .find(|l| l.contains("/invitations/"))
            .expect("link")
            .trim()
            .rsplit('/')
            .next()
            .expect("code")
            .to_owned();
        app.state.clock.advance(chrono::Duration::days(15));
        let newman = app.user("newman@elsewhere.test", "Newman").await;
        let res = app
            .post(
                &format!("/api/v1/invitations/{code}/accept"),
                Some(&newman),
                json!({}),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::GONE, "invitation_expired")
        );
        let _ = PASSWORD;
    })
    .await;
}
