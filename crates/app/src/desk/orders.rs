//! Parts orders and onsite service orders (SUP-3, CAS-9): the desk places and moves them, the
//! customer sees them with their status on the case page. Each change is a history event.

use super::work::desk_case;
use crate::cases::{CaseDetail, detail};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use supportal_domain::desk::{PartsStatus, ServiceStatus};
use supportal_domain::validation::{NAME_MAX, TEXT_MAX};
use supportal_domain::{FieldErrors, PartsOrderId, ServiceOrderId};
use supportal_store::cases::{self, CaseRow};
use supportal_store::desk::work::{self, NewPartsOrder};
use supportal_store::sessions::SessionUser;

/// A parts order to place.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartsBody {
    #[serde(default)]
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub quantity: i64,
    #[serde(default)]
    pub ship_to: Option<String>,
}

/// The case's parts address, else its equipment's address, on one line.
fn default_ship_to(case: &CaseRow) -> String {
    let parts = [
        case.parts_street.as_deref(),
        case.parts_postal_code.as_deref(),
        case.parts_city.as_deref(),
        case.parts_country.as_deref(),
    ];
    if parts.iter().all(Option::is_some) {
        return parts
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
    }
    [
        case.equipment_company.as_str(),
        case.equipment_street.as_str(),
        case.equipment_postal_code.as_str(),
        case.equipment_city.as_str(),
        case.equipment_country.as_str(),
    ]
    .join(", ")
}

/// Places a parts order, shipping to the case's parts address unless told otherwise.
pub async fn add_parts(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: PartsBody,
) -> AppResult<CaseDetail> {
    let mut errors = FieldErrors::new();
    let part_number = errors.required_text("part_number", &body.part_number, NAME_MAX);
    let description = errors.required_text("description", &body.description, TEXT_MAX);
    if !(1..=1000).contains(&body.quantity) {
        errors.add("quantity", "out_of_range");
    }
    let ship_to = body
        .ship_to
        .as_deref()
        .map(|s| crate::input::without_nul(s.trim()).into_owned())
        .filter(|s| !s.is_empty());
    if ship_to
        .as_ref()
        .is_some_and(|s| s.chars().count() > TEXT_MAX)
    {
        errors.add("ship_to", "too_long");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    let ship_to = ship_to.unwrap_or_else(|| default_ship_to(&case));
    let now = ctx.now();
    let order = NewPartsOrder {
        part_number: &part_number,
        description: &description,
        quantity: body.quantity,
        ship_to: &ship_to,
    };
    work::add_parts_order(&mut tx, case.id, &order, now).await?;
    let text = format!("{part_number} × {}: {description}", body.quantity);
    cases::event(
        &mut tx,
        case.id,
        Some(user.user_id()),
        "parts_ordered",
        None,
        &text,
        now,
    )
    .await?;
    tx.commit().await?;
    detail(ctx, user, number).await
}

/// A parts order's next status (`PATCH …/parts-orders/{id}`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartsPatch {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub tracking: Option<String>,
}

fn some(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| crate::input::without_nul(v).into_owned())
}

