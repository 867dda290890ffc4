//! Device alerts (PTN-5, PTN-6). A device's agent reports a hardware alert with its device token;
//! the alert goes to the device's end user (an in-app notification and an email with *View*)
//! unless the device is on a dashboard whose self-service alerts are off, when it goes to that
//! dashboard. *View* opens the alert by a link that needs no password and expires, or from the
//! signed-in user's notification; there the end user confirms contact details and submits the
//! repair case (`repair`).

use super::repair::{RepairBody, repair_case};
use crate::auth::{random_token, sha256_hex};
use crate::context::Context;
use crate::error::{AppError, AppResult, Kind};
use crate::i18n::Lang;
use crate::mail::{self, Message, plain, tn};
use chrono::Duration;
use serde::Deserialize;
use supportal_domain::notice::NoticeKind;
use supportal_domain::partner::{
    ALERT_CODE_MAX, ALERT_MESSAGE_MAX, ALERT_SEVERITIES, AlertRoute, alert_route,
};
use supportal_domain::{AlertId, FieldErrors};
use supportal_store::notices::NewNotice;
use supportal_store::partners::PartnerScope;
use supportal_store::partners::alerts::{self, AlertView, NewAlert};
use supportal_store::sessions::SessionUser;

/// How long a *View* link works.
pub const VIEW_DAYS: i64 = 14;
/// The most alerts one device may report in an hour; more is 429.
pub const ALERTS_PER_HOUR: i64 = 120;

/// `POST /devices/{serial}/alerts`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AlertBody {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub component: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub message: String,
}

pub struct Receipt {
    pub alert_id: AlertId,
    pub routed_to: AlertRoute,
    /// The *View* link for the agent's pop-up (end-user alerts only).
    pub view_url: Option<String>,
}

fn unknown_device() -> AppError {
    AppError::new(Kind::Unauthenticated, "invalid_device_token")
}

/// Takes an alert from a device's agent. The token must be that device's: any other answers 401
/// like an unknown token.
pub async fn report(
    ctx: &Context,
    token: Option<&str>,
    serial: &str,
    body: AlertBody,
) -> AppResult<Receipt> {
    let token = token
        .filter(|t| t.starts_with("sdev_") && t.len() < 200)
        .ok_or_else(unknown_device)?;
    let mut errors = FieldErrors::new();
    let clean = |s: &str| crate::input::without_nul(s).into_owned();
    let code = errors.required_text("code", &clean(&body.code), ALERT_CODE_MAX);
    let component = errors.required_text("component", &clean(&body.component), ALERT_CODE_MAX);
    let severity = body.severity.trim().to_ascii_lowercase();
    if severity.is_empty() {
        errors.add("severity", "required");
    } else if !ALERT_SEVERITIES.contains(&severity.as_str()) {
        errors.add("severity", "invalid_choice");
    }
    let message = errors.required_text("message", &clean(&body.message), ALERT_MESSAGE_MAX);
    let now = ctx.now();
    // What the alert needs to know is read first, so the write holds the writer only for the
    // alert, its notification and its email.
    let mut read = ctx.db.read().await?;
    let agent = alerts::agent(&mut read, &sha256_hex(token), ALERTS_PER_HOUR)
        .await?
        .filter(|a| a.serial_number.eq_ignore_ascii_case(serial.trim()));
    let Some(agent) = agent else {
        read.rollback().await?;
        return Err(unknown_device());
    };
    // A device that reports without pause would flood its end user: a cap per hour.
    if let Some(at) = agent.cap_reached_at
        && at > now - Duration::hours(1)
    {
        read.rollback().await?;
        let wait = (at + Duration::hours(1) - now).num_seconds().max(1);
        return Err(AppError::throttled("too_many_requests", wait));
    }
    let account = match &agent.end_user_email {
        Some(email) => alerts::user_by_email(&mut read, email).await?,
        None => None,
    };
    read.rollback().await?;
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let route = alert_route(agent.dashboard_id.and(agent.self_service));
    let mut tx = ctx.db.begin().await?;
    let view_token = random_token();
    let alert_id = alerts::record(
        &mut tx,
        &agent,
        &NewAlert {
            code: &code,
            component: &component,
            severity: &severity,
            message: &message,
            routed_to: route.as_str(),
            view_token_hash: &sha256_hex(&view_token),
            view_expires_at: now + Duration::days(VIEW_DAYS),
        },
        now,
    )
    .await?;
    let view_url = format!("{}/alerts/view/{view_token}", ctx.config.base_url);
    if route == AlertRoute::EndUser
        && let Some(email) = &agent.end_user_email
    {
        let message = Message::to_anyone(
            email.clone(),
            tn(
                "mail-alert-subject",
                [("serial", plain(&agent.serial_number))],
            ),
        )
        .paragraph(tn(
            "mail-alert-body",
            [
                ("serial", plain(&agent.serial_number)),
                ("component", plain(&component)),
                ("code", plain(&code)),
            ],
        ))
        .paragraph(crate::mail::Text::Verbatim(message.clone()))
        .secret_link(view_url.clone());
        match account {
            Some(user) => {
                let notice = NewNotice {
                    kind: NoticeKind::DeviceAlert,
                    case: None,
                    alert: Some(alert_id.get()),
                    subject_id: None,
                    detail: None,
                };
                crate::notices::tell(ctx, &mut tx, user, &notice, Some(message)).await?;
            }
            None => mail::queue(ctx, &mut tx, message).await?,
        }
    }
    tx.commit().await?;
    Ok(Receipt {
        alert_id,
        routed_to: route,
        view_url: (route == AlertRoute::EndUser).then_some(view_url),
    })
}

