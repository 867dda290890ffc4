//! Browser flows in headless Chromium (see `browser.rs` for the harness).

use crate::browser::*;
use crate::support::PASSWORD;
use fantoccini::Locator;
use std::time::{Duration, Instant};

#[tokio::test]
async fn register_verify_join_sign_out_and_sign_in_again() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;

    c.goto(&format!("{}/register", portal.url))
        .await
        .expect("open");
    screenshot(&c, "register").await;
    fill(&c, "f-name", "Nina Northwind").await;
    fill(&c, "f-email", "nina@northwind.test").await;
    fill(&c, "f-password", PASSWORD).await;
    click(&c, "main form button[type=submit]").await;
    wait_path(&c, "/verify").await;
    wait_text(&c, "We sent a verification code").await;

    let code = code_from_outbox(&portal.outbox, "nina@northwind.test").await;
    fill(&c, "f-code", &code).await;
    click(&c, "main form[action='/verify'] button[type=submit]").await;
    wait_path(&c, "/onboarding").await;
    screenshot(&c, "onboarding").await;
    click(&c, "input[name=choice][value=enterprise]").await;
    click(&c, "main form button[type=submit]").await;
    wait_path(&c, "/").await;
    wait_text(&c, "Northwind Robotics").await;
    let badge = c
        .find(Locator::Css(".badge.tier-enterprise"))
        .await
        .expect("tier badge")
        .text()
        .await
        .expect("text");
    assert_eq!(badge.to_lowercase(), "enterprise");
    screenshot(&c, "home").await;

    click(&c, "header form[action='/signout'] button").await;
    wait_path(&c, "/signin").await;
    wait_text(&c, "You are signed out.").await;
    fill(&c, "f-email", "nina@northwind.test").await;
    fill(&c, "f-password", PASSWORD).await;
    click(&c, "main form button[type=submit]").await;
    wait_path(&c, "/").await;
    wait_text(&c, "Welcome, Nina Northwind").await;
    c.close().await.expect("close");
}

#[tokio::test]
async fn a_company_admin_invites_and_the_invitee_joins() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;

    sign_in(&c, &portal, "anna.admin@northwind.test").await;
    click(&c, "a[href$='/users']").await;
    fill(&c, "f-email", "kim@contractor.test").await;
    click(&c, "form[action$='/invitations'] button[type=submit]").await;
    wait_text(&c, "The invitation has been sent.").await;
    screenshot(&c, "users").await;
    sign_out(&c).await;

    let deadline = Instant::now() + Duration::from_secs(20);
    let link = loop {
        let found = std::fs::read_dir(&portal.outbox)
            .ok()
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|e| {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                let text = text.replace("=\r\n", "").replace("=\n", "");
                (text.contains("kim@contractor.test"))
                    .then(|| {
                        text.lines()
                            .map(str::trim)
                            .find(|l| l.starts_with("http") && l.contains("/invitations/"))
                            .map(str::to_owned)
                    })
                    .flatten()
            });
        if let Some(link) = found {
            break link;
        }
        assert!(Instant::now() < deadline, "no invitation mail");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    c.goto(&link).await.expect("invitation");
    click(&c, "main a.button[href^='/register']").await;
    wait_path(&c, "/register").await;
    wait_text(&c, "Create your account").await;
    fill(&c, "f-name", "Kim Contractor").await;
    fill(&c, "f-password", PASSWORD).await;
    click(&c, "main form button[type=submit]").await;
    screenshot(&c, "invitee-register").await;
    wait_path(&c, "/verify").await;
    let code = code_from_outbox(&portal.outbox, "kim@contractor.test").await;
    fill(&c, "f-code", &code).await;
    click(&c, "main form[action='/verify'] button[type=submit]").await;
    let invitation_path = url_path(&link);
    wait_path(&c, &invitation_path).await;
    wait_text(&c, "Accept invitation").await;
    click(&c, "form[action$='/accept'] button[type=submit]").await;
    wait_path(&c, "/").await;
    wait_text(&c, "Welcome! You have joined the company.").await;
    wait_text(&c, "Northwind Robotics").await;
    c.close().await.expect("close");
}

