//! Replies by email: a raw RFC 5322 message from the mail provider's inbound hook or from an
//! MTA pipe (`supportal mail-in`). The case is found from the address the reply was sent to
//! (`cases+<number>.<tag>@…`, see `mail::reply_address`), whose tag must have been made for the
//! sender; the reply joins the case as a message from its sender when the sender may see the
//! case, with quoted text trimmed and attachments under the rules of the case form. Anything
//! else is refused and logged, never attached to a case. Automatic replies (out of office) are
//! taken and dropped. A message taken before (by Message-ID, else by its content) is not added
//! again.

use crate::cases::attachments::{self, Incoming};
use crate::context::Context;
use crate::error::{AppError, AppResult, Kind};
use crate::mail::ReplyTo;
use mail_parser::{MessageParser, MimeHeaders};
use supportal_domain::EmailAddress;
use supportal_domain::case::CaseStatus;
use supportal_domain::desk::trim_quoted;
use supportal_store::cases;
use supportal_store::desk::inbound;

/// The largest raw message taken: the attachments a case accepts at once, base64-encoded, and
/// the text.
pub const MAX_RAW_BYTES: usize = 10 * 1024 * 1024;

/// A reply taken into a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub case_id: String,
    /// False when nothing was added: taken before, or an automatic reply.
    pub added: bool,
}

fn refused(code: &'static str, why: &str) -> AppError {
    tracing::warn!(code, why, "inbound email refused");
    AppError::new(Kind::Invalid, code)
}

/// Whether the message was sent by a machine (an out-of-office notice, a list): RFC 3834's
/// `Auto-Submitted`, and the headers mail programs use instead.
fn automatic(message: &mail_parser::Message<'_>) -> bool {
    let header = |name: &str| {
        message
            .header(name)
            .and_then(|v| v.as_text())
            .map(|v| v.trim().to_ascii_lowercase())
    };
    header("Auto-Submitted").is_some_and(|v| v != "no")
        || header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("Precedence")
            .is_some_and(|v| matches!(v.as_str(), "auto_reply" | "bulk" | "junk" | "list"))
}

/// The case a message replies to, from the reply addresses it was sent to.
fn case_number(ctx: &Context, message: &mail_parser::Message<'_>, from: &str) -> AppResult<String> {
    let secret = ctx
        .config
        .inbound_secret
        .as_ref()
        .map(|s| s.expose())
        .filter(|s| !s.is_empty());
    let (Some(inbound), Some(secret)) = (ctx.config.inbound_address.as_deref(), secret) else {
        return Err(refused("inbound_mail_off", "no inbound address or secret"));
    };
    let mut other_sender = false;
    for address in [message.to(), message.cc()]
        .into_iter()
        .flatten()
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address())
    {
        match crate::mail::case_of_address(inbound, secret, address, from) {
            ReplyTo::Case(number) => return Ok(number),
            ReplyTo::OtherSender => other_sender = true,
            ReplyTo::NotOurs => {}
        }
    }
    Err(if other_sender {
        refused("sender_not_on_case", "reply address made for someone else")
    } else {
        refused("unknown_case", "not sent to a case's reply address")
    })
}

