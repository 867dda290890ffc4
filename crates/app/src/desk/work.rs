//! The engineer's console (SUP-3): queues with their counts, the queue lists, and what an
//! engineer does to a case: claim or assign it, move it to another queue, reply or note, move
//! its status along CAS-14, change its severity, refund its incident. Every action is a history
//! event, written with the change in one transaction.

use crate::cases::{CaseDetail, detail, not_found, notify_status};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{Message, Text, plain, tn};
use chrono::Duration;
use serde::Deserialize;
use supportal_domain::case::{CaseStatus, Severity, desk_move};
use supportal_domain::desk::RESOLUTION_CODES;
use supportal_domain::notice::NoticeKind;
use supportal_domain::{FieldErrors, QueueId, UserId};
use supportal_store::Tx;
use supportal_store::cases::{self, CaseRow, CaseViewer};
use supportal_store::desk::work::{self, Assignee, DeskQuery, QueueCounts, SlaFilter};
use supportal_store::desk::{self as setup};
use supportal_store::sessions::SessionUser;

pub use super::refund::{RefundBody, refund};

/// The longest reply or note.
pub const BODY_MAX: usize = 10_000;

/// *My queues* (SUP-3): the caller's queues (every queue for an operator admin) with counts.
pub async fn queues(ctx: &Context, user: &SessionUser) -> AppResult<Vec<QueueCounts>> {
    desk_user(user)?;
    let mut tx = ctx.db.read().await?;
    let rows = work::queue_counts(&mut tx, &CaseViewer::of(user)).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// A queue list's parameters as the API and the page send them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DeskParams {
    #[serde(default, deserialize_with = "crate::input::optional_id")]
    pub queue_id: Option<i64>,
    pub assignee: Option<String>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "crate::input::optional_id")]
    pub severity: Option<i64>,
    pub sla: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    #[serde(default, deserialize_with = "crate::input::optional_id")]
    pub limit: Option<i64>,
}

/// How soon a due time counts as "due soon".
pub const DUE_SOON: Duration = Duration::hours(2);

