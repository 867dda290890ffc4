//! The case pages over HTTP, on the demo data.

use crate::support::{TestApp, on_both};
use crate::visitor::{location, signed_in};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

#[tokio::test]
async fn lists_and_the_case_page_with_its_updates() {
    on_both(|app: TestApp| async move {
        supportal_app::demo::load_if_empty(&app.state).await.expect("demo");
        let token = app.login("anna.admin@northwind.test", supportal_app::demo::DEMO_PASSWORD).await;
        for title in ["Fan noise", "Disk amber light"] {
            let res = app.post("/api/v1/cases", Some(&token), json!({ "serial_number": "NWR-SRV-0001", "title": title, "description": "Seen this morning", "severity": 3 })).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        }
        let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
        let list = anna.get("/cases?view=submitted_by_me&sort=title").await;
        let table = list.text.split("id=\"case-list\"").nth(1).expect("a table of cases");
        let disk = table.find("Disk amber light").expect("listed");
        assert!(disk < table.find("Fan noise").expect("listed"), "sorted by title");
        let row = table.split("<tr").find(|r| r.contains("Disk amber light")).expect("its row");
        let number = row.split("/cases/").nth(1).and_then(|p| p.split('"').next()).expect("case link").to_owned();
        let descending = anna.get("/cases?view=submitted_by_me&sort=-title").await;
        let table = descending.text.split("id=\"case-list\"").nth(1).expect("table");
        assert!(table.find("Fan noise") < table.find("Disk amber light"), "and the other way");

        let page = anna.get(&format!("/cases/{number}")).await;
        assert!(page.text.contains("Disk amber light") && page.text.contains("Case opened") && page.text.contains("Care pack"));
        // Anna's profile is in Amsterdam: times are shown there, and say so.
        assert!((page.text.contains(" CET") || page.text.contains(" CEST")) && !page.text.contains(" UTC"), "times in the viewer's zone");
        assert!(page.text.contains("<details class=\"card\" id=\"history\" open><summary><h2>History"), "the conversation is open");
        assert!(!page.text.contains("<details class=\"card\" open><summary><h2>Details"), "the rest folded until expand all");
        assert!(anna.get(&format!("/cases/{number}?expand=all")).await.text.contains("<details class=\"card\" open><summary><h2>Details"));

        let res = anna.post(&format!("/cases/{number}/messages"), &[("body", "")]).await;
        assert!(res.text.contains("This field is required."));
        let res = anna.post(&format!("/cases/{number}/messages"), &[("body", "Replaced the cable")]).await;
        assert_eq!(location(&res), format!("/cases/{number}"));
        assert!(anna.get(&format!("/cases/{number}")).await.text.contains("Replaced the cable"));
        anna.post(&format!("/cases/{number}/favorite"), &[("on", "1")]).await;
        assert!(anna.get("/cases?view=favorites").await.text.contains(&number));

        // A file through the page, with the CSRF token in the multipart form.
        let csrf = anna.csrf();
        let boundary = "page-boundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"ipmi.log\"\r\n\r\nfan 3 rpm low\n\r\n--{boundary}--\r\n"
        );
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/cases/{number}/attachments"))
            .header(header::COOKIE, anna.cookie_header())
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("request");
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = anna.get(&format!("/cases/{number}")).await;
        let link = page.text.split("href=\"").filter_map(|p| p.split('"').next()).find(|l| l.contains("/attachments/")).expect("download link").to_owned();
        assert_eq!(anna.get(&link).await.text, "fan 3 rpm low\n");

        let res = anna.post(&format!("/cases/{number}/actions"), &[("action", "cancel")]).await;
        assert_eq!(location(&res), format!("/cases/{number}"));
        let page = anna.get(&format!("/cases/{number}")).await;
        assert!(page.text.contains("Cancelled") && !page.text.contains("value=\"cancel\""));
        let res = anna.post(&format!("/cases/{number}/actions"), &[("action", "cancel")]).await;
        assert!(res.text.contains("The case is not open any more."), "an illegal move shows a clear message");

        // By site, and by product.
        let by_site = anna.get("/cases?view=site").await;
        assert!(by_site.text.contains("id=\"f-site_id\"") && by_site.text.contains("Disk amber light"), "the first site's cases");
        let product = by_site.text.split("<option value=\"").filter_map(|p| p.split_once("\">")).find(|(_, label)| label.starts_with("ProServer R740")).map(|(v, _)| v.to_owned()).expect("the product filter");
        let other = by_site.text.split("<option value=\"").filter_map(|p| p.split_once("\">")).find(|(_, label)| label.starts_with("StoreArray")).map(|(v, _)| v.to_owned()).expect("another product");
        assert!(anna.get(&format!("/cases?view=company&product_id={product}")).await.text.contains("Disk amber light"));
        let none = anna.get(&format!("/cases?view=company&product_id={other}")).await;
        assert!(none.text.contains("No cases in this view.") && none.text.contains(&format!("product_id={other}")), "the filter is kept in the links");
        let export = anna.get("/cases/export.xlsx?view=submitted_by_me&sort=title").await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.headers[header::CONTENT_TYPE].to_str().expect("type").contains("spreadsheetml"));
        assert!(list.text.contains("/cases/export.xlsx?view=submitted_by_me"), "the list links its export");
        let found = anna.get(&format!("/cases?find={}", &number)).await;
        assert_eq!(location(&found), format!("/cases/{number}"), "find by case ID");
        assert!(anna.get("/cases?find=5000000000").await.text.contains("We could not find that case."));
        let mut bram = signed_in(&app, "bram@northwind.test").await;
        assert_eq!(bram.get(&format!("/cases/{number}")).await.status, StatusCode::NOT_FOUND, "a member who is not a contact");
        let mut ingrid = signed_in(&app, "ingrid@fjordline.test").await;
        assert_eq!(ingrid.get(&format!("/cases/{number}")).await.status, StatusCode::NOT_FOUND, "another company");
        assert!(ingrid.get("/cases").await.text.contains("No cases in this view."));
    })
    .await;
}

