//! Live chat (CHAT-1): chats, their messages (every change is one: a message, an engineer
//! joining, the end), the queue's waiting line, and who may take part. A chat is reached only
//! through a `ChatSeat`, which only `seat` makes: its owner, or an engineer of its queue (an
//! operator admin, or any staff member for a chat no queue took).
//!
//! ```compile_fail
//! let forged = supportal_store::chat::ChatSeat {
//!     chat_id: supportal_domain::ChatId(1),
//!     user_id: supportal_domain::UserId(1),
//!     engineer: true,
//! };
//! ```

use crate::sessions::SessionUser;
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{ChatId, UserId};

/// The channel that tells every process a chat changed (PostgreSQL `NOTIFY`).
pub const CHANNEL: &str = "supportal_chat";

/// A place in a chat: whose it is, and whether as the desk's engineer.
#[derive(Debug, Clone)]
pub struct ChatSeat {
    pub(crate) chat_id: ChatId,
    pub(crate) user_id: UserId,
    pub(crate) engineer: bool,
}

impl ChatSeat {
    pub fn chat_id(&self) -> ChatId {
        self.chat_id
    }

    pub fn is_engineer(&self) -> bool {
        self.engineer
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChatRow {
    #[sqlx(try_from = "i64")]
    pub id: ChatId,
    pub user_id: i64,
    pub user_name: String,
    pub company: Option<String>,
    pub queue_id: Option<i64>,
    pub queue: Option<String>,
    pub engineer_id: Option<i64>,
    pub engineer: Option<String>,
    pub subject: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub case_number: Option<String>,
}

const CHAT: &str = "SELECT ch.id, ch.user_id, u.name AS user_name, co.name AS company, ch.queue_id,
        q.name AS queue, ch.engineer_id, e.name AS engineer, ch.subject, ch.status, ch.created_at,
        ch.accepted_at, ch.ended_at, c.number AS case_number
     FROM chats ch JOIN users u ON u.id = ch.user_id
     LEFT JOIN companies co ON co.id = ch.company_id LEFT JOIN queues q ON q.id = ch.queue_id
     LEFT JOIN users e ON e.id = ch.engineer_id LEFT JOIN cases c ON c.id = ch.case_id";

/// The caller's seat in chat `id`, with the chat; `None` when it is not theirs to see.
pub async fn seat(
    tx: &mut Tx,
    user: &SessionUser,
    id: ChatId,
) -> Result<Option<(ChatSeat, ChatRow)>> {
    let Some(row) = sql(format!("{CHAT} WHERE ch.id = $1"))
        .bind(id)
        .fetch_optional::<ChatRow>(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let me = user.user_id();
    if row.user_id == me.get() {
        return Ok(Some((
            ChatSeat {
                chat_id: id,
                user_id: me,
                engineer: false,
            },
            row,
        )));
    }
    let Some(staff) = user.staff_scope() else {
        return Ok(None);
    };
    let engineer =
        staff.is_admin() || row.engineer_id == Some(me.get()) || match row.queue_id {
            None => true,
            Some(queue) => sql(
                "SELECT COUNT(*) AS v FROM queue_engineers WHERE queue_id = $1 AND user_id = $2",
            )
            .bind(queue)
            .bind(me)
            .fetch_i64(tx)
            .await?
                > 0,
        };
    Ok(engineer.then_some((
        ChatSeat {
            chat_id: id,
            user_id: me,
            engineer: true,
        },
        row,
    )))
}

/// Starts a chat for `user`, or finds the one they have open (one at a time, also when two
/// starts race); returns its id and whether it is new.
pub async fn start(
    tx: &mut Tx,
    user: UserId,
    company: Option<i64>,
    queue: Option<i64>,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(ChatId, bool)> {
    // Twice at most: the open chat found by the conflict may end before it is read.
    for _ in 0..2 {
        let inserted = sql(
            "INSERT INTO chats (user_id, company_id, queue_id, subject, status, created_at)
             VALUES ($1, $2, $3, $4, 'waiting', $5)
             ON CONFLICT (user_id) WHERE status <> 'ended' DO NOTHING",
        )
        .bind(user)
        .bind(company)
        .bind(queue)
        .bind(subject)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let open = sql("SELECT id AS v FROM chats WHERE user_id = $1 AND status <> 'ended'")
            .bind(user)
            .fetch_optional_i64(&mut *tx)
            .await?;
        if let Some(id) = open {
            return Ok((ChatId(id), inserted == 1));
        }
    }
    Err(crate::StoreError::Conflict("chats_one_open".into()))
}

/// A message or event in the chat; tells every process (PostgreSQL) that it changed.
pub async fn post(
    tx: &mut Tx,
    seat: &ChatSeat,
    kind: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let id = sql(
        "INSERT INTO chat_messages (chat_id, author_id, from_staff, kind, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS v",
    )
    .bind(seat.chat_id)
    .bind(seat.user_id)
    .bind(seat.engineer)
    .bind(kind)
    .bind(body)
    .bind(now)
    .fetch_i64(&mut *tx)
    .await?;
    crate::notify(tx, CHANNEL).await?;
    Ok(id)
}

/// How many messages a chat holds.
pub async fn count(tx: &mut Tx, seat: &ChatSeat) -> Result<i64> {
    sql("SELECT COUNT(*) AS v FROM chat_messages WHERE chat_id = $1")
        .bind(seat.chat_id)
        .fetch_i64(tx)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub kind: String,
    pub from_staff: bool,
    pub author: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A chat's messages after `after`, oldest first, at most `limit`.
pub async fn messages(
    tx: &mut Tx,
    chat: ChatId,
    after: i64,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    sql(
        "SELECT m.id, m.kind, m.from_staff, u.name AS author, m.body, m.created_at
         FROM chat_messages m LEFT JOIN users u ON u.id = m.author_id
         WHERE m.chat_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
    )
    .bind(chat)
    .bind(after)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// A waiting chat's place in its queue's line (1: next), none once taken.
pub async fn position(tx: &mut Tx, chat: &ChatRow) -> Result<Option<i64>> {
    if chat.status != "waiting" {
        return Ok(None);
    }
    sql(
        "SELECT COUNT(*) AS v FROM chats WHERE status = 'waiting' AND id <= $1
           AND (queue_id = $2 OR (queue_id IS NULL AND $3 = TRUE))",
    )
    .bind(chat.id)
    .bind(chat.queue_id)
    .bind(chat.queue_id.is_none())
    .fetch_i64(tx)
    .await
    .map(Some)
}

/// An engineer takes a waiting chat; false when someone else took it first or it ended.
pub async fn take(tx: &mut Tx, seat: &ChatSeat, now: DateTime<Utc>) -> Result<bool> {
    Ok(sql("UPDATE chats SET status = 'active', engineer_id = $1, accepted_at = $2 WHERE id = $3 AND status = 'waiting'")
        .bind(seat.user_id)
        .bind(now)
        .bind(seat.chat_id)
        .execute(tx)
        .await?
        == 1)
}

/// Ends a chat; false when it had ended already.
pub async fn end(tx: &mut Tx, seat: &ChatSeat, now: DateTime<Utc>) -> Result<bool> {
    Ok(
        sql("UPDATE chats SET status = 'ended', ended_at = $1 WHERE id = $2 AND status <> 'ended'")
            .bind(now)
            .bind(seat.chat_id)
            .execute(tx)
            .await?
            == 1,
    )
}

/// Records the case a chat became; false when it became one already.
pub async fn became_case(tx: &mut Tx, seat: &ChatSeat, number: &str) -> Result<bool> {
    Ok(sql("UPDATE chats SET case_id = (SELECT id FROM cases WHERE number = $1) WHERE id = $2 AND case_id IS NULL")
        .bind(number)
        .bind(seat.chat_id)
        .execute(tx)
        .await?
        == 1)
}

/// A person's chats, newest first (*Recent chats*).
pub async fn recent(tx: &mut Tx, user: UserId, limit: i64) -> Result<Vec<ChatRow>> {
    sql(format!(
        "{CHAT} WHERE ch.user_id = $1 ORDER BY ch.id DESC LIMIT $2"
    ))
    .bind(user)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// The open chats an engineer may take or is in: of their queues, without a queue, or theirs;
/// all of them for an operator admin. Waiting ones first, oldest first.
pub async fn console(tx: &mut Tx, user: &SessionUser) -> Result<Vec<ChatRow>> {
    let Some(staff) = user.staff_scope() else {
        return Ok(Vec::new());
    };
    sql(format!(
        "{CHAT} WHERE ch.status <> 'ended' AND ($1 = TRUE OR ch.queue_id IS NULL OR ch.engineer_id = $2
            OR ch.queue_id IN (SELECT queue_id FROM queue_engineers WHERE user_id = $2))
         ORDER BY CASE WHEN ch.status = 'waiting' THEN 0 ELSE 1 END, ch.id LIMIT 200"
    ))
    .bind(staff.is_admin())
    .bind(user.user_id())
    .fetch_all(tx)
    .await
}

/// The messages newer than `after`, as (chat, message id): what the process's hub passes on
/// to the sockets that watch those chats.
pub async fn changed_since(tx: &mut Tx, after: i64) -> Result<Vec<(i64, i64)>> {
    sql("SELECT chat_id, id FROM chat_messages WHERE id > $1 ORDER BY id LIMIT 20000")
        .bind(after)
        .fetch_all(tx)
        .await
}

/// The newest message id of all (where a hub starts watching).
pub async fn newest(tx: &mut Tx) -> Result<i64> {
    sql("SELECT COALESCE(MAX(id), 0) AS v FROM chat_messages")
        .fetch_i64(tx)
        .await
}

/// The queue's chat hours (a calendar), if it has any.
pub async fn chat_calendar(tx: &mut Tx, queue: i64) -> Result<Option<i64>> {
    sql("SELECT chat_calendar_id AS v FROM queues WHERE id = $1 AND chat_calendar_id IS NOT NULL")
        .bind(queue)
        .fetch_optional_i64(tx)
        .await
}

/// Sets a queue's chat hours (staff); false for an unknown queue.
pub async fn set_chat_calendar(
    tx: &mut Tx,
    _staff: &crate::StaffScope,
    queue: i64,
    calendar: Option<i64>,
) -> Result<bool> {
    Ok(sql("UPDATE queues SET chat_calendar_id = $1 WHERE id = $2")
        .bind(calendar)
        .bind(queue)
        .execute(tx)
        .await?
        == 1)
}
