//! The engineer's console in the browser: `/desk` (my queues and a queue list) and the desk
//! panel's forms on a case page (`/cases/{id}/desk/…`), each answered by a redirect back to the
//! case with a notice, or the case page again with the problem.

use crate::auth::PageUser;
use crate::cases::pages::{back, render_case};
use crate::error::{AppError, AppResult};
use crate::forms::{ApiPath, Form};
use crate::pages::{Chrome, Ctx};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{NaiveDateTime, TimeZone};
use serde::Deserialize;
use supportal_app::desk::orders::{self, PartsBody, PartsPatch, ServiceBody, ServicePatch};
use supportal_app::desk::work::{
    self, AssignBody, DeskPage, DeskParams, RefundBody, ReplyBody, SeverityBody, StatusBody,
};
use supportal_store::desk::work::QueueCounts;
use supportal_store::sessions::SessionUser;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk", get(console))
        .route("/cases/{case_id}/desk/assign", post(assign))
        .route("/cases/{case_id}/desk/reply", post(reply))
        .route("/cases/{case_id}/desk/status", post(status))
        .route("/cases/{case_id}/desk/severity", post(severity))
        .route("/cases/{case_id}/desk/refund", post(refund))
        .route("/cases/{case_id}/desk/parts", post(add_parts))
        .route("/cases/{case_id}/desk/parts/{id}", post(update_parts))
        .route("/cases/{case_id}/desk/service", post(add_service))
        .route("/cases/{case_id}/desk/service/{id}", post(update_service))
}

#[derive(Template, WebTemplate)]
#[template(path = "desk/console.html")]
struct ConsolePage {
    c: Chrome,
    queues: Vec<QueueCounts>,
    p: DeskParams,
    page: DeskPage,
    offset: i64,
    notices: Vec<supportal_store::notices::NotificationRow>,
}

impl ConsolePage {
    fn notice_title(&self, n: &supportal_store::notices::NotificationRow) -> String {
        supportal_app::notices::title(&self.c.lang, n)
    }

    fn value(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }

    fn chosen(&self, current: &str, option: &str) -> bool {
        current == option
    }

    fn queue(&self) -> String {
        self.p.queue_id.map(|q| q.to_string()).unwrap_or_default()
    }

    fn assignee(&self) -> &str {
        Self::value(&self.p.assignee)
    }

    fn status(&self) -> &str {
        Self::value(&self.p.status)
    }

    fn sla(&self) -> &str {
        Self::value(&self.p.sla)
    }

    fn statuses(&self) -> [&'static str; 8] {
        [
            "new",
            "assigned",
            "in_progress",
            "waiting_on_customer",
            "reopened",
            "resolved",
            "closed",
            "cancelled",
        ]
    }

    /// The list's link with another cursor (or queue), keeping the filters.
    fn link(&self, queue: Option<i64>, cursor: i64) -> String {
        let mut link = String::from("/desk?");
        if let Some(q) = queue {
            link.push_str(&format!("queue_id={q}&"));
        }
        for (name, value) in [
            ("assignee", &self.p.assignee),
            ("status", &self.p.status),
            ("sla", &self.p.sla),
            ("sort", &self.p.sort),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                link.push_str(&format!("{name}={}&", urlencoding::encode(v)));
            }
        }
        if cursor > 0 {
            link.push_str(&format!("cursor={cursor}"));
        }
        link.trim_end_matches(['&', '?']).to_owned()
    }
}

async fn console(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(p): Query<DeskParams>,
) -> AppResult<Response> {
    let queues = work::queues(&state, &user).await?;
    let mut c = ctx.chrome(&state, "desk-console-title").await?;
    let page = match work::list(&state, &user, &p).await {
        Ok(page) => page,
        Err(e) if e.kind == supportal_app::error::Kind::Invalid => {
            c = c.failed(e)?;
            DeskPage {
                items: Vec::new(),
                next_cursor: None,
            }
        }
        Err(e) => return Err(e.into()),
    };
    let offset = p
        .cursor
        .as_deref()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut notices = supportal_app::notices::list(&state, &user, None, false)
        .await?
        .items;
    notices.truncate(10);
    Ok(ConsolePage {
        c,
        queues,
        p,
        page,
        offset,
        notices,
    }
    .into_response())
}