/// The alert a *View* link opens; 404 once the link expired or for a made-up one.
pub async fn by_link(ctx: &Context, token: &str) -> AppResult<AlertView> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::not_found());
    }
    let mut tx = ctx.db.read().await?;
    let view = alerts::by_view_token(&mut tx, &sha256_hex(token), ctx.now()).await?;
    tx.rollback().await?;
    view.ok_or_else(AppError::not_found)
}

/// An alert the signed-in user was notified of.
pub async fn notified(ctx: &Context, user: &SessionUser, id: AlertId) -> AppResult<AlertView> {
    let mut tx = ctx.db.read().await?;
    let view = alerts::notified(&mut tx, user.user_id(), id).await?;
    tx.rollback().await?;
    view.ok_or_else(AppError::not_found)
}

/// An alert on one of the partner's devices (its dashboard's, when self-service is off).
pub async fn for_partner(ctx: &Context, scope: &PartnerScope, id: AlertId) -> AppResult<AlertView> {
    let mut tx = ctx.db.read().await?;
    let view = alerts::for_partner(&mut tx, scope, id).await?;
    tx.rollback().await?;
    view.ok_or_else(AppError::not_found)
}

/// Submits the repair case of an alert opened by its link (no account needed).
pub async fn submit_by_link(
    ctx: &Context,
    lang: &Lang,
    token: &str,
    body: RepairBody,
) -> AppResult<String> {
    let view = by_link(ctx, token).await?;
    repair_case(ctx, lang, &view, body, None).await
}

/// Submits the repair case of an alert from the signed-in user's notification.
pub async fn submit_notified(
    ctx: &Context,
    lang: &Lang,
    user: &SessionUser,
    id: AlertId,
    body: RepairBody,
) -> AppResult<String> {
    let view = notified(ctx, user, id).await?;
    repair_case(ctx, lang, &view, body, Some(user.user_id())).await
}

/// The partner submits the repair case of an alert its dashboard received.
pub async fn submit_for_partner(
    ctx: &Context,
    lang: &Lang,
    user: &SessionUser,
    scope: &PartnerScope,
    id: AlertId,
    body: RepairBody,
) -> AppResult<String> {
    let view = for_partner(ctx, scope, id).await?;
    repair_case(ctx, lang, &view, body, Some(user.user_id())).await
}
