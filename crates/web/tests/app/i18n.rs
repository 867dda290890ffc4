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
    let ftl = english(&root.join("../app/locales/en-US"));
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
        "message ids used in templates but missing in English: {missing:?}"
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
        // Back to the page the switch was on: its path only, never another site.
        for (referer, back) in [
            ("http://127.0.0.1:8080/cases?view=company", "/cases?view=company"),
            ("https://evil.test//evil.test/x", "/"),
            ("https://evil.test/\\evil.test", "/"),
            ("javascript:alert(1)", "/"),
        ] {
            let req = Request::post("/language")
                .header(header::COOKIE, v.cookie_header())
                .header(header::REFERER, referer)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("language=sv&csrf={}", v.csrf())))
                .expect("request");
            let res = app.send(req).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{referer}");
            assert_eq!(location(&res), back, "{referer}");
        }
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
        assert!(
            page.text.contains("<option value=\"SE\" selected>Sverige</option>")
                && page.text.contains("<option value=\"NL\">Nederländerna</option>"),
            "countries by their Swedish names"
        );
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

/// Every file under `dir` whose name ends with one of `endings`, with its text.
fn files(dir: &Path, endings: &[&str], out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, endings, out);
        } else if endings.iter().any(|e| path.to_string_lossy().ends_with(e)) {
            let text = std::fs::read_to_string(&path).expect("source");
            out.push((path.display().to_string(), text));
        }
    }
}

/// The message ids of a Fluent file.
/// Every English message file but the country names (read whole by their own test).
fn english(dir: &Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("locale folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ftl") && !p.ends_with("countries.ftl"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("ftl"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ids_of(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

/// Every English message is used: its id is written somewhere in the code or the templates, or
/// it starts with a prefix the code completes (`c.tp("case-status-", s)`, `"error-{}"`). The
/// other languages have the same ids (`supportal_app::i18n`'s tests), so none is unused there.
#[test]
fn no_message_is_unused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources = Vec::new();
    for krate in ["app", "web", "store", "domain", "supportal"] {
        files(&root.join(krate).join("src"), &[".rs"], &mut sources);
        files(
            &root.join(krate).join("templates"),
            &[".html", ".txt"],
            &mut sources,
        );
    }
    let (mut literals, mut prefixes) = (BTreeSet::new(), BTreeSet::new());
    for (_, text) in &sources {
        // A quoted run of id characters is an id, or a prefix when it ends in `-`; so is one
        // ending in `-` before a `{…}` placeholder (`"error-{}"`).
        for part in text.split('"').skip(1) {
            let run: String = part
                .chars()
                .take_while(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'
                })
                .collect();
            // (`split` took the closing quote: a whole part is a quoted run.)
            let next = part[run.len()..].chars().next();
            match next {
                None if run.ends_with('-') => {
                    prefixes.insert(run);
                }
                None if !run.is_empty() => {
                    literals.insert(run);
                }
                Some('{') if run.ends_with('-') => {
                    prefixes.insert(run);
                }
                _ => {}
            }
        }
    }
    let ftl = english(&root.join("app/locales/en-US"));
    let unused: Vec<String> = ids_of(&ftl)
        .into_iter()
        .filter(|id| !literals.contains(id) && !prefixes.iter().any(|p| id.starts_with(p.as_str())))
        .collect();
    assert!(literals.len() > 300 && prefixes.len() > 10);
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

/// Templates hold no words of their own: with the `{{ … }}`, `{% … %}` and `{# … #}` parts and
/// the tags taken out, nothing with letters is left, and no `placeholder`, `title`, `alt` or
/// `aria-label` is written in a language.
#[test]
fn templates_have_no_text_outside_the_messages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut templates = Vec::new();
    files(&root.join("web/templates"), &[".html"], &mut templates);
    files(
        &root.join("app/templates"),
        &[".html", ".txt"],
        &mut templates,
    );
    assert!(templates.len() > 30);
    let strip = |text: &str, open: &str, close: &str| -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            out.push_str(&rest[..start]);
            out.push(' ');
            rest = match rest[start..].find(close) {
                Some(end) => &rest[start + end + close.len()..],
                None => "",
            };
        }
        out.push_str(rest);
        out
    };
    let mut found = Vec::new();
    for (path, text) in &templates {
        let mut text = text.clone();
        for (open, close) in [("{{", "}}"), ("{%", "%}"), ("{#", "#}")] {
            text = strip(&text, open, close);
        }
        for attribute in ["placeholder=\"", "title=\"", "alt=\"", "aria-label=\""] {
            for part in text.split(attribute).skip(1) {
                let value = part.split('"').next().unwrap_or_default();
                if value.chars().any(|c| c.is_alphabetic()) {
                    found.push(format!("{path}: {attribute}{value}\""));
                }
            }
        }
        let words = if path.ends_with(".txt") {
            text
        } else {
            let text = strip(&text, "<style", "</style>");
            strip(&text, "<", ">")
        };
        let words = strip(&words, "&", ";");
        let letters: String = words
            .split_whitespace()
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .collect::<Vec<_>>()
            .join(" ");
        if !letters.is_empty() {
            found.push(format!("{path}: {letters}"));
        }
    }
    assert!(found.is_empty(), "text outside Fluent: {found:#?}");
}

