//! The knowledge base (KB-1): who reads which article, ranking that agrees on both databases,
//! no script in any rendered article, the editor's revisions, feedback, suggestions for a
//! product and the deflection they record, and hostile input.

use crate::cases::world;
use crate::support::{PASSWORD, TestApp, on_both};
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn article(app: &TestApp, ops: &str, body: Value) -> i64 {
    let res = app.post("/api/v1/admin/articles", Some(ops), body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.body["id"].as_i64().expect("id")
}

fn titles(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items: {body}"))
        .iter()
        .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn product_id(app: &TestApp, token: &str, sku: &str) -> i64 {
    let res = app.get(&format!("/api/v1/products?q={sku}"), token).await;
    res.body["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", res.text))
}

/// One article per visibility, and a draft.
async fn shelf(app: &TestApp, ops: &str) -> [i64; 4] {
    let a = |title: &str, visibility: &str, status: &str| {
        json!({ "title": title, "body_markdown": format!("All about {title}: the fan."), "language": "en",
                "visibility": visibility, "status": status })
    };
    [
        article(app, ops, a("Public fan guide", "public", "published")).await,
        article(app, ops, a("Members fan guide", "signed_in", "published")).await,
        article(
            app,
            ops,
            a("Enterprise fan guide", "enterprise", "published"),
        )
        .await,
        article(app, ops, a("Unfinished fan guide", "public", "draft")).await,
    ]
}

#[tokio::test]
async fn each_kind_of_reader_sees_only_their_articles() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app.login("ops@operator.test", PASSWORD).await;
        let [public, members, enterprise, draft] = shelf(&app, &ops).await;
        let basic = app.user("bea@gmail.com", "Bea").await;
        let all = [
            "Enterprise fan guide",
            "Members fan guide",
            "Public fan guide",
        ];

        let anonymous = app
            .request(
                axum::http::Method::GET,
                "/api/v1/articles?q=fan",
                None,
                None,
            )
            .await;
        assert_eq!(
            titles(&anonymous.body),
            ["Public fan guide"],
            "{}",
            anonymous.text
        );
        let mut seen = titles(&app.get("/api/v1/articles?q=fan", &basic).await.body);
        seen.sort();
        assert_eq!(seen, ["Members fan guide", "Public fan guide"]);
        let mut seen = titles(&app.get("/api/v1/articles?q=fan", &w.worker).await.body);
        seen.sort();
        assert_eq!(seen, all, "an enterprise user reads all that is published");
        let mut seen = titles(&app.get("/api/v1/admin/articles?q=fan", &ops).await.body);
        seen.sort();
        assert_eq!(
            seen,
            [
                "Enterprise fan guide",
                "Members fan guide",
                "Public fan guide",
                "Unfinished fan guide"
            ]
        );
        assert_eq!(
            app.get("/api/v1/admin/articles", &w.worker).await.status,
            StatusCode::FORBIDDEN
        );

        let get = |id: i64, token: Option<String>| {
            let app = &app;
            async move {
                let path = format!("/api/v1/articles/{id}");
                app.request(axum::http::Method::GET, &path, token.as_deref(), None)
                    .await
                    .status
            }
        };
        assert_eq!(get(public, None).await, StatusCode::OK);
        for hidden in [members, enterprise, draft] {
            assert_eq!(get(hidden, None).await, StatusCode::NOT_FOUND);
        }
        assert_eq!(get(members, Some(basic.clone())).await, StatusCode::OK);
        assert_eq!(
            get(enterprise, Some(basic.clone())).await,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(enterprise, Some(w.worker.clone())).await,
            StatusCode::OK
        );
        assert_eq!(
            get(draft, Some(w.worker.clone())).await,
            StatusCode::NOT_FOUND
        );
        assert_eq!(get(draft, Some(ops.clone())).await, StatusCode::OK);
        assert_eq!(
            get(public, Some("forged".into())).await,
            StatusCode::UNAUTHORIZED
        );

        // The pages say the same.
        let mut visitor = crate::visitor::Visitor::new(&app);
        assert_eq!(
            visitor.get(&format!("/articles/{public}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            visitor.get(&format!("/articles/{enterprise}")).await.status,
            StatusCode::NOT_FOUND
        );
        let list = visitor.get("/articles?q=fan").await;
        assert!(
            list.text.contains("Public fan guide") && !list.text.contains("Members fan guide"),
            "{}",
            list.text
        );
        let mut worker = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        assert_eq!(
            worker.get(&format!("/articles/{enterprise}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            worker.get("/admin/articles").await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn the_ranking_is_the_same_on_both_databases() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let corpus = [
            (
                "Fan noise on servers",
                "If the fans are loud, clean the fan filter and update the firmware.",
                "en",
            ),
            (
                "Firmware update",
                "Update the firmware from the support site. A fan may spin up during the update.",
                "en",
            ),
            (
                "Battery replacement",
                "Replace the battery when the notebook no longer charges.",
                "en",
            ),
            (
                "Noisy fans after an update",
                "After a firmware update the fans can be noisy; the noise stops after a restart.",
                "en",
            ),
            (
                "Ventilator maakt lawaai",
                "Als de ventilatoren lawaai maken, maak het filter schoon.",
                "nl",
            ),
            (
                "Le ventilateur est bruyant",
                "Si les ventilateurs sont bruyants, nettoyez le filtre.",
                "fr",
            ),
            (
                "Viften bråker",
                "Hvis viftene bråker, rengjør filteret.",
                "nb",
            ),
            ("Fläkten låter", "Om fläktarna låter, rengör filtret.", "sv"),
        ];
        for (title, body, language) in corpus {
            article(
                &app,
                &ops,
                json!({ "title": title, "body_markdown": body, "language": language,
                                          "visibility": "public", "status": "published" }),
            )
            .await;
        }
        let search = |q: &str| {
            let path = format!("/api/v1/articles?q={}", urlencoding::encode(q));
            let app = &app;
            async move {
                titles(
                    &app.request(axum::http::Method::GET, &path, None, None)
                        .await
                        .body,
                )
            }
        };
        assert_eq!(
            search("fan noise").await,
            [
                "Fan noise on servers",
                "Noisy fans after an update",
                "Firmware update"
            ]
        );
        assert_eq!(
            search("firmware update").await,
            [
                "Firmware update",
                "Noisy fans after an update",
                "Fan noise on servers"
            ]
        );
        assert_eq!(search("battery").await, ["Battery replacement"]);
        assert_eq!(
            search("ventilatoren lawaai").await,
            ["Ventilator maakt lawaai"]
        );
        assert_eq!(
            search("ventilateurs bruyants").await,
            ["Le ventilateur est bruyant"]
        );
        assert_eq!(search("viftene").await, ["Viften bråker"]);
        assert_eq!(search("fläktarna").await, ["Fläkten låter"]);
        assert!(
            search("the and of").await.is_empty(),
            "stop words alone find nothing"
        );
        let res = app
            .request(
                axum::http::Method::GET,
                "/api/v1/articles?q=noisy&language=en",
                None,
                None,
            )
            .await;
        let snippet = res.body["items"][0]["snippet"].as_str().expect("snippet");
        assert!(
            snippet.contains("<mark>noisy</mark>") && !snippet.contains("<mark>noise</mark>"),
            "noisy and noise are two stems: {snippet}"
        );
        let res = app
            .request(
                axum::http::Method::GET,
                "/api/v1/articles?q=filter&language=nl",
                None,
                None,
            )
            .await;
        assert_eq!(
            titles(&res.body),
            ["Ventilator maakt lawaai"],
            "one language asked, one answered"
        );
        let res = app
            .request(axum::http::Method::GET, "/api/v1/articles", None, None)
            .await;
        assert_eq!(titles(&res.body).len(), 8, "no words: the newest");
    })
    .await;
}

#[tokio::test]
async fn no_script_survives_in_any_rendered_article() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let body = "# Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) [y](JAVASCRIPT:alert(4)) [z](data:text/html,<script>alert(5)</script>)\n\n<iframe src=//evil.test></iframe>";
        let id = article(&app, &ops, json!({ "title": "<script>alert(0)</script>", "body_markdown": body, "language": "en",
                                              "visibility": "public", "status": "published" })).await;
        let res = app.request(axum::http::Method::GET, &format!("/api/v1/articles/{id}"), None, None).await;
        let html = res.body["html"].as_str().expect("html").to_ascii_lowercase();
        for bad in ["<script", "<img src=x", "<iframe", "href=\"javascript", "href=\"data:"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        let mut visitor = crate::visitor::Visitor::new(&app);
        let page = visitor.get(&format!("/articles/{id}")).await.text.to_ascii_lowercase();
        assert!(!page.contains("<script>alert") && !page.contains("<img src=x") && !page.contains("href=\"javascript"), "{page}");
        let list = visitor.get("/articles?q=alert").await.text.to_ascii_lowercase();
        assert!(!list.contains("<script>alert"), "{list}");
    })
    .await;
}

