//! Hostile spreadsheets and CSV files on every upload route (issue 9): a sheet that declares a
//! huge range, a shared-string table that declares a billion entries, a zip that inflates far
//! beyond its size, and files with more rows or more bad rows than a route takes. Each is
//! answered with a reason, in bounded memory, and the server goes on.

use crate::support::{TestApp, on_both};
use axum::http::StatusCode;
use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// An XLSX file written by hand, so it can say what no spreadsheet program would.
fn xlsx(dimension: &str, rows: impl Iterator<Item = String>, shared: Option<&str>) -> Vec<u8> {
    xlsx_named(dimension, rows, shared.map(|s| ("xl/sharedStrings.xml", s)))
}

/// `xlsx` with the shared-string part under a name of the caller's.
fn xlsx_named(
    dimension: &str,
    rows: impl Iterator<Item = String>,
    shared: Option<(&str, &str)>,
) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, text: &str| {
        zip.start_file(name, options).expect("part");
        zip.write_all(text.as_bytes()).expect("write");
    };
    part("[Content_Types].xml", CONTENT_TYPES);
    part("_rels/.rels", RELS);
    part("xl/workbook.xml", WORKBOOK);
    part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
    if let Some((name, shared)) = shared {
        part(name, shared);
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("sheet");
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>"#).expect("write");
    for row in rows {
        zip.write_all(row.as_bytes()).expect("row");
    }
    zip.write_all(b"</sheetData></worksheet>").expect("end");
    zip.finish().expect("zip").into_inner()
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

fn header_row() -> String {
    format!(
        r#"<row r="1">{}{}{}</row>"#,
        inline("A1", "title"),
        inline("B1", "description"),
        inline("C1", "severity")
    )
}

fn case_row(r: u32) -> String {
    format!(
        r#"<row r="{r}">{}{}<c r="C{r}"><v>3</v></c></row>"#,
        inline(&format!("A{r}"), "Disk"),
        inline(&format!("B{r}"), "Broken")
    )
}

#[tokio::test]
async fn hostile_spreadsheets_are_refused_with_a_reason() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, admin) = app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let routes = [
            ("/api/v1/cases/bulk".to_owned(), admin.clone()),
            (format!("/api/v1/companies/{company}/entitlements/upload"), admin.clone()),
            ("/api/v1/admin/uploads/assets".to_owned(), ops.clone()),
        ];

        // A1 and XFD1048576 only: a reader that allocates the declared range asks for 512 GiB.
        let corners = xlsx(
            "A1:XFD1048576",
            [header_row(), format!(r#"<row r="1048576">{}</row>"#, inline("XFD1048576", "x"))].into_iter(),
            None,
        );
        assert!(corners.len() < 2_000, "{} bytes", corners.len());
        for (route, token) in &routes {
            let res = app.upload(route, token, "corners.xlsx", &corners).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{route}: {}", res.text);
        }

        // A shared-string table that declares more entries than any sheet needs.
        let shared = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>title</t></si></sst>"#;
        let strings = xlsx("A1", [header_row()].into_iter(), Some(shared));
        for (route, token) in &routes {
            let res = app.upload(route, token, "strings.xlsx", &strings).await;
            assert_eq!((res.status, res.code()), (StatusCode::UNPROCESSABLE_ENTITY, "file_too_large"), "{route}: {}", res.text);
        }

        // The same table under another spelling of its name, prefixed and spaced, after a comment.
        let sneaky = format!(r#"<?xml version="1.0"?><!-- {} --><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount = "1000000000000000"><x:si><x:t>title</x:t></x:si></x:sst>"#, "c".repeat(8000));
        let strings = xlsx_named("A1", [header_row()].into_iter(), Some(("xl/SharedStrings.xml", &sneaky)));
        let res = app.upload("/api/v1/cases/bulk", &admin, "sneaky.xlsx", &strings).await;
        assert_eq!((res.status, res.code()), (StatusCode::UNPROCESSABLE_ENTITY, "file_too_large"), "{}", res.text);

        // One text of 4 MB inflated from a few kilobytes: more than the XML reader may hold.
        let long = xlsx("A1", [header_row(), format!(r#"<row r="2">{}</row>"#, inline("A2", &"x".repeat(4 << 20)))].into_iter(), None);
        assert!(long.len() < 64 * 1024, "{} bytes", long.len());
        let res = app.upload("/api/v1/cases/bulk", &admin, "long.xlsx", &long).await;
        assert_eq!((res.status, res.code()), (StatusCode::UNPROCESSABLE_ENTITY, "file_too_large"), "{}", res.text);

        // Many rows, compressed small: the route's cap stops the reading.
        let many = xlsx("A1:C20002", std::iter::once(header_row()).chain((2..20_002).map(case_row)), None);
        let res = app.upload("/api/v1/cases/bulk", &admin, "many.xlsx", &many).await;
        assert_eq!((res.status, res.code()), (StatusCode::PAYLOAD_TOO_LARGE, "too_many_rows"), "{}", res.text);
        assert_eq!(app.get("/api/v1/cases?view=company", &admin).await.body["items"].as_array().map(Vec::len), Some(0));

        // Not a zip after all.
        let res = app.upload("/api/v1/cases/bulk", &admin, "broken.xlsx", b"PK\x03\x04 this is not a zip").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);

        // The server still answers.
        assert_eq!(app.get("/api/v1/me", &admin).await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_file_of_bad_rows_gets_a_short_report() {
    on_both(|app: TestApp| async move {
        let ops = app.operator_admin().await;
        let (company, admin) = app
            .company(&ops, "Acme", "acme.test", "boss@acme.test")
            .await;
        // 9,000 rows, every one wrong: the report lists the first hundred and counts them all.
        let mut csv = String::from("kind,reference,coverage,start,end,serial_numbers\n");
        for i in 0..9_000 {
            csv.push_str(&format!(
                "care_pack,CP{i},nowhere,2026-01-01,2027-01-01,X{i}\n"
            ));
        }
        let route = format!("/api/v1/companies/{company}/entitlements/upload");
        let res = app.upload(&route, &admin, "bad.csv", csv.as_bytes()).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            &res.text[..200.min(res.text.len())]
        );
        assert_eq!(res.body["errors"].as_array().map(Vec::len), Some(100));
        assert!(
            res.body["error_count"].as_u64().is_some_and(|n| n >= 9_000),
            "{}",
            res.body["error_count"]
        );
        assert!(res.text.len() < 64 * 1024, "{} bytes", res.text.len());

        // A company admin's file takes at most 10,000 rows; the next one is refused by name.
        let mut csv = String::from("kind,reference,coverage,start,end,serial_numbers\n");
        for i in 0..10_001 {
            csv.push_str(&format!(
                "care_pack,CP{i},nbd_onsite,2026-01-01,2027-01-01,X{i}\n"
            ));
        }
        let res = app.upload(&route, &admin, "many.csv", csv.as_bytes()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let codes: Vec<&str> = res.body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["code"].as_str())
            .collect();
        assert!(codes.contains(&"too_many_rows"), "{codes:?}");
    })
    .await;
}

/// On the server's multi-threaded runtime the reader's waits step aside for other tasks
/// (`block_in_place`); the same file reads the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spreadsheet_reads_the_same_on_the_servers_runtime() {
    let app = crate::support::sqlite_app().await;
    let ops = app.operator_admin().await;
    let (_, admin) = app
        .company(&ops, "Acme", "acme.test", "boss@acme.test")
        .await;
    let many = xlsx(
        "A1:C702",
        std::iter::once(header_row()).chain((2..702).map(case_row)),
        None,
    );
    let res = app
        .upload("/api/v1/cases/bulk", &admin, "many.xlsx", &many)
        .await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_many_rows"),
        "{}",
        res.text
    );
    let strings = xlsx(
        "A1",
        [header_row()].into_iter(),
        Some(r#"<sst uniqueCount="900000000"></sst>"#),
    );
    let res = app
        .upload("/api/v1/cases/bulk", &admin, "strings.xlsx", &strings)
        .await;
    assert_eq!(res.code(), "file_too_large", "{}", res.text);
}