fn some(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn desk_query(
    user: &SessionUser,
    p: &DeskParams,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<DeskQuery> {
    let mut errors = FieldErrors::new();
    let assignee = match some(&p.assignee) {
        None | Some("any") => Assignee::Any,
        Some("me") => Assignee::User(user.user_id()),
        Some("none") => Assignee::Nobody,
        Some(other) => match other.parse::<i64>() {
            Ok(id) if id > 0 => Assignee::User(UserId(id)),
            _ => {
                errors.add("assignee", "invalid_choice");
                Assignee::Any
            }
        },
    };
    let status = some(&p.status).map(str::to_owned);
    if status
        .as_deref()
        .is_some_and(|s| CaseStatus::parse(s).is_none())
    {
        errors.add("status", "invalid_choice");
    }
    if p.severity.is_some_and(|s| Severity::new(s).is_err()) {
        errors.add("severity", "invalid_choice");
    }
    let sla = match some(&p.sla) {
        None => None,
        Some("breached") => Some(SlaFilter::Breached),
        Some("due_soon") => Some(SlaFilter::DueBefore(now + DUE_SOON)),
        Some(_) => {
            errors.add("sla", "invalid_choice");
            None
        }
    };
    let sort = match some(&p.sort).unwrap_or("due") {
        "due" => ("c.sla_due", false),
        "-due" => ("c.sla_due", true),
        other => match crate::cases::parse_sort(Some(other)) {
            Ok(s) => s,
            Err(_) => {
                errors.add("sort", "invalid_choice");
                ("c.sla_due", false)
            }
        },
    };
    let offset = match some(&p.cursor) {
        None => 0,
        Some(c) => match c.parse::<i64>() {
            Ok(o) if (0..=10_000_000).contains(&o) => o,
            _ => {
                errors.add("cursor", "invalid_choice");
                0
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(DeskQuery {
        queue: p.queue_id.map(QueueId),
        assignee,
        status,
        severity: p.severity,
        sla,
        sort,
        limit: p.limit.unwrap_or(50).clamp(1, 200),
        offset,
    })
}

/// A page of a queue list.
pub struct DeskPage {
    pub items: Vec<CaseRow>,
    pub next_cursor: Option<String>,
}

/// The cases of the caller's queues (or one of them), sorted by due time unless asked
/// otherwise, filtered and paged by cursor.
pub async fn list(ctx: &Context, user: &SessionUser, params: &DeskParams) -> AppResult<DeskPage> {
    desk_user(user)?;
    let query = desk_query(user, params, ctx.now())?;
    let mut tx = ctx.db.read().await?;
    let mut items = work::list(&mut tx, &CaseViewer::of(user), &query).await?;
    tx.rollback().await?;
    let more = items.len() as i64 > query.limit;
    items.truncate(query.limit as usize);
    Ok(DeskPage {
        next_cursor: more.then(|| (query.offset + query.limit).to_string()),
        items,
    })
}

/// Who works at a desk: operator staff, and the people of a service partner for its repair
/// queue (PTN-5); 403 for anyone else.
pub fn desk_user(user: &SessionUser) -> AppResult<()> {
    match user.staff_role().is_some() || user.repair_queue().is_some() {
        true => Ok(()),
        false => Err(AppError::forbidden("staff_required")),
    }
}

/// Opens a case for a desk action, in a write transaction: a case the caller works (404 when
/// they cannot see it, 403 when they see it only as a customer).
pub(super) async fn desk_case(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
) -> AppResult<(Tx, CaseRow)> {
    desk_user(user)?;
    let viewer = CaseViewer::of(user);
    let mut tx = ctx.db.begin().await?;
    let case = cases::get_for_update(&mut tx, &viewer, number)
        .await?
        .ok_or_else(not_found)?;
    if !viewer.works(case.queue_id) {
        return Err(AppError::forbidden("staff_required"));
    }
    Ok((tx, case))
}

fn status_of(case: &CaseRow) -> AppResult<CaseStatus> {
    CaseStatus::parse(&case.status).ok_or_else(|| AppError::internal("unknown case status"))
}

/// Who takes the case: `"me"`, a staff user's id, or `null`/`"none"` to let it go.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssignBody {
    /// Absent: keep the engineer (with a queue move); `null`: let the case go.
    #[serde(default, deserialize_with = "present")]
    pub assignee: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "crate::input::optional_id")]
    pub queue_id: Option<i64>,
}

/// A field that is there, `null` included (serde reads a `null` `Option` as absent).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(d).map(Some)
}

/// Claims or assigns a case, or moves it to another queue (SUP-3). A new or reopened case
/// that gets an engineer becomes *assigned*.
pub async fn assign(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: AssignBody,
) -> AppResult<CaseDetail> {
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    let partner = user.staff_role().is_none();
    if partner && body.queue_id.is_some() {
        return Err(AppError::forbidden("staff_required"));
    }
    let assignee = match &body.assignee {
        Some(serde_json::Value::String(s)) if s == "me" => Some(user.user_id()),
        Some(serde_json::Value::String(s)) if s == "none" || s.is_empty() => None,
        Some(serde_json::Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(UserId(id)),
            _ => return Err(AppError::field("assignee", "invalid_choice")),
        },
        Some(serde_json::Value::Number(n)) => match n.as_i64() {
            Some(id) if id > 0 => Some(UserId(id)),
            _ => return Err(AppError::field("assignee", "invalid_choice")),
        },
        Some(serde_json::Value::Null) => None,
        None if body.queue_id.is_some() => case.assignee_id.map(UserId),
        _ => return Err(AppError::field("assignee", "required")),
    };
    let name = match assignee {
        // A partner's engineer takes the cases of its own queue; the operator's staff are not
        // theirs to hand them to.
        Some(id) if partner && id == user.user_id() => Some(user.name.clone()),
        Some(_) if partner => return Err(AppError::field("assignee", "invalid_choice")),
        Some(id) => Some(
            work::staff_name(&mut tx, id)
                .await?
                .ok_or_else(|| AppError::field("assignee", "unknown_engineer"))?,
        ),
        None => None,
    };
    let queue = body.queue_id.map(QueueId);
    if let Some(q) = queue
        && !setup::queue_exists(&mut tx, &crate::admin::staff(user, false)?, q).await?
    {
        return Err(AppError::field("queue_id", "invalid_choice"));
    }
    let now = ctx.now();
    let actor = Some(user.user_id());
    work::assign(&mut tx, case.id, assignee, queue).await?;
    if assignee.map(UserId::get) != case.assignee_id {
        let text = name.as_deref().unwrap_or("");
        let kind = if assignee.is_some() {
            "assigned"
        } else {
            "unassigned"
        };
        cases::event(&mut tx, case.id, actor, kind, None, text, now).await?;
    }
    if let Some(q) = queue
        && Some(q.get()) != case.queue_id
    {
        cases::event(&mut tx, case.id, actor, "queue_changed", None, "", now).await?;
    }
    let status = status_of(&case)?;
    if assignee.is_some() && matches!(status, CaseStatus::New | CaseStatus::Reopened) {
        change_status(ctx, &mut tx, user, &case, status, CaseStatus::Assigned).await?;
    }
    // Let go by its engineer, an assigned case is new again.
    if assignee.is_none() && status == CaseStatus::Assigned {
        change_status(ctx, &mut tx, user, &case, status, CaseStatus::New).await?;
    }
    tx.commit().await?;
    crate::cases::detail_after_move(ctx, user, number).await
}

/// Records a status change: the case, its clocks, the history, the contacts' email.
async fn change_status(
    ctx: &Context,
    tx: &mut Tx,
    user: &SessionUser,
    case: &CaseRow,
    from: CaseStatus,
    to: CaseStatus,
) -> AppResult<()> {
    let now = ctx.now();
    let finished = match (to.is_open(), case.finished_at) {
        (true, _) => None,
        (false, Some(at)) => Some(at),
        (false, None) => Some(now),
    };
    cases::set_status(tx, case.id, to.as_str(), finished).await?;
    if to.is_open() && case.resolution_code.is_some() {
        work::set_resolution(tx, case.id, None).await?;
    }
    super::sla::on_status(tx, case.id, case.handling_24x7, to, now).await?;
    cases::event(
        tx,
        case.id,
        Some(user.user_id()),
        "status",
        Some((from.as_str(), to.as_str())),
        "",
        now,
    )
    .await?;
    notify_status(ctx, tx, case, to).await
}

/// A public reply or an internal note (`POST /cases/{id}/replies`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReplyBody {
    #[serde(default)]
    pub body: String,
    #[serde(default, deserialize_with = "crate::input::checkbox")]
    pub internal: bool,
}