/// Back to the case with a notice when the action worked; the case page with the problem when
/// the input was wrong or the move illegal.
async fn answer<T>(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    number: &str,
    result: Result<T, AppError>,
    flash: &str,
) -> AppResult<Response> {
    match result {
        Ok(_) => Ok(back(number, flash)),
        Err(e) if e.is_server_error() || e.kind == supportal_app::error::Kind::NotFound => {
            Err(e.into())
        }
        Err(e) if e.kind == supportal_app::error::Kind::Forbidden => Err(e.into()),
        Err(e) => render_case(state, ctx, user, number, false, Some(e)).await,
    }
}

/// `answer` for the changes that can route a case to a queue the engineer does not work
/// (assigning to another queue, a severity that re-routes): out of their sight, they go back to
/// the console with a notice rather than to a page they may no longer open.
async fn answer_moved<T>(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    number: &str,
    result: Result<T, AppError>,
    flash: &str,
) -> AppResult<Response> {
    if result.is_ok()
        && let Err(e) = supportal_app::cases::detail(state, user, number).await
        && e.kind == supportal_app::error::Kind::NotFound
    {
        return Ok(crate::pages::redirect_flash("/desk", "flash-case-moved"));
    }
    answer(state, ctx, user, number, result, flash).await
}

async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<AssignBody>,
) -> AppResult<Response> {
    let result = work::assign(&state, &user, &number, f).await;
    answer_moved(&state, &ctx, &user, &number, result, "flash-case-updated").await
}

async fn reply(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<ReplyBody>,
) -> AppResult<Response> {
    let flash = if f.internal {
        "flash-note-added"
    } else {
        "flash-reply-sent"
    };
    let result = work::reply(&state, &user, &number, f).await;
    answer(&state, &ctx, &user, &number, result, flash).await
}

async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<StatusBody>,
) -> AppResult<Response> {
    let result = work::set_status(&state, &user, &number, f).await;
    answer(&state, &ctx, &user, &number, result, "flash-case-updated").await
}

async fn severity(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<SeverityBody>,
) -> AppResult<Response> {
    let result = work::set_severity(&state, &user, &number, f).await;
    answer_moved(&state, &ctx, &user, &number, result, "flash-case-updated").await
}

async fn refund(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<RefundBody>,
) -> AppResult<Response> {
    let result = work::refund(&state, &user, &number, f).await;
    answer(
        &state,
        &ctx,
        &user,
        &number,
        result,
        "flash-incident-refunded",
    )
    .await
}

async fn add_parts(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<PartsBody>,
) -> AppResult<Response> {
    let result = orders::add_parts(&state, &user, &number, f).await;
    answer(&state, &ctx, &user, &number, result, "flash-part-ordered").await
}

async fn update_parts(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath((number, id)): ApiPath<(String, i64)>,
    Form(f): Form<PartsPatch>,
) -> AppResult<Response> {
    let result = orders::update_parts(&state, &user, &number, id, f).await;
    answer(&state, &ctx, &user, &number, result, "flash-case-updated").await
}

/// The visit form's local times (`datetime-local`), read in the operator's time zone.
#[derive(Deserialize, Default)]
struct ServiceForm {
    #[serde(default)]
    window_start: String,
    #[serde(default)]
    window_end: String,
    #[serde(default)]
    engineer: String,
}

fn local_time(state: &AppState, text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M").ok()?;
    state
        .config
        .time_zone
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

async fn add_service(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(number): ApiPath<String>,
    Form(f): Form<ServiceForm>,
) -> AppResult<Response> {
    let body = ServiceBody {
        window_start: local_time(&state, &f.window_start),
        window_end: local_time(&state, &f.window_end),
        engineer: f.engineer,
    };
    let result = orders::add_service(&state, &user, &number, body).await;
    answer(&state, &ctx, &user, &number, result, "flash-visit-booked").await
}

async fn update_service(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath((number, id)): ApiPath<(String, i64)>,
    Form(f): Form<ServicePatch>,
) -> AppResult<Response> {
    let result = orders::update_service(&state, &user, &number, id, f).await;
    answer(&state, &ctx, &user, &number, result, "flash-case-updated").await
}