#[tokio::test]
async fn the_case_form_keeps_answers_and_shows_what_is_missing() {
    let app = crate::support::sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
    let page = anna
        .get("/cases/new/details?start=serial&value=NOPE-1")
        .await;
    assert!(
        page.text
            .contains("A serial number is not one of this company"),
        "unknown serial back on the start page"
    );
    let page = anna
        .get("/cases/new/details?start=serial&value=nwr-srv-0001")
        .await;
    assert!(
        page.text.contains("ProServer R740") && page.text.contains("chosen automatically"),
        "the care pack pays"
    );
    assert!(
        page.text.contains("value=\"anna.admin@northwind.test\""),
        "primary contact from the profile"
    );
    let page = anna
        .get("/cases/new/details?start=product&value=datasuite")
        .await;
    assert!(
        page.text.contains("41000001") && page.text.contains("No incidents left"),
        "agreements to choose, with reasons for the others"
    );

    // A submit without severity returns to the details with the answers kept.
    let csrf = anna.csrf();
    let boundary = "form-boundary";
    let mut body = String::new();
    for (k, v) in [
        ("csrf", csrf.as_str()),
        ("start", "serial"),
        ("value", "NWR-SRV-0001"),
        ("title", "Kept title"),
        ("description", "Kept text"),
        ("severity", ""),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let req = Request::builder()
        .method(Method::POST)
        .uri("/cases/new")
        .header(header::COOKIE, anna.cookie_header())
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    let res = app.send(req).await;
    assert!(
        res.text.contains("Kept title") && res.text.contains("Kept text"),
        "answers kept"
    );
    assert!(
        res.text.contains("This field is required."),
        "the missing severity is named"
    );
}

#[tokio::test]
async fn the_bulk_page_opens_cases_from_a_file_for_admins_only() {
    let app = crate::support::sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut bram = signed_in(&app, "bram@northwind.test").await;
    assert_eq!(
        bram.get("/cases/bulk").await.status,
        StatusCode::FORBIDDEN,
        "members may not"
    );
    assert!(
        !bram
            .get("/cases")
            .await
            .text
            .contains("href=\"/cases/bulk\"")
    );

    let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
    assert!(
        anna.get("/cases")
            .await
            .text
            .contains("href=\"/cases/bulk\"")
    );
    let page = anna.get("/cases/bulk").await;
    assert!(
        page.text.contains("enctype=\"multipart/form-data\"")
            && page.text.contains("<code>serial_number</code>")
    );
    let template = anna.get("/cases/bulk/template.csv").await;
    assert!(
        template
            .text
            .starts_with("serial_number,agreement_id,sku,title,description"),
        "{}",
        template.text
    );

    let csrf = anna.csrf();
    let cookie = anna.cookie_header();
    let post = |fields: Vec<(&'static str, String)>, file: &'static [u8]| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (content_type, body) = crate::support::multipart(&fields, "cases.csv", file);
        Request::builder()
            .method(Method::POST)
            .uri("/cases/bulk")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request")
    };
    let bad: &'static [u8] = b"serial_number,title,description,severity\nNWR-SRV-0001,Fan noise,Loud since Monday,3\nNWR-SRV-0001,Disk,,3\n";
    let res = app.send(post(vec![("csrf", csrf.clone())], bad)).await;
    assert_eq!(res.status, StatusCode::OK);
    let report = res.text.split("id=\"bulk-report\"").nth(1).expect("report");
    assert!(
        report.contains("No case was opened. Problems found: 1."),
        "{report}"
    );
    assert!(
        report.contains("<td>3</td><td>Description of the problem (description)</td><td>This field is required.</td>"),
        "{report}"
    );
    assert!(
        report.contains("<td>2</td><td>Ready (not opened)</td>"),
        "{report}"
    );
    assert_eq!(
        app.send(post(Vec::new(), bad)).await.status,
        StatusCode::FORBIDDEN,
        "no CSRF token, no cases"
    );

    let good: &'static [u8] =
        b"serial_number,title,description,severity\nNWR-SRV-0001,Fan noise,Loud since Monday,3\n";
    let res = app.send(post(vec![("csrf", csrf)], good)).await;
    let report = res.text.split("id=\"bulk-report\"").nth(1).expect("report");
    assert!(report.contains("Cases opened: 1."), "{report}");
    let number = report
        .split("href=\"/cases/")
        .nth(1)
        .and_then(|p| p.split('"').next())
        .expect("a link to the case");
    assert!(
        anna.get(&format!("/cases/{number}"))
            .await
            .text
            .contains("Fan noise")
    );
}

/// Sends the last step of the case form: a multipart body with the CSRF field and `fields`.
pub(crate) async fn submit_case_form(
    app: &TestApp,
    visitor: &crate::visitor::Visitor<'_>,
    fields: &[(&str, &str)],
) -> crate::support::Response {
    let csrf = visitor.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let (content_type, body) = crate::support::multipart(&all, "", b"");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/cases/new")
        .header(header::COOKIE, visitor.cookie_header())
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    app.send(req).await
}

#[tokio::test]
async fn the_case_form_offers_the_catalog_saved_contacts_and_another_address() {
    let app = crate::support::sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut anna = signed_in(&app, "anna.admin@northwind.test").await;
    let page = anna
        .get("/cases/new/details?start=serial&value=NWR-SRV-0001")
        .await;
    assert!(
        page.text.contains("<option>Gen 14</option>"),
        "versions of the product as a select"
    );
    assert!(
        page.text
            .contains("<optgroup label=\"Firmware\"><option>Boot loop</option>"),
        "problem types by category"
    );
    assert!(
        page.text
            .contains("name=\"equipment_mode\" value=\"other\"")
    );
    let carla = page
        .text
        .split("<option value=\"")
        .filter_map(|p| p.split_once("\">"))
        .find(|(_, label)| label.contains("carla@northwind.test"))
        .map(|(value, _)| value.to_owned())
        .expect("a colleague to pick");

    // Picking a colleague fills the primary contact on the review.
    let review = anna
        .post(
            "/cases/new/review",
            &[
                ("start", "serial"),
                ("value", "NWR-SRV-0001"),
                ("title", "Boot loop"),
                ("description", "Since the update"),
                ("severity", "3"),
                ("primary_pick", &carla),
                ("primary_name", "Anna"),
                ("primary_email", "anna.admin@northwind.test"),
            ],
        )
        .await;
    assert!(
        review.text.contains("&lt;carla@northwind.test&gt;"),
        "{}",
        review.text
    );

    let fields = [
        ("start", "serial"),
        ("value", "NWR-SRV-0001"),
        ("title", "Boot loop"),
        ("description", "Since the update"),
        ("severity", "3"),
        ("version", "Gen 15"),
        ("category", "Firmware"),
        ("problem_type", "Boot loop"),
        ("primary_pick", carla.as_str()),
        ("save_contact", "on"),
        ("equipment_mode", "other"),
        ("equipment_company_name", "Harbour Logistics"),
        ("equipment_street", "Kade 7"),
        ("equipment_postal_code", "3011 AA"),
        ("equipment_city", "Rotterdam"),
        ("equipment_country", "NL"),
    ];
    let wrong: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| {
            if *k == "problem_type" {
                (*k, "Disk failure")
            } else {
                (*k, *v)
            }
        })
        .collect();
    let res = submit_case_form(&app, &anna, &wrong).await;
    assert!(
        res.text
            .contains("Pick a problem type of the chosen category."),
        "a problem type of another category"
    );
    let mut once: Vec<(&str, &str)> = fields.to_vec();
    once.push(("form_token", "review-page-1"));
    let res = submit_case_form(&app, &anna, &once).await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "redirect after POST: {}",
        res.text
    );
    let opened = crate::visitor::location(&res).to_owned();
    // The same page sent again (a reload, a double click) opens nothing more.
    let again = submit_case_form(&app, &anna, &once).await;
    assert_eq!(crate::visitor::location(&again), opened, "the same case");
    let res = anna.get(&opened).await;
    assert!(res.text.contains("Your case ID is:"), "{}", res.text);
    let number = res
        .text
        .split("id=\"case-number\">")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .expect("number")
        .to_owned();
    let token = app
        .login(
            "anna.admin@northwind.test",
            supportal_app::demo::DEMO_PASSWORD,
        )
        .await;
    let case = app.get(&format!("/api/v1/cases/{number}"), &token).await;
    assert_eq!(case.body["primary_email"], "carla@northwind.test");
    assert_eq!(
        (
            case.body["version"].as_str(),
            case.body["problem_type"].as_str()
        ),
        (Some("Gen 15"), Some("Boot loop"))
    );
    assert_eq!(
        (
            case.body["equipment_company"].as_str(),
            case.body["equipment_city"].as_str()
        ),
        (Some("Harbour Logistics"), Some("Rotterdam"))
    );
    assert!(case.body["site_id"].is_null(), "an address, not a site");
    let saved = app.get("/api/v1/me/saved-contacts", &token).await;
    assert!(
        saved.text.contains("carla@northwind.test"),
        "kept in the saved contacts: {}",
        saved.text
    );

    // The API checks the same lists.
    let res = app.post("/api/v1/cases", Some(&token), json!({ "serial_number": "NWR-SRV-0001", "title": "t", "description": "d", "severity": 3, "version": "Gen 99", "category": "Cooling" })).await;
    assert_eq!(res.fields(), ["version", "category"]);
}

