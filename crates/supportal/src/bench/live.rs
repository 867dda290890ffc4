//! `bench kb-search` and `bench chat` (issue 13): article search over a generated corpus in the
//! five languages (latency percentiles of `knowledge::find`, any language and one language), and
//! chat fan-out over many WebSocket connections to one process (the time from a message's send
//! to its arrival on its chat's socket, and memory).

use super::{Fresh, peak_memory, percentiles};
use anyhow::{Result, anyhow};
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use supportal_app::knowledge::Find;
use supportal_domain::knowledge::{Language, markdown, search};
use supportal_domain::{ChatId, EmailAddress, StaffRole};
use supportal_store::knowledge::{self, ArticleInput};
use supportal_store::{accounts, tools};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// A deterministic stream of numbers (no crate for twenty lines).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// An index below `n`, the small ones more often (a word list's common words).
    fn skewed(&mut self, n: usize) -> usize {
        let r = (self.next() % 10_000) as f64 / 10_000.0;
        ((r * r) * n as f64) as usize
    }
}

/// A made-up vocabulary for a language: `n` words of two or three syllables.
fn vocabulary(lang: Language, n: usize) -> Vec<String> {
    const SYLLABLES: [&str; 24] = [
        "ka", "ro", "vin", "tel", "mo", "sar", "pe", "lun", "di", "gor", "fa", "nes", "bri", "to",
        "mar", "quel", "si", "dav", "ul", "pen", "ri", "sko", "ham", "ve",
    ];
    let mut rng = Lcg(lang.code().bytes().map(u64::from).sum());
    (0..n)
        .map(|i| {
            let parts = 2 + (rng.next() % 2) as usize;
            let mut word: String = (0..parts)
                .map(|_| SYLLABLES[(rng.next() % 24) as usize])
                .collect();
            word.push_str(&format!("{}", i % 7));
            word
        })
        .collect()
}

