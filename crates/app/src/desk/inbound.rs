//! Replies by email: a raw RFC 5322 message from the mail provider's inbound hook or from an
//! MTA pipe (`supportal mail-in`). The case is found from the address the reply was sent to
//! (`cases+<number>@…`, see `mail::reply_address`) or, failing that, the number in the subject;
//! the reply joins the case as a message from its sender when the sender may see the case, with
//! quoted text trimmed and attachments under the rules of the case form. Anything else is
//! refused and logged, never attached to a case. A message taken before (by Message-ID) is not
//! added again.

use crate::cases::attachments::{self, Incoming};
use crate::context::Context;
use crate::error::{AppError, AppResult, Kind};
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
    /// False when this message was taken before and nothing was added now.
    pub added: bool,
}

fn refused(code: &'static str, why: &str) -> AppError {
    tracing::warn!(code, why, "inbound email refused");
    AppError::new(Kind::Invalid, code)
}

/// The first ten-digit case number in a subject (`… case 5001234567 …`).
fn number_in(subject: &str) -> Option<String> {
    subject
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| supportal_domain::case::is_case_number(w))
        .map(str::to_owned)
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
    let inbound_address = ctx.config.inbound_address.as_deref();
    let addressed = [message.to(), message.cc()]
        .into_iter()
        .flatten()
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address())
        .find_map(|a| inbound_address.and_then(|i| crate::mail::case_of_address(i, a)));
    let number = addressed
        .or_else(|| message.subject().and_then(number_in))
        .ok_or_else(|| refused("unknown_case", "no case in the address or subject"))?;
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
    let message_id = message.message_id().map(|id| {
        crate::input::without_nul(id)
            .chars()
            .take(500)
            .collect::<String>()
    });

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
    let result = take(
        ctx,
        &sender,
        from.as_str(),
        &text,
        &checked,
        &keys,
        message_id.as_deref(),
    )
    .await;
    match result {
        Ok(false) | Err(_) => attachments::forget(ctx, &keys).await,
        Ok(true) => {}
    }
    Ok(Received {
        case_id: number,
        added: result?,
    })
}

/// Writes the reply, its files and a status change in one transaction; `false` when the
/// message was taken before.
async fn take(
    ctx: &Context,
    sender: &inbound::Sender,
    from: &str,
    text: &str,
    files: &[attachments::Checked],
    keys: &[String],
    message_id: Option<&str>,
) -> AppResult<bool> {
    let now = ctx.now();
    let case = &sender.case;
    let mut tx = ctx.db.begin().await?;
    if let Some(id) = message_id
        && !inbound::remember(&mut tx, id, case.id, now).await?
    {
        tx.rollback().await?;
        return Ok(false);
    }
    if !files.is_empty() {
        let (count, bytes) = cases::attachment_totals(&mut tx, case.id).await?;
        let adding: i64 = files.iter().map(|f| f.bytes.len() as i64).sum();
        if count + files.len() as i64 > supportal_domain::attachment::MAX_FILES_PER_CASE
            || bytes + adding > supportal_domain::attachment::MAX_CASE_BYTES
        {
            return Err(refused(
                "case_attachments_full",
                "the case has no room for the files",
            ));
        }
    }
    if !text.is_empty() {
        let kind = if sender.staff { "reply" } else { "message" };
        cases::emailed_event(&mut tx, case.id, sender.user, from, kind, text, now).await?;
        if sender.staff {
            super::sla::on_response(&mut tx, case.id, now).await?;
        }
    }
    if let Some(by) = sender.user {
        attachments::record(&mut tx, case.id, files, keys, by, now).await?;
    } else {
        attachments::record_by_email(&mut tx, case.id, files, keys, from, now).await?;
    }
    if !sender.staff && case.status == CaseStatus::WaitingOnCustomer.as_str() {
        crate::cases::customer_answered(ctx, &mut tx, case, sender.user).await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn case_numbers_in_subjects() {
        assert_eq!(
            super::number_in("Re: Case 5001234567: fan noise").as_deref(),
            Some("5001234567")
        );
        assert_eq!(super::number_in("Re: hello 12345"), None);
    }
}
