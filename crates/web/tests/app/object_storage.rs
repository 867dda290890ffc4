//! Attachments across two servers (issue 9): two `serve` processes on one database share an
//! S3-compatible bucket, so a file uploaded through one downloads through the other. Runs against
//! a real S3-compatible server, moto, started here when `SUPPORTAL_TEST_MOTO` names its command
//! (`.ci/run` installs it from PyPI and sets it).

use crate::cases::{post_parts, world};
use crate::support::{TestApp, on_both};
use axum::http::StatusCode;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static SKIP: Once = Once::new();

/// A moto server on a free port, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_moto() -> Option<Moto> {
    let command = match std::env::var("SUPPORTAL_TEST_MOTO") {
        Ok(c) if !c.is_empty() => c,
        _ => {
            SKIP.call_once(|| eprintln!("skipped: set SUPPORTAL_TEST_MOTO to the moto_server command to test attachments in S3"));
            return None;
        }
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let child = Command::new(command)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    // Ready when it answers on its port.
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(moto);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not start");
}

/// Creates a bucket with one unsigned request (moto does not check signatures).
async fn create_bucket(endpoint: &str, bucket: &str) {
    let host = endpoint.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let request = format!(
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_file_uploaded_through_one_server_downloads_through_another() {
    let Some(moto) = start_moto().await else {
        return;
    };
    let endpoint = moto.endpoint.clone();
    on_both(move |app: TestApp| {
        let endpoint = endpoint.clone();
        async move {
            let bucket = format!("supportal-{}", app.backend);
            create_bucket(&endpoint, &bucket).await;
            let mut config = (*app.state.config).clone();
            config.s3 = Some(supportal_app::storage::S3Settings {
                bucket,
                region: Some("us-east-1".into()),
                endpoint: Some(endpoint.clone()),
                access_key_id: Some("testing".into()),
                secret_access_key: Some(supportal_app::Secret::new("testing")),
            });
            // Two servers on the one database, each with its own data folder.
            let second_dir = tempfile::tempdir().expect("dir");
            let mut second_config = config.clone();
            second_config.data_dir = second_dir.path().to_path_buf();
            let first = TestApp::with_state(&app, supportal_web::AppState::new(app.state.db.clone(), config));
            let second = TestApp::with_state(&app, supportal_web::AppState::new(app.state.db.clone(), second_config));

            let w = world(&first).await;
            let case = serde_json::json!({ "serial_number": "SRV0001", "title": "Fan", "description": "Loud", "severity": 3 }).to_string();
            let report = b"%PDF-1.7 the fan report";
            let res = post_parts(&first, "/api/v1/cases", &w.worker, &[("case", None, case.as_bytes()), ("attachment", Some("fan.pdf"), report)]).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
            let number = res.body["case_id"].as_str().expect("case").to_owned();
            let id = res.body["attachments"][0]["id"].as_i64().expect("attachment");
            let download = second.get(&format!("/api/v1/cases/{number}/attachments/{id}"), &w.admin).await;
            assert_eq!(download.status, StatusCode::OK, "{}", download.text);
            assert_eq!(download.text.as_bytes(), report);
            assert!(std::fs::read_dir(first.state.config.data_dir.join("attachments")).map_or(true, |d| d.count() == 0), "nothing on the local disk");
        }
    })
    .await;
}
