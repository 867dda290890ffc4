//! The longer flows through the pages: choosing a company, describing a new one and its
//! validation, access requests and their answers, and a company admin's day.

use crate::support::{TestApp, on_both, sqlite_app};
use crate::visitor::{location, registered, signed_in};
use axum::http::StatusCode;

#[tokio::test]
async fn choosing_among_several_and_describing_a_new_company_in_the_pages() {
    on_both(|app: TestApp| async move {
        supportal_app::demo::load_if_empty(&app.state)
            .await
            .expect("demo");
        let mut v = registered(&app, "pat@contoso-retail.test", "Pat Picker").await;
        let res = v.post("/onboarding", &[("choice", "enterprise")]).await;
        assert_eq!(location(&res), "/onboarding/company");
        let page = v.get("/onboarding/company").await;
        assert!(
            page.text.contains("Contoso Retail Benelux")
                && page.text.contains("Contoso Retail Nordics")
        );
        let res = v.post("/onboarding/company", &[]).await;
        assert!(
            res.text.contains("This field is required."),
            "nothing chosen"
        );
        let nordics = page
            .text
            .split("value=\"")
            .filter_map(|p| p.split('"').next())
            .filter_map(|id| id.parse::<i64>().ok())
            .nth(1)
            .expect("second candidate");
        let res = v
            .post(
                "/onboarding/company",
                &[("company_id", &nordics.to_string())],
            )
            .await;
        assert_eq!(location(&res), "/");
        assert!(v.get("/").await.text.contains("Contoso Retail Nordics"));

        // The first person of a new organisation describes it and waits; staff validate it.
        let mut first = registered(&app, "una@unknown-co.test", "Una First").await;
        let res = first.post("/onboarding", &[("choice", "enterprise")]).await;
        assert_eq!(location(&res), "/onboarding/company-profile");
        let res = first
            .post(
                "/onboarding/company-profile",
                &[("name", "Unknown Co"), ("country", "XX1")],
            )
            .await;
        assert!(res.text.contains("Enter a two-letter country code."));
        let res = first
            .post(
                "/onboarding/company-profile",
                &[
                    ("name", "Unknown Co"),
                    ("street", "Kade 1"),
                    ("postal_code", "1000 AB"),
                    ("city", "Utrecht"),
                    ("country", "NL"),
                    ("serial_number", ""),
                ],
            )
            .await;
        assert_eq!(location(&res), "/");
        let home = first.get("/").await;
        assert!(
            home.text.contains("Company validation pending")
                && home.text.contains("badge tier-limited")
        );

        let mut ops = signed_in(&app, "admin@operator.test").await;
        let list = ops.get("/admin/companies").await;
        let before = list.text.split(">Unknown Co<").next().expect("listed");
        let id = before
            .rsplit("/admin/companies/")
            .next()
            .and_then(|p| p.split('"').next())
            .expect("its link")
            .to_owned();
        let page = ops.get(&format!("/admin/companies/{id}")).await;
        assert!(
            page.text.contains("Unknown Co") && page.text.contains("Validate company"),
            "a pending company can be validated"
        );
        let res = ops
            .post(&format!("/admin/companies/{id}/validate"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(first.get("/").await.text.contains("badge tier-enterprise"));
    })
    .await;
}

#[tokio::test]
async fn access_requests_and_their_answers_in_the_pages() {
    let app = sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut olivia = signed_in(&app, "olivia@homeoffice.test").await;
    let res = olivia
        .post(
            "/access-requests",
            &[("phone", ""), ("contact_method", "email")],
        )
        .await;
    assert!(
        res.text.contains("Enter a valid phone number.")
            || res.text.contains("This field is required.")
    );
    let res = olivia
        .post(
            "/access-requests",
            &[
                ("phone", "+33 1 55 00 11 22"),
                ("contact_method", "phone"),
                ("page_url", "/cases"),
                ("intent", "Enterprise access"),
                ("company_name", "Fjordline Logistics"),
                ("site_address", "Havnegata 5, Oslo"),
            ],
        )
        .await;
    let number = res
        .text
        .split("id=\"request-number\">")
        .nth(1)
        .and_then(|p| p.split('<').next())
        .expect("number on screen")
        .to_owned();
    assert_eq!(number.len(), 8);

    let mut ops = signed_in(&app, "admin@operator.test").await;
    let queue = ops.get("/admin/access-requests").await;
    assert!(queue.text.contains(&number));
    let id = queue
        .text
        .split("/admin/access-requests/")
        .filter_map(|p| p.split('/').next())
        .filter_map(|p| p.parse::<i64>().ok())
        .next()
        .expect("a request");
    let res = ops
        .post(
            &format!("/admin/access-requests/{id}/resolve"),
            &[("decision", "decline"), ("reason", "")],
        )
        .await;
    assert!(
        res.text.contains("This field is required."),
        "declining needs a reason"
    );
    let res = ops
        .post(
            &format!("/admin/access-requests/{id}/resolve"),
            &[
                ("decision", "decline"),
                ("reason", "Please use your company address"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mine = olivia.get("/access-requests").await;
    assert!(
        mine.text.contains("Please use your company address") && mine.text.contains("Declined")
    );
}

#[tokio::test]
async fn a_company_admin_works_through_the_pages() {
    let app = sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
    let page = anna.get("/companies/1/users").await;
    let ids: Vec<i64> = page
        .text
        .split("/companies/1/users/")
        .filter_map(|p| p.split('"').next())
        .filter_map(|p| p.parse().ok())
        .collect();
    let [anna_id, bram, carla] = ids[..] else {
        panic!("three users in the demo company: {ids:?}")
    };
    let res = anna
        .post(
            &format!("/companies/1/users/{anna_id}"),
            &[("action", "revoke_admin")],
        )
        .await;
    assert!(
        res.text
            .contains("The company must keep at least one active admin."),
        "last admin refused with a clear message"
    );
    let res = anna
        .post(
            &format!("/companies/1/users/{bram}"),
            &[("action", "deactivate")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        anna.get("/companies/1/users")
            .await
            .text
            .contains("Deactivated")
    );
    let res = anna
        .post(
            "/companies/1/invitations",
            &[("email", "broken"), ("role", "member")],
        )
        .await;
    assert!(res.text.contains("Enter a valid email address."));

    let res = anna
        .post(
            "/companies/1/sites",
            &[
                ("name", "Lab"),
                ("street", ""),
                ("postal_code", "1"),
                ("city", "Delft"),
                ("country", "NL"),
            ],
        )
        .await;
    assert!(res.text.contains("This field is required."));
    let res = anna
        .post(
            "/companies/1/sites",
            &[
                ("name", "Lab"),
                ("street", "Mekelweg 4"),
                ("postal_code", "2628 CD"),
                ("city", "Delft"),
                ("country", "NL"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/companies/1", "{}", res.text);
    assert!(anna.get("/companies/1").await.text.contains("Mekelweg 4"));

    let res = anna
        .post(
            "/profile",
            &[
                ("phone", "+31 20 555 0100"),
                ("contact_method", "email"),
                ("language", "en"),
                ("time_zone", "Europe/Amsterdam"),
                ("country", "NL"),
                ("site_id", "1"),
                ("default_pin_id", ""),
            ],
        )
        .await;
    assert!(
        res.text.contains("This field is required."),
        "the company has PINs, so one is required"
    );
    let res = anna
        .post(
            "/profile",
            &[
                ("phone", "+31 20 555 0100"),
                ("contact_method", "email"),
                ("language", "en"),
                ("time_zone", "Europe/Amsterdam"),
                ("country", "NL"),
                ("site_id", "1"),
                ("default_pin_id", "1"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/profile");
    let page = anna.get("/profile").await;
    assert!(
        page.text.contains("Your profile has been saved.")
            && !page.text.contains("name=\"notify_box\" checked"),
        "notify unticked stays off"
    );

    let res = anna
        .post(
            "/contacts",
            &[
                ("name", "Supplier desk"),
                ("email", "desk@supplier.test"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(
        location(&res),
        "/contacts",
        "{} {}",
        res.status,
        res.text.split("<main").nth(1).unwrap_or_default()
    );
    let res = anna
        .post(
            "/contacts/from-company",
            &[("source", "user"), ("id", &bram.to_string())],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::NOT_FOUND,
        "a deactivated user is not on the company contact list"
    );
    let res = anna
        .post(
            "/contacts/from-company",
            &[("source", "user"), ("id", &carla.to_string())],
        )
        .await;
    assert_eq!(location(&res), "/contacts");
    let page = anna.get("/contacts").await;
    assert!(page.text.contains("desk@supplier.test") && page.text.contains("carla@northwind.test"));
    let res = anna
        .post(
            "/contacts",
            &[("name", "Supplier again"), ("email", "desk@supplier.test")],
        )
        .await;
    assert!(
        res.text
            .contains("You already saved a contact with this email address.")
    );
}
