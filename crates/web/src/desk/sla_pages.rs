//! The service-level part of `/admin/desk`: operator admins add business-hours calendars and set
//! targets per coverage and severity.

use crate::auth::PageUser;
use crate::error::{AppError, AppResult};
use crate::forms::Form;
use crate::pages::{Ctx, redirect_flash};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use std::collections::BTreeMap;
use supportal_app::desk::sla::{self, CalendarBody, SlaBody};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/desk/calendars", post(create_calendar))
        .route("/admin/desk/slas", post(put_sla))
}

/// The calendar form: a line of ranges per weekday (`08:00-12:00, 13:00-17:00`), holidays one
/// per line or separated by commas.
#[derive(Deserialize, Default)]
struct CalendarForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    mon: String,
    #[serde(default)]
    tue: String,
    #[serde(default)]
    wed: String,
    #[serde(default)]
    thu: String,
    #[serde(default)]
    fri: String,
    #[serde(default)]
    sat: String,
    #[serde(default)]
    sun: String,
    #[serde(default)]
    holidays: String,
}

fn list(text: &str) -> Vec<String> {
    text.split([',', '\n', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn failed(
    state: &AppState,
    ctx: &Ctx,
    user: &supportal_store::sessions::SessionUser,
    e: AppError,
) -> AppResult<Response> {
    let staff = crate::admin::staff(user, true)?;
    let c = ctx.chrome(state, "desk-title").await?.failed(e)?;
    super::pages::render_plain(state, c, &staff).await
}

async fn create_calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<CalendarForm>,
) -> AppResult<Response> {
    let staff = crate::admin::staff(&user, true)?;
    let mut hours = BTreeMap::new();
    for (day, text) in [
        ("mon", &f.mon),
        ("tue", &f.tue),
        ("wed", &f.wed),
        ("thu", &f.thu),
        ("fri", &f.fri),
        ("sat", &f.sat),
        ("sun", &f.sun),
    ] {
        let ranges = list(text);
        if !ranges.is_empty() {
            hours.insert(day.to_owned(), ranges);
        }
    }
    let body = CalendarBody {
        name: f.name.clone(),
        time_zone: f.time_zone.clone(),
        hours,
        holidays: list(&f.holidays),
    };
    match sla::create_calendar(&state, &staff, body).await {
        Ok(_) => Ok(redirect_flash("/admin/desk", "flash-calendar-created")),
        Err(e) => failed(&state, &ctx, &user, e).await,
    }
}

async fn put_sla(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<SlaBody>,
) -> AppResult<Response> {
    let staff = crate::admin::staff(&user, true)?;
    match sla::put_sla(&state, &staff, f).await {
        Ok(_) => Ok(redirect_flash("/admin/desk", "flash-sla-saved")),
        Err(e) => failed(&state, &ctx, &user, e).await,
    }
}