#[tokio::test]
async fn the_editor_keeps_revisions_and_refuses_bad_articles() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app.login("ops@operator.test", PASSWORD).await;
        let server = product_id(&app, &w.worker, "SRV-1").await;
        let good = json!({ "title": "Fan", "body_markdown": "Clean it.", "language": "en", "visibility": "public",
                           "status": "draft", "product_ids": [server] });
        let id = article(&app, &ops, good.clone()).await;
        let path = format!("/api/v1/admin/articles/{id}");
        let mut next = good.clone();
        next["status"] = json!("published");
        next["title"] = json!("Fan, cleaned");
        let res = app.put(&path, &ops, next.clone()).await;
        assert_eq!(res.body, json!({ "id": id, "revision": 2 }), "{}", res.text);
        let res = app.put(&path, &ops, next).await;
        assert_eq!(res.body["revision"], 3);
        let res = app.get(&format!("{path}/revisions"), &ops).await;
        let revisions: Vec<i64> = res.body["items"].as_array().expect("items").iter().map(|r| r["revision"].as_i64().unwrap_or(0)).collect();
        assert_eq!(revisions, [3, 2, 1], "{}", res.text);
        let res = app.get(&path, &ops).await;
        assert_eq!((res.body["product_ids"].clone(), res.body["body_markdown"].clone()), (json!([server]), json!("Clean it.")));

        let post = |body: Value| app.post("/api/v1/admin/articles", Some(&ops), body);
        let with = |field: &str, value: Value| {
            let mut b = good.clone();
            b[field] = value;
            b
        };
        assert_eq!(post(json!({})).await.fields().len(), 5, "title, text, language, visibility, state");
        assert_eq!(post(with("language", json!("de"))).await.fields(), ["language"]);
        assert_eq!(post(with("visibility", json!("partners"))).await.fields(), ["visibility"]);
        assert_eq!(post(with("status", json!("live"))).await.fields(), ["status"]);
        assert_eq!(post(with("product_ids", json!([999_999]))).await.fields(), ["product_ids"]);
        assert_eq!(post(with("product_line_ids", json!([999_999]))).await.fields(), ["product_line_ids"]);
        assert_eq!(post(with("body_markdown", json!("x".repeat(100_001)))).await.fields(), ["body_markdown"]);
        assert_eq!(post(with("title", json!("t".repeat(201)))).await.fields(), ["title"]);
        assert_eq!(post(with("title", json!("nul\u{0}byte"))).await.status, StatusCode::CREATED, "a NUL is dropped, on both databases");
        assert_eq!(post(with("product_ids", json!("one"))).await.code(), "invalid_body");
        assert_eq!(app.post("/api/v1/admin/articles", Some(&w.admin), good.clone()).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.put(&path, &w.admin, good.clone()).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.put("/api/v1/admin/articles/999999", &ops, good.clone()).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.put("/api/v1/admin/articles/abc", &ops, good).await.status, StatusCode::NOT_FOUND);

        let find = |q: &str| {
            let path = format!("/api/v1/articles?{q}");
            let (app, token) = (&app, w.worker.clone());
            async move { app.get(&path, &token).await }
        };
        assert_eq!(find("limit=0").await.fields(), ["limit"]);
        assert_eq!(find("limit=51").await.fields(), ["limit"]);
        assert_eq!(find("language=de").await.fields(), ["language"]);
        assert_eq!(find("product_id=x").await.status, StatusCode::BAD_REQUEST);
        let long = "fan ".repeat(5_000);
        assert_eq!(find(&format!("q={}", urlencoding::encode(&long))).await.status, StatusCode::OK, "a pasted text is cut, not refused");
        assert_eq!(titles(&find(&format!("product_id={server}&q=fan")).await.body), ["Fan, cleaned"]);
        let notebook = product_id(&app, &w.worker, "NB-1").await;
        assert!(titles(&find(&format!("product_id={notebook}&q=fan")).await.body).is_empty(), "only the product's articles");
    })
    .await;
}