pub fn check_body(body: &str) -> AppResult<String> {
    let body = crate::input::without_nul(body.trim()).into_owned();
    if body.is_empty() {
        return Err(AppError::field("body", "required"));
    }
    if body.chars().count() > BODY_MAX {
        return Err(AppError::field("body", "too_long"));
    }
    Ok(body)
}

/// A public reply is shown to the customer as from support with the engineer's name, mailed to
/// every contact who follows the case, and meets the response target; an internal note stays at
/// the desk.
pub async fn reply(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: ReplyBody,
) -> AppResult<CaseDetail> {
    let text = check_body(&body.body)?;
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    let now = ctx.now();
    if body.internal {
        cases::internal_note(&mut tx, case.id, user.user_id(), &text, now).await?;
    } else {
        cases::event(
            &mut tx,
            case.id,
            Some(user.user_id()),
            "reply",
            None,
            &text,
            now,
        )
        .await?;
        super::sla::on_response(&mut tx, case.id, now).await?;
        mail_reply(ctx, &mut tx, &case, &user.name, &text).await?;
    }
    tx.commit().await?;
    detail(ctx, user, number).await
}

async fn mail_reply(
    ctx: &Context,
    tx: &mut Tx,
    case: &CaseRow,
    engineer: &str,
    text: &str,
) -> AppResult<()> {
    let message = |email: String, name: &str| {
        Message::to(
            email,
            name,
            tn(
                "mail-case-reply-subject",
                [
                    ("number", plain(&case.number)),
                    ("title", plain(&case.title)),
                ],
            ),
        )
        .paragraph(tn(
            "mail-case-reply-body",
            [
                ("number", plain(&case.number)),
                ("engineer", plain(engineer)),
            ],
        ))
        .paragraph(Text::Verbatim(text.to_owned()))
        .link(format!("{}/cases/{}", ctx.config.base_url, case.number))
        .reply_to_case(&case.number)
    };
    crate::notices::tell_followers(ctx, tx, case.id, NoticeKind::CaseReply, None, message).await
}

/// A status move (`POST /cases/{id}/status`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusBody {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub resolution_code: Option<String>,
}

