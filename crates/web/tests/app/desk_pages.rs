//! The desk's page forms: calendars and targets on `/admin/desk`, and the case workspace's
//! severity, visit and queue forms, each answered by a redirect with a notice or the page with
//! the problem.

use crate::cases::world;
use crate::desk_setup::signed_in;
use crate::desk_work::{desk, open_case};
use crate::support::{TestApp, on_both};
use crate::visitor::location;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn calendars_targets_and_the_workspace_forms_in_the_pages() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let d = desk(&app).await;
        let mut ops = signed_in(&app, "ops@operator.test").await;
        let res = ops
            .post(
                "/admin/desk/calendars",
                &[
                    ("name", "Nordics"),
                    ("time_zone", "Europe/Oslo"),
                    ("mon", "08:00-16:00"),
                    ("tue", "08:00-12:00, 13:00-16:00"),
                    ("holidays", "2026-12-24\n2026-12-25"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/admin/desk", "{}", res.text);
        let res = ops
            .post(
                "/admin/desk/calendars",
                &[
                    ("name", "Bad"),
                    ("time_zone", "Mars/Olympus"),
                    ("mon", "17:00-08:00"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            res.text.contains("has-error") || res.text.contains("field-error"),
            "the problem on the page"
        );
        let page = ops.get("/admin/desk").await;
        assert!(page.text.contains("Nordics") && page.text.contains("Europe/Oslo"));
        let calendar =
            app.get("/api/v1/admin/calendars", &d.ops).await.body["items"][0]["id"].to_string();
        let res = ops
            .post(
                "/admin/desk/slas",
                &[
                    ("coverage", "nbd_onsite"),
                    ("severity", "2"),
                    ("response_minutes", "120"),
                    ("resolution_minutes", "960"),
                    ("calendar_id", &calendar),
                ],
            )
            .await;
        assert_eq!(location(&res), "/admin/desk", "{}", res.text);
        let slas = app.get("/api/v1/admin/slas", &d.ops).await;
        assert!(
            slas.body["items"].as_array().is_some_and(|a| {
                a.iter().any(|s| {
                    s["coverage"] == "nbd_onsite"
                        && s["calendar_id"] == calendar.parse::<i64>().unwrap_or_default()
                })
            }),
            "{}",
            slas.text
        );
        let mut eng = signed_in(&app, "eng@operator.test").await;
        assert_eq!(
            eng.get("/admin/desk").await.status,
            StatusCode::FORBIDDEN,
            "engineers do not set up"
        );
        assert!(
            !eng.get("/desk").await.text.contains("href=\"/admin/desk\""),
            "nor see the link"
        );

        // The workspace: severity with a reason, an onsite visit, a move out of sight.
        let number = open_case(&app, &w.worker, "Page forms").await;
        let case = format!("/cases/{number}");
        let res = eng
            .post(
                &format!("{case}/desk/severity"),
                &[("severity", "2"), ("reason", "")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "a missing reason comes back on the page"
        );
        let res = eng
            .post(
                &format!("{case}/desk/severity"),
                &[("severity", "2"), ("reason", "Two sites down")],
            )
            .await;
        assert_eq!(location(&res), case);
        let res = eng
            .post(
                &format!("{case}/desk/service"),
                &[
                    ("window_start", "2030-01-02T09:00"),
                    ("window_end", "2030-01-02T08:00"),
                    ("engineer", "Kari"),
                ],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "a window that ends before it starts is refused"
        );
        let res = eng
            .post(
                &format!("{case}/desk/service"),
                &[
                    ("window_start", "2026-12-20T09:00"),
                    ("window_end", "2026-12-20T13:00"),
                    ("engineer", "Kari"),
                ],
            )
            .await;
        assert_eq!(location(&res), case, "{}", res.text);
        let api = app.get(&format!("/api/v1/cases/{number}"), &d.eng).await;
        assert_eq!(
            (
                api.body["severity"].as_i64(),
                api.body["service_orders"][0]["engineer"].as_str()
            ),
            (Some(2), Some("Kari"))
        );
        let elsewhere = app
            .post(
                "/api/v1/admin/queues",
                Some(&d.ops),
                json!({ "name": "Elsewhere", "engineers": [] }),
            )
            .await
            .body["id"]
            .to_string();
        let res = eng
            .post(
                &format!("{case}/desk/assign"),
                &[("assignee", "none"), ("queue_id", &elsewhere)],
            )
            .await;
        assert_eq!(location(&res), "/desk", "out of sight, back to the console");
        assert!(
            eng.get("/desk")
                .await
                .text
                .contains("The case is now in a queue you do not work.")
        );
    })
    .await;
}
