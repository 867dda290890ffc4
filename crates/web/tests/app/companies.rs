//! CMP-1 to CMP-5: company data, admin actions, the last-admin rule, tenant isolation, sites and
//! contacts.

use crate::support::{PASSWORD, TestApp, on_both};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn admins_manage_roles_and_activation_but_never_leave_no_admin() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, admin) = app
            .company(&ops, "Acme", "acme.test", "boss@acme.test")
            .await;
        let worker = app.member("worker@acme.test").await;
        let admin_id = app.user_id(&admin).await;
        let worker_id = app.user_id(&worker).await;
        let users = format!("/api/v1/companies/{company}/users");

        let res = app
            .patch(
                &format!("{users}/{admin_id}"),
                &admin,
                json!({ "role": "member" }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::CONFLICT, "last_company_admin")
        );
        assert!(
            res.body["title"]
                .as_str()
                .is_some_and(|t| t.contains("admin")),
            "a sentence a person understands"
        );
        let res = app
            .patch(
                &format!("{users}/{admin_id}"),
                &admin,
                json!({ "active": false }),
            )
            .await;
        assert_eq!(res.code(), "last_company_admin");

        let res = app
            .patch(
                &format!("{users}/{worker_id}"),
                &worker,
                json!({ "role": "admin" }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::FORBIDDEN, "company_admin_required"),
            "members cannot promote themselves"
        );
        let res = app
            .patch(&format!("{users}/{worker_id}"), &admin, json!({}))
            .await;
        assert_eq!(res.fields(), ["role"]);
        let res = app
            .patch(
                &format!("{users}/{worker_id}"),
                &admin,
                json!({ "role": "root" }),
            )
            .await;
        assert_eq!(res.fields(), ["role"]);

        let res = app
            .patch(
                &format!("{users}/{worker_id}"),
                &admin,
                json!({ "role": "admin" }),
            )
            .await;
        assert_eq!(res.body["role"], "admin", "{}", res.text);
        let res = app
            .patch(
                &format!("{users}/{admin_id}"),
                &worker,
                json!({ "role": "member" }),
            )
            .await;
        assert_eq!(
            res.body["role"], "member",
            "with two admins one may step down"
        );
        let res = app
            .patch(
                &format!("{users}/{worker_id}"),
                &worker,
                json!({ "role": "member" }),
            )
            .await;
        assert_eq!(
            res.code(),
            "last_company_admin",
            "now the worker is the last admin"
        );

        // Deactivation ends the sessions and blocks sign-in; reactivation lets the user back.
        let res = app
            .patch(
                &format!("{users}/{admin_id}"),
                &worker,
                json!({ "active": false }),
            )
            .await;
        assert_eq!(res.body["active"], false);
        assert_eq!(
            app.get("/api/v1/me", &admin).await.status,
            StatusCode::UNAUTHORIZED
        );
        let res = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({ "email": "boss@acme.test", "password": PASSWORD }),
            )
            .await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::FORBIDDEN, "account_deactivated")
        );
        app.patch(
            &format!("{users}/{admin_id}"),
            &worker,
            json!({ "active": true }),
        )
        .await;
        app.login("boss@acme.test", PASSWORD).await;

        let audit = app
            .get(&format!("/api/v1/companies/{company}/audit"), &worker)
            .await;
        assert!(
            audit.body["items"]
                .as_array()
                .is_some_and(|a| a.iter().any(|e| e["action"] == "member_changed"))
        );
        let res = app
            .patch(
                &format!("{users}/999999"),
                &worker,
                json!({ "active": false }),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn another_company_is_invisible_and_untouchable() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (acme, acme_admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let (globex, globex_admin) = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await;
        let acme_admin_id = app.user_id(&acme_admin).await;
        let globex_site = app.get(&format!("/api/v1/companies/{globex}/sites"), &globex_admin).await.body["items"][0]["id"].as_i64().expect("site");

        for path in ["", "/users", "/sites", "/contacts", "/invitations", "/audit"] {
            let res = app.get(&format!("/api/v1/companies/{acme}{path}"), &globex_admin).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "GET {path} of another company");
        }
        let res = app.patch(&format!("/api/v1/companies/{acme}/users/{acme_admin_id}"), &globex_admin, json!({ "active": false })).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app.post(&format!("/api/v1/companies/{acme}/invitations"), Some(&globex_admin), json!({ "email": "x@globex.test" })).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let site = json!({ "name": "Sneaky", "street": "s", "postal_code": "1", "city": "c", "country": "NL" });
        let res = app.patch(&format!("/api/v1/companies/{acme}/sites/{globex_site}"), &acme_admin, site.clone()).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "a site id of another company is not found through my company");
        let res = app.patch(&format!("/api/v1/companies/{acme}/users/{}", app.user_id(&globex_admin).await), &acme_admin, json!({ "active": false })).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "a user of another company is not found through mine");
        let res = app.get("/api/v1/companies/abc", &acme_admin).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "a malformed id names nothing");
        let res = app.request(axum::http::Method::GET, &format!("/api/v1/companies/{acme}"), None, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // Staff see every company.
        assert_eq!(app.get(&format!("/api/v1/companies/{acme}"), &ops).await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn members_read_admins_write_sites() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let worker = app.member("worker@acme.test").await;
        let sites = format!("/api/v1/companies/{company}/sites");
        let site = json!({ "name": "Plant 2", "street": "Industrieweg 4", "postal_code": "3000 AA", "city": "Rotterdam", "country": "nl" });

        let res = app.post(&sites, Some(&worker), site.clone()).await;
        assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "company_admin_required"));
        let res = app.post(&sites, Some(&admin), json!({ "name": "", "country": "Netherlands" })).await;
        assert_eq!(res.fields(), ["name", "street", "city", "postal_code", "country"]);
        let res = app.post(&sites, Some(&admin), site).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["country"], "NL");
        assert_eq!(res.body["is_primary"], false, "the first site stays primary");
        let id = res.body["id"].as_i64().expect("id");

        let res = app
            .patch(&format!("{sites}/{id}"), &admin, json!({ "name": "Plant Two", "street": "Industrieweg 4", "postal_code": "3000 AA", "city": "Rotterdam", "country": "NL", "is_primary": true }))
            .await;
        assert_eq!((res.body["name"].as_str(), res.body["is_primary"].as_bool()), (Some("Plant Two"), Some(true)));
        let list = app.get(&sites, &worker).await;
        let primaries = list.body["items"].as_array().expect("sites").iter().filter(|s| s["is_primary"] == true).count();
        assert_eq!(primaries, 1, "exactly one primary site");
        let view = app.get(&format!("/api/v1/companies/{company}"), &worker).await;
        assert_eq!(view.body["pins"][0]["code"], "GOLD-1");
        assert_eq!(view.body["domains"][0], "acme.test");
    })
    .await;
}

