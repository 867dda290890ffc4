//! Cases from the customer's side (CAS-1 to CAS-14): opening a case against a serial number, an
//! agreement or a product, with the entitlement chosen and an incident spent in the same
//! transaction; reading, listing, and updating cases. Every read goes through `CaseViewer`.

pub mod attachments;
pub mod bulk;
pub mod create;
pub mod export;
pub mod input;
pub mod prepare;

pub use create::{create, plan, write};
pub use input::{AddressIn, CaseInput, ContactIn};
pub use prepare::{Prepared, prepare};

use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{Message, plain, tn};
use supportal_domain::EmailAddress;
use supportal_domain::case::{CaseStatus, CustomerAction, customer_action};
use supportal_domain::notice::NoticeKind;
use supportal_store::cases::{self, CaseRow, CaseViewer, EventRow, ListQuery};
use supportal_store::desk::work;
use supportal_store::sessions::SessionUser;

/// A case with what its page shows: history, contacts, files, and its parts and service orders.
#[derive(Debug)]
pub struct CaseDetail {
    pub case_id: String,
    pub case: CaseRow,
    pub entitlement: EntitlementRef,
    pub additional_contacts: Vec<String>,
    pub attachments: Vec<cases::AttachmentRow>,
    pub history: Vec<EventRow>,
    pub favorite: bool,
    pub parts_orders: Vec<work::PartsOrderRow>,
    pub service_orders: Vec<work::ServiceOrderRow>,
    /// Whether the reader is operator staff (sees internal notes and the desk's side).
    pub staff_view: bool,
}

#[derive(Debug)]
pub struct EntitlementRef {
    pub kind: String,
    pub id: i64,
}

pub fn not_found() -> AppError {
    AppError::new(crate::error::Kind::NotFound, "case_not_found")
}

pub async fn detail(ctx: &Context, user: &SessionUser, number: &str) -> AppResult<CaseDetail> {
    read_detail(ctx, user, number, None).await
}

/// What a case just opened is known to have, so its first answer skips those reads: its
/// additional contacts, whether files came with it, and no favourite yet.
pub struct Opened {
    pub additional_contacts: Vec<String>,
    pub with_files: bool,
    /// The `created` event just written.
    pub history: Vec<EventRow>,
}

pub async fn read_detail(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    opened: Option<Opened>,
) -> AppResult<CaseDetail> {
    read_detail_as(ctx, &CaseViewer::of(user), number, opened).await
}

/// The answer to a desk change that took the case out of its engineer's sight (moved to a queue
/// they do not work): the case as it is now, read once more as the change left it. Only for the
/// engineer who just changed it.
pub async fn detail_after_move(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
) -> AppResult<CaseDetail> {
    match detail(ctx, user, number).await {
        Err(e) if e.kind == crate::error::Kind::NotFound && user.staff_role().is_some() => {
            let viewer = CaseViewer::Staff {
                user_id: user.user_id().get(),
            };
            read_detail_as(ctx, &viewer, number, None).await
        }
        other => other,
    }
}

async fn read_detail_as(
    ctx: &Context,
    viewer: &CaseViewer,
    number: &str,
    opened: Option<Opened>,
) -> AppResult<CaseDetail> {
    let viewer = viewer.clone();
    let opened_now = opened.is_some();
    let mut tx = ctx.db.read().await?;
    let case = cases::get(&mut tx, &viewer, number)
        .await?
        .ok_or_else(not_found)?;
    let (history, additional_contacts, attachments, favorite) = match opened {
        Some(o) => {
            let attachments = if o.with_files {
                cases::attachments(&mut tx, case.id).await?
            } else {
                Vec::new()
            };
            (o.history, o.additional_contacts, attachments, false)
        }
        None => (
            cases::events(&mut tx, &viewer, case.id).await?,
            cases::contacts(&mut tx, case.id).await?,
            cases::attachments(&mut tx, case.id).await?,
            cases::is_favorite(&mut tx, &viewer, case.id).await?,
        ),
    };
    let (parts_orders, service_orders) = if opened_now {
        (Vec::new(), Vec::new())
    } else {
        (
            work::parts_orders(&mut tx, case.id).await?,
            work::service_orders(&mut tx, case.id).await?,
        )
    };
    tx.rollback().await?;
    let staff_view = viewer.works(case.queue_id);
    Ok(CaseDetail {
        case_id: case.number.clone(),
        entitlement: EntitlementRef {
            kind: case.entitlement_kind.clone(),
            id: case.entitlement_id,
        },
        case,
        additional_contacts,
        attachments,
        history,
        favorite,
        parts_orders,
        service_orders,
        staff_view,
    })
}

