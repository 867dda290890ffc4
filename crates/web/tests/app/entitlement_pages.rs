//! The entitlement pages over HTTP, on the demo data.

use crate::support::{TestApp, on_both, sqlite_app};
use crate::visitor::{Visitor, location, signed_in};
use axum::http::StatusCode;

#[tokio::test]
async fn the_public_warranty_check_shows_coverage_but_not_the_owner() {
    let app = sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut v = Visitor::new(&app);
    let page = v.get("/warranty?serial=nwr-srv-0001").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("ProServer R740") && page.text.contains("4-hour 24x7 onsite"),
        "{}",
        page.text
    );
    assert!(
        !page.text.contains("Northwind") && !page.text.contains("CP-4H-88231"),
        "nothing about the owner"
    );
    let page = v.get("/warranty?serial=NWR-SRV-0002").await;
    assert!(page.text.contains("Not covered today") && page.text.contains("Expired"));
    let page = v.get("/warranty?serial=NOPE-404").await;
    assert!(page.text.contains("We do not know that serial number."));
    let page = v.get("/warranty?serial=%3F%3F").await;
    assert!(page.text.contains("Serial numbers are 3 to 40 letters"));
}

#[tokio::test]
async fn contracts_and_warranties_page_filters_and_removes_with_confirmation() {
    on_both(|app: TestApp| async move {
        supportal_app::demo::load_if_empty(&app.state)
            .await
            .expect("demo");
        let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
        let home = anna.get("/").await;
        let company = home
            .text
            .split("/companies/")
            .nth(1)
            .and_then(|p| p.split(['/', '"']).next())
            .expect("company link")
            .to_owned();
        let base = format!("/companies/{company}/entitlements");
        let page = anna.get(&format!("{base}?status=active")).await;
        assert!(page.text.contains("CP-4H-88231") && page.text.contains("SA-2026-4410"));
        assert!(
            !page.text.contains("CP-NBD-11902") && !page.text.contains("SA-2027-0001"),
            "expired and future ones are filtered out"
        );
        let page = anna.get(&format!("{base}?kind=care_pack")).await;
        assert!(page.text.contains("CP-NBD-11902") && !page.text.contains("SA-2026-4410"));
        let page = anna.get(&format!("{base}?status=sometime")).await;
        assert!(page.text.contains("Choose one of the options."));

        let remove = page_link(
            &anna.get(&format!("{base}?kind=care_pack")).await.text,
            "/remove",
        );
        let confirm = anna.get(&remove).await;
        assert!(
            confirm
                .text
                .contains("It will be removed for everyone in your company.")
        );
        let mut bram = signed_in(&app, "bram@northwind.test").await;
        assert_eq!(
            bram.get(&remove).await.status,
            StatusCode::FORBIDDEN,
            "members may not remove"
        );
        assert!(
            !bram.get(&base).await.text.contains("/remove"),
            "and see no remove links"
        );
        let res = anna.post(&remove, &[]).await;
        assert_eq!(location(&res), base);
        let page = anna.get(&base).await;
        assert!(page.text.contains("Removed for the whole company."));
        let mut ingrid = signed_in(&app, "ingrid@fjordline.test").await;
        assert_eq!(
            ingrid.get(&base).await.status,
            StatusCode::NOT_FOUND,
            "another company's list"
        );
    })
    .await;
}

fn page_link(html: &str, ending: &str) -> String {
    html.split("href=\"")
        .filter_map(|p| p.split('"').next())
        .find(|l| l.ends_with(ending))
        .expect("link")
        .to_owned()
}

#[tokio::test]
async fn agreements_plans_and_purchase_in_the_pages() {
    on_both(|app: TestApp| async move {
        supportal_app::demo::load_if_empty(&app.state)
            .await
            .expect("demo");
        let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
        let page = anna.get("/agreements").await;
        assert!(page.text.contains("41000001") && page.text.contains("Premier Support"));
        let res = anna
            .post(
                "/agreements",
                &[("access_id", "DEMO-SHARE"), ("agreement_id", "42000043")],
            )
            .await;
        assert!(
            res.text
                .contains("No agreement matches that access ID and agreement ID.")
        );
        let res = anna
            .post(
                "/agreements",
                &[("access_id", "DEMO-SHARE"), ("agreement_id", "42000042")],
            )
            .await;
        assert_eq!(location(&res), "/agreements");
        let res = anna
            .post(
                "/agreements",
                &[("access_id", "DEMO-SHARE"), ("agreement_id", "42000042")],
            )
            .await;
        assert!(
            res.text
                .contains("This agreement is already registered to your account.")
        );

        let page = anna
            .get("/plans?start=serial&value=NWR-SRV-0001&scope=on_premises")
            .await;
        let available = page
            .text
            .split("id=\"unavailable-plans\"")
            .next()
            .expect("available part");
        assert!(
            available.contains("CP-4H-88231")
                && available.contains("41000001")
                && available.contains("42000042"),
            "{available}"
        );
        let unavailable = page
            .text
            .split("id=\"unavailable-plans\"")
            .nth(1)
            .expect("unavailable part");
        for reason in ["No incidents left", "Expired", "Not valid for this product"] {
            assert!(unavailable.contains(reason), "{reason} in {unavailable}");
        }
        let page = anna
            .get("/plans?start=product&value=mail&scope=on_premises")
            .await;
        assert!(
            page.text.contains("CloudSuite Mail") && page.text.contains("Not valid for this scope")
        );
        let page = anna.get("/plans?start=serial&value=FJL-SRV-0001").await;
        assert!(
            page.text.contains("We do not know that serial number."),
            "another company's serial"
        );

        let page = anna.get("/purchase").await;
        assert!(page.text.contains("United Kingdom"));
        let res = anna
            .post(
                "/purchase",
                &[
                    ("pack", "single"),
                    ("region", "EU"),
                    ("card_holder", "Anna"),
                    ("card_number", "4000 0000 0000 0002"),
                ],
            )
            .await;
        assert!(
            res.text
                .contains("Your card was declined. Nothing was charged.")
        );
        let res = anna
            .post(
                "/purchase",
                &[
                    ("pack", "five_pack"),
                    ("region", "UK"),
                    ("card_holder", "Anna"),
                    ("card_number", "4242424242424242"),
                ],
            )
            .await;
        assert!(
            res.text
                .contains("The five-pack is not offered in this region.")
        );
        let res = anna
            .post(
                "/purchase",
                &[
                    ("pack", "five_pack"),
                    ("region", "EU"),
                    ("card_holder", "Anna"),
                    ("card_number", "4242424242424242"),
                ],
            )
            .await;
        assert!(res.text.contains("Your incidents are ready to use") && res.text.contains("PPI-"));
        assert!(
            anna.get("/agreements")
                .await
                .text
                .contains("Pay per incident")
        );
    })
    .await;
}