#[tokio::test]
async fn feedback_is_one_vote_a_person_even_all_at_once() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app.login("ops@operator.test", PASSWORD).await;
        let [public, _, enterprise, draft] = shelf(&app, &ops).await;
        let vote = |id: i64, token: Option<&str>, body: Value| {
            let path = format!("/api/v1/articles/{id}/feedback");
            let token = token.map(str::to_owned);
            let app = &app;
            async move { app.post(&path, token.as_deref(), body).await }
        };
        let res = vote(public, Some(&w.worker), json!({ "helpful": true })).await;
        assert_eq!(
            res.body,
            json!({ "helpful": 1, "not_helpful": 0 }),
            "{}",
            res.text
        );
        let res = vote(public, Some(&w.worker), json!({ "helpful": false })).await;
        assert_eq!(
            res.body,
            json!({ "helpful": 0, "not_helpful": 1 }),
            "the last vote counts"
        );
        assert_eq!(
            vote(public, None, json!({ "helpful": true })).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            vote(public, Some(&w.worker), json!({ "helpful": "yes" }))
                .await
                .code(),
            "invalid_body"
        );
        assert_eq!(
            vote(draft, Some(&w.worker), json!({ "helpful": true }))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let basic = app.user("bea@gmail.com", "Bea").await;
        assert_eq!(
            vote(enterprise, Some(&basic), json!({ "helpful": true }))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let served = app.serve().await;
        let mut calls = Vec::new();
        for i in 0..24 {
            let token = if i % 2 == 0 {
                w.worker.clone()
            } else {
                w.admin.clone()
            };
            calls.push(tokio::spawn(async move {
                let path = format!("/api/v1/articles/{public}/feedback");
                served
                    .json(
                        "POST",
                        &path,
                        Some(&token),
                        &[],
                        Some(&json!({ "helpful": true })),
                    )
                    .await
            }));
        }
        for call in calls {
            let (status, body, _) = call.await.expect("join");
            assert_eq!(status, 200, "{body}");
        }
        let res = app
            .get(&format!("/api/v1/articles/{public}"), &w.worker)
            .await;
        assert_eq!(
            (res.body["helpful"].clone(), res.body["not_helpful"].clone()),
            (json!(2), json!(0)),
            "{}",
            res.text
        );
    })
    .await;
}