#[tokio::test]
async fn company_and_saved_contacts() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let worker = app.member("worker@acme.test").await;
        let contacts = format!("/api/v1/companies/{company}/contacts");

        let res = app.post(&contacts, Some(&worker), json!({ "name": "Facilities desk", "email": "bad", "phone": "call me" })).await;
        assert_eq!(res.fields(), ["email", "phone"]);
        let res = app.post(&contacts, Some(&worker), json!({ "name": "Facilities desk", "email": "facilities@acme.test", "phone": "+31 10 555 0000" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let external = res.body["id"].as_i64().expect("id");
        let list = app.get(&contacts, &admin).await;
        let sources: Vec<&str> = list.body["items"].as_array().expect("list").iter().filter_map(|c| c["source"].as_str()).collect();
        assert_eq!(sources.len(), 3, "two users and one external contact: {sources:?}");

        let mine = "/api/v1/me/saved-contacts";
        let res = app.post(mine, Some(&worker), json!({ "from": { "source": "external", "id": external } })).await;
        assert_eq!(res.body["email"], "facilities@acme.test", "{}", res.text);
        let saved = res.body["id"].as_i64().expect("id");
        let res = app.post(mine, Some(&worker), json!({ "from": { "source": "external", "id": external } })).await;
        assert_eq!((res.status, res.code()), (StatusCode::CONFLICT, "contact_already_saved"));
        let res = app.post(mine, Some(&worker), json!({ "name": "Piet", "email": "piet@supplier.test" })).await;
        assert_eq!(res.status, StatusCode::CREATED);
        let res = app.patch(&format!("{mine}/{saved}"), &worker, json!({ "name": "Facilities", "email": "facilities@acme.test", "phone": "" })).await;
        assert_eq!((res.body["name"].as_str(), res.body["phone"].is_null()), (Some("Facilities"), true));

        let res = app.patch(&format!("{mine}/{saved}"), &admin, json!({ "name": "Mine now", "email": "x@acme.test" })).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "another user's saved contact");
        assert_eq!(app.delete(&format!("{mine}/{saved}"), &admin).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.delete(&format!("{mine}/{saved}"), &worker).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get(mine, &worker).await.body["items"].as_array().map(Vec::len), Some(1));
        let res = app.post(mine, Some(&worker), json!({ "from": { "source": "external", "id": 999_999 } })).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    })
    .await;
}
