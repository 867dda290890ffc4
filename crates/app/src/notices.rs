//! In-app notifications (NTF-1): what happened for a person, with a title in their language and
//! a link to the thing itself, read and unread; and per kind whether it comes in the portal, by
//! email, both or not at all. Operations that tell someone something call `tell`, inside their
//! own transaction, so the bell and the mail commit with the change or not at all.

use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::{self, Message};
use supportal_domain::UserId;
use supportal_domain::notice::{Delivery, NoticeKind, must_mail};
use supportal_store::Tx;
use supportal_store::cases::{self, CaseKey};
use supportal_store::notices::{self, NewNotice, NotificationRow};
use supportal_store::sessions::SessionUser;

/// A page of notifications at most.
pub const PAGE: i64 = 50;
/// Ids marked read in one request at most.
pub const MARK_MAX: usize = 200;

/// Tells `user` about something, the way they chose for its kind: a notice in the portal,
/// `mail` by email, both or neither.
pub async fn tell(
    ctx: &Context,
    tx: &mut Tx,
    user: UserId,
    notice: &NewNotice<'_>,
    mail: Option<Message>,
) -> AppResult<()> {
    let delivery = notices::delivery(tx, user, notice.kind).await?;
    if delivery.in_app() {
        notices::notify(tx, user, notice, ctx.now()).await?;
    }
    if let Some(message) = mail
        && (delivery.email() || must_mail(notice.kind))
    {
        mail::queue(ctx, tx, message).await?;
    }
    Ok(())
}

/// Tells everyone who follows a case (NTF-1, CAS-14): people with an account as they chose,
/// contacts without one by email. `message` writes the mail for an address and a name.
pub async fn tell_followers(
    ctx: &Context,
    tx: &mut Tx,
    case: CaseKey,
    kind: NoticeKind,
    detail: Option<&str>,
    message: impl Fn(String, &str) -> Message,
) -> AppResult<()> {
    let notice = NewNotice {
        detail,
        ..NewNotice::case(kind, case)
    };
    for follower in cases::followers(tx, case).await? {
        let name = follower.name.unwrap_or_default();
        let mail = message(follower.email, &name);
        match follower.user_id {
            Some(user) => tell(ctx, tx, UserId(user), &notice, Some(mail)).await?,
            None => mail::queue(ctx, tx, mail).await?,
        }
    }
    Ok(())
}

/// A page of a person's notifications, newest first, and how many are unread.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<NotificationRow>,
    pub unread: i64,
    /// The `before` of the next page, when there is one.
    pub next: Option<i64>,
}

/// The caller's notifications older than `before` (all of them, or only the unread).
pub async fn list(
    ctx: &Context,
    user: &SessionUser,
    before: Option<i64>,
    unread_only: bool,
) -> AppResult<Page> {
    let mut tx = ctx.db.read().await?;
    let mut items = notices::list(&mut tx, user.user_id(), before, unread_only, PAGE + 1).await?;
    let unread = notices::unread(&mut tx, user.user_id()).await?;
    tx.rollback().await?;
    let next = match items.len() as i64 > PAGE {
        true => {
            items.truncate(PAGE as usize);
            items.last().map(|n| n.id)
        }
        false => None,
    };
    Ok(Page {
        items,
        unread,
        next,
    })
}

/// Opens one of the caller's notifications: marks it read and answers where it leads.
pub async fn open(ctx: &Context, user: &SessionUser, id: i64) -> AppResult<String> {
    let mut tx = ctx.db.begin().await?;
    let Some(row) = notices::one(&mut tx, user.user_id(), id).await? else {
        return Err(AppError::not_found());
    };
    notices::mark_read(&mut tx, user.user_id(), Some(&[id]), ctx.now()).await?;
    tx.commit().await?;
    Ok(link(&row))
}

/// Marks the caller's notifications `ids` read, or all of them; returns how many are still
/// unread. Marking twice changes nothing.
pub async fn mark_read(ctx: &Context, user: &SessionUser, ids: Option<Vec<i64>>) -> AppResult<i64> {
    if ids.as_ref().is_some_and(|ids| ids.len() > MARK_MAX) {
        return Err(AppError::field("ids", "too_many_ids"));
    }
    let mut tx = ctx.db.begin().await?;
    notices::mark_read(&mut tx, user.user_id(), ids.as_deref(), ctx.now()).await?;
    let unread = notices::unread(&mut tx, user.user_id()).await?;
    tx.commit().await?;
    Ok(unread)
}