/// A list's `sort` parameter: a column name (`sort_column`), with `-` in front for descending;
/// newest change first when absent.
pub fn parse_sort(sort: Option<&str>) -> AppResult<(&'static str, bool)> {
    let sort = sort.unwrap_or("-updated_at");
    let (name, descending) = match sort.strip_prefix('-') {
        Some(name) => (name, true),
        None => (sort, false),
    };
    let column = sort_column(name).ok_or_else(|| AppError::field("sort", "invalid_choice"))?;
    Ok((column, descending))
}

/// A list's `serial` filter, checked and written the stored way; blank means none.
pub fn parse_serial(serial: Option<&str>) -> AppResult<Option<String>> {
    match serial.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(Some(
            supportal_domain::entitlement::SerialNumber::parse(s)
                .map_err(|code| AppError::field("serial", code))?
                .to_string(),
        )),
        None => Ok(None),
    }
}

/// Sortable columns (CAS-11), by the name the API takes.
pub fn sort_column(name: &str) -> Option<&'static str> {
    Some(match name {
        "case_id" | "number" => "c.number",
        "created_at" => "c.created_at",
        "updated_at" => "c.updated_at",
        "status" => "c.status",
        "severity" => "c.severity",
        "title" => "c.title",
        "product" => "p.name",
        "serial_number" => "c.serial_number",
        "company" => "co.name",
        _ => return None,
    })
}

#[derive(Debug)]
pub struct Page {
    pub items: Vec<CaseRow>,
    pub next_cursor: Option<String>,
}

/// A page of a list view; the cursor is the offset of the next page.
pub async fn list(ctx: &Context, user: &SessionUser, mut query: ListQuery) -> AppResult<Page> {
    let viewer = CaseViewer::of(user);
    query.limit = query.limit.clamp(1, 500);
    let mut tx = ctx.db.read().await?;
    let mut items = cases::list(&mut tx, &viewer, &query).await?;
    tx.rollback().await?;
    let more = items.len() as i64 > query.limit;
    items.truncate(query.limit as usize);
    Ok(Page {
        next_cursor: more.then(|| (query.offset + query.limit).to_string()),
        items,
    })
}

/// Loads a case for a change, in a write transaction.
async fn for_update(
    ctx: &Context,
    viewer: &CaseViewer,
    number: &str,
) -> AppResult<(supportal_store::Tx, CaseRow)> {
    let mut tx = ctx.db.begin().await?;
    let case = cases::get_for_update(&mut tx, viewer, number)
        .await?
        .ok_or_else(not_found)?;
    Ok((tx, case))
}