/// Mail is written for its reader: in the language someone registered in until their profile
/// names one, and in the operator's language for an address without an account.
#[tokio::test]
async fn mail_speaks_the_registration_language_and_else_the_operators() {
    on_both(|app: TestApp| async move {
        let mut config = (*app.state.config).clone();
        config.language = "fr".into();
        let app = TestApp::with_state(
            &app,
            supportal_web::AppState::new(app.state.db.clone(), config),
        );
        let req = Request::post("/api/v1/auth/register")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT_LANGUAGE, "sv-SE, en;q=0.5")
            .body(Body::from(
                json!({ "email": "sven@acme.test", "password": PASSWORD, "name": "Sven" })
                    .to_string(),
            ))
            .expect("request");
        assert_eq!(app.send(req).await.status, StatusCode::CREATED);
        let mails = app.mails("sven@acme.test").await;
        assert_eq!(
            mails.last().map(|m| m.0.clone()),
            Some(lang("sv").t("mail-verify-subject")),
            "{mails:?}"
        );

        let ops = app.operator_admin().await;
        let (company, admin) = app
            .company(&ops, "Acme", "acme.test", "boss@acme.test")
            .await;
        let res = app
            .post(
                &format!("/api/v1/companies/{company}/invitations"),
                Some(&admin),
                json!({ "email": "newcomer@elsewhere.test" }),
            )
            .await;
        assert!(res.status.is_success(), "{}", res.text);
        let mails = app.mails("newcomer@elsewhere.test").await;
        assert_eq!(
            mails.last().map(|m| m.0.clone()),
            Some(lang("fr").t1("mail-invite-subject", "company", "Acme")),
            "no account: the operator's language"
        );
    })
    .await;
}

/// Hostile language input: a long `Accept-Language` of junk, a forged language cookie or time
/// zone, and an oversized switch form change nothing and cost nothing.
#[tokio::test]
async fn junk_language_headers_and_cookies_fall_back_quietly() {
    let app = crate::support::sqlite_app().await;
    let junk = format!("{}nl;q=0.1", "x-\u{1}yz;q=abc, *;q=2, ".repeat(300));
    let junk = junk.replace('\u{1}', "");
    let page = asked_in(&app, "/signin", &junk).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("<html lang=\"en\">"),
        "only the first 32 entries are read"
    );
    let req = Request::get("/signin")
        .header(
            header::COOKIE,
            "supportal_lang=../../etc; supportal_tz=%3Cscript%3E",
        )
        .header(header::ACCEPT_LANGUAGE, "sv")
        .body(Body::empty())
        .expect("request");
    let page = app.send(req).await;
    assert!(
        page.text.contains("<html lang=\"sv\">"),
        "a bad cookie, then the browser"
    );

    let mut v = Visitor::new(&app);
    v.get("/signin").await;
    let huge = "nl".repeat(1024 * 1024);
    let res = v.post("/language", &[("language", &huge)]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!v.cookies.contains_key("supportal_lang"));
}
