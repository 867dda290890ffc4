//! Desk setup (SUP-1, SUP-2): queues and routing rules by operator admins, and every new case
//! routed in its own transaction.

use crate::cases::world;
use crate::support::{PASSWORD, TestApp, on_both};
use axum::http::StatusCode;
use serde_json::{Value, json};
use supportal_domain::StaffRole;

/// Signs a test account in through the sign-in form.
pub(crate) async fn signed_in<'a>(app: &'a TestApp, email: &str) -> crate::visitor::Visitor<'a> {
    let mut v = crate::visitor::Visitor::new(app);
    v.get("/signin").await;
    let res = v
        .post("/signin", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "sign in {email}: {}",
        res.text
    );
    v
}

async fn queue(app: &TestApp, ops: &str, body: Value) -> i64 {
    let res = app.post("/api/v1/admin/queues", Some(ops), body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.body["id"].as_i64().expect("id")
}

async fn rule(app: &TestApp, ops: &str, position: i64, queue_id: i64, when: Value) {
    let body = json!({ "position": position, "queue_id": queue_id, "when": when });
    let res = app
        .post("/api/v1/admin/routing-rules", Some(ops), body)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
}

/// Opens a case on a covered serial and answers the name of its queue.
async fn routed(app: &TestApp, worker: &str, serial: &str) -> Option<String> {
    let case = json!({ "serial_number": serial, "title": "Routing", "description": "Which queue?", "severity": 3 });
    let res = app.post("/api/v1/cases", Some(worker), case).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let number = res.body["case_id"].as_str().expect("number").to_owned();
    let mut tx = app.state.db.read().await.expect("read");
    let staff = supportal_store::tools::operator();
    let name = supportal_store::desk::queue_of(&mut tx, &staff, &number)
        .await
        .expect("queue");
    tx.rollback().await.expect("rollback");
    name
}

#[tokio::test]
async fn each_rule_field_routes_and_a_case_no_rule_matches_goes_to_the_default_queue() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app.login("ops@operator.test", PASSWORD).await;
        app.staff("eng@operator.test", StaffRole::Engineer).await;
        assert_eq!(
            routed(&app, &w.worker, "SRV0001").await,
            None,
            "no queue at all yet"
        );
        queue(
            &app,
            &ops,
            json!({ "name": "General", "engineers": ["eng@operator.test"], "default": true }),
        )
        .await;
        assert_eq!(
            routed(&app, &w.worker, "SRV0001").await.as_deref(),
            Some("General")
        );

        // Each rule stands before the ones already there and holds for the worker's case on
        // its own, so the newest names the queue.
        let conditions = [
            ("Servers", json!({ "product_line": "servers" })),
            ("Netherlands", json!({ "country": "nl" })),
            ("English", json!({ "language": "en" })),
            ("Severity 3", json!({ "severity": 3 })),
            ("Round the clock", json!({ "coverage_24x7": true })),
            ("Acme", json!({ "company_id": w.company })),
            ("Gold", json!({ "pin": "gold-1" })),
        ];
        for (i, (name, when)) in conditions.into_iter().enumerate() {
            let id = queue(
                &app,
                &ops,
                json!({ "name": name, "engineers": ["eng@operator.test"] }),
            )
            .await;
            rule(&app, &ops, 100 - 10 * i as i64, id, when).await;
            assert_eq!(
                routed(&app, &w.worker, "SRV0001").await.as_deref(),
                Some(name)
            );
        }
        // A rule whose conditions do not all hold is passed over.
        let urgent = queue(&app, &ops, json!({ "name": "Urgent", "engineers": [] })).await;
        rule(
            &app,
            &ops,
            1,
            urgent,
            json!({ "severity": 1, "country": "NL" }),
        )
        .await;
        assert_eq!(
            routed(&app, &w.worker, "SRV0001").await.as_deref(),
            Some("Gold")
        );

        let listed = app.get("/api/v1/admin/routing-rules", &ops).await;
        assert_eq!(listed.status, StatusCode::OK);
        let items = listed.body["items"].as_array().expect("items");
        assert_eq!(items.len(), 8);
        assert_eq!(items[0]["queue"], "Urgent", "in the order they are tried");
        assert_eq!(items[0]["when"], json!({ "severity": 1, "country": "NL" }));
        let queues = app.get("/api/v1/admin/queues", &ops).await;
        let general = queues.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|q| q["name"] == "General")
            .cloned()
            .expect("general");
        assert_eq!(general["default"], true);
        assert_eq!(general["engineers"], json!(["eng@operator.test"]));

        // A new default queue takes over.
        queue(&app, &ops, json!({ "name": "Fallback", "default": true })).await;
        let queues = app.get("/api/v1/admin/queues", &ops).await;
        let defaults: Vec<&Value> = queues.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|q| q["default"] == true)
            .collect();
        assert_eq!(defaults.len(), 1);
        assert_eq!(defaults[0]["name"], "Fallback");
    })
    .await;
}

