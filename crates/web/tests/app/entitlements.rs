//! ENT-1 to ENT-7 and data loading: catalog, assets, warranties, contracts, agreements, plans,
//! purchases and spending units.

use crate::support::{TestApp, on_both};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use supportal_domain::UserId;

/// A catalog, a company with assets in and out of warranty, a care pack and a contract.
async fn loaded(app: &TestApp) -> (String, i64, String) {
    let ops = app.operator_admin().await;
    let (company, admin) = app
        .company(&ops, "Acme", "acme.test", "boss@acme.test")
        .await;
    let res = app
        .post(
            "/api/v1/admin/products",
            Some(&ops),
            json!([
                { "sku": "srv-100", "name": "ProServer 100", "product_line": "Servers", "has_serial": true, "warranty_months": 36,
                  "warranty_coverage": "nbd_onsite", "versions": ["Gen 1", "Gen 2"],
                  "categories": [{ "name": "Hardware", "problem_types": ["Disk failure", "Power"] }] },
                { "sku": "lap-5", "name": "TravelBook 5", "product_line": "Notebooks", "has_serial": true, "warranty_months": 12 },
                { "sku": "db-suite", "name": "DataSuite", "product_line": "Software", "has_serial": false, "warranty_months": 0 }
            ]),
        )
        .await;
    assert_eq!(
        (res.status, res.body["created"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{}",
        res.text
    );
    let today = chrono::Utc::now().date_naive();
    let recent = (today - chrono::Duration::days(100)).to_string();
    let old = (today - chrono::Duration::days(800)).to_string();
    let res = app
        .post(
            "/api/v1/admin/assets",
            Some(&ops),
            json!([
                { "serial_number": "srv 0001", "sku": "SRV-100", "company_id": company, "ship_date": recent },
                { "serial_number": "LAP0002", "sku": "lap-5", "company_id": company, "ship_date": old }
            ]),
        )
        .await;
    assert_eq!(res.body["created"], 2, "{}", res.text);
    let end = (today + chrono::Duration::days(200)).to_string();
    let res = app
        .post(
            "/api/v1/admin/entitlements",
            Some(&ops),
            json!([
                { "kind": "care_pack", "reference": "CP-77", "company_id": company, "coverage": "4h_24x7_onsite", "start": recent, "end": end, "serial_numbers": ["SRV0001"] },
                { "kind": "contract", "reference": "SA-2024", "company_id": company, "coverage": "nbd_onsite", "start": old, "end": recent, "serial_numbers": ["LAP0002"] }
            ]),
        )
        .await;
    assert_eq!(res.body["created"], 2, "{}", res.text);
    (ops, company, admin)
}

#[tokio::test]
async fn loading_checks_every_row_and_writes_nothing_on_error() {
    on_both(|app: TestApp| async move {
        let (ops, company, admin) = loaded(&app).await;
        let res = app
            .post(
                "/api/v1/admin/assets",
                Some(&ops),
                json!([
                    { "serial_number": "NEW0001", "sku": "SRV-100", "company_id": company, "ship_date": "2026-01-05" },
                    { "serial_number": "x", "sku": "NOPE", "company_id": 999999, "ship_date": "05/01/2026" },
                    { "serial_number": "NEW0002", "sku": "DB-SUITE", "company_id": company, "ship_date": "2026-01-05", "site_id": 999999 },
                    { "serial_number": "new 0001", "sku": "SRV-100", "company_id": company, "ship_date": "2026-01-05" },
                    { "serial_number": 5 }
                ]),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors: Vec<(i64, String, String)> = res.body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| (e["row"].as_i64().unwrap_or_default(), e["field"].as_str().unwrap_or_default().to_owned(), e["code"].as_str().unwrap_or_default().to_owned()))
            .collect();
        let expect = |row: i64, field: &str, code: &str| (row, field.to_owned(), code.to_owned());
        assert_eq!(
            errors,
            vec![
                expect(2, "serial_number", "invalid_serial"),
                expect(2, "ship_date", "invalid_date"),
                expect(2, "sku", "unknown_sku"),
                expect(2, "company_id", "unknown_company"),
                expect(3, "sku", "product_without_serial"),
                expect(3, "site_id", "unknown_site"),
                expect(4, "serial_number", "duplicate_row"),
                expect(5, "", "invalid_row"),
            ]
        );
        assert!(res.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(app.get("/api/v1/warranty/NEW0001", &ops).await.status, StatusCode::NOT_FOUND, "the good row was not written either");

        // The same rows again change nothing; a changed row is an update.
        let again = json!([{ "serial_number": "SRV0001", "sku": "SRV-100", "company_id": company, "ship_date": (chrono::Utc::now().date_naive() - chrono::Duration::days(100)).to_string() }]);
        let res = app.post("/api/v1/admin/assets", Some(&ops), again).await;
        assert_eq!((res.body["created"].as_i64(), res.body["updated"].as_i64()), (Some(0), Some(1)));
        let list = app.get(&format!("/api/v1/companies/{company}/entitlements?kind=factory_warranty"), &admin).await;
        assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2), "still one factory warranty per asset");

        // A resold asset takes its factory warranty to the new owner.
        let (globex, globex_admin) = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await;
        let moved = json!([{ "serial_number": "SRV0001", "sku": "SRV-100", "company_id": globex, "ship_date": (chrono::Utc::now().date_naive() - chrono::Duration::days(100)).to_string() }]);
        assert_eq!(app.post("/api/v1/admin/assets", Some(&ops), moved).await.body["updated"], 1);
        let theirs = app.get(&format!("/api/v1/companies/{globex}/entitlements?kind=factory_warranty"), &globex_admin).await;
        assert_eq!(theirs.body["items"][0]["reference"], "SRV0001");
        let ours = app.get(&format!("/api/v1/companies/{company}/entitlements?kind=factory_warranty"), &admin).await;
        assert_eq!(ours.body["items"].as_array().map(Vec::len), Some(1), "only the laptop's warranty stays");

        let res = app.post("/api/v1/admin/products", Some(&admin), json!([])).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "company admins do not load the catalog");
        let res = app
            .post("/api/v1/admin/agreements", Some(&ops), json!([{ "access_id": "A1", "agreement_id": "G1", "programme": "P", "units": -1, "start": "2026-01-01", "end": "2025-01-01", "scopes": ["moon"], "skus": ["NOPE"] }]))
            .await;
        let fields: Vec<&str> = res.body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["units", "end", "scopes", "skus"]);
        let res = app.post("/api/v1/admin/entitlements", Some(&ops), json!([{ "kind": "care_pack", "reference": "CP-9", "company_id": company, "coverage": "gold", "start": "2026-01-01", "end": "2026-12-31", "serial_numbers": ["ZZZ999"] }])).await;
        let codes: Vec<&str> = res.body["errors"].as_array().expect("errors").iter().filter_map(|e| e["code"].as_str()).collect();
        assert_eq!(codes, ["invalid_choice", "unknown_serial"]);
    })
    .await;
}

