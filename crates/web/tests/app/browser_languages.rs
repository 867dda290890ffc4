//! The five languages in headless Chromium: the switch on the sign-in page, then signed in, the
//! case list and a case page, each checked for English left over (I18N-1).

use crate::browser::*;
use fantoccini::{Client, Locator};
use std::collections::BTreeMap;
use std::path::Path;

/// The messages of a locale with neither placeholders nor markup, by id.
fn messages(tag: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../app/locales")
        .join(tag)
        .join("main.ftl");
    std::fs::read_to_string(path)
        .expect("ftl")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = "))
        .filter(|(_, v)| !v.contains('{'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// English sentences (two words or more) that `tag` words differently: any of them on a page
/// in that language is a leftover.
fn english_only(tag: &str) -> Vec<String> {
    let english = messages("en-US");
    let other = messages(tag);
    english
        .into_iter()
        .filter(|(id, v)| v.contains(' ') && other.get(id) != Some(v))
        .map(|(_, v)| v)
        .collect()
}

/// The page's `<html lang>`; empty while a page is being replaced.
async fn lang_of_page(c: &Client) -> String {
    let Ok(html) = c.find(Locator::Css("html")).await else {
        return String::new();
    };
    html.attr("lang").await.ok().flatten().unwrap_or_default()
}

/// Chooses `code` in the footer's language switch and waits for the page to come back in it.
async fn switch_to(c: &Client, code: &str) {
    c.find(Locator::Id("lang-switch"))
        .await
        .expect("the switch")
        .select_by_value(code)
        .await
        .expect("choose");
    click(c, "footer form.lang-switch button[type=submit]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while lang_of_page(c).await != code {
        assert!(
            std::time::Instant::now() < deadline,
            "the page stayed in {}",
            lang_of_page(c).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn no_english_left(c: &Client, tag: &str, page: &str) {
    let text = body_text(c).await;
    let left: Vec<String> = english_only(tag)
        .into_iter()
        .filter(|english| text.contains(english.as_str()))
        .collect();
    assert!(
        left.is_empty(),
        "{tag} {page}: English left: {left:?}\n{text}"
    );
}

#[tokio::test]
async fn sign_in_the_case_list_and_a_case_in_each_language() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;
    for (code, tag) in [
        ("nl", "nl-NL"),
        ("fr", "fr-FR"),
        ("nb", "nb-NO"),
        ("sv", "sv-SE"),
        ("en", "en-US"),
    ] {
        c.delete_all_cookies().await.expect("cookies");
        c.goto(&format!("{}/signin", portal.url))
            .await
            .expect("open");
        switch_to(&c, code).await;
        assert_eq!(
            url_path(c.current_url().await.expect("url").as_str()),
            "/signin"
        );
        // `static/tz.js` has told the portal the browser's time zone.
        let zone = c
            .get_named_cookie("supportal_tz")
            .await
            .expect("the time zone cookie");
        let zone = zone.value().replace("%2F", "/");
        assert!(supportal_domain::profile::is_time_zone(&zone), "{zone}");
        if code != "en" {
            no_english_left(&c, tag, "sign-in").await;
        }
        // Signed in, the profile's language (English in the demo) comes first, until the
        // switch changes the profile too.
        fill(&c, "f-email", "anna.admin@northwind.test").await;
        fill(&c, "f-password", supportal_app::demo::DEMO_PASSWORD).await;
        click(&c, "main form button[type=submit]").await;
        wait_path(&c, "/").await;
        switch_to(&c, code).await;
        c.goto(&format!("{}/cases?view=company", portal.url))
            .await
            .expect("cases");
        assert_eq!(lang_of_page(&c).await, code);
        let first = c
            .find(Locator::Css("#case-list tbody a[href^='/cases/']"))
            .await
            .expect("a case in the list");
        if code != "en" {
            no_english_left(&c, tag, "case list").await;
        }
        first.click().await.expect("open the case");
        c.find(Locator::Id("history")).await.expect("the case page");
        assert_eq!(lang_of_page(&c).await, code);
        if code != "en" {
            no_english_left(&c, tag, "case page").await;
        } else {
            // The check has teeth: the English page shows sentences Dutch words differently.
            let text = body_text(&c).await;
            let english = english_only("nl-NL");
            assert!(
                english.iter().filter(|e| text.contains(e.as_str())).count() >= 3,
                "{text}"
            );
        }
        screenshot(&c, &format!("case-{code}")).await;
        sign_out(&c).await;
    }
    c.close().await.expect("close");
}
