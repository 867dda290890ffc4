//! Email: messages are rendered (plain text and HTML) in the sender's language and queued in the
//! database outbox inside the caller's transaction; a worker delivers them over SMTP, or, with no
//! SMTP configured, writes each as an `.eml` file under `<data-dir>/outbox/` and logs a line.

use crate::context::Context;
use crate::error::AppResult;
use crate::i18n::Lang;
use askama::Template;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;
use supportal_store::Tx;
use supportal_store::outbox::{self, Email, OutboxRow};

/// One message before rendering: a subject, paragraphs, and optionally a code or a link to
/// stand out. Every text is already translated.
pub struct Message {
    pub to: String,
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub highlight: Option<String>,
    pub link: Option<String>,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlMail<'a> {
    m: &'a Message,
    footer: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextMail<'a> {
    m: &'a Message,
    footer: String,
}

/// Renders and queues a message in `tx`; it is sent only if the transaction commits.
pub async fn queue(ctx: &Context, tx: &mut Tx, lang: &Lang, message: Message) -> AppResult<()> {
    outbox::enqueue(tx, &render(lang, message)?, ctx.now()).await?;
    Ok(())
}

/// The stored form of a message: its plain-text and HTML parts rendered.
pub fn render(lang: &Lang, message: Message) -> AppResult<Email> {
    let footer = lang.t("mail-footer");
    let html = HtmlMail {
        m: &message,
        footer: footer.clone(),
    }
    .render()
    .map_err(crate::error::AppError::internal)?;
    let text = TextMail {
        m: &message,
        footer,
    }
    .render()
    .map_err(crate::error::AppError::internal)?;
    Ok(Email {
        to: message.to,
        subject: message.subject,
        text,
        html,
    })
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(std::path::PathBuf),
}

impl Transport {
    fn from_config(ctx: &Context) -> Result<Transport, String> {
        match &ctx.config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                .map(|b| Transport::Smtp(b.build()))
                .map_err(|e| format!("bad SMTP URL: {e}")),
            None => Ok(Transport::Files(ctx.config.outbox_dir())),
        }
    }

    fn build(from: &str, row: &OutboxRow) -> Result<lettre::Message, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("bad sender address: {e}"))?;
        let to: Mailbox = row
            .to_addr
            .parse()
            .map_err(|e| format!("bad recipient address: {e}"))?;
        lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(row.subject.clone())
            .date(row.created_at.into())
            .multipart(MultiPart::alternative_plain_html(
                row.text_body.clone(),
                row.html_body.clone(),
            ))
            .map_err(|e| e.to_string())
    }

    /// Sends a batch; each message's outcome is where it went, or why not.
    async fn send_all(
        &self,
        from: &str,
        batch: Vec<OutboxRow>,
    ) -> Vec<(OutboxRow, Result<String, String>)> {
        match self {
            Transport::Smtp(smtp) => {
                let mut out = Vec::with_capacity(batch.len());
                for row in batch {
                    let outcome = match Self::build(from, &row) {
                        Ok(message) => smtp
                            .send(message)
                            .await
                            .map(|_| "smtp".to_owned())
                            .map_err(|e| e.to_string()),
                        Err(e) => Err(e),
                    };
                    out.push((row, outcome));
                }
                out
            }
            Transport::Files(dir) => {
                // One trip to a blocking thread for the whole batch.
                let dir = dir.clone();
                let messages: Vec<_> = batch
                    .into_iter()
                    .map(|row| {
                        let built = Self::build(from, &row).map(|m| m.formatted());
                        (row, built)
                    })
                    .collect();
                let written = tokio::task::spawn_blocking(move || {
                    let made = std::fs::create_dir_all(&dir).map_err(|e| e.to_string());
                    messages
                        .into_iter()
                        .map(|(row, built)| {
                            let outcome = made.clone().and(built).and_then(|bytes| {
                                let path = dir.join(format!(
                                    "{}-{:06}.eml",
                                    row.created_at.format("%Y%m%dT%H%M%S"),
                                    row.id
                                ));
                                std::fs::write(&path, bytes)
                                    .map(|_| path.display().to_string())
                                    .map_err(|e| e.to_string())
                            });
                            (row, outcome)
                        })
                        .collect::<Vec<_>>()
                })
                .await;
                // A panicked writer leaves the batch claimed: after the lease it is tried again.
                written.unwrap_or_default()
            }
        }
    }
}

/// Delivers every due message once; returns how many were sent.
pub async fn deliver_due(ctx: &Context) -> Result<usize, String> {
    let transport = Transport::from_config(ctx)?;
    let mut sent = 0;
    loop {
        let claimed = async {
            let mut tx = ctx.db.begin().await?;
            let batch = outbox::claim(&mut tx, ctx.now(), 20).await?;
            tx.commit().await?;
            Ok::<_, supportal_store::StoreError>(batch)
        };
        let batch = claimed.await.map_err(|e| e.to_string())?;
        if batch.is_empty() {
            return Ok(sent);
        }
        // Send the batch, then record every outcome in one transaction.
        let outcomes = transport.send_all(&ctx.config.mail_from, batch).await;
        let now = ctx.now();
        let mut delivered = Vec::new();
        let mut failed = Vec::new();
        for (row, outcome) in outcomes {
            match outcome {
                Ok(via) => {
                    tracing::info!(mail.id = row.id, to = %row.to_addr, subject = %row.subject, via = %via, "mail sent");
                    delivered.push(row.id);
                }
                Err(error) => {
                    tracing::warn!(mail.id = row.id, to = %row.to_addr, attempts = row.attempts, %error, "mail not sent; will retry");
                    failed.push((row.id, row.attempts, error));
                }
            }
        }
        sent += delivered.len();
        let recorded = async {
            let mut tx = ctx.db.begin().await?;
            for (id, attempts, error) in failed {
                outbox::mark_failed(&mut tx, id, attempts, &error, now).await?;
            }
            outbox::mark_sent(&mut tx, &delivered, now).await?;
            tx.commit().await
        };
        recorded.await.map_err(|e| e.to_string())?;
    }
}

/// Runs until `shutdown` fires: delivers due mail when woken, and at least every few seconds
/// (retries, and messages queued by other processes).
pub fn spawn_worker(
    ctx: Context,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut shutdown = shutdown;
        loop {
            if let Err(error) = deliver_due(&ctx).await {
                tracing::error!(%error, "mail worker");
            }
            tokio::select! {
                _ = ctx.mail_wakeup.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = shutdown.changed() => break,
            }
        }
    })
}