#[tokio::test]
async fn contracts_and_warranties_are_listed_filtered_and_removed_by_admins() {
    on_both(|app: TestApp| async move {
        let (ops, company, admin) = loaded(&app).await;
        let worker = app.member("worker@acme.test").await;
        let (other, other_admin) = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await;
        let path = format!("/api/v1/companies/{company}/entitlements");

        let all = app.get(&path, &worker).await;
        let kinds: Vec<(&str, &str)> = all.body["items"].as_array().expect("items").iter().map(|e| (e["kind"].as_str().unwrap_or_default(), e["status"].as_str().unwrap_or_default())).collect();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        let active = app.get(&format!("{path}?status=active"), &worker).await;
        let refs: Vec<&str> = active.body["items"].as_array().expect("items").iter().filter_map(|e| e["reference"].as_str()).collect();
        assert_eq!(refs, ["SRV0001", "CP-77"], "the server's warranty and care pack are in force; the laptop's are not");
        let by_serial = app.get(&format!("{path}?serial=lap%200002"), &worker).await;
        assert_eq!(by_serial.body["items"].as_array().map(Vec::len), Some(2));
        assert_eq!(by_serial.body["items"][0]["serial_numbers"][0], "LAP0002");
        let res = app.get(&format!("{path}?status=forever"), &worker).await;
        assert_eq!(res.fields(), ["status"]);
        assert_eq!(app.get(&path, &other_admin).await.status, StatusCode::NOT_FOUND, "another company's contracts do not exist");

        let care_pack = active.body["items"][1]["id"].as_i64().expect("id");
        let res = app.delete(&format!("{path}/{care_pack}"), &worker).await;
        assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "company_admin_required"));
        let res = app.delete(&format!("/api/v1/companies/{other}/entitlements/{care_pack}"), &other_admin).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = app.delete(&format!("{path}/{care_pack}"), &admin).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        assert_eq!(app.delete(&format!("{path}/{care_pack}"), &admin).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&path, &worker).await.body["items"].as_array().map(Vec::len), Some(3), "gone for the whole company");
        let audit = app.get(&format!("/api/v1/companies/{company}/audit"), &admin).await;
        let entry = audit.body["items"].as_array().expect("audit").iter().find(|e| e["action"] == "entitlement_removed").cloned().expect("audited");
        assert_eq!(entry["actor"], "boss@acme.test");
        assert!(entry["detail"].as_str().is_some_and(|d| d.contains("CP-77")));

        // Company admins load their own contracts; another company's id in a row is refused.
        let own = json!([{ "kind": "contract", "reference": "SA-9", "coverage": "parts_only", "start": "2026-01-01", "end": "2026-12-31", "serial_numbers": ["SRV0001"] }]);
        let res = app.post(&path, Some(&admin), own).await;
        assert_eq!(res.body["created"], 1, "{}", res.text);
        let res = app.post(&path, Some(&admin), json!([{ "kind": "contract", "reference": "SA-10", "company_id": other, "coverage": "parts_only", "start": "2026-01-01", "end": "2026-12-31" }])).await;
        assert_eq!(res.body["errors"][0]["code"], "unknown_company");
        assert_eq!(app.post(&path, Some(&worker), json!([])).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn anyone_can_check_a_warranty_without_learning_the_owner() {
    on_both(|app: TestApp| async move {
        loaded(&app).await;
        let res = app
            .request(Method::GET, "/api/v1/warranty/srv-0001", None, None)
            .await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "a dash makes another serial"
        );
        let res = app
            .request(Method::GET, "/api/v1/warranty/srv%200001", None, None)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["product"]["name"], "ProServer 100");
        assert_eq!(
            res.body["coverage_today"], "4h_24x7_onsite",
            "the best coverage in force"
        );
        assert!(
            !res.text.contains("Acme")
                && !res.text.contains("company")
                && !res.text.contains("CP-77"),
            "nothing about the owner: {}",
            res.text
        );
        let res = app
            .request(Method::GET, "/api/v1/warranty/LAP0002", None, None)
            .await;
        assert_eq!(res.body["coverage_today"], Value::Null);
        assert_eq!(res.body["entitlements"][0]["status"], "expired");
        assert_eq!(
            app.request(Method::GET, "/api/v1/warranty/%3F%3F", None, None)
                .await
                .fields(),
            ["serial"]
        );
    })
    .await;
}

