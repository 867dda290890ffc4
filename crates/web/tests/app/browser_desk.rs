//! The support desk in headless Chromium: an engineer claims a routed demo case, replies, adds
//! an internal note, orders a part and resolves it; the customer sees the reply and the part but
//! never the note, and gets the emails.

use crate::browser::*;
use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

async fn choose(c: &Client, select: &str, value: &str) {
    c.find(Locator::Css(&format!("#{select} option[value='{value}']")))
        .await
        .unwrap_or_else(|e| panic!("{select} = {value}: {e}"))
        .click()
        .await
        .expect("pick");
}

/// Every outbox message to `to`, as text.
fn outbox_to(portal: &Portal, to: &str) -> Vec<String> {
    std::fs::read_dir(&portal.outbox)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|text| text.replace("=\r\n", "").replace("=\n", ""))
        .filter(|text| text.contains(&format!("To: {to}")) || text.contains(&format!("<{to}>")))
        .collect()
}

#[tokio::test]
async fn an_engineer_claims_replies_notes_orders_a_part_and_resolves() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;
    let note = "Known batch of faulty fans, see bulletin 42";

    sign_in(&c, &portal, "engineer@operator.test").await;
    click(&c, "header a[href='/desk']").await;
    wait_path(&c, "/desk").await;
    wait_text(&c, "My queues").await;
    wait_text(&c, "Fan noise on the web server").await;
    screenshot(&c, "desk-console").await;
    c.find(Locator::XPath(
        "//tr[td[contains(., 'Fan noise on the web server')]]//a",
    ))
    .await
    .expect("the case in the list")
    .click()
    .await
    .expect("open the case");
    wait_text(&c, "Fan noise on the web server").await;
    let path = url_path(c.current_url().await.expect("url").as_str());
    let number = path.trim_start_matches("/cases/").to_owned();

    click(&c, "#desk-claim").await;
    wait_text(&c, "The case has been updated.").await;
    wait_text(&c, "Assigned").await;

    fill(&c, "f-reply", "Please check that the fan cable is seated.").await;
    click(&c, "#desk-send").await;
    wait_text(&c, "Your reply was sent").await;

    fill(&c, "f-reply", note).await;
    click(&c, "#f-internal").await;
    click(&c, "#desk-send").await;
    wait_text(&c, "The internal note was added.").await;

    fill(&c, "f-part", "FAN-R740-3").await;
    fill(&c, "f-part-description", "System fan 3").await;
    click(&c, "#desk-order-part").await;
    wait_text(&c, "The part was ordered.").await;

    choose(&c, "f-status", "resolved").await;
    choose(&c, "f-resolution", "part_replaced").await;
    click(&c, "#desk-status").await;
    wait_text(&c, "Part replaced").await;
    screenshot(&c, "desk-case").await;
    sign_out(&c).await;

    sign_in(&c, &portal, "anna.admin@northwind.test").await;
    c.goto(&format!("{}/cases/{number}?expand=all", portal.url))
        .await
        .expect("case page");
    wait_text(&c, "Please check that the fan cable is seated.").await;
    wait_text(&c, "FAN-R740-3").await;
    let text = body_text(&c).await;
    assert!(!text.contains(note), "the customer never sees the note");
    assert!(
        text.contains("Ordered") && text.contains("Resolved"),
        "{text}"
    );
    assert!(
        c.find(Locator::Id("desk")).await.is_err(),
        "no desk panel for customers"
    );
    screenshot(&c, "customer-case").await;

    // The emails: the reply and the resolution reach the primary contact, the note never does.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mails = outbox_to(&portal, "anna.admin@northwind.test");
        let reply = mails.iter().any(|m| m.contains("fan cable is seated"));
        let resolved = mails
            .iter()
            .any(|m| m.contains(&number) && m.contains("Resolved"));
        assert!(mails.iter().all(|m| !m.contains(note)), "no note in mail");
        if reply && resolved {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the reply and status emails arrive"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    c.close().await.expect("close");
}
