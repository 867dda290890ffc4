//! A minimal HTTP/1.1 client for the benchmarks: one keep-alive connection per simulated client,
//! requests with a bearer token, answers read by `Content-Length`. Enough for our own server.

use anyhow::{Context, Result, bail};
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub struct Client {
    stream: BufReader<TcpStream>,
    token: String,
}

pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Client {
    pub async fn connect(addr: SocketAddr, token: &str) -> Result<Client> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream: BufReader::new(stream),
            token: token.to_owned(),
        })
    }

    pub async fn send(&mut self, method: &str, path: &str, json: Option<&str>) -> Result<Answer> {
        let token = std::mem::take(&mut self.token);
        let answer = self.send_as(&token, method, path, json).await;
        self.token = token;
        answer
    }

    /// `send` with another user's bearer token on the same connection.
    pub async fn send_as(
        &mut self,
        token: &str,
        method: &str,
        path: &str,
        json: Option<&str>,
    ) -> Result<Answer> {
        let body = json.unwrap_or("").as_bytes();
        self.send_body(token, method, path, "application/json", body)
            .await
    }

    /// A request with a body of any type.
    pub async fn send_body(
        &mut self,
        token: &str,
        method: &str,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<Answer> {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let stream = self.stream.get_mut();
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                bail!("connection closed in the headers");
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else {
            bail!("answer without Content-Length");
        };
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok(Answer { status, body })
    }
}

/// Serves the application on a free local port; returns its address.
pub async fn serve(state: supportal_web::AppState) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let limits = state.config.limits;
    let app = supportal_web::router(state);
    tokio::spawn(supportal_web::serve::serve(
        listener,
        app,
        limits,
        std::future::pending(),
    ));
    Ok(addr)
}