/// Moves a case along CAS-14; an illegal move is 409 `illegal_status_change`, a resolution
/// needs a resolution code, and *assigned* needs an engineer on the case.
pub async fn set_status(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: StatusBody,
) -> AppResult<CaseDetail> {
    let to = CaseStatus::parse(body.status.trim())
        .ok_or_else(|| AppError::field("status", "invalid_choice"))?;
    let code = some(&body.resolution_code).map(str::to_owned);
    if to == CaseStatus::Resolved {
        match code.as_deref() {
            None => return Err(AppError::field("resolution_code", "required")),
            Some(c) if !RESOLUTION_CODES.contains(&c) => {
                return Err(AppError::field("resolution_code", "invalid_choice"));
            }
            Some(_) => {}
        }
    }
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    let from = status_of(&case)?;
    desk_move(from, to).map_err(|m| AppError::conflict(m.code()))?;
    if to == CaseStatus::Assigned && case.assignee_id.is_none() {
        return Err(AppError::conflict("case_unassigned"));
    }
    if to == CaseStatus::Resolved {
        work::set_resolution(&mut tx, case.id, code.as_deref()).await?;
    }
    change_status(ctx, &mut tx, user, &case, from, to).await?;
    tx.commit().await?;
    detail(ctx, user, number).await
}

/// A severity change (`POST /cases/{id}/severity`), with the reason in the history.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SeverityBody {
    #[serde(default)]
    pub severity: i64,
    #[serde(default)]
    pub reason: String,
}

/// Changes the severity: the targets follow, and a case nobody claimed is routed again.
pub async fn set_severity(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: SeverityBody,
) -> AppResult<CaseDetail> {
    let mut errors = FieldErrors::new();
    if let Err(code) = Severity::new(body.severity) {
        errors.add("severity", code);
    }
    let reason = errors.required_text("reason", &body.reason, BODY_MAX);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    if !status_of(&case)?.is_open() {
        return Err(AppError::conflict("case_not_open"));
    }
    if case.severity == body.severity {
        return Err(AppError::field("severity", "unchanged"));
    }
    let now = ctx.now();
    work::set_severity(&mut tx, case.id, body.severity).await?;
    let facts = super::sla::ClockFacts {
        coverage: case.coverage.as_deref().unwrap_or(""),
        severity: body.severity,
        handling_24x7: case.handling_24x7,
        opened: case.created_at,
        waiting: case.status == CaseStatus::WaitingOnCustomer.as_str(),
    };
    super::sla::on_severity(&mut tx, case.id, &facts, now).await?;
    if case.assignee_id.is_none() {
        super::reroute(&mut tx, &case, body.severity).await?;
    }
    let text = format!("{} → {}: {reason}", case.severity, body.severity);
    cases::event(
        &mut tx,
        case.id,
        Some(user.user_id()),
        "severity_changed",
        None,
        &text,
        now,
    )
    .await?;
    tx.commit().await?;
    crate::cases::detail_after_move(ctx, user, number).await
}

/// Resolved cases close by themselves after this long unless reopened (CAS-14).
pub const AUTO_CLOSE: Duration = Duration::days(14);

/// Closes the cases resolved more than 14 days ago, with the history entry and the closure
/// email, a batch per transaction. Answers how many it closed.
pub async fn close_resolved(ctx: &Context) -> AppResult<usize> {
    let mut closed = 0;
    loop {
        let now = ctx.now();
        let mut tx = ctx.db.begin().await?;
        let keys = work::close_resolved(&mut tx, now - AUTO_CLOSE, 200).await?;
        for key in &keys {
            cases::event(
                &mut tx,
                *key,
                None,
                "auto_closed",
                Some(("resolved", "closed")),
                "",
                now,
            )
            .await?;
            if let Some(case) = cases::get_by_key(&mut tx, *key).await? {
                notify_status(ctx, &mut tx, &case, CaseStatus::Closed).await?;
            }
        }
        tx.commit().await?;
        closed += keys.len();
        if keys.len() < 200 {
            return Ok(closed);
        }
    }
}

/// What the desk panel of a case page offers: who a case can go to, and which queues.
pub struct Choices {
    pub engineers: Vec<work::StaffMember>,
    pub queues: Vec<supportal_store::desk::QueueRow>,
}

pub async fn choices(ctx: &Context, user: &SessionUser) -> AppResult<Choices> {
    desk_user(user)?;
    // A service partner's people take their queue's cases themselves, in their own queue.
    let Some(scope) = user.staff_scope() else {
        return Ok(Choices {
            engineers: vec![work::StaffMember {
                id: user.user_id().get(),
                name: user.name.clone(),
                email: user.email.clone(),
            }],
            queues: Vec::new(),
        });
    };
    let mut tx = ctx.db.read().await?;
    let engineers = work::staff_members(&mut tx).await?;
    let queues = setup::queues(&mut tx, &scope).await?;
    tx.rollback().await?;
    Ok(Choices { engineers, queues })
}