#[tokio::test]
async fn a_suggestion_read_then_a_withdrawn_draft_counts_as_deflected() {
    on_both(|app: TestApp| async move {
        let w = world(&app).await;
        let ops = app.login("ops@operator.test", PASSWORD).await;
        let server = product_id(&app, &w.worker, "SRV-1").await;
        let id = article(&app, &ops, json!({ "title": "Loud server fan", "body_markdown": "Clean the fan filter.",
            "language": "en", "visibility": "enterprise", "status": "published", "product_ids": [server] })).await;
        let mut page = crate::desk_setup::signed_in(&app, "worker@acme.test").await;
        let suggested = page.get(&format!("/articles/suggest?q=fan&product_id={server}&draft=0123456789abcdef0123456789abcdef")).await;
        let body: Value = serde_json::from_str(&suggested.text).expect("json");
        assert_eq!(titles(&body), ["Loud server fan"], "{}", suggested.text);
        let link = body["items"][0]["link"].as_str().expect("link").to_owned();
        assert!(link.contains("draft=0123456789abcdef0123456789abcdef"), "{link}");
        assert_eq!(page.get(&link).await.status, StatusCode::OK);
        let res = app.post("/api/v1/case-drafts/0123456789abcdef0123456789abcdef/withdraw", Some(&w.worker), json!({})).await;
        assert_eq!(res.body, json!({ "deflected": true }), "{}", res.text);
        let res = app.post("/api/v1/case-drafts/0123456789abcdef0123456789abcdef/withdraw", Some(&w.admin), json!({})).await;
        assert_eq!(res.body, json!({ "deflected": false }), "someone else's draft is not theirs to withdraw");
        let res = app.post("/api/v1/case-drafts/nope/withdraw", Some(&w.worker), json!({})).await;
        assert_eq!(res.fields(), ["draft"]);
        let res = app.get("/api/v1/admin/articles/report", &ops).await;
        assert_eq!((res.body["drafts_reading"].clone(), res.body["deflected"].clone()), (json!(1), json!(1)), "{}", res.text);
        assert_eq!(res.body["items"][0]["id"], id);
        assert_eq!(res.body["items"][0]["deflected"], 1);
        assert_eq!(app.get("/api/v1/admin/articles/report?days=0", &ops).await.fields(), ["days"]);
        assert_eq!(app.get("/api/v1/admin/articles/report", &w.admin).await.status, StatusCode::FORBIDDEN);
        let mut desk = crate::desk_setup::signed_in(&app, "ops@operator.test").await;
        let report = desk.get("/admin/articles/report").await;
        assert!(report.text.contains("Loud server fan") && report.text.contains("<dd id=\"deflected\">1</dd>"), "{}", report.text);
    })
    .await;
}

