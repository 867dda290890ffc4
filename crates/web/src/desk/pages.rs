//! The desk setup page (`/admin/desk`): operator admins see and add queues and routing rules.

use super::{QueueBody, RuleBody, WhenBody};
use crate::auth::PageUser;
use crate::error::{AppError, AppResult};
use crate::forms::Form;
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_domain::profile::LANGUAGES;
use supportal_store::StaffScope;
use supportal_store::desk::{QueueRow, RuleRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/desk", get(desk_page))
        .route("/admin/desk/queues", post(create_queue))
        .route("/admin/desk/rules", post(create_rule))
}

#[derive(Deserialize, Default)]
struct QueueForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    engineers: String,
    #[serde(default)]
    language: String,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    default: bool,
}

#[derive(Deserialize, Default)]
struct RuleForm {
    #[serde(default)]
    position: String,
    #[serde(default)]
    queue_id: String,
    #[serde(default, rename = "when.product_line")]
    product_line: String,
    #[serde(default, rename = "when.country")]
    country: String,
    #[serde(default, rename = "when.language")]
    language: String,
    #[serde(default, rename = "when.severity")]
    severity: String,
    #[serde(default, rename = "when.coverage_24x7")]
    coverage_24x7: String,
    #[serde(default, rename = "when.pin")]
    pin: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/desk.html")]
struct DeskPage {
    c: Chrome,
    queues: Vec<QueueRow>,
    rules: Vec<RuleRow>,
    q: QueueForm,
    r: RuleForm,
    languages: [&'static str; 5],
    calendars: Vec<supportal_store::desk::sla::CalendarRow>,
    slas: Vec<supportal_store::desk::sla::SlaRow>,
}

impl DeskPage {
    /// A calendar's hours as the reader reads them: each working day by its name and its
    /// spans (`Mon 08:00-17:00`), in the week's order.
    fn hours_of(&self, k: &supportal_store::desk::sla::CalendarRow) -> String {
        let hours: std::collections::HashMap<String, Vec<String>> =
            serde_json::from_str(&k.hours).unwrap_or_default();
        supportal_domain::sla::WEEKDAYS
            .iter()
            .filter_map(|day| {
                let spans = hours.get(*day).filter(|s| !s.is_empty())?;
                Some(format!(
                    "{} {}",
                    self.c.tp("weekday-", day),
                    spans.join(", ")
                ))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A calendar's holidays as the reader writes dates.
    fn holidays_of(&self, k: &supportal_store::desk::sla::CalendarRow) -> String {
        let days: Vec<chrono::NaiveDate> = serde_json::from_str(&k.holidays).unwrap_or_default();
        days.iter()
            .map(|d| self.c.day(d))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn weekdays(&self) -> [&'static str; 7] {
        supportal_domain::sla::WEEKDAYS
    }

    fn coverages(&self) -> [&'static str; 4] {
        supportal_domain::desk::SLA_COVERAGES
    }

    fn calendar_name(&self, id: &Option<i64>) -> String {
        match id {
            Some(id) => self
                .calendars
                .iter()
                .find(|c| c.id.get() == *id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            None => self.c.t("desk-round-the-clock"),
        }
    }

    /// A rule's conditions as people read them.
    fn conditions(&self, rule: &RuleRow) -> String {
        let c = &self.c;
        let mut parts = Vec::new();
        let mut add =
            |label: &str, value: String| parts.push(format!("{} {value}", c.colon(&c.t(label))));
        if let Some(v) = &rule.product_line {
            add("label-product-line", v.clone());
        }
        if let Some(v) = &rule.country {
            add("label-country", v.clone());
        }
        if let Some(v) = &rule.language {
            add("label-language", c.t(&format!("language-{v}")));
        }
        if let Some(v) = rule.severity {
            add("cases-col-severity", v.to_string());
        }
        if let Some(v) = rule.coverage_24x7 {
            add(
                "label-coverage-24x7",
                c.t(if v { "desk-yes" } else { "desk-no" }),
            );
        }
        if let Some(v) = rule.company_id {
            add("label-company-id", v.to_string());
        }
        if let Some(v) = &rule.pin {
            add("label-pin", v.clone());
        }
        if parts.is_empty() {
            c.t("desk-every-case")
        } else {
            parts.join(" · ")
        }
    }
}

pub(super) async fn render_plain(
    state: &AppState,
    c: Chrome,
    staff: &StaffScope,
) -> AppResult<Response> {
    render(state, c, staff, QueueForm::default(), RuleForm::default()).await
}

async fn render(
    state: &AppState,
    c: Chrome,
    staff: &StaffScope,
    q: QueueForm,
    r: RuleForm,
) -> AppResult<Response> {
    Ok(DeskPage {
        c,
        queues: super::queues(state, staff).await?,
        rules: super::rules(state, staff).await?,
        q,
        r,
        languages: LANGUAGES,
        calendars: supportal_app::desk::sla::calendars(state, staff).await?,
        slas: supportal_app::desk::sla::slas(state, staff).await?,
    }
    .into_response())
}

async fn desk_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let staff = crate::admin::staff(&user, true)?;
    let c = ctx.chrome(&state, "desk-title").await?;
    render(&state, c, &staff, QueueForm::default(), RuleForm::default()).await
}

fn split_emails(text: &str) -> Vec<String> {
    text.split([',', '\n', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn create_queue(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<QueueForm>,
) -> AppResult<Response> {
    let staff = crate::admin::staff(&user, true)?;
    let body = QueueBody {
        name: f.name.clone(),
        engineers: split_emails(&f.engineers),
        language: Some(f.language.clone()),
        default: f.default,
    };
    match super::create_queue(&state, &staff, body).await {
        Ok(_) => Ok(redirect_flash("/admin/desk", "flash-queue-created")),
        Err(e) => {
            let c = ctx.chrome(&state, "desk-title").await?.failed(e)?;
            render(&state, c, &staff, f, RuleForm::default()).await
        }
    }
}

/// A number typed in a form; an empty field is none, anything else unreadable is refused.
fn number(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| AppError::field(field, "not_a_number")),
    }
}

async fn create_rule(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<RuleForm>,
) -> AppResult<Response> {
    let staff = crate::admin::staff(&user, true)?;
    let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let body = (|| {
        Ok::<_, AppError>(RuleBody {
            position: number("position", &f.position)?.unwrap_or_default(),
            queue_id: number("queue_id", &f.queue_id)?.unwrap_or_default(),
            when: WhenBody {
                product_line: given(&f.product_line),
                country: given(&f.country),
                language: given(&f.language),
                severity: number("when.severity", &f.severity)?,
                coverage_24x7: match f.coverage_24x7.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
                company_id: None,
                pin: given(&f.pin),
            },
        })
    })();
    let created = match body {
        Ok(body) => super::create_rule(&state, &staff, body).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match created {
        Ok(()) => Ok(redirect_flash("/admin/desk", "flash-rule-created")),
        Err(e) => {
            let c = ctx.chrome(&state, "desk-title").await?.failed(e)?;
            render(&state, c, &staff, QueueForm::default(), f).await
        }
    }
}