/// The kinds a person can receive, each with where it goes now. Engineers' kinds are listed
/// for the operator's staff only.
pub async fn settings(ctx: &Context, user: &SessionUser) -> AppResult<Vec<(NoticeKind, Delivery)>> {
    let mut tx = ctx.db.read().await?;
    let mut out = Vec::new();
    for kind in kinds_for(user) {
        out.push((
            kind,
            notices::delivery(&mut tx, user.user_id(), kind).await?,
        ));
    }
    tx.rollback().await?;
    Ok(out)
}

/// Saves the caller's choices: `(kind, delivery)` pairs as sent. An unknown kind or delivery is
/// a field error naming the kind, and nothing is saved.
pub async fn save_settings(
    ctx: &Context,
    user: &SessionUser,
    choices: &[(String, String)],
) -> AppResult<Vec<(NoticeKind, Delivery)>> {
    let mut errors = supportal_domain::FieldErrors::default();
    let mut parsed = Vec::new();
    for (kind, delivery) in choices.iter().take(NoticeKind::ALL.len() + 1) {
        match (NoticeKind::parse(kind), Delivery::parse(delivery)) {
            (Some(k), Some(d)) if kinds_for(user).contains(&k) => parsed.push((k, d)),
            (Some(k), _) if kinds_for(user).contains(&k) => {
                errors.add(k.as_str(), "invalid_delivery")
            }
            _ => errors.add("kind", "invalid_notice_kind"),
        }
    }
    if choices.len() > NoticeKind::ALL.len() {
        errors.add("kind", "too_many_ids");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = ctx.db.begin().await?;
    for (kind, delivery) in parsed {
        notices::set(&mut tx, user.user_id(), kind, delivery).await?;
    }
    tx.commit().await?;
    settings(ctx, user).await
}

fn kinds_for(user: &SessionUser) -> Vec<NoticeKind> {
    let staff = user.staff_role().is_some();
    NoticeKind::ALL
        .into_iter()
        .filter(|k| staff || !k.for_engineers())
        .collect()
}

/// A notification's title in the reader's language.
pub fn title(lang: &Lang, n: &NotificationRow) -> String {
    let number = n.case_number.clone().unwrap_or_default();
    let case_title = n.case_title.clone().unwrap_or_default();
    let detail = n.detail.clone().unwrap_or_default();
    match NoticeKind::parse(&n.kind) {
        Some(NoticeKind::CaseReply) => lang.tn(
            "notice-case-reply",
            &[("number", number), ("title", case_title)],
        ),
        Some(NoticeKind::CaseStatus) => lang.tn(
            "notice-case-status",
            &[
                ("number", number),
                ("title", case_title),
                ("status", lang.t(&format!("case-status-{detail}"))),
            ],
        ),
        Some(NoticeKind::Invitation) => lang.t1("notice-invitation", "company", detail),
        Some(NoticeKind::AccessRequest) => lang.t1("notice-access-request", "number", detail),
        Some(NoticeKind::SlaBreach) => lang.tn(
            "notice-sla-breach",
            &[
                ("number", number),
                ("title", case_title),
                ("target", lang.t(&format!("sla-breach-{detail}"))),
            ],
        ),
        Some(NoticeKind::DeviceAlert) => lang.tn(
            "notice-device-alert",
            &[
                ("serial", n.alert_serial.clone().unwrap_or_default()),
                ("component", n.alert_component.clone().unwrap_or_default()),
            ],
        ),
        None => n.kind.clone(),
    }
}

/// Where a notification leads: the case, the alert, the invitation, the access requests.
pub fn link(n: &NotificationRow) -> String {
    if let Some(alert) = n.alert_id {
        return format!("/alerts/{alert}");
    }
    if let Some(number) = &n.case_number {
        return format!("/cases/{number}");
    }
    match (NoticeKind::parse(&n.kind), n.subject_id) {
        (Some(NoticeKind::Invitation), Some(id)) => format!("/me/invitations/{id}"),
        (Some(NoticeKind::AccessRequest), _) => "/access-requests".to_owned(),
        _ => "/notifications".to_owned(),
    }
}
