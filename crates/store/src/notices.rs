//! In-app notifications (NTF-1) and each person's choice of where each kind goes. Every call
//! takes the user it is for: a person reads and marks only their own.

use crate::cases::CaseKey;
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::UserId;
use supportal_domain::notice::{Delivery, NoticeKind};

/// A notification to write.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub kind: NoticeKind,
    pub case: Option<CaseKey>,
    pub alert: Option<i64>,
    /// An invitation's or an access request's id.
    pub subject_id: Option<i64>,
    /// What the title shows besides the case (a company, a request number, an SLA target).
    pub detail: Option<&'a str>,
}

impl NewNotice<'_> {
    pub fn case(kind: NoticeKind, case: CaseKey) -> NewNotice<'static> {
        NewNotice {
            kind,
            case: Some(case),
            alert: None,
            subject_id: None,
            detail: None,
        }
    }
}

/// Writes a notification for `user`.
pub async fn notify(
    tx: &mut Tx,
    user: UserId,
    notice: &NewNotice<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO notifications (user_id, case_id, alert_id, subject_id, kind, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
    .bind(user)
    .bind(notice.case.map(CaseKey::get))
    .bind(notice.alert)
    .bind(notice.subject_id)
    .bind(notice.kind.as_str())
    .bind(notice.detail)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub detail: Option<String>,
    pub subject_id: Option<i64>,
    pub case_number: Option<String>,
    pub case_title: Option<String>,
    /// A device alert's notification (PTN-5): the alert, and its device's serial.
    pub alert_id: Option<i64>,
    pub alert_serial: Option<String>,
    pub alert_component: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT n.id, n.kind, n.detail, n.subject_id, c.number AS case_number,
                c.title AS case_title, n.alert_id, d.serial_number AS alert_serial,
                a.component AS alert_component, n.created_at, n.read_at
         FROM notifications n LEFT JOIN cases c ON c.id = n.case_id
         LEFT JOIN device_alerts a ON a.id = n.alert_id LEFT JOIN devices d ON d.id = a.device_id";

/// One of a user's notifications; `None` for another person's.
pub async fn one(tx: &mut Tx, user: UserId, id: i64) -> Result<Option<NotificationRow>> {
    sql(format!("{SELECT} WHERE n.id = $1 AND n.user_id = $2"))
        .bind(id)
        .bind(user)
        .fetch_optional(tx)
        .await
}

/// A user's notifications, newest first, older than `before` when given.
pub async fn list(
    tx: &mut Tx,
    user: UserId,
    before: Option<i64>,
    unread_only: bool,
    limit: i64,
) -> Result<Vec<NotificationRow>> {
    sql(format!(
        "{SELECT} WHERE n.user_id = $1 AND ($2 IS NULL OR n.id < $2) AND ($3 = FALSE OR n.read_at IS NULL)
         ORDER BY n.id DESC LIMIT $4"
    ))
    .bind(user)
    .bind(before)
    .bind(unread_only)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// How many of a user's notifications are unread.
pub async fn unread(tx: &mut Tx, user: UserId) -> Result<i64> {
    sql("SELECT COUNT(*) AS v FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user)
        .fetch_i64(tx)
        .await
}

/// Marks the user's notifications `ids` read, or all of them when `ids` is `None`; returns how
/// many changed. Someone else's ids change nothing.
pub async fn mark_read(
    tx: &mut Tx,
    user: UserId,
    ids: Option<&[i64]>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let Some(ids) = ids else {
        return sql("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user)
            .execute(tx)
            .await;
    };
    let mut changed = 0;
    for id in ids {
        changed += sql("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
            .bind(now)
            .bind(*id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    Ok(changed)
}

/// The kinds a user chose a delivery for (the others have their default).
pub async fn settings(tx: &mut Tx, user: UserId) -> Result<Vec<(NoticeKind, Delivery)>> {
    let rows: Vec<(String, String)> =
        sql("SELECT kind, delivery FROM notification_settings WHERE user_id = $1 ORDER BY kind")
            .bind(user)
            .fetch_all(tx)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, d)| Some((NoticeKind::parse(&k)?, Delivery::parse(&d)?)))
        .collect())
}

/// Sets where `kind` goes for `user`.
pub async fn set(tx: &mut Tx, user: UserId, kind: NoticeKind, delivery: Delivery) -> Result<()> {
    sql(
        "INSERT INTO notification_settings (user_id, kind, delivery) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery",
    )
    .bind(user)
    .bind(kind.as_str())
    .bind(delivery.as_str())
    .execute(tx)
    .await?;
    Ok(())
}

/// Where `kind` goes for `user`: their choice, else the kind's default (case mail follows the
/// profile's "email me" choice).
pub async fn delivery(tx: &mut Tx, user: UserId, kind: NoticeKind) -> Result<Delivery> {
    let row: Option<(Option<String>, Option<bool>)> = sql(
        "SELECT (SELECT delivery FROM notification_settings s WHERE s.user_id = u.id AND s.kind = $2),
                (SELECT notify FROM profiles p WHERE p.user_id = u.id)
         FROM users u WHERE u.id = $1",
    )
    .bind(user)
    .bind(kind.as_str())
    .fetch_optional(tx)
    .await?;
    let (chosen, case_mail) = row.unwrap_or((None, None));
    Ok(chosen
        .as_deref()
        .and_then(Delivery::parse)
        .unwrap_or_else(|| kind.default_delivery(case_mail.unwrap_or(true))))
}