#[tokio::test]
async fn only_operator_admins_set_up_the_desk_and_bad_setups_are_refused() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app.login("ops@operator.test", PASSWORD).await;
        let engineer = app.staff("eng@operator.test", StaffRole::Engineer).await;
        let body = json!({ "name": "Servers", "engineers": ["eng@operator.test"] });
        let res = app.post("/api/v1/admin/queues", Some(&engineer), body.clone()).await;
        assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "operator_admin_required"));
        let res = app.post("/api/v1/admin/queues", Some(&w.worker), body.clone()).await;
        assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "staff_required"));
        assert_eq!(app.post("/api/v1/admin/queues", None, body.clone()).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/admin/queues", &w.worker).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/admin/queues", &engineer).await.status, StatusCode::OK, "staff read the setup");

        let refused = |body: Value| {
            let app = &app;
            let ops = ops.clone();
            async move { app.post("/api/v1/admin/queues", Some(&ops), body).await }
        };
        let res = refused(json!({ "name": " " })).await;
        assert_eq!((res.status, res.fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["name".to_owned()]));
        let res = refused(json!({ "name": "Q", "engineers": ["worker@acme.test"] })).await;
        assert_eq!((res.status, res.fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["engineers".to_owned()]), "a customer is no engineer");
        let res = refused(json!({ "name": "Q", "engineers": ["not an email"] })).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = refused(json!({ "name": "Q", "language": "xx" })).await;
        assert_eq!(res.fields(), vec!["language".to_owned()]);
        let res = refused(json!({ "name": ["not", "text"] })).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        let id = queue(&app, &ops, body.clone()).await;
        let res = refused(body).await;
        assert_eq!((res.status, res.code()), (StatusCode::CONFLICT, "queue_name_taken"));

        let rule = |body: Value| {
            let app = &app;
            let ops = ops.clone();
            async move { app.post("/api/v1/admin/routing-rules", Some(&ops), body).await }
        };
        let res = rule(json!({ "position": 1, "queue_id": id + 1000, "when": {} })).await;
        assert_eq!(res.fields(), vec!["queue_id".to_owned()]);
        let res = rule(json!({ "position": 1, "queue_id": id, "when": { "severity": 9, "country": "Netherlands", "language": "xx", "company_id": 999999 } })).await;
        let mut fields = res.fields();
        fields.sort();
        assert_eq!(fields, ["when.company_id", "when.country", "when.language", "when.severity"]);
        let res = rule(json!({ "position": -1, "queue_id": id })).await;
        assert_eq!(res.fields(), vec!["position".to_owned()]);
        let res = app.post("/api/v1/admin/routing-rules", Some(&engineer), json!({ "position": 1, "queue_id": id })).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn an_operator_admin_sets_up_the_desk_in_the_pages() {
    on_both(|app: TestApp| async move {
        app.operator_admin().await;
        app.staff("eng@operator.test", StaffRole::Engineer).await;
        let mut ops = signed_in(&app, "ops@operator.test").await;
        let page = ops.get("/admin/desk").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text.contains("Support desk setup") && page.text.contains("href=\"/admin/desk\"")
        );

        let res = ops
            .post(
                "/admin/desk/queues",
                &[
                    ("name", "Servers"),
                    ("engineers", "eng@operator.test"),
                    ("language", "nl"),
                    ("default", "on"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = ops.get(crate::visitor::location(&res)).await;
        assert!(
            page.text.contains("The queue was created.") && page.text.contains("eng@operator.test"),
            "{}",
            page.text
        );
        let res = ops.post("/admin/desk/queues", &[("name", "Servers")]).await;
        assert!(
            res.text.contains("A queue with this name exists already."),
            "{}",
            res.text
        );
        let res = ops
            .post(
                "/admin/desk/queues",
                &[("name", "Other"), ("engineers", "nobody@operator.test")],
            )
            .await;
        assert!(
            res.text
                .contains("Every engineer must be an active staff account."),
            "{}",
            res.text
        );

        let queues = app
            .get(
                "/api/v1/admin/queues",
                &app.login("ops@operator.test", PASSWORD).await,
            )
            .await;
        let id = queues.body["items"][0]["id"]
            .as_i64()
            .expect("id")
            .to_string();
        let res = ops
            .post(
                "/admin/desk/rules",
                &[
                    ("position", "10"),
                    ("queue_id", &id),
                    ("when.country", "nl"),
                    ("when.severity", "1"),
                    ("when.coverage_24x7", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = ops.get("/admin/desk").await;
        assert!(
            page.text.contains("Country: NL") && page.text.contains("24x7 coverage: Yes"),
            "{}",
            page.text
        );
        let res = ops
            .post(
                "/admin/desk/rules",
                &[("position", "ten"), ("queue_id", &id)],
            )
            .await;
        assert!(
            res.text.contains("field-error") || res.text.contains("notice error"),
            "{}",
            res.text
        );
        let res = ops
            .post(
                "/admin/desk/rules",
                &[("position", "1"), ("queue_id", &id), ("when.severity", "9")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "the form again, with the problem"
        );
        assert!(res.text.contains("aria-invalid"), "{}", res.text);

        // An engineer sees no link to the setup, and the page refuses them.
        let mut eng = signed_in(&app, "eng@operator.test").await;
        let home = eng.get("/").await;
        assert!(!home.text.contains("href=\"/admin/desk\""));
        assert_eq!(eng.get("/admin/desk").await.status, StatusCode::FORBIDDEN);
        let res = eng.post("/admin/desk/queues", &[("name", "Sneaky")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_a_desk_that_routes_its_cases() {
    on_both(|app: TestApp| async move {
        supportal_app::demo::load_if_empty(&app.state)
            .await
            .expect("demo");
        let demo = supportal_app::demo::DEMO_PASSWORD;
        let ops = app.login("admin@operator.test", demo).await;
        let queues = app.get("/api/v1/admin/queues", &ops).await;
        let names: Vec<&str> = queues.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|q| q["name"].as_str())
            .collect();
        assert_eq!(names, ["General support", "Norway", "Servers"]);
        let anna = app.login("anna.admin@northwind.test", demo).await;
        assert_eq!(
            routed(&app, &anna, "NWR-SRV-0001").await.as_deref(),
            Some("Servers")
        );
        assert_eq!(
            routed(&app, &anna, "NWR-NB-0102").await.as_deref(),
            Some("General support")
        );
    })
    .await;
}