/// CAS-10 / CAS-14: escalate, ask for closure, reopen or cancel; illegal moves are 409.
pub async fn act(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    action: CustomerAction,
) -> AppResult<CaseDetail> {
    let viewer = CaseViewer::of(user);
    let (mut tx, case) = for_update(ctx, &viewer, number).await?;
    let status =
        CaseStatus::parse(&case.status).ok_or_else(|| AppError::internal("unknown case status"))?;
    let now = ctx.now();
    let next = customer_action(status, action, case.finished_at, now)
        .map_err(|m| AppError::conflict(m.code()))?;
    match next {
        Some(to) => {
            let finished = (!to.is_open()).then_some(now);
            cases::set_status(&mut tx, case.id, to.as_str(), finished).await?;
            if to.is_open() && case.resolution_code.is_some() {
                work::set_resolution(&mut tx, case.id, None).await?;
            }
            crate::desk::sla::on_status(&mut tx, case.id, case.handling_24x7, to, now).await?;
            cases::event(
                &mut tx,
                case.id,
                Some(viewer.user_id()),
                action.as_str(),
                Some((status.as_str(), to.as_str())),
                "",
                now,
            )
            .await?;
            notify_status(ctx, &mut tx, &case, to).await?;
        }
        None => {
            if action == CustomerAction::Escalate {
                cases::set_escalated(&mut tx, case.id).await?;
            }
            cases::event(
                &mut tx,
                case.id,
                Some(viewer.user_id()),
                action.as_str(),
                None,
                "",
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    detail(ctx, user, number).await
}

/// Emails the opted-in contacts that the case changed status (NTF-1), in the change's transaction.
pub async fn notify_status(
    ctx: &Context,
    tx: &mut supportal_store::Tx,
    case: &CaseRow,
    to: CaseStatus,
) -> AppResult<()> {
    let status = crate::mail::Value::Message(format!("case-status-{}", to.as_str()));
    let (subject, body) = if matches!(to, CaseStatus::Closed) {
        ("mail-case-closed-subject", "mail-case-closed-body")
    } else {
        ("mail-case-status-subject", "mail-case-status-body")
    };
    let number = plain(&case.number);
    let message = |email: String, name: &str| {
        Message::to(
            email,
            name,
            tn(
                subject,
                [("number", number.clone()), ("status", status.clone())],
            ),
        )
        .paragraph(tn(
            body,
            [
                ("number", number.clone()),
                ("title", plain(&case.title)),
                ("status", status.clone()),
            ],
        ))
        .link(format!("{}/cases/{}", ctx.config.base_url, case.number))
    };
    crate::notices::tell_followers(
        ctx,
        tx,
        case.id,
        NoticeKind::CaseStatus,
        Some(to.as_str()),
        message,
    )
    .await
}

/// Adds a message to the case history. From operator staff it is the desk's public reply; from
/// a customer on a case that waits on them, it is their answer, and work goes on.
pub async fn message(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: &str,
) -> AppResult<CaseDetail> {
    if user.staff_role().is_some() {
        let reply = crate::desk::work::ReplyBody {
            body: body.to_owned(),
            internal: false,
        };
        return crate::desk::work::reply(ctx, user, number, reply).await;
    }
    let body = crate::desk::work::check_body(body)?;
    let viewer = CaseViewer::of(user);
    let (mut tx, case) = for_update(ctx, &viewer, number).await?;
    cases::event(
        &mut tx,
        case.id,
        Some(viewer.user_id()),
        "message",
        None,
        &body,
        ctx.now(),
    )
    .await?;
    if case.status == CaseStatus::WaitingOnCustomer.as_str() {
        customer_answered(ctx, &mut tx, &case, Some(viewer.user_id())).await?;
    }
    tx.commit().await?;
    detail(ctx, user, number).await
}

/// The customer answered a case that waited on them: it is in progress again and its
/// resolution clock runs (SUP-4).
pub async fn customer_answered(
    ctx: &Context,
    tx: &mut supportal_store::Tx,
    case: &CaseRow,
    by: Option<supportal_domain::UserId>,
) -> AppResult<()> {
    let now = ctx.now();
    let to = CaseStatus::InProgress;
    cases::set_status(tx, case.id, to.as_str(), None).await?;
    crate::desk::sla::on_status(tx, case.id, case.handling_24x7, to, now).await?;
    let change = Some((CaseStatus::WaitingOnCustomer.as_str(), to.as_str()));
    cases::event(tx, case.id, by, "customer_answered", change, "", now).await?;
    Ok(())
}

/// Adds or removes an additional contact (CAS-4, CAS-10).
pub async fn contact(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    email: &str,
    add: bool,
) -> AppResult<CaseDetail> {
    let email =
        EmailAddress::parse(email).map_err(|_| AppError::field("email", "invalid_email"))?;
    let viewer = CaseViewer::of(user);
    let (mut tx, case) = for_update(ctx, &viewer, number).await?;
    let changed = if add {
        cases::add_contact(&mut tx, case.id, email.as_str(), ctx.now()).await?
    } else {
        cases::remove_contact(&mut tx, case.id, email.as_str()).await?
    };
    if !changed {
        return Err(if add {
            AppError::conflict("contact_already_on_case")
        } else {
            AppError::not_found()
        });
    }
    let kind = if add {
        "contact_added"
    } else {
        "contact_removed"
    };
    cases::event(
        &mut tx,
        case.id,
        Some(viewer.user_id()),
        kind,
        None,
        email.as_str(),
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    detail(ctx, user, number).await
}

pub async fn favorite(ctx: &Context, user: &SessionUser, number: &str, on: bool) -> AppResult<()> {
    let viewer = CaseViewer::of(user);
    let (mut tx, case) = for_update(ctx, &viewer, number).await?;
    cases::set_favorite(&mut tx, &viewer, case.id, on).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{parse_serial, parse_sort};
    use supportal_domain::FieldErrors;

    #[test]
    fn list_sort_and_serial_parameters() {
        assert_eq!(parse_sort(None).ok(), Some(("c.updated_at", true)));
        assert_eq!(
            parse_sort(Some("severity")).ok(),
            Some(("c.severity", false))
        );
        assert_eq!(parse_sort(Some("-case_id")).ok(), Some(("c.number", true)));
        for bad in ["password_hash", "--title", "", "-"] {
            let refused = parse_sort(Some(bad)).err().map(|e| e.fields);
            assert_eq!(
                refused,
                Some(FieldErrors::single("sort", "invalid_choice")),
                "{bad}"
            );
        }
        assert_eq!(parse_serial(None).ok(), Some(None));
        assert_eq!(parse_serial(Some("   ")).ok(), Some(None));
        let refused = parse_serial(Some("not a serial!"))
            .err()
            .map(|e| e.fields.0);
        assert_eq!(
            refused.map(|f| f[0].field.clone()),
            Some("serial".to_owned())
        );
    }
}
