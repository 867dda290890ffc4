//! Live chat (CHAT-1): from any signed-in page a person starts a chat with the desk; routing
//! picks its queue like a case's; it waits there (with its place in line) until one of the
//! queue's engineers takes it; outside the queue's chat hours it is refused, and the person is
//! offered a case instead. It ends with its transcript kept on the account, and the person or
//! the engineer can turn it into a case with the transcript attached. Messages pass between
//! processes through the database (`hub`).

pub mod hub;

use crate::cases::CaseInput;
use crate::cases::attachments::Incoming;
use crate::context::Context;
use crate::error::{AppError, AppResult};
use serde::Deserialize;
use supportal_domain::chat::{ChatStatus, Line, MESSAGES_MAX, SUBJECT_MAX, message, transcript};
use supportal_domain::routing::{CaseFacts, route};
use supportal_domain::sla::Hours;
use supportal_domain::{ChatId, FieldErrors, UserId};
use supportal_store::chat::{self, ChatRow, ChatSeat, MessageRow};
use supportal_store::sessions::{self, SessionUser};
use supportal_store::{Tx, desk};

/// Messages one read answers at most.
pub const PAGE: i64 = 200;

/// What starts a chat.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StartBody {
    #[serde(default)]
    pub subject: String,
    /// The first message, if the person wrote one.
    #[serde(default)]
    pub message: Option<String>,
}

/// A chat as its owner or engineer sees it: the chat, its place in line, its messages.
#[derive(Debug, Clone)]
pub struct ChatView {
    pub chat: ChatRow,
    pub position: Option<i64>,
    /// Whether the reader is the desk's engineer.
    pub engineer: bool,
    pub messages: Vec<MessageRow>,
}

impl ChatView {
    pub fn status(&self) -> ChatStatus {
        ChatStatus::parse(&self.chat.status).unwrap_or(ChatStatus::Ended)
    }
}

/// The queue routing picks for a chat of `user`: the rules as for a case of their company,
/// country and language (rules on a product line or a severity do not hold for a chat).
async fn queue_for(tx: &mut Tx, user: &SessionUser) -> AppResult<(Option<i64>, Option<i64>)> {
    let context = sessions::case_context(tx, user).await?;
    let company = context.as_ref().map(|c| c.scope.company_id().get());
    let profile = context.as_ref().and_then(|c| c.profile.as_ref());
    let facts = CaseFacts {
        product_line: String::new(),
        country: profile.map(|p| p.country.clone()).unwrap_or_default(),
        language: profile.map(|p| p.language.clone()),
        severity: 0,
        coverage_24x7: false,
        company_id: company.unwrap_or(0),
        pin: None,
    };
    let (rules, default) = desk::routing(tx).await?;
    Ok((company, route(&rules, default, &facts).map(|q| q.get())))
}

/// Whether the queue takes chats now: always without chat hours, else within them.
async fn open_now(ctx: &Context, tx: &mut Tx, queue: Option<i64>) -> AppResult<bool> {
    let Some(queue) = queue else { return Ok(true) };
    let Some(calendar) = chat::chat_calendar(tx, queue).await? else {
        return Ok(true);
    };
    match crate::desk::sla::hours(tx, Some(calendar), false).await? {
        Hours::Always => Ok(true),
        Hours::Business(calendar) => Ok(calendar.is_open(ctx.now())),
    }
}