#[tokio::test]
async fn agreements_are_registered_by_two_ids_and_plans_give_reasons() {
    on_both(|app: TestApp| async move {
        let (ops, _company, admin) = loaded(&app).await;
        let today = chrono::Utc::now().date_naive();
        let start = (today - chrono::Duration::days(30)).to_string();
        let long_ago = (today - chrono::Duration::days(800)).to_string();
        let res = app
            .post(
                "/api/v1/admin/agreements",
                Some(&ops),
                json!([
                    { "access_id": "ACC-1", "agreement_id": "1001", "programme": "Premier", "units": 10, "start": start, "scopes": ["on_premises", "cloud"], "skus": ["SRV-100", "DB-SUITE"] },
                    { "access_id": "ACC-2", "agreement_id": "1002", "programme": "Premier", "units": 0, "start": start, "scopes": ["on_premises"] },
                    { "access_id": "ACC-3", "agreement_id": "1003", "programme": "Legacy", "units": 5, "start": long_ago, "grace_days": 30, "scopes": ["on_premises"] },
                    { "access_id": "ACC-4", "agreement_id": "1004", "programme": "Cloud only", "units": 3, "start": start, "scopes": ["cloud"], "skus": ["LAP-5"] }
                ]),
            )
            .await;
        assert_eq!(res.body["created"], 4, "{}", res.text);

        let reg = "/api/v1/me/agreements";
        let res = app.post(reg, Some(&admin), json!({ "access_id": "ACC-1", "agreement_id": "9999" })).await;
        assert_eq!((res.status, res.code()), (StatusCode::NOT_FOUND, "agreement_not_found"));
        assert!(!res.text.contains("access ID is") && !res.text.contains("9999"), "does not say which part was wrong");
        let res = app.post(reg, Some(&admin), json!({ "access_id": "", "agreement_id": "" })).await;
        assert_eq!(res.fields(), ["access_id", "agreement_id"]);
        for (access, id) in [("ACC-1", "1001"), ("ACC-2", "1002"), ("ACC-3", "1003"), ("ACC-4", "1004")] {
            let res = app.post(reg, Some(&admin), json!({ "access_id": access, "agreement_id": id })).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        }
        let res = app.post(reg, Some(&admin), json!({ "access_id": "ACC-1", "agreement_id": "1001" })).await;
        assert_eq!((res.status, res.code()), (StatusCode::CONFLICT, "agreement_already_registered"));

        let plans = app.get("/api/v1/plans?serial=SRV0001&scope=on_premises", &admin).await;
        assert_eq!(plans.status, StatusCode::OK, "{}", plans.text);
        let available: Vec<String> = plans.body["available"].as_array().expect("available").iter().map(|p| p["reference"].as_str().unwrap_or_default().to_owned()).collect();
        assert_eq!(available, ["SRV0001", "CP-77", "1001"], "warranty, care pack and the agreement covering the server");
        assert_eq!(plans.body["available"][2]["remaining"], 10);
        let reasons: Vec<(String, String)> = plans.body["unavailable"].as_array().expect("unavailable").iter().map(|p| (p["reference"].as_str().unwrap_or_default().to_owned(), p["reason"].as_str().unwrap_or_default().to_owned())).collect();
        let mut reasons = reasons;
        reasons.sort();
        assert_eq!(reasons, [("1002".into(), "no_units".into()), ("1003".into(), "expired".into()), ("1004".into(), "product_not_covered".into())]);
        let plans = app.get("/api/v1/plans?agreement_id=1004&scope=on_premises", &admin).await;
        assert_eq!(plans.body["unavailable"][0]["reason"], "scope_mismatch");

        // A colleague sees the shared agreement as not linked until registering it too.
        let worker = app.member("worker@acme.test").await;
        let product = plans_product_id(&app, &admin).await;
        let plans = app.get(&format!("/api/v1/plans?product_id={product}"), &worker).await;
        assert!(plans.body["unavailable"].as_array().expect("list").iter().all(|p| p["reason"] == "not_linked"));
        let res = app.post(reg, Some(&worker), json!({ "access_id": "ACC-1", "agreement_id": "1001" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "another account links the same agreement");
        let plans = app.get(&format!("/api/v1/plans?product_id={product}"), &worker).await;
        assert_eq!(plans.body["available"][0]["reference"], "1001");

        let res = app.get("/api/v1/plans?serial=SRV0001&product_id=1", &admin).await;
        assert_eq!(res.fields(), ["serial"]);
        let outsider = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await.1;
        assert_eq!(app.get("/api/v1/plans?serial=SRV0001", &outsider).await.status, StatusCode::NOT_FOUND, "another company's serial");
        let search = app.get("/api/v1/products?q=server", &worker).await;
        assert_eq!(search.body["items"][0]["sku"], "SRV-100");
    })
    .await;
}

async fn plans_product_id(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/products?q=proserver", token).await.body["items"][0]["id"]
        .as_i64()
        .expect("product")
}

#[tokio::test]
async fn paying_per_incident_creates_an_own_agreement_only_when_charged() {
    on_both(|app: TestApp| async move {
        let buyer = app.user("buyer@shop.test", "Bo Buyer").await;
        let path = "/api/v1/purchases";
        let res = app.post(path, Some(&buyer), json!({ "pack": "single", "region": "EU", "card_number": "4000 0000 0000 0002", "card_holder": "Bo" })).await;
        assert_eq!((res.status, res.code()), (StatusCode::PAYMENT_REQUIRED, "card_declined"));
        assert!(res.body["title"].as_str().is_some_and(|t| t.contains("declined")));
        assert_eq!(app.get("/api/v1/me/agreements", &buyer).await.body["items"].as_array().map(Vec::len), Some(0), "a decline creates nothing");
        let res = app.post(path, Some(&buyer), json!({ "pack": "five_pack", "region": "UK", "card_number": "4242424242424242", "card_holder": "Bo" })).await;
        assert_eq!(res.fields(), ["pack"], "no five-pack in this region");
        let res = app.post(path, Some(&buyer), json!({ "pack": "ten", "region": "MARS", "card_number": "12", "card_holder": "" })).await;
        assert_eq!(res.fields(), ["region", "pack", "card_number", "card_holder"]);

        let res = app.post(path, Some(&buyer), json!({ "pack": "five_pack", "region": "EU", "card_number": "4242 4242 4242 4242", "card_holder": "Bo Buyer" })).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!((res.body["amount_minor"].as_i64(), res.body["currency"].as_str()), (Some(199_900), Some("EUR")));
        assert!(!res.text.contains("4242"), "the card number is not echoed");
        let mine = app.get("/api/v1/me/agreements", &buyer).await;
        assert_eq!(mine.body["items"][0]["units_remaining"], 5);
        assert_eq!(mine.body["items"][0]["linked"], true);
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_spends_on_ten_units_succeed_exactly_ten_times() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let res = app
            .post("/api/v1/admin/agreements", Some(&ops), json!([{ "access_id": "RACE", "agreement_id": "42", "programme": "Race", "units": 10, "start": "2026-01-01", "scopes": ["cloud"] }]))
            .await;
        assert_eq!(res.body["created"], 1, "{}", res.text);
        let mut tx = app.state.db.read().await.expect("tx");
        let agreement = supportal_store::agreements::find_by_ids(&mut tx, "RACE", "42").await.expect("find").expect("agreement").id;
        tx.rollback().await.expect("rollback");
        let user = UserId(app.user_id(&ops).await);

        let mut tasks = Vec::new();
        for i in 0..50 {
            let db = app.state.db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.begin().await.expect("begin");
                let outcome = supportal_store::agreements::spend(&mut tx, agreement, &format!("case-{i}"), user, chrono::Utc::now()).await.expect("spend");
                tx.commit().await.expect("commit");
                outcome.is_ok()
            }));
        }
        let mut successes = 0;
        for t in tasks {
            if t.await.expect("task") {
                successes += 1;
            }
        }
        assert_eq!(successes, 10, "exactly the units there were ({})", app.backend);
        let mut tx = app.state.db.begin().await.expect("tx");
        let row = supportal_store::agreements::find(&mut tx, agreement).await.expect("find").expect("row");
        assert_eq!(row.units_remaining, 0, "never below zero");
        let uses = supportal_store::agreements::uses(&mut tx, agreement).await.expect("uses");
        assert_eq!(uses.len(), 10);
        // Spending again for a case that already spent returns the same use.
        let again = supportal_store::agreements::spend(&mut tx, agreement, &uses[0].reference, user, chrono::Utc::now()).await.expect("spend").expect("same use");
        assert_eq!(again.id, uses[0].id);
        tx.commit().await.expect("commit");

        let member = app.user("someone@gmail.com", "Someone").await;
        let refund = format!("/api/v1/admin/incident-uses/{}/refund", uses[0].id);
        assert_eq!(app.post(&refund, Some(&member), json!({})).await.status, StatusCode::FORBIDDEN);
        let res = app.post(&refund, Some(&ops), json!({})).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(app.post(&refund, Some(&ops), json!({})).await.code(), "already_refunded");
        let mut tx = app.state.db.read().await.expect("tx");
        assert_eq!(supportal_store::agreements::find(&mut tx, agreement).await.expect("find").expect("row").units_remaining, 1);
        tx.rollback().await.expect("rollback");
        assert_eq!(app.post("/api/v1/admin/incident-uses/999999/refund", Some(&ops), json!({})).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// Takes the money, then the database goes away before the purchase is written.
struct ChargesThenLosesTheDatabase {
    db: supportal_store::Db,
    refunds: std::sync::Mutex<Vec<(String, i64, String)>>,
}

impl supportal_app::payments::PaymentProvider for ChargesThenLosesTheDatabase {
    fn charge<'a>(
        &'a self,
        _amount_minor: i64,
        _currency: &'a str,
        _card: &'a supportal_app::payments::Card,
        _description: &'a str,
    ) -> supportal_app::payments::ChargeFuture<'a> {
        Box::pin(async move {
            self.db.close().await;
            Ok(supportal_app::payments::Receipt {
                reference: "ch_lost_1".into(),
            })
        })
    }

    fn refund<'a>(
        &'a self,
        receipt: &'a supportal_app::payments::Receipt,
        amount_minor: i64,
        currency: &'a str,
    ) -> supportal_app::payments::RefundFuture<'a> {
        Box::pin(async move {
            self.refunds.lock().expect("refunds").push((
                receipt.reference.clone(),
                amount_minor,
                currency.to_owned(),
            ));
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_charge_whose_purchase_cannot_be_written_is_refunded() {
    on_both(|mut app: TestApp| async move {
        let buyer = app.user("buyer@shop.test", "Bo Buyer").await;
        let provider = std::sync::Arc::new(ChargesThenLosesTheDatabase {
            db: app.state.db.clone(),
            refunds: Default::default(),
        });
        let mut state = app.state.clone();
        state.ctx.payments = Some(provider.clone());
        app.router = supportal_web::router(state);
        let res = app
            .post("/api/v1/purchases", Some(&buyer), json!({ "pack": "single", "region": "UK", "card_number": "4242 4242 4242 4242", "card_holder": "Bo Buyer" }))
            .await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{} {}", app.backend, res.text);
        let refunds = provider.refunds.lock().expect("refunds").clone();
        assert_eq!(refunds, [("ch_lost_1".to_owned(), 42_900, "GBP".to_owned())]);
    })
    .await;
}

#[tokio::test]
async fn an_asset_loaded_for_another_company_takes_its_warranty_and_leaves_the_old_care_pack() {
    on_both(|app: TestApp| async move {
        let (ops, _acme, acme_admin) = loaded(&app).await;
        let (globex, globex_admin) = app.company(&ops, "Globex", "globex.test", "boss@globex.test").await;
        let before = app.get("/api/v1/plans?serial=SRV0001", &acme_admin).await;
        assert!(before.text.contains("CP-77"), "the care pack covers it first: {}", before.text);
        let ship = (chrono::Utc::now().date_naive() - chrono::Duration::days(10)).to_string();
        let rows = json!([
            { "serial_number": "SRV0001", "sku": "SRV-100", "company_id": globex, "ship_date": ship },
            { "serial_number": "SRV0009", "sku": "SRV-100", "company_id": globex, "ship_date": ship }
        ]);
        let res = app.post("/api/v1/admin/assets", Some(&ops), rows).await;
        assert_eq!((res.body["created"].as_i64(), res.body["updated"].as_i64()), (Some(1), Some(1)), "{}", res.text);
        assert_eq!(app.get("/api/v1/plans?serial=SRV0001", &acme_admin).await.status, StatusCode::NOT_FOUND, "no longer Acme's");
        let after = app.get("/api/v1/plans?serial=SRV0001", &globex_admin).await;
        assert_eq!(after.status, StatusCode::OK, "{}", after.text);
        assert!(!after.text.contains("CP-77"), "Acme's care pack stays with Acme: {}", after.text);
        let warranty = after.body["available"].as_array().expect("available").iter().find(|p| p["kind"] != "care_pack" && p["kind"] != "contract" && p["kind"] != "agreement").cloned();
        assert!(warranty.is_some(), "the factory warranty moved along, from the new ship date: {}", after.text);
        let fresh = app.get("/api/v1/plans?serial=SRV0009", &globex_admin).await;
        assert_eq!(fresh.status, StatusCode::OK, "the new asset in the same file: {}", fresh.text);
        let again = app.post("/api/v1/admin/assets", Some(&ops), json!([{ "serial_number": "SRV0009", "sku": "SRV-100", "company_id": globex, "ship_date": ship }])).await;
        assert_eq!((again.body["created"].as_i64(), again.body["updated"].as_i64()), (Some(0), Some(1)), "loaded twice, written once: {}", again.text);
    })
    .await;
}
