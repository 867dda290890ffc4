//! The mail outbox (NTF-1): messages are stored in the transaction that causes them and sent by
//! a worker with retries, so a crash never loses one and several processes never send one twice.
//! A message is stored as intent (what to say, to whom) and rendered when it is delivered, in
//! the recipient's language; the values that must not outlive delivery (codes, links with
//! tokens) are kept apart and dropped when it is sent.

use crate::{Builder, Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};
use supportal_domain::MailId;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    /// What to say, as the application writes it (JSON it reads back at delivery).
    pub intent: String,
    /// The values that must not be kept once the message is sent (JSON), if any.
    pub secrets: Option<String>,
}

pub async fn enqueue(tx: &mut Tx, mail: &Email, now: DateTime<Utc>) -> Result<MailId> {
    sql(
        "INSERT INTO outbox (to_addr, intent, secrets, subject, text_body, html_body, created_at, next_attempt_at)
         VALUES ($1, $2, $3, '', '', '', $4, $4) RETURNING id AS v",
    )
    .bind(&mail.to)
    .bind(&mail.intent)
    .bind(mail.secrets.clone())
    .bind(now)
    .fetch_id(tx)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    #[sqlx(try_from = "i64")]
    pub id: MailId,
    pub to_addr: String,
    pub intent: String,
    /// None once the message was sent.
    pub secrets: Option<String>,
    /// What was sent (secrets masked); empty until then, and again once pruned.
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i64,
}

const COLUMNS: &str =
    "id, to_addr, intent, secrets, subject, text_body, html_body, created_at, sent_at, attempts";

/// How long a claimed message stays hidden from other workers while one sends it.
const LEASE_MINUTES: i64 = 5;

/// Claims up to `limit` due messages under the token `claim`: pushes their next attempt past the
/// lease so no other worker takes them. The outer `WHERE` re-checks each row so two PostgreSQL
/// workers never both win; only the holder of the claim records the outcome.
pub async fn claim(
    tx: &mut Tx,
    now: DateTime<Utc>,
    limit: i64,
    claim: &str,
) -> Result<Vec<OutboxRow>> {
    sql(format!(
        "UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1, claim = $4
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND id IN
           (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $3)
         RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(now + Duration::minutes(LEASE_MINUTES))
    .bind(limit)
    .bind(claim)
    .fetch_all(tx)
    .await
}

/// What went out, with its secrets masked: the record that stays once a message is sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub id: MailId,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Marks messages sent, keeps what was sent (masked), and drops their secrets: one statement
/// for the batch.
pub async fn mark_sent(tx: &mut Tx, sent: &[Sent], now: DateTime<Utc>, claim: &str) -> Result<()> {
    if sent.is_empty() {
        return Ok(());
    }
    let mut b = Builder::new();
    let now = b.arg(now);
    let claim = b.arg(claim);
    let mut ids = Vec::with_capacity(sent.len());
    let (mut subjects, mut texts, mut htmls) = (String::new(), String::new(), String::new());
    for mail in sent {
        let id = b.arg(mail.id);
        subjects.push_str(&format!(" WHEN {id} THEN {}", b.arg(mail.subject.as_str())));
        texts.push_str(&format!(" WHEN {id} THEN {}", b.arg(mail.text.as_str())));
        htmls.push_str(&format!(" WHEN {id} THEN {}", b.arg(mail.html.as_str())));
        ids.push(id);
    }
    b.push(&format!(
        "UPDATE outbox SET sent_at = {now}, last_error = NULL, secrets = NULL,
           subject = CASE id{subjects} END, text_body = CASE id{texts} END,
           html_body = CASE id{htmls} END
         WHERE claim = {claim} AND id IN ({})",
        ids.join(", ")
    ));
    b.query().execute(tx).await?;
    Ok(())
}

/// Records a failed attempt; the next one waits longer each time (1, 2, 4 … minutes, at most a day).
pub async fn mark_failed(
    tx: &mut Tx,
    id: MailId,
    attempts: i64,
    error: &str,
    now: DateTime<Utc>,
    claim: &str,
) -> Result<()> {
    let wait = Duration::minutes(1i64 << attempts.clamp(0, 10)).min(Duration::days(1));
    sql("UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND claim = $4")
        .bind(id)
        .bind(now + wait)
        .bind(error)
        .bind(claim)
        .execute(tx)
        .await?;
    Ok(())
}

/// Messages to one address, newest first (tests and the operator read what went out).
pub async fn to_address(tx: &mut Tx, to: &str) -> Result<Vec<OutboxRow>> {
    sql(format!(
        "SELECT {COLUMNS} FROM outbox WHERE to_addr = $1 ORDER BY id DESC"
    ))
    .bind(to)
    .fetch_all(tx)
    .await
}

/// How a recipient reads: the language and time zone of the account with that address, if
/// there is one and it has set them.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Reader {
    pub language: Option<String>,
    pub time_zone: Option<String>,
}

/// The reader behind each address (in the order given), in one query; an address without an
/// account reads as the operator's default.
pub async fn readers(tx: &mut Tx, addresses: &[String]) -> Result<Vec<Reader>> {
    if addresses.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct Found {
        email: String,
        #[sqlx(flatten)]
        reader: Reader,
    }
    let mut b = Builder::new();
    // Accounts keep their address in lower case; a case contact may have typed capitals.
    let lowered: Vec<String> = addresses.iter().map(|a| a.to_lowercase()).collect();
    let marks: Vec<String> = lowered.iter().map(|a| b.arg(a.as_str())).collect();
    b.push(&format!(
        "SELECT u.email AS email, COALESCE(p.language, u.language) AS language, p.time_zone AS time_zone
         FROM users u LEFT JOIN profiles p ON p.user_id = u.id WHERE u.email IN ({})",
        marks.join(", ")
    ));
    let found: Vec<Found> = b.query().fetch_all(tx).await?;
    Ok(lowered
        .iter()
        .map(|a| {
            found
                .iter()
                .find(|f| &f.email == a)
                .map(|f| f.reader.clone())
                .unwrap_or_default()
        })
        .collect())
}