/// Starts a chat, or answers the caller's open one (a retry starts nothing twice); says whether
/// it is new. Outside the queue's chat hours: 409 `chat_closed`, and the person is offered a
/// case.
pub async fn start(
    ctx: &Context,
    user: &SessionUser,
    body: &StartBody,
) -> AppResult<(ChatView, bool)> {
    if !user.is_verified() || user.staff_role().is_some() {
        return Err(AppError::forbidden("chat_customers_only"));
    }
    let mut errors = FieldErrors::new();
    let subject = errors.required_text("subject", &body.subject, SUBJECT_MAX);
    let first = match body.message.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => match message(m) {
            Ok(m) => Some(m),
            Err(code) => {
                errors.add("message", code);
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = ctx.db.read().await?;
    let (company, queue) = queue_for(&mut tx, user).await?;
    let open = open_now(ctx, &mut tx, queue).await?;
    tx.rollback().await?;
    if !open {
        return Err(AppError::conflict("chat_closed"));
    }
    let mut tx = ctx.db.begin().await?;
    let (id, created) =
        chat::start(&mut tx, user.user_id(), company, queue, &subject, ctx.now()).await?;
    if created && let Some(first) = first {
        let seat = chat::seat(&mut tx, user, id)
            .await?
            .ok_or_else(AppError::not_found)?
            .0;
        chat::post(&mut tx, &seat, "message", &first, ctx.now()).await?;
    }
    tx.commit().await?;
    ctx.chat.poke();
    Ok((view(ctx, user, id, 0).await?, created))
}

async fn seated(tx: &mut Tx, user: &SessionUser, id: ChatId) -> AppResult<(ChatSeat, ChatRow)> {
    chat::seat(tx, user, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The chat with its messages after `after` (its owner, or an engineer who may take it).
pub async fn view(
    ctx: &Context,
    user: &SessionUser,
    id: ChatId,
    after: i64,
) -> AppResult<ChatView> {
    let mut tx = ctx.db.read().await?;
    let (seat, chat) = seated(&mut tx, user, id).await?;
    let position = chat::position(&mut tx, &chat).await?;
    let messages = chat::messages(&mut tx, id, after.max(0), PAGE).await?;
    tx.rollback().await?;
    Ok(ChatView {
        chat,
        position,
        engineer: seat.is_engineer(),
        messages,
    })
}

/// Sends a message; answers its id. Not into an ended chat, nor past `MESSAGES_MAX`.
pub async fn send(ctx: &Context, user: &SessionUser, id: ChatId, text: &str) -> AppResult<i64> {
    let text = message(text).map_err(|code| AppError::field("body", code))?;
    // What refuses needs no write lock: read first (a socket may send into an ended chat).
    let mut tx = ctx.db.read().await?;
    let (seat, chat) = seated(&mut tx, user, id).await?;
    let full = chat::count(&mut tx, &seat).await? >= MESSAGES_MAX;
    tx.rollback().await?;
    if chat.status == ChatStatus::Ended.as_str() {
        return Err(AppError::conflict("chat_ended"));
    }
    if full {
        return Err(AppError::conflict("chat_full"));
    }
    let mut tx = ctx.db.begin().await?;
    let (seat, chat) = seated(&mut tx, user, id).await?;
    if chat.status == ChatStatus::Ended.as_str() {
        return Err(AppError::conflict("chat_ended"));
    }
    if chat::count(&mut tx, &seat).await? >= MESSAGES_MAX {
        return Err(AppError::conflict("chat_full"));
    }
    let message_id = chat::post(&mut tx, &seat, "message", &text, ctx.now()).await?;
    tx.commit().await?;
    ctx.chat.poke();
    Ok(message_id)
}

/// An engineer takes a waiting chat. Taking it twice is fine; someone else's is a conflict.
pub async fn take(ctx: &Context, user: &SessionUser, id: ChatId) -> AppResult<ChatView> {
    let mut tx = ctx.db.begin().await?;
    let (seat, chat) = seated(&mut tx, user, id).await?;
    if !seat.is_engineer() {
        return Err(AppError::forbidden("staff_required"));
    }
    if chat::take(&mut tx, &seat, ctx.now()).await? {
        chat::post(&mut tx, &seat, "joined", "", ctx.now()).await?;
    } else if chat.engineer_id != Some(user.user_id().get()) {
        return Err(AppError::conflict("chat_taken"));
    }
    tx.commit().await?;
    ctx.chat.poke();
    view(ctx, user, id, 0).await
}

/// Ends a chat (its owner or its engineer); ending twice is the same.
pub async fn end(ctx: &Context, user: &SessionUser, id: ChatId) -> AppResult<ChatView> {
    let mut tx = ctx.db.begin().await?;
    let (seat, _) = seated(&mut tx, user, id).await?;
    if chat::end(&mut tx, &seat, ctx.now()).await? {
        chat::post(&mut tx, &seat, "ended", "", ctx.now()).await?;
    }
    tx.commit().await?;
    ctx.chat.poke();
    view(ctx, user, id, 0).await
}

/// What a case from a chat needs besides the transcript: what it is about, and perhaps a
/// title and severity (the subject and 3 otherwise).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseBody {
    pub serial_number: Option<String>,
    pub agreement_id: Option<String>,
    pub sku: Option<String>,
    pub title: Option<String>,
    pub severity: Option<i64>,
    /// For a person without a profile: the case's country (ISO code) and time zone (the
    /// operator's when none).
    pub country: Option<String>,
    pub time_zone: Option<String>,
}

/// The transcript as text: heading and a line a message.
pub fn transcript_text(lang: &crate::i18n::Lang, v: &ChatView) -> String {
    let desk = lang.t("chat-desk");
    let lines: Vec<Line<'_>> = v
        .messages
        .iter()
        .filter(|m| m.kind == "message")
        .map(|m| Line {
            at: m.created_at,
            who: match (m.from_staff, m.author.as_deref()) {
                (true, _) => desk.as_str(),
                (false, Some(name)) => name,
                (false, None) => "",
            },
            text: &m.body,
        })
        .collect();
    transcript(
        &lang.t1("chat-transcript-heading", "subject", &v.chat.subject),
        &lines,
    )
}

/// Turns the chat into a case of its owner, with the transcript attached (the owner, or the
/// engineer for them); once: a second time answers the same case. Returns the case number.
pub async fn to_case(
    ctx: &Context,
    user: &SessionUser,
    id: ChatId,
    body: &CaseBody,
) -> AppResult<String> {
    let chat = view(ctx, user, id, 0).await?;
    if let Some(number) = &chat.chat.case_number {
        return Ok(number.clone());
    }
    let owner = match chat.engineer {
        false => user.clone(),
        true => {
            let mut tx = ctx.db.read().await?;
            let owner = sessions::acting_for(&mut tx, UserId(chat.chat.user_id)).await?;
            tx.rollback().await?;
            owner.ok_or_else(AppError::not_found)?
        }
    };
    let lang = crate::i18n::Lang::negotiate(owner.language.as_deref());
    let mut all = chat.clone();
    all.messages = full_transcript(ctx, user, id).await?;
    let text = transcript_text(&lang, &all);
    let description: String = text.chars().take(9_000).collect();
    let input = CaseInput {
        serial_number: body.serial_number.clone(),
        agreement_id: body.agreement_id.clone(),
        sku: body.sku.clone(),
        title: body
            .title
            .clone()
            .unwrap_or_else(|| chat.chat.subject.clone()),
        description,
        severity: Some(body.severity.unwrap_or(3)),
        country: body.country.clone(),
        time_zone: body.time_zone.clone().or_else(|| {
            owner
                .time_zone
                .is_none()
                .then(|| ctx.config.time_zone.name().to_owned())
        }),
        ..CaseInput::default()
    };
    let file = Incoming {
        name: format!("chat-{id}.txt"),
        bytes: text.into_bytes(),
    };
    let key = format!("chat:{id}");
    let case = crate::cases::create(ctx, &owner, input, vec![file], Some(&key)).await?;
    // The case is committed: linking the chat to it must not turn that into an error (a retry
    // finds the case by its key and links it then).
    let linked = async {
        let mut tx = ctx.db.begin().await?;
        let (seat, _) = seated(&mut tx, user, id).await?;
        chat::became_case(&mut tx, &seat, &case.case_id).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(e) = linked {
        tracing::warn!(code = e.code, "could not link the chat to its case");
    }
    Ok(case.case_id)
}

/// Every message of a chat, oldest first.
async fn full_transcript(
    ctx: &Context,
    user: &SessionUser,
    id: ChatId,
) -> AppResult<Vec<MessageRow>> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = view(ctx, user, id, after).await?.messages;
        let done = (page.len() as i64) < PAGE;
        after = page.last().map(|m| m.id).unwrap_or(after);
        all.extend(page);
        if done {
            return Ok(all);
        }
    }
}

/// The caller's recent chats with their transcripts (*Recent chats*, CAS-11).
pub async fn recent(ctx: &Context, user: &SessionUser) -> AppResult<Vec<ChatView>> {
    let mut tx = ctx.db.read().await?;
    let chats = chat::recent(&mut tx, user.user_id(), 10).await?;
    let mut out = Vec::new();
    for c in chats {
        let messages = chat::messages(&mut tx, c.id, 0, PAGE).await?;
        let position = chat::position(&mut tx, &c).await?;
        out.push(ChatView {
            chat: c,
            position,
            engineer: false,
            messages,
        });
    }
    tx.rollback().await?;
    Ok(out)
}

/// The engineer's chat console: open chats of their queues, waiting first, with places in line.
pub async fn console(ctx: &Context, user: &SessionUser) -> AppResult<Vec<(ChatRow, Option<i64>)>> {
    crate::admin::staff(user, false)?;
    let mut tx = ctx.db.read().await?;
    let mut out = Vec::new();
    for c in chat::console(&mut tx, user).await? {
        let position = chat::position(&mut tx, &c).await?;
        out.push((c, position));
    }
    tx.rollback().await?;
    Ok(out)
}

/// Sets a queue's chat hours to a calendar, or none for round the clock (operator admin).
pub async fn set_hours(
    ctx: &Context,
    user: &SessionUser,
    queue: i64,
    calendar: Option<i64>,
) -> AppResult<()> {
    let staff = crate::admin::staff(user, true)?;
    let mut tx = ctx.db.begin().await?;
    if let Some(id) = calendar
        && !supportal_store::desk::sla::calendar_exists(
            &mut tx,
            &staff,
            supportal_domain::CalendarId(id),
        )
        .await?
    {
        return Err(AppError::field("calendar_id", "invalid_choice"));
    }
    if !chat::set_chat_calendar(&mut tx, &staff, queue, calendar).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(())
}
