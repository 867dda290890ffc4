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

/// Makes `user` a plain member of `company` (as an accepted invitation would).
async fn join_as_member(app: &TestApp, company: i64, user: i64) {
    let mut tx = app.state.db.begin().await.expect("tx");
    supportal_store::members::put(
        &mut tx,
        supportal_domain::CompanyId(company),
        supportal_domain::UserId(user),
        supportal_domain::Role::Member,
        chrono::Utc::now(),
    )
    .await
    .expect("membership");
    tx.commit().await.expect("commit");
}

/// The numbers of the cases a list answers.
#[track_caller]
fn numbers(res: &crate::support::Response) -> Vec<String> {
    res.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items: {}", res.text))
        .iter()
        .map(|c| c["number"].as_str().expect("number").to_owned())
        .collect()
}

/// Somebody who administers one company and is a plain member of another sees every case of
/// the first and, of the second, only the cases they submitted or are named on; each list view
/// agrees with the case page, and an inactive membership shows nothing.
#[tokio::test]
async fn each_company_shows_its_cases_by_the_role_held_there() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        // Globex's admin also joins Acme as a plain member.
        let globex_boss = app.user_id(&w.other).await;
        join_as_member(&app, w.company, globex_boss).await;
        let open = |alternate: Option<&'static str>| {
            let worker = w.worker.clone();
            let app = &app;
            async move {
                let mut case = json!({ "serial_number": "SRV0001", "title": "Fan noise", "description": "Loud since Monday", "severity": 3 });
                if let Some(email) = alternate {
                    case["alternate_contact"] = json!({ "name": "Named Colleague", "email": email, "phone": "+31 20 555 0102" });
                }
                let res = app.post("/api/v1/cases", Some(&worker), case).await;
                assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
                res.body["case_id"].as_str().expect("case id").to_owned()
            }
        };
        let unnamed = open(None).await;
        let named = open(Some("boss@globex.test")).await;
        let company_view = format!("/api/v1/cases?view=company&company_id={}", w.company);

        for view in ["/api/v1/cases?view=recent", company_view.as_str()] {
            let admin = numbers(&app.get(view, &w.admin).await);
            assert!(admin.contains(&unnamed) && admin.contains(&named), "{view}: {admin:?}");
            let member = numbers(&app.get(view, &w.other).await);
            assert_eq!(member, vec![named.clone()], "{view}");
        }
        let serial = numbers(&app.get("/api/v1/cases?view=recent&serial=SRV0001", &w.other).await);
        assert_eq!(serial, vec![named.clone()]);
        let mine = numbers(&app.get("/api/v1/cases?view=submitted_by_me", &w.other).await);
        assert!(mine.is_empty(), "{mine:?}");
        let page = |number: &str| format!("/api/v1/cases/{number}");
        assert_eq!(app.get(&page(&named), &w.other).await.status, StatusCode::OK);
        assert_eq!(app.get(&page(&unnamed), &w.other).await.status, StatusCode::NOT_FOUND);

        // Acme's admin makes the membership inactive: nothing of Acme is listed any more.
        let res = app
            .patch(
                &format!("/api/v1/companies/{}/users/{globex_boss}", w.company),
                &w.admin,
                json!({ "active": false }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        // (Ending a membership ends the person's sessions; they sign in again.)
        let other = app.login("boss@globex.test", crate::support::PASSWORD).await;
        for view in ["/api/v1/cases?view=recent", company_view.as_str()] {
            let member = app.get(view, &other).await;
            assert!(numbers(&member).is_empty(), "{view}: {}", member.text);
        }
        assert_eq!(app.get(&page(&named), &other).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// The list's rule and the case page's rule agree: for somebody who administers one company and
/// is a plain member of another, a case is listed exactly when its page opens.
#[tokio::test]
async fn the_list_and_the_case_page_agree_on_who_sees_what() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app
            .login("ops@operator.test", crate::support::PASSWORD)
            .await;
        let me = app.get("/api/v1/me", &w.other).await;
        let globex = me.body["memberships"][0]["company_id"]
            .as_i64()
            .expect("Globex");
        let shipped = (chrono::Utc::now().date_naive() - chrono::Duration::days(10)).to_string();
        let res = app
            .post(
                "/api/v1/admin/assets",
                Some(&ops),
                json!([{ "serial_number": "GLX0001", "sku": "SRV-1", "company_id": globex, "ship_date": shipped }]),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        // Acme's admin is also a plain member of Globex.
        let acme_boss = app.user_id(&w.admin).await;
        join_as_member(&app, globex, acme_boss).await;
        let open = |token: String, serial: &'static str, alternate: Option<&'static str>| {
            let app = &app;
            async move {
                let mut case = json!({ "serial_number": serial, "title": "Fan noise", "description": "Loud",
                    "severity": 3, "country": "NL", "time_zone": "UTC" });
                if let Some(email) = alternate {
                    case["alternate_contact"] = json!({ "name": "Named", "email": email, "phone": "+31 20 555 0102" });
                }
                let res = app.post("/api/v1/cases", Some(&token), case).await;
                assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
                res.body["case_id"].as_str().expect("case id").to_owned()
            }
        };
        let acme_case = open(w.worker.clone(), "SRV0001", None).await;
        let globex_unnamed = open(w.other.clone(), "GLX0001", None).await;
        let globex_named = open(w.other.clone(), "GLX0001", Some("boss@acme.test")).await;
        let all = [&acme_case, &globex_unnamed, &globex_named];

        let mut opens = Vec::new();
        for number in all {
            let page = app.get(&format!("/api/v1/cases/{number}"), &w.admin).await;
            if page.status == StatusCode::OK {
                opens.push(number.clone());
            }
        }
        assert_eq!(opens, vec![acme_case.clone(), globex_named.clone()], "the case pages");
        let mut listed = numbers(&app.get("/api/v1/cases?view=recent&limit=500", &w.admin).await);
        listed.sort();
        opens.sort();
        assert_eq!(listed, opens, "the list shows exactly what the pages open");
        let of_globex = format!("/api/v1/cases?view=company&company_id={globex}");
        assert_eq!(numbers(&app.get(&of_globex, &w.admin).await), vec![globex_named.clone()]);
        let everything = numbers(&app.get(&of_globex, &w.other).await);
        assert_eq!(everything.len(), 2, "Globex's admin sees both");
    })
    .await;
}