/// Moves a parts order on: shipping needs the carrier and the tracking number; an illegal move
/// is 409 `illegal_order_change`.
pub async fn update_parts(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    id: i64,
    body: PartsPatch,
) -> AppResult<CaseDetail> {
    let to = PartsStatus::parse(body.status.trim())
        .ok_or_else(|| AppError::field("status", "invalid_choice"))?;
    let (carrier, tracking) = (some(&body.carrier), some(&body.tracking));
    let mut errors = FieldErrors::new();
    if to == PartsStatus::Shipped {
        if carrier.is_none() {
            errors.add("carrier", "required");
        }
        if tracking.is_none() {
            errors.add("tracking", "required");
        }
    }
    for (field, value) in [("carrier", &carrier), ("tracking", &tracking)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > NAME_MAX) {
            errors.add(field, "too_long");
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    let order = work::parts_order(&mut tx, case.id, PartsOrderId(id))
        .await?
        .ok_or_else(AppError::not_found)?;
    let from = PartsStatus::parse(&order.status)
        .ok_or_else(|| AppError::internal("unknown parts order status"))?;
    if !from.may_become(to) {
        return Err(AppError::conflict("illegal_order_change"));
    }
    let now = ctx.now();
    work::update_parts_order(
        &mut tx,
        order.id,
        to.as_str(),
        carrier.as_deref(),
        tracking.as_deref(),
        now,
    )
    .await?;
    // The new status travels as the event's `status_to`, named in the reader's language.
    let mut text = order.part_number.clone();
    if let (Some(c), Some(t)) = (&carrier, &tracking) {
        text.push_str(&format!(" ({c} {t})"));
    }
    cases::event(
        &mut tx,
        case.id,
        Some(user.user_id()),
        "parts_order_changed",
        Some((from.as_str(), to.as_str())),
        &text,
        now,
    )
    .await?;
    tx.commit().await?;
    detail(ctx, user, number).await
}

/// An onsite visit to book.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServiceBody {
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
    #[serde(default)]
    pub engineer: String,
}

/// Books an onsite service visit: a window that ends after it starts, within a year.
pub async fn add_service(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    body: ServiceBody,
) -> AppResult<CaseDetail> {
    let mut errors = FieldErrors::new();
    let engineer = errors.required_text("engineer", &body.engineer, NAME_MAX);
    let now = ctx.now();
    let window = match (body.window_start, body.window_end) {
        (Some(start), Some(end)) if end <= start => {
            errors.add("window_end", "end_before_start");
            None
        }
        (Some(start), Some(end))
            if end - start > chrono::Duration::days(14)
                || (start - now).abs() > chrono::Duration::days(366) =>
        {
            errors.add("window_start", "out_of_range");
            None
        }
        (Some(start), Some(end)) => Some((start, end)),
        (start, end) => {
            if start.is_none() {
                errors.add("window_start", "required");
            }
            if end.is_none() {
                errors.add("window_end", "required");
            }
            None
        }
    };
    let (Some(window), true) = (window, errors.is_empty()) else {
        return Err(errors.into());
    };
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    work::add_service_order(&mut tx, case.id, window, &engineer, now).await?;
    let text = format!(
        "{} – {}: {engineer}",
        window.0.format("%Y-%m-%d %H:%M UTC"),
        window.1.format("%Y-%m-%d %H:%M UTC")
    );
    cases::event(
        &mut tx,
        case.id,
        Some(user.user_id()),
        "service_ordered",
        None,
        &text,
        now,
    )
    .await?;
    tx.commit().await?;
    detail(ctx, user, number).await
}

/// A service order's next status (`PATCH …/service-orders/{id}`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServicePatch {
    #[serde(default)]
    pub status: String,
}

pub async fn update_service(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
    id: i64,
    body: ServicePatch,
) -> AppResult<CaseDetail> {
    let to = ServiceStatus::parse(body.status.trim())
        .ok_or_else(|| AppError::field("status", "invalid_choice"))?;
    let (mut tx, case) = desk_case(ctx, user, number).await?;
    let order = work::service_order(&mut tx, case.id, ServiceOrderId(id))
        .await?
        .ok_or_else(AppError::not_found)?;
    let from = ServiceStatus::parse(&order.status)
        .ok_or_else(|| AppError::internal("unknown service order status"))?;
    if !from.may_become(to) {
        return Err(AppError::conflict("illegal_order_change"));
    }
    let now = ctx.now();
    work::set_service_status(&mut tx, order.id, to.as_str(), now).await?;
    cases::event(
        &mut tx,
        case.id,
        Some(user.user_id()),
        "service_order_changed",
        Some((from.as_str(), to.as_str())),
        &order.engineer,
        now,
    )
    .await?;
    tx.commit().await?;
    detail(ctx, user, number).await
}