#[tokio::test]
async fn the_list_shows_company_and_opening_and_the_case_its_pin_and_parts_address() {
    on_both(|app: TestApp| async move {
        supportal_app::demo::load_if_empty(&app.state).await.expect("demo");
        let token = app.login("anna.admin@northwind.test", supportal_app::demo::DEMO_PASSWORD).await;
        let body = json!({ "serial_number": "NWR-SRV-0001", "title": "Parts to the depot", "description": "Send the disk elsewhere", "severity": 3,
            "parts_address": { "street": "Depot lane 9", "postal_code": "3511 AA", "city": "Utrecht", "country": "NL" } });
        let res = app.post("/api/v1/cases", Some(&token), body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let number = res.body["case_id"].as_str().expect("number").to_owned();
        let company = res.body["company_name"].as_str().expect("company").to_owned();
        let mut anna = signed_in(&app, "anna.admin@northwind.test").await;

        let list = anna.get("/cases?view=submitted_by_me&sort=company").await;
        let table = list.text.split("id=\"case-list\"").nth(1).expect("a table of cases");
        assert!(table.contains(">Company") && table.contains(">Opened"), "{table}");
        assert!(table.contains(&format!("<td>{company}</td>")), "{table}");

        let page = anna.get(&format!("/cases/{number}")).await;
        assert!(page.text.contains("Depot lane 9") && page.text.contains("Utrecht"), "parts address shown");
        assert!(res.body["pin_id"].as_i64().is_some(), "the demo profile's PIN: {}", res.text);
        assert!(page.text.contains("<dt>PIN</dt><dd>"), "the PIN shown");
        let other = app.post("/api/v1/cases", Some(&token), json!({ "serial_number": "NWR-SRV-0001", "title": "No parts address", "description": "Same site", "severity": 4 })).await;
        let other = other.body["case_id"].as_str().expect("number").to_owned();
        assert!(anna.get(&format!("/cases/{other}")).await.text.contains("Same as the equipment site"));
    })
    .await;
}
