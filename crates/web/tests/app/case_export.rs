//! CAS-12 through the API: the current view as an Excel file, in the caller's language and on
//! the reader's clock.

use crate::cases::world;
use crate::support::{TestApp, on_both};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use tower::ServiceExt;

/// The export of `query` as `token` with `Accept-Language: accept`: the disposition and the
/// first sheet's rows.
async fn export(
    app: &TestApp,
    query: &str,
    token: &str,
    accept: &str,
) -> (String, Vec<Vec<calamine::Data>>) {
    let req = Request::builder()
        .uri(format!("/api/v1/cases/export.xlsx?{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT_LANGUAGE, accept)
        .body(Body::empty())
        .expect("request");
    // The body is binary: read its bytes, not the text `TestApp::send` keeps.
    let res = app.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("name")
        .to_owned();
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx file");
    let sheet = calamine::Reader::worksheet_range_at(&mut book, 0)
        .expect("a sheet")
        .expect("readable");
    (disposition, sheet.rows().map(|r| r.to_vec()).collect())
}

#[tokio::test]
async fn the_current_view_exports_to_excel_with_typed_cells() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        for (title, severity) in [("Beta", 2), ("Alpha", 4)] {
            let res = app.post("/api/v1/cases", Some(&w.worker), json!({ "serial_number": "SRV0001", "title": title, "description": "d", "severity": severity })).await;
            assert_eq!(res.status, StatusCode::CREATED);
        }
        let (disposition, rows) = export(&app, "view=submitted_by_me&sort=title", &w.worker, "en").await;
        assert!(disposition.contains(".xlsx"));
        assert_eq!(rows.len(), 3, "header and two cases");
        assert_eq!(rows[0][0].to_string(), "Case ID");
        assert_eq!((rows[1][1].to_string(), rows[2][1].to_string()), ("Alpha".to_owned(), "Beta".to_owned()), "same sort as the view");
        assert_eq!(rows[1][5], calamine::Data::Float(4.0), "severity is a number");
        assert!(matches!(rows[1][6], calamine::Data::DateTime(_)), "dates are dates: {:?}", rows[1][6]);
        assert!(rows[0][6].to_string().ends_with("(Europe/Amsterdam)"), "times on the profile's clock: {}", rows[0][6]);
        let listed = app.get("/api/v1/cases?view=submitted_by_me&sort=title", &w.worker).await;
        let created: chrono::DateTime<chrono::Utc> = listed.body["items"][0]["created_at"].as_str().expect("created_at").parse().expect("RFC 3339");
        let amsterdam = supportal_web::i18n::Lang::default().in_zone(Some("Europe/Amsterdam")).local(&created);
        let cell = match &rows[1][6] { calamine::Data::DateTime(d) => d.as_datetime().expect("a date"), other => panic!("{other:?}") };
        assert!((cell - amsterdam).num_seconds().abs() <= 1, "the cell is Amsterdam time: {cell} vs {amsterdam}");
        assert!((cell - created.naive_utc()).num_minutes().abs() >= 59, "not UTC: {cell} vs {created}");
        // The admin has no profile: the caller's Accept-Language names the headers.
        let (_, rows) = export(&app, "view=submitted_by_me", &w.admin, "nl").await;
        let nl = supportal_web::i18n::Lang::of_code("nl").expect("nl");
        assert_eq!(rows[0][0].to_string(), nl.t("cases-col-id"), "headers in the caller's language");
        assert_eq!(app.get("/api/v1/cases/export.xlsx?sort=secret", &w.worker).await.fields(), ["sort"]);
        let other = app.get("/api/v1/cases/export.xlsx?view=recent", &w.other).await;
        assert_eq!(other.status, StatusCode::OK, "another company gets an export of nothing");
    })
    .await;
}
