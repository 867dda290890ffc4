//! Every message id the templates use exists in the English Fluent file.

use std::collections::BTreeSet;
use std::path::Path;

fn ids_in_templates(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("templates") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            ids_in_templates(&path, found);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("template");
        for marker in ["c.t(\"", "c.t1(\"", "m::input(c, \""] {
            for part in text.split(marker).skip(1) {
                let id: String = part.split('"').next().unwrap_or_default().to_owned();
                let id = if marker.starts_with("m::input") {
                    part.split('"').nth(2).unwrap_or_default().to_owned()
                } else {
                    id
                };
                found.insert(id);
            }
        }
    }
}

#[test]
fn every_template_message_exists_in_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ids = BTreeSet::new();
    ids_in_templates(&root.join("templates"), &mut ids);
    let ftl = std::fs::read_to_string(root.join("../app/locales/en-US/main.ftl")).expect("ftl");
    let defined: BTreeSet<&str> = ftl
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
        .collect();
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| !defined.contains(id.as_str()))
        .collect();
    assert!(ids.len() > 100, "found {} ids", ids.len());
    assert!(
        missing.is_empty(),
        "message ids used in templates but missing in main.ftl: {missing:?}"
    );
}

use crate::support::{PASSWORD, TestApp, on_both};
use crate::visitor::{Visitor, location};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use supportal_web::i18n::Lang;

fn lang(code: &str) -> Lang {
    Lang::of_code(code).expect("a supported language")
}

/// A page or an API answer with only `Accept-Language` to go by.
async fn asked_in(app: &TestApp, path: &str, accept: &str) -> crate::support::Response {
    let req = Request::get(path)
        .header(header::ACCEPT_LANGUAGE, accept)
        .body(Body::empty())
        .expect("request");
    app.send(req).await
}

#[tokio::test]
async fn the_browser_the_switch_and_the_profile_choose_the_language_in_that_order() {
    on_both(|app: TestApp| async move {
        // The browser's language: pages, `<html lang>` and the API's problems.
        let page = asked_in(&app, "/signin", "de-DE, nl;q=0.8, en;q=0.1").await;
        assert!(page.text.contains("<html lang=\"nl\">"), "{}", page.text);
        assert!(page.text.contains(&lang("nl").t("signin-title")));
        let problem = asked_in(&app, "/api/v1/me", "fr-CH").await;
        assert_eq!(problem.status, StatusCode::UNAUTHORIZED);
        assert_eq!(problem.body["title"], lang("fr").error("not_signed_in"));
        let missing = asked_in(&app, "/nowhere", "no").await;
        assert!(missing.text.contains("<html lang=\"nb\">"), "error pages too");

        // The switch, for anyone: a cookie, then back to the page it was used on.
        let mut v = Visitor::new(&app);
        v.get("/signin").await;
        let res = v.post("/language", &[("language", "sv")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        assert_eq!(location(&res), "/");
        assert_eq!(v.cookies.get("supportal_lang").map(String::as_str), Some("sv"));
        let page = v.get("/signin").await;
        assert!(page.text.contains("<html lang=\"sv\">"));
        assert!(page.text.contains(&lang("sv").t("signin-title")));
        for bad in ["de", "", "SV", "sv-SE", "<script>"] {
            let res = v.post("/language", &[("language", bad)]).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        }
        assert_eq!(v.cookies.get("supportal_lang").map(String::as_str), Some("sv"));
        let forged = v
            .go(axum::http::Method::POST, "/language", &[("language", "fr"), ("csrf", "forged")])
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        // The profile's language comes first, for the API and the pages.
        let ops = app.operator_admin().await;
        app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let token = app.member("nora@acme.test").await;
        let profile = app.get("/api/v1/me/profile", &token).await;
        let res = app
            .put(
                "/api/v1/me/profile",
                &token,
                json!({ "phone": "+31 20 555 0101", "contact_method": "email", "language": "sv",
                        "time_zone": "Europe/Stockholm", "country": "SE",
                        "site_id": profile.body["sites"][0]["id"], "default_pin_id": profile.body["pins"][0]["id"] }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let req = Request::get("/api/v1/cases/NO-SUCH-CASE")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT_LANGUAGE, "nl")
            .body(Body::empty())
            .expect("request");
        let missing = app.send(req).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.body["title"], lang("sv").error("case_not_found"), "{}", missing.text);

        let mut nora = Visitor::new(&app);
        nora.cookies.insert("supportal_lang".into(), "fr".into());
        nora.get("/signin").await;
        let res = nora
            .post("/signin", &[("email", "nora@acme.test"), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = nora.get("/profile").await;
        assert!(page.text.contains("<html lang=\"sv\">"), "the profile over the cookie");
        // Switching while signed in changes the profile too.
        nora.post("/language", &[("language", "nb")]).await;
        let profile = app.get("/api/v1/me/profile", &token).await;
        assert_eq!(profile.body["profile"]["language"], "nb", "{}", profile.text);
        assert!(nora.get("/profile").await.text.contains("<html lang=\"nb\">"));
    })
    .await;
}

#[tokio::test]
async fn the_operator_default_serves_visitors_whose_browser_names_none_of_the_five() {
    let app = crate::support::sqlite_app().await;
    let mut config = (*app.state.config).clone();
    config.language = "fr".into();
    let app = TestApp::with_state(
        &app,
        supportal_web::AppState::new(app.state.db.clone(), config),
    );
    let page = asked_in(&app, "/signin", "de-DE, ja").await;
    assert!(page.text.contains("<html lang=\"fr\">"));
    assert!(page.text.contains(&lang("fr").t("signin-title")));
    let page = asked_in(&app, "/signin", "sv").await;
    assert!(
        page.text.contains("<html lang=\"sv\">"),
        "the browser's language first"
    );
}

/// Without a time zone in the profile, the browser's (kept by `static/tz.js` in a cookie) is
/// what a first profile offers; a cookie that is not a time zone is ignored.
#[tokio::test]
async fn the_browsers_time_zone_serves_until_the_profile_has_one() {
    let app = crate::support::sqlite_app().await;
    let ops = app.operator_admin().await;
    app.company(&ops, "Acme", "acme.test", "boss@acme.test")
        .await;
    app.member("nora@acme.test").await;
    let script = app
        .send(
            Request::get("/static/tz.js")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.text.contains("supportal_tz"));
    for (cookie, offered) in [("Asia%2FTokyo", "Asia/Tokyo"), ("Mars%2FOlympus", "UTC")] {
        let mut nora = Visitor::new(&app);
        nora.cookies.insert("supportal_tz".into(), cookie.into());
        nora.get("/signin").await;
        nora.post(
            "/signin",
            &[("email", "nora@acme.test"), ("password", PASSWORD)],
        )
        .await;
        let page = nora.get("/profile").await;
        assert!(
            page.text
                .contains(&format!("<option value=\"{offered}\" selected")),
            "{cookie}: {}",
            page.text
        );
    }
}
