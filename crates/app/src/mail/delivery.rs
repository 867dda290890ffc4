//! Delivering queued mail: claimed in batches (the outbox's own leases keep two workers off one
//! message), rendered for each recipient, sent over SMTP or written as `.eml` files under
//! `<data-dir>/outbox/`, and recorded with the secrets masked.

use super::{Intent, Rendered, render};
use crate::context::{Config, Context};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use supportal_domain::MailId;
use supportal_store::Tx;
use supportal_store::outbox::{self, OutboxRow, Reader, Sent};

/// A message ready to go: as its reader gets it, and as the outbox keeps it.
struct Outgoing {
    row: OutboxRow,
    full: Rendered,
    kept: Rendered,
}

/// The language and zone of a reader: their profile's; the operator's default for an address
/// without an account or a profile.
fn lang_of(reader: &Reader, config: &Config) -> Lang {
    Lang::choose(reader.language.as_deref(), None, None, &config.language)
        .in_zone_or(reader.time_zone.as_deref(), config.time_zone)
}

/// Renders `row` for its reader: with its secrets if it still has them, and masked.
fn render_row(
    row: &OutboxRow,
    reader: &Reader,
    config: &Config,
) -> AppResult<(Rendered, Rendered)> {
    // Queued before mail was kept as intent: it was rendered then, and goes out as it is.
    if row.intent.is_empty() {
        let stored = Rendered {
            subject: row.subject.clone(),
            text: row.text_body.clone(),
            html: row.html_body.clone(),
            reply_case: None,
        };
        return Ok((stored.clone(), stored));
    }
    let intent: Intent = serde_json::from_str(&row.intent).map_err(AppError::internal)?;
    let secrets: Option<Vec<String>> = match &row.secrets {
        Some(json) => Some(serde_json::from_str(json).map_err(AppError::internal)?),
        None => None,
    };
    let lang = lang_of(reader, config);
    let full = render(&lang, &intent, secrets.as_deref())?;
    // Without secrets, what is kept is what was sent.
    let kept = match secrets {
        Some(_) => render(&lang, &intent, None)?,
        None => full.clone(),
    };
    Ok((full, kept))
}

/// The messages to `to`, newest first, as their reader gets them (subject, text): queued ones
/// rendered now, sent ones as kept. For tests and the operator's eyes.
pub async fn preview(ctx: &Context, to: &str) -> AppResult<Vec<(String, String)>> {
    let mut tx = ctx.db.read().await?;
    let rows = outbox::to_address(&mut tx, to).await?;
    let readers = outbox::readers(&mut tx, &[to.to_owned()]).await?;
    tx.rollback().await?;
    let reader = readers.into_iter().next().unwrap_or_default();
    rows.iter()
        .map(|row| match row.sent_at {
            Some(_) => Ok((row.subject.clone(), row.text_body.clone())),
            None => {
                render_row(row, &reader, &ctx.config).map(|(full, _)| (full.subject, full.text))
            }
        })
        .collect()
}

