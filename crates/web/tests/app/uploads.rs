//! SUP-5 / CMP-3 file uploads: CSV and XLSX, checked row by row, all or nothing.

use crate::support::{TestApp, multipart, on_both, sqlite_app};
use crate::visitor::signed_in;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

fn codes(res: &crate::support::Response) -> Vec<(i64, String, String)> {
    res.body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["row"].as_i64().unwrap_or_default(),
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn csv_and_xlsx_uploads_report_by_spreadsheet_row() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let products = "sku,name,product_line,has_serial,warranty_months,categories\nSRV-1,Server One,Servers,yes,36,Hardware: Disk|Power\nSW-1,Suite,Software,no,0,\n";
        let res = app.upload("/api/v1/admin/uploads/products", &ops, "products.csv", products.as_bytes()).await;
        assert_eq!((res.status, res.body["created"].as_i64()), (StatusCode::OK, Some(2)), "{}", res.text);

        let bad = format!("serial_number;sku;company_id;ship_date\nAAA111;SRV-1;{company};2026-01-02\nBBB222;SW-1;{company};2026-01-02\nCCC333;SRV-1;abc;2026-01-02\n");
        let res = app.upload("/api/v1/admin/uploads/assets", &ops, "assets.csv", bad.as_bytes()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(codes(&res), [(3, "sku".into(), "product_without_serial".into()), (4, "company_id".into(), "not_a_number".into())]);
        assert_eq!(app.request(Method::GET, "/api/v1/warranty/AAA111", None, None).await.status, StatusCode::NOT_FOUND, "nothing half-loaded");

        // The same assets as a spreadsheet, with a real date cell.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (col, name) in ["serial_number", "sku", "company_id", "ship_date"].iter().enumerate() {
            sheet.write_string(0, col as u16, *name).expect("header");
        }
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 2).expect("date");
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        for (row, serial) in ["AAA111", "DDD444"].iter().enumerate() {
            let r = row as u32 + 1;
            sheet.write_string(r, 0, *serial).expect("serial");
            sheet.write_string(r, 1, "SRV-1").expect("sku");
            sheet.write_number(r, 2, company as f64).expect("company");
            sheet.write_datetime_with_format(r, 3, &date, &format).expect("date");
        }
        let xlsx = book.save_to_buffer().expect("xlsx");
        let res = app.upload("/api/v1/admin/uploads/assets", &ops, "assets.xlsx", &xlsx).await;
        assert_eq!((res.status, res.body["created"].as_i64()), (StatusCode::OK, Some(2)), "{}", res.text);
        let res = app.upload("/api/v1/admin/uploads/assets", &ops, "assets.xlsx", &xlsx).await;
        assert_eq!((res.body["created"].as_i64(), res.body["updated"].as_i64()), (Some(0), Some(2)), "uploading again is idempotent");
        let warranty = app.request(Method::GET, "/api/v1/warranty/DDD444", None, None).await;
        assert_eq!(warranty.body["entitlements"][0]["start"], "2026-01-02");

        let res = app.upload("/api/v1/admin/uploads/assets", &ops, "notes.bin", &[0xff, 0x00, 0xfe]).await;
        assert_eq!((res.status, res.code()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file"));
        let res = app.upload("/api/v1/admin/uploads/assets", &ops, "a.csv", b"serial_number\nX\n").await;
        assert_eq!(res.fields(), ["sku", "ship_date"], "missing columns");
        let res = app.upload("/api/v1/admin/uploads/widgets", &ops, "a.csv", b"x\n").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(app.upload("/api/v1/admin/uploads/assets", &admin, "a.csv", b"x\n").await.status, StatusCode::FORBIDDEN);

        // A company admin uploads the company's own contracts; a company_id column cannot redirect them.
        let contracts = format!("kind,reference,coverage,start,end,serial_numbers,company_id\ncontract,SA-1,nbd_onsite,2026-01-01,2026-12-31,AAA111;DDD444,{company}\n");
        let res = app.upload(&format!("/api/v1/companies/{company}/entitlements/upload"), &admin, "c.csv", contracts.as_bytes()).await;
        assert_eq!(res.body["created"], 1, "{}", res.text);
        let worker = app.member("worker@acme.test").await;
        let res = app.upload(&format!("/api/v1/companies/{company}/entitlements/upload"), &worker, "c.csv", contracts.as_bytes()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let list = app.get(&format!("/api/v1/companies/{company}/entitlements?kind=contract"), &admin).await;
        assert_eq!(list.body["items"][0]["serial_numbers"], json!(["AAA111", "DDD444"]));
    })
    .await;
}

#[tokio::test]
async fn the_upload_page_shows_the_report_as_a_table() {
    let app = sqlite_app().await;
    supportal_app::demo::load_if_empty(&app.state)
        .await
        .expect("demo");
    let mut ops = signed_in(&app, "admin@operator.test").await;
    let page = ops.get("/admin/upload").await;
    assert!(page.text.contains("enctype=\"multipart/form-data\""));
    let csrf = ops.csrf();
    let cookie = ops.cookie_header();
    let post = |fields: Vec<(&'static str, String)>, file: &'static [u8]| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (content_type, body) = multipart(&fields, "assets.csv", file);
        Request::builder()
            .method(Method::POST)
            .uri("/admin/upload")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request")
    };
    let file: &'static [u8] = b"serial_number,sku,company_id,ship_date\nNEW-1,PS-R740,1,2026-01-05\nNEW-2,NOPE,1,yesterday\n";
    let res = app
        .send(post(
            vec![("csrf", csrf.clone()), ("kind", "assets".into())],
            file,
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let report = res
        .text
        .split("id=\"upload-report\"")
        .nth(1)
        .expect("report");
    assert!(
        report.contains("Nothing was loaded: 2 problems."),
        "{report}"
    );
    assert!(
        report.contains(
            "<td>3</td><td>Ship date (ship_date)</td><td>Use a date like 2026-01-31.</td>"
        ),
        "{report}"
    );
    let res = app.send(post(vec![("kind", "assets".into())], file)).await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "no CSRF token, no upload"
    );
    let good: &'static [u8] =
        b"serial_number,sku,company_id,ship_date\nNEW-1,PS-R740,1,2026-01-05\n";
    let res = app
        .send(post(vec![("csrf", csrf), ("kind", "assets".into())], good))
        .await;
    assert!(
        res.text.contains("The file was loaded. 1 new, 0 updated."),
        "{}",
        res.text
    );
}