#[tokio::test]
async fn registering_an_agreement_puts_it_in_the_plan_list() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;
    sign_in(&c, &portal, "bram@northwind.test").await;
    click(&c, "header a[href='/agreements']").await;
    wait_path(&c, "/agreements").await;
    wait_text(&c, "Register an agreement").await;
    fill(&c, "f-access_id", "DEMO-SHARE").await;
    fill(&c, "f-agreement_id", "42000042").await;
    click(&c, "main form[action='/agreements'] button[type=submit]").await;
    wait_text(&c, "The agreement is registered to your account.").await;
    click(&c, "a[href='/plans']").await;
    wait_path(&c, "/plans").await;
    c.find(Locator::Css("#f-start option[value=agreement]"))
        .await
        .expect("option")
        .click()
        .await
        .expect("select");
    fill(&c, "f-value", "42000042").await;
    click(&c, "main form[action='/plans'] button[type=submit]").await;
    wait_text(&c, "Available plans").await;
    let available = c
        .find(Locator::Id("available-plans"))
        .await
        .expect("available")
        .text()
        .await
        .expect("text");
    assert!(
        available.contains("Premier Support") && available.contains("42000042"),
        "{available}"
    );
    screenshot(&c, "plans").await;
    c.close().await.expect("close");
}

#[tokio::test]
async fn an_access_request_is_answered_by_staff() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;
    sign_in(&c, &portal, "olivia@homeoffice.test").await;
    click(&c, "header a[href='/access-requests']").await;
    wait_path(&c, "/access-requests").await;
    fill(&c, "f-phone", "+33 1 55 00 11 22").await;
    fill(&c, "f-intent", "Enterprise access for Fjordline").await;
    fill(&c, "f-company_name", "Fjordline Logistics").await;
    fill(&c, "f-site_address", "Havnegata 5, Oslo").await;
    click(
        &c,
        "main form[action='/access-requests'] button[type=submit]",
    )
    .await;
    wait_text(&c, "Your request has been received.").await;
    let number = c
        .find(Locator::Id("request-number"))
        .await
        .expect("number")
        .text()
        .await
        .expect("text");
    assert_eq!(number.len(), 8, "{number}");
    sign_out(&c).await;

    sign_in(&c, &portal, "admin@operator.test").await;
    c.goto(&format!("{}/admin/access-requests", portal.url))
        .await
        .expect("queue");
    wait_text(&c, &number).await;
    let card = c
        .find(Locator::XPath(&format!(
            "//section[h2[contains(., '{number}')]]"
        )))
        .await
        .expect("request card");
    let select = card
        .find(Locator::Css("select[name=company_id]"))
        .await
        .expect("company select");
    select
        .select_by_label("Fjordline Logistics")
        .await
        .expect("choose company");
    card.find(Locator::Css("form input[value=upgrade] ~ button"))
        .await
        .expect("upgrade")
        .click()
        .await
        .expect("click");
    wait_text(&c, "The request has been resolved and the user told.").await;
    sign_out(&c).await;

    sign_in(&c, &portal, "olivia@homeoffice.test").await;
    wait_text(&c, "Fjordline Logistics").await;
    let badge = c
        .find(Locator::Css(".badge"))
        .await
        .expect("badge")
        .text()
        .await
        .expect("text");
    assert_eq!(badge.to_lowercase(), "enterprise");
    c.close().await.expect("close");
}

#[tokio::test]
async fn a_member_saves_the_profile_and_an_admin_removes_a_contract() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, _profile) = browser().await;
    sign_in(&c, &portal, "bram@northwind.test").await;
    wait_text(&c, "Complete your case-management profile").await;
    click(&c, "header a[href='/profile']").await;
    wait_path(&c, "/profile").await;
    click(&c, "main form button[type=submit]").await;
    wait_text(&c, "Some fields need your attention.").await;
    fill(&c, "f-phone", "+31 20 555 0199").await;
    c.find(Locator::Id("f-country"))
        .await
        .expect("country")
        .select_by_value("NL")
        .await
        .expect("choose NL");
    c.find(Locator::Css(
        "#f-default_pin_id option[value]:not([value=''])",
    ))
    .await
    .expect("a PIN")
    .click()
    .await
    .expect("pick");
    click(&c, "main form button[type=submit]").await;
    wait_text(&c, "Your profile has been saved.").await;
    screenshot(&c, "profile").await;
    sign_out(&c).await;

    sign_in(&c, &portal, "anna.admin@northwind.test").await;
    click(&c, "header a[href$='/entitlements']").await;
    wait_text(&c, "SA-2026-4410").await;
    screenshot(&c, "entitlements").await;
    let row = c
        .find(Locator::XPath("//tr[td[contains(., 'SA-2026-4410')]]"))
        .await
        .expect("contract row");
    row.find(Locator::Css("a[href$='/remove']"))
        .await
        .expect("remove link")
        .click()
        .await
        .expect("click");
    wait_text(&c, "It will be removed for everyone in your company.").await;
    click(&c, "main form button.danger").await;
    wait_text(&c, "Removed for the whole company.").await;
    assert!(!body_text(&c).await.contains("SA-2026-4410"));
    c.close().await.expect("close");
}