/// How long one message may take to hand to the mail server: a batch of `BATCH` takes at most
/// `BATCH` times this, under the outbox's five-minute lease.
const SEND_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Messages claimed at once.
const BATCH: i64 = 20;

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

    fn build(config: &Config, mail: &Outgoing) -> Result<lettre::Message, String> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| format!("bad sender address: {e}"))?;
        let to: Mailbox = mail
            .row
            .to_addr
            .parse()
            .map_err(|e| format!("bad recipient address: {e}"))?;
        let mut builder = lettre::Message::builder().from(from).to(to);
        if let (Some(inbound), Some(secret), Some(case)) = (
            &config.inbound_address,
            config
                .inbound_secret
                .as_ref()
                .filter(|s| !s.expose().is_empty()),
            &mail.full.reply_case,
        ) && let Some(address) =
            super::reply_address(inbound, secret.expose(), case, &mail.row.to_addr)
        {
            let reply: Mailbox = address
                .parse()
                .map_err(|e| format!("bad reply address: {e}"))?;
            builder = builder.reply_to(reply);
        }
        builder
            .subject(mail.full.subject.clone())
            .date(mail.row.created_at.into())
            .multipart(MultiPart::alternative_plain_html(
                mail.full.text.clone(),
                mail.full.html.clone(),
            ))
            .map_err(|e| e.to_string())
    }

    /// Sends a batch; each message's outcome is where it went, or why not.
    async fn send_all(
        &self,
        config: &Config,
        batch: Vec<Outgoing>,
    ) -> Vec<(Outgoing, Result<String, String>)> {
        match self {
            Transport::Smtp(smtp) => {
                let mut out = Vec::with_capacity(batch.len());
                for mail in batch {
                    // Bounded, so a batch ends well inside its lease and no other worker
                    // sends it again meanwhile.
                    let outcome = match Self::build(config, &mail) {
                        Ok(message) => match tokio::time::timeout(SEND_WAIT, smtp.send(message))
                            .await
                        {
                            Ok(sent) => sent.map(|_| "smtp".to_owned()).map_err(|e| e.to_string()),
                            Err(_) => Err("the mail server did not answer in time".to_owned()),
                        },
                        Err(e) => Err(e),
                    };
                    out.push((mail, outcome));
                }
                out
            }
            Transport::Files(dir) => {
                // One trip to a blocking thread for the whole batch.
                let dir = dir.clone();
                let messages: Vec<_> = batch
                    .into_iter()
                    .map(|mail| {
                        let built = Self::build(config, &mail).map(|m| m.formatted());
                        (mail, built)
                    })
                    .collect();
                let written = tokio::task::spawn_blocking(move || {
                    let made = std::fs::create_dir_all(&dir).map_err(|e| e.to_string());
                    messages
                        .into_iter()
                        .map(|(mail, built)| {
                            let outcome = made.clone().and(built).and_then(|bytes| {
                                let path = dir.join(format!(
                                    "{}-{:06}.eml",
                                    mail.row.created_at.format("%Y%m%dT%H%M%S"),
                                    mail.row.id
                                ));
                                std::fs::write(&path, bytes)
                                    .map(|_| path.display().to_string())
                                    .map_err(|e| e.to_string())
                            });
                            (mail, outcome)
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

/// Claims a batch and renders it for its readers; a message that cannot be rendered is
/// recorded as failed (and tried again later, like one the server refused).
async fn claim_batch(
    ctx: &Context,
    tx: &mut Tx,
    claim: &str,
) -> AppResult<(Vec<Outgoing>, Vec<(MailId, i64, String)>)> {
    let batch = outbox::claim(tx, ctx.now(), BATCH, claim).await?;
    let addresses: Vec<String> = batch.iter().map(|r| r.to_addr.clone()).collect();
    let readers = outbox::readers(tx, &addresses).await?;
    let mut ready = Vec::with_capacity(batch.len());
    let mut broken = Vec::new();
    for (row, reader) in batch.into_iter().zip(readers) {
        match render_row(&row, &reader, &ctx.config) {
            Ok((full, kept)) => ready.push(Outgoing { row, full, kept }),
            Err(e) => broken.push((row.id, row.attempts, e.to_string())),
        }
    }
    Ok((ready, broken))
}

/// Delivers every due message once; returns how many were sent.
pub async fn deliver_due(ctx: &Context) -> AppResult<usize> {
    let transport = Transport::from_config(ctx).map_err(AppError::internal)?;
    let mut sent = 0;
    loop {
        // Each batch's claim has a token of its own: only this run records its outcome.
        let claim = crate::auth::random_token();
        let mut tx = ctx.db.begin().await?;
        let (batch, mut failed) = claim_batch(ctx, &mut tx, &claim).await?;
        tx.commit().await?;
        if batch.is_empty() && failed.is_empty() {
            return Ok(sent);
        }
        // Send the batch, then record every outcome in one transaction.
        let outcomes = transport.send_all(&ctx.config, batch).await;
        let now = ctx.now();
        let mut delivered = Vec::new();
        for (mail, outcome) in outcomes {
            let row = &mail.row;
            match outcome {
                Ok(via) => {
                    tracing::info!(mail.id = %row.id, to = %row.to_addr, subject = %mail.kept.subject, via = %via, "mail sent");
                    delivered.push(Sent {
                        id: row.id,
                        subject: mail.kept.subject,
                        text: mail.kept.text,
                        html: mail.kept.html,
                    });
                }
                Err(error) => {
                    tracing::warn!(mail.id = %row.id, to = %row.to_addr, attempts = row.attempts, %error, "mail not sent; will retry");
                    failed.push((row.id, row.attempts, error));
                }
            }
        }
        sent += delivered.len();
        let mut tx = ctx.db.begin().await?;
        for (id, attempts, error) in failed {
            outbox::mark_failed(&mut tx, id, attempts, &error, now, &claim).await?;
        }
        outbox::mark_sent(&mut tx, &delivered, now, &claim).await?;
        tx.commit().await?;
    }
}