/// Takes one raw message.
pub async fn receive(ctx: &Context, raw: &[u8]) -> AppResult<Received> {
    if raw.len() > MAX_RAW_BYTES {
        return Err(refused("message_too_large", "over the size limit"));
    }
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| refused("unreadable_message", "not an RFC 5322 message"))?;
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .and_then(|a| EmailAddress::parse(a).ok())
        .ok_or_else(|| refused("unknown_sender", "no usable From address"))?;
    let number = case_number(ctx, &message, from.as_str())?;
    if automatic(&message) {
        tracing::info!(case = %number, "automatic reply dropped");
        return Ok(Received {
            case_id: number,
            added: false,
        });
    }
    let text = message
        .body_text(0)
        .map(|t| trim_quoted(&crate::input::without_nul(&t)))
        .unwrap_or_default();
    let text: String = text.chars().take(super::work::BODY_MAX).collect();
    let files: Vec<Incoming> = message
        .attachments()
        .map(|part| Incoming {
            name: part.attachment_name().unwrap_or("attachment").to_owned(),
            bytes: part.contents().to_vec(),
        })
        .collect();
    if text.is_empty() && files.is_empty() {
        return Err(refused("empty_reply", "no text and no files"));
    }
    let checked = if files.is_empty() {
        Vec::new()
    } else {
        attachments::check(files, true)?
    };
    // A retry of a message without a Message-ID is known by its content.
    let message_id = match message.message_id() {
        Some(id) => crate::input::without_nul(id).chars().take(500).collect(),
        None => format!(
            "sha256:{}",
            crate::auth::sha256_hex(&String::from_utf8_lossy(raw))
        ),
    };

    // Who may add to the case is checked before any file is stored.
    let mut tx = ctx.db.read().await?;
    let found = inbound::sender(&mut tx, &number, from.as_str()).await?;
    tx.rollback().await?;
    let Some(sender) = found else {
        return Err(refused(
            "sender_not_on_case",
            "the sender may not see the case",
        ));
    };
    let keys = attachments::store(ctx, &checked).await?;
    let reply = Reply {
        from: from.as_str(),
        text: &text,
        files: &checked,
        keys: &keys,
        message_id: &message_id,
    };
    let result = take(ctx, &sender, &reply).await;
    match result {
        Ok(false) | Err(_) => attachments::forget(ctx, &keys).await,
        Ok(true) => {}
    }
    Ok(Received {
        case_id: number,
        added: result?,
    })
}

/// What a reply adds to its case.
struct Reply<'a> {
    from: &'a str,
    text: &'a str,
    files: &'a [attachments::Checked],
    keys: &'a [String],
    message_id: &'a str,
}

/// Writes the reply, its files and a status change in one transaction, deciding on the case as
/// it is now (read again, locked); `false` when the message was taken before.
async fn take(ctx: &Context, sender: &inbound::Sender, reply: &Reply<'_>) -> AppResult<bool> {
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let case = cases::get_by_key(&mut tx, sender.case.id)
        .await?
        .ok_or_else(crate::cases::not_found)?;
    if !inbound::remember(&mut tx, reply.message_id, case.id, now).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    if !reply.files.is_empty() {
        let (count, bytes) = cases::attachment_totals(&mut tx, case.id).await?;
        let adding: i64 = reply.files.iter().map(|f| f.bytes.len() as i64).sum();
        if count + reply.files.len() as i64 > supportal_domain::attachment::MAX_FILES_PER_CASE
            || bytes + adding > supportal_domain::attachment::MAX_CASE_BYTES
        {
            return Err(refused("case_attachments_full", "no room for the files"));
        }
    }
    if !reply.text.is_empty() {
        let kind = if sender.staff { "reply" } else { "message" };
        cases::emailed_event(
            &mut tx,
            case.id,
            sender.user,
            reply.from,
            kind,
            reply.text,
            now,
        )
        .await?;
        if sender.staff {
            super::sla::on_response(&mut tx, case.id, now).await?;
        }
    }
    match sender.user {
        Some(by) => attachments::record(&mut tx, case.id, reply.files, reply.keys, by, now).await?,
        None => {
            attachments::record_by_email(&mut tx, case.id, reply.files, reply.keys, reply.from, now)
                .await?
        }
    }
    if !sender.staff && case.status == CaseStatus::WaitingOnCustomer.as_str() {
        crate::cases::customer_answered(ctx, &mut tx, &case, sender.user).await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn automatic_replies_are_recognised() {
        let automatic = |headers: &str| {
            let raw = format!("From: a@b.test\r\n{headers}Subject: x\r\n\r\nbody\r\n");
            mail_parser::MessageParser::default()
                .parse(raw.as_bytes())
                .map(|m| super::automatic(&m))
                .expect("parsed")
        };
        assert!(automatic("Auto-Submitted: auto-replied\r\n"));
        assert!(automatic("Precedence: bulk\r\n"));
        assert!(automatic("X-Autoreply: yes\r\n"));
        assert!(!automatic("Auto-Submitted: no\r\n"));
        assert!(!automatic(""));
    }
}