/// Generates `articles` public articles over the five languages, then times `queries` searches.
pub async fn kb_search(
    articles: usize,
    queries: usize,
    postgres_url: Option<String>,
) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let words: Vec<(Language, Vec<String>)> = Language::ALL
        .iter()
        .map(|l| (*l, vocabulary(*l, 3_000)))
        .collect();
    let mut rng = Lcg(7);
    let started = Instant::now();
    let staff = tools::operator();
    let mut made = 0;
    while made < articles {
        let mut tx = fresh.db.begin().await?;
        for _ in 0..1_000.min(articles - made) {
            let (lang, vocab) = &words[made % 5];
            let mut pick = |n: usize| -> String {
                (0..n)
                    .map(|_| vocab[rng.skewed(vocab.len())].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let title = pick(6);
            let body = format!("{}.\n\n{}.", pick(40), pick(40));
            let text = markdown::plain_text(&body);
            let input = ArticleInput {
                search_title: search::index_text(*lang, &title),
                search_body: search::index_text(*lang, &text),
                body_html: markdown::render(&body),
                title,
                body_markdown: body,
                body_text: text,
                pg_config: lang.pg_config(),
                language: lang.code(),
                visibility: "public",
                status: "published",
                product_ids: Vec::new(),
                product_line_ids: Vec::new(),
            };
            knowledge::put(&mut tx, &staff, None, &input, fresh.state.now()).await?;
            made += 1;
        }
        tx.commit().await?;
    }
    println!(
        "{articles} articles in five languages written in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        fresh.db.backend()
    );
    for one_language in [false, true] {
        let mut samples = Vec::with_capacity(queries);
        let mut found = 0;
        for i in 0..queries {
            let (lang, vocab) = &words[i % 5];
            let q = format!(
                "{} {}",
                vocab[rng.skewed(vocab.len())],
                vocab[rng.skewed(vocab.len())]
            );
            let find = Find {
                q,
                language: one_language.then(|| lang.code().to_owned()),
                product_id: None,
                limit: Some(20),
            };
            let at = Instant::now();
            found += supportal_app::knowledge::find(&fresh.state, None, &find)
                .await?
                .len();
            samples.push(at.elapsed());
        }
        println!(
            "search, {}: {} ({:.1} results a query)",
            if one_language {
                "one language"
            } else {
                "any language"
            },
            percentiles(samples),
            found as f64 / queries as f64
        );
    }
    fresh.finish().await
}

/// Opens `connections` chats, each with its customer's WebSocket, then sends `messages` from
/// the desk to random chats; prints the send-to-arrival percentiles and memory.
pub async fn chat(connections: usize, messages: usize, postgres_url: Option<String>) -> Result<()> {
    let fresh = Fresh::new(postgres_url.as_deref()).await?;
    let now = fresh.state.now();
    let mut tx = fresh.db.begin().await?;
    let mut users = Vec::with_capacity(connections + 1);
    for i in 0..=connections {
        let email =
            EmailAddress::parse(&format!("chat{i}@bench.test")).map_err(|_| anyhow!("email"))?;
        let user =
            accounts::create(&mut tx, &email, &format!("Bench {i}"), "unused", None, now).await?;
        accounts::mark_verified(&mut tx, user, now).await?;
        if i == 0 {
            accounts::set_staff_role(&mut tx, user, StaffRole::OperatorAdmin).await?;
        }
        users.push(user);
    }
    tx.commit().await?;
    let mut tokens = Vec::with_capacity(users.len());
    for user in &users {
        tokens.push(super::data::token_for(&fresh.db, user.get(), now).await?);
    }
    let session = |token: String| {
        let state = fresh.state.clone();
        async move {
            supportal_app::auth::session_for(&state, &token, true)
                .await?
                .ok_or_else(|| anyhow!("session"))
        }
    };
    let desk = session(tokens[0].clone()).await?;
    let mut chats = Vec::with_capacity(connections);
    for token in &tokens[1..] {
        let user = session(token.clone()).await?;
        let body = supportal_app::chat::StartBody {
            subject: "Bench".into(),
            message: None,
        };
        chats.push(
            supportal_app::chat::start(&fresh.state, &user, &body)
                .await?
                .0
                .chat
                .id,
        );
    }
    let addr = super::http::serve(fresh.state.clone()).await?;
    let base = Instant::now();
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(messages)));
    let mut sockets = Vec::with_capacity(connections);
    for (chat, token) in chats.iter().zip(&tokens[1..]) {
        let mut request =
            format!("ws://{addr}/api/v1/chats/{chat}/socket").into_client_request()?;
        request
            .headers_mut()
            .insert("authorization", format!("Bearer {token}").parse()?);
        // The clients' buffers small too: the memory printed is theirs and the server's.
        let config = WebSocketConfig::default()
            .read_buffer_size(4 * 1024)
            .write_buffer_size(0);
        let (mut socket, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
        let latencies = latencies.clone();
        sockets.push(tokio::spawn(async move {
            while let Some(Ok(frame)) = socket.next().await {
                let Message::Text(text) = frame else { continue };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(text.as_str()) else {
                    continue;
                };
                if let Some(sent) = v["body"]
                    .as_str()
                    .and_then(|b| b.strip_prefix("bench:"))
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    let arrived = base.elapsed().as_micros() as u64;
                    if let Ok(mut l) = latencies.lock() {
                        l.push(Duration::from_micros(arrived.saturating_sub(sent)));
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!(
        "{connections} chat sockets open on one process ({}), {} listening to the hub; memory so far {}",
        fresh.db.backend(),
        fresh.state.chat.listeners(),
        peak_memory()
    );
    let take_all = async {
        for chat in &chats {
            supportal_app::chat::take(&fresh.state, &desk, *chat).await?;
        }
        Ok::<(), anyhow::Error>(())
    };
    take_all.await?;
    let mut rng = Lcg(11);
    let started = Instant::now();
    for i in 0..messages {
        let chat = ChatId(chats[(rng.next() as usize) % chats.len()].get());
        let sent = base.elapsed().as_micros();
        supportal_app::chat::send(&fresh.state, &desk, chat, &format!("bench:{sent}")).await?;
        // About 200 messages a second, in bursts of ten.
        if i % 10 == 9 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let sending = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let samples = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    println!(
        "{messages} messages sent in {:.1} s, {} arrived: send to arrival {}",
        sending.as_secs_f64(),
        samples.len(),
        percentiles(samples)
    );
    println!(
        "peak memory (server and the {connections} clients together): {}",
        peak_memory()
    );
    for socket in sockets {
        socket.abort();
    }
    fresh.finish().await
}