#[tokio::test]
async fn the_case_form_suggests_without_script_and_the_desk_sees_what_was_read() {
    let app = crate::support::sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut anna = crate::visitor::signed_in(&app, "anna.admin@northwind.test").await;
    let page = anna
        .get("/cases/new/details?start=serial&value=NWR-SRV-0001")
        .await;
    let draft = page
        .text
        .split("name=\"draft\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a draft token")
        .to_owned();
    assert_eq!(draft.len(), 32);
    let form = [
        ("start", "serial"),
        ("value", "NWR-SRV-0001"),
        ("title", "The fans are loud"),
        ("description", "All day since the update"),
        ("severity", "3"),
        ("draft", draft.as_str()),
    ];
    // *Find articles* re-renders the step with the suggestions for this product.
    let again = anna.post("/cases/new/details", &form).await;
    let link = "/articles/";
    let href = again
        .text
        .split("<a href=\"")
        .filter_map(|p| p.split('"').next())
        .find(|h| h.starts_with(link) && h.contains(&draft))
        .unwrap_or_else(|| panic!("a suggestion: {}", again.text))
        .replace("&amp;", "&");
    assert!(again.text.contains("Loud fans on the ProServer R740"));
    assert!(
        !again.text.contains("TravelBook 14 G5 battery"),
        "only the product's articles"
    );
    assert_eq!(anna.get(&href).await.status, StatusCode::OK);
    let mut fields = form.to_vec();
    fields.extend([
        ("primary_name", "Anna de Vries"),
        ("primary_email", "anna.admin@northwind.test"),
        ("country", "NL"),
        ("time_zone", "Europe/Amsterdam"),
    ]);
    let res = crate::case_pages::submit_case_form(&app, &anna, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let number = crate::visitor::location(&res)
        .trim_start_matches("/cases/")
        .trim_end_matches("/opened")
        .to_owned();
    let mut desk = crate::visitor::signed_in(&app, "admin@operator.test").await;
    let case = desk.get(&format!("/cases/{number}")).await;
    assert!(
        case.text.contains("id=\"read-before\"")
            && case.text.contains("Loud fans on the ProServer R740"),
        "{}",
        case.text
    );
    let customer = anna.get(&format!("/cases/{number}")).await;
    assert!(
        !customer.text.contains("id=\"read-before\""),
        "the desk's view only"
    );
    let res = app
        .get(
            "/api/v1/admin/articles/report",
            &app.login("admin@operator.test", supportal_app::demo::DEMO_PASSWORD)
                .await,
        )
        .await;
    assert_eq!(
        (
            res.body["drafts_reading"].clone(),
            res.body["cases"].clone(),
            res.body["deflected"].clone()
        ),
        (json!(1), json!(1), json!(0)),
        "{}",
        res.text
    );
}