#[tokio::test]
async fn opening_a_case_with_a_file_from_a_serial_number() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, profile) = browser().await;
    let file = profile.path().join("ipmi-events.log");
    std::fs::write(&file, "fan 3 below threshold\n").expect("file");
    sign_in(&c, &portal, "anna.admin@northwind.test").await;
    click(&c, "header a[href='/cases']").await;
    wait_path(&c, "/cases").await;
    click(&c, "a.button[href='/cases/new']").await;
    wait_path(&c, "/cases/new").await;
    fill(&c, "f-value", "NWR-SRV-0001").await;
    click(&c, "main form button[type=submit]").await;
    wait_path(&c, "/cases/new/details").await;
    wait_text(&c, "ProServer R740").await;
    fill(&c, "f-title", "Fan noise").await;
    fill(&c, "f-description", "Fan 3 is loud since Monday").await;
    c.find(Locator::Css("#f-severity option[value='3']"))
        .await
        .expect("severity")
        .click()
        .await
        .expect("pick");
    click(&c, "main form button[type=submit]").await;
    wait_path(&c, "/cases/new/review").await;
    wait_text(&c, "Fan 3 is loud since Monday").await;
    // Edit the problem, then come back to the review with the change.
    click(&c, "form[action='/cases/new/details#problem'] button").await;
    wait_path(&c, "/cases/new/details").await;
    fill(&c, "f-title", "Fan 3 noise").await;
    click(
        &c,
        "main form[action='/cases/new/review'] > button[type=submit]",
    )
    .await;
    wait_path(&c, "/cases/new/review").await;
    wait_text(&c, "Fan 3 noise").await;
    c.find(Locator::Id("f-attachment-1"))
        .await
        .expect("file input")
        .send_keys(&file.display().to_string())
        .await
        .expect("choose file");
    screenshot(&c, "case-review").await;
    click(&c, "form[action='/cases/new'] button[type=submit]").await;
    wait_text(&c, "Your case ID is:").await;
    let number = c
        .find(Locator::Id("case-number"))
        .await
        .expect("number")
        .text()
        .await
        .expect("text");
    assert!(supportal_domain::case::is_case_number(&number), "{number}");
    wait_text(&c, "ipmi-events.log").await;
    screenshot(&c, "case-done").await;

    c.goto(&format!("{}/cases?view=submitted_by_me", portal.url))
        .await
        .expect("list");
    wait_text(&c, &number).await;
    click(&c, &format!("a[href='/cases/{number}']")).await;
    wait_text(&c, "Fan 3 noise").await;
    let files = c
        .find(Locator::Id("files"))
        .await
        .expect("files")
        .text()
        .await
        .expect("text");
    assert!(files.contains("ipmi-events.log"), "{files}");
    screenshot(&c, "case-page").await;
    c.close().await.expect("close");
}

#[tokio::test]
async fn a_company_admin_opens_cases_from_a_file() {
    if !enabled() {
        return;
    }
    let portal = start_portal().await;
    let (c, _driver, profile) = browser().await;
    let bad = profile.path().join("cases-bad.csv");
    std::fs::write(&bad, "serial_number,title,description,severity\nNWR-SRV-0001,Fan noise,Loud since Monday,3\nNWR-SRV-0001,PSU,,3\n").expect("file");
    let good = profile.path().join("cases.csv");
    std::fs::write(&good, "serial_number,title,description,severity\nNWR-SRV-0001,Fan noise,Loud since Monday,3\nNWR-SRV-0001,PSU fault,Amber light on PSU 2,2\n").expect("file");
    sign_in(&c, &portal, "anna.admin@northwind.test").await;
    click(&c, "header a[href='/cases']").await;
    wait_path(&c, "/cases").await;
    click(&c, "a.button[href='/cases/bulk']").await;
    wait_path(&c, "/cases/bulk").await;
    let choose = |path: std::path::PathBuf| {
        let c = c.clone();
        async move {
            c.find(Locator::Id("f-file"))
                .await
                .expect("file input")
                .send_keys(&path.display().to_string())
                .await
                .expect("choose file");
        }
    };
    choose(bad).await;
    click(&c, "main form[action='/cases/bulk'] button[type=submit]").await;
    wait_text(&c, "No case was opened. Problems found: 1.").await;
    assert!(body_text(&c).await.contains("This field is required."));
    screenshot(&c, "bulk-refused").await;
    choose(good).await;
    click(&c, "main form[action='/cases/bulk'] button[type=submit]").await;
    wait_text(&c, "Cases opened: 2.").await;
    screenshot(&c, "bulk-opened").await;
    let link = c
        .find(Locator::Css("#bulk-rows a"))
        .await
        .expect("a link to the first case");
    let number = link.text().await.expect("number");
    link.click().await.expect("open the case");
    wait_path(&c, &format!("/cases/{number}")).await;
    wait_text(&c, "Fan noise").await;
    c.close().await.expect("close");
}
