//! Opening a case once `prepare` has checked it: the case, the spent incident, the history entry
//! and the confirmation email are written in one transaction; if one fails, nothing remains.

use super::CaseDetail;
use super::input::CaseInput;
use super::prepare::{Prepared, prepare};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Message, Text, Value, plain, tn};
use supportal_store::cases;
use supportal_store::sessions::SessionUser;

/// The case `user` opened with `key` before, if any.
async fn opened_with(
    ctx: &Context,
    user: &SessionUser,
    key: Option<&str>,
) -> AppResult<Option<CaseDetail>> {
    let Some(key) = key else { return Ok(None) };
    let mut tx = ctx.db.read().await?;
    let earlier = cases::by_idempotency_key(&mut tx, user.user_id(), key).await?;
    tx.rollback().await?;
    match earlier {
        Some(number) => super::detail(ctx, user, &number).await.map(Some),
        None => Ok(None),
    }
}

/// Opens a case. With an `idempotency_key` seen before from this user, returns that case.
pub async fn create(
    ctx: &Context,
    user: &SessionUser,
    input: CaseInput,
    files: Vec<super::attachments::Incoming>,
    idempotency_key: Option<&str>,
) -> AppResult<CaseDetail> {
    if let Some(earlier) = opened_with(ctx, user, idempotency_key).await? {
        return Ok(earlier);
    }
    let files = super::attachments::check(files, true)?;
    let mut prepared = prepare(ctx, user, input).await?;
    let now = ctx.now();
    plan(ctx, &mut prepared, now).await?;
    let keys = super::attachments::store(ctx, &files).await?;
    let with_files = !files.is_empty();
    let written = async {
        // Without files the opening is one statement, its own transaction on PostgreSQL.
        let mut tx = match with_files {
            true => ctx.db.begin().await?,
            false => ctx.db.single().await?,
        };
        let case_id = write(
            ctx,
            &mut tx,
            Some(user.user_id()),
            &mut prepared,
            now,
            idempotency_key,
        )
        .await??;
        if with_files {
            super::attachments::record(&mut tx, case_id, &files, &keys, user.user_id(), now)
                .await?;
        }
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    if let Err(e) = written.await {
        super::attachments::forget(ctx, &keys).await;
        // The same key sent twice at once: the other request opened the case; answer with it.
        return match opened_with(ctx, user, idempotency_key).await? {
            Some(earlier) => Ok(earlier),
            None => Err(e),
        };
    }
    ctx.mail_wakeup.notify_one();
    let mut additional_contacts: Vec<String> =
        prepared.additional.iter().map(|e| e.to_string()).collect();
    additional_contacts.sort();
    let opened = super::Opened {
        additional_contacts,
        with_files,
        history: vec![cases::EventRow {
            at: now,
            actor: Some(user.name.clone()),
            kind: "created".into(),
            status_from: Some(String::new()),
            status_to: Some("new".into()),
            body: String::new(),
            from_support: user.staff_role().is_some(),
            internal: false,
            author_email: None,
        }],
    };
    super::read_detail(ctx, user, &prepared.number, Some(opened)).await
}

/// Decides where a prepared case starts on the desk (queue and service-level clocks), reading
/// before the write.
pub async fn plan(
    ctx: &Context,
    prepared: &mut Prepared,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let clock = crate::desk::sla::ClockFacts {
        coverage: &prepared.coverage,
        severity: prepared.new.severity,
        handling_24x7: prepared.new.handling_24x7,
        opened: now,
        waiting: false,
    };
    let start = crate::desk::opening(ctx, &prepared.routing, prepared.new.pin_id, &clock).await?;
    prepared.desk = Some(start);
    Ok(())
}

/// Writes a prepared and planned case in `tx`, in one statement (see `cases::open`): the case
/// in its queue with its clocks, the spent incident, the additional contacts, the history entry,
/// the confirmation email and the idempotency key. `Ok(Err(no_units))` when the agreement ran
/// out since it was checked; the caller rolls back.
pub async fn write(
    ctx: &Context,
    tx: &mut supportal_store::Tx,
    actor: Option<supportal_domain::UserId>,
    prepared: &mut Prepared,
    now: chrono::DateTime<chrono::Utc>,
    idempotency_key: Option<&str>,
) -> AppResult<AppResult<cases::CaseKey>> {
    let Prepared {
        new,
        kind,
        entitlement_id,
        additional,
        product_name,
        desk,
        ..
    } = &*prepared;
    let desk = desk
        .as_ref()
        .ok_or_else(|| AppError::internal("a case written before its desk plan"))?;
    let contacts: Vec<String> = additional.iter().map(|e| e.to_string()).collect();
    // A drawn number may be taken already (rarely): draw again, the email with it.
    for _ in 0..8 {
        let number = cases::new_number();
        let message = Message::to(
            new.primary_email.clone(),
            &new.primary_name,
            tn(
                "mail-case-created-subject",
                [("number", plain(&number)), ("title", plain(&new.title))],
            ),
        )
        .paragraph(tn(
            "mail-case-created-body",
            [
                ("number", plain(&number)),
                ("product", plain(product_name)),
                ("severity", plain(new.severity)),
            ],
        ))
        .paragraph(Text::Verbatim(new.title.clone()))
        .paragraph(tn("mail-case-opened-at", [("time", Value::Time(now))]))
        .highlight(&number)
        .link(format!("{}/cases/{number}", ctx.config.base_url));
        let opening = cases::Opening {
            case: new,
            number: &number,
            actor,
            mail: &mail::stored(message)?,
            agreement: (kind == "agreement")
                .then_some(supportal_domain::AgreementId(*entitlement_id)),
            desk,
            contacts: &contacts,
            idempotency_key,
            now,
        };
        let case_id = match cases::open(tx, &opening).await? {
            cases::Opened::Done { case_id } => case_id,
            cases::Opened::NumberTaken => continue,
            cases::Opened::NoUnits => return Ok(Err(AppError::conflict("no_units"))),
        };
        prepared.number = number;
        return Ok(Ok(case_id));
    }
    Err(AppError::internal("no free case number after eight draws"))
}
