//! The notifications page behind the bell, opening one, marking them read, and the page where
//! a person chooses per kind where notifications go.

use crate::auth::PageUser;
use crate::error::AppResult;
use crate::forms::{ApiPath, Form};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use supportal_app::notices::{self, Page};
use supportal_domain::notice::{Delivery, NoticeKind};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list_page))
        .route("/notifications/read", post(mark_all))
        .route(
            "/notifications/settings",
            get(settings_page).post(save_settings),
        )
        .route("/notifications/{id}", get(open))
}

/// A notification as the page shows it.
struct Item {
    id: i64,
    title: String,
    at: String,
    read: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Item>,
    unread: i64,
    unread_only: bool,
    next: Option<i64>,
}

async fn list_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(p): Query<super::api::ListParams>,
) -> AppResult<Response> {
    let Page {
        items,
        unread,
        next,
    } = notices::list(&state, &user, p.before, p.unread).await?;
    let c = ctx.chrome(&state, "notices-title").await?;
    let items = items
        .iter()
        .map(|n| Item {
            id: n.id,
            title: notices::title(&ctx.lang, n),
            at: c.when(&n.created_at),
            read: n.read_at.is_some(),
        })
        .collect();
    Ok(ListPage {
        c,
        items,
        unread,
        unread_only: p.unread,
        next,
    }
    .into_response())
}

/// Opens a notification: marks it read and goes to the thing itself.
async fn open(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let to = notices::open(&state, &user, id).await?;
    Ok(Redirect::to(&to).into_response())
}

#[derive(serde::Deserialize)]
struct NoFields {}

async fn mark_all(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(_): Form<NoFields>,
) -> AppResult<Response> {
    notices::mark_read(&state, &user, None).await?;
    Ok(redirect_flash("/notifications", "flash-notices-read"))
}

/// One kind's row on the settings page: its field name, its label and where it goes now.
struct Choice {
    kind: &'static str,
    label: String,
    delivery: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/settings.html")]
struct SettingsPage {
    c: Chrome,
    choices: Vec<Choice>,
    /// Each delivery with its label.
    deliveries: Vec<(&'static str, String)>,
}

impl SettingsPage {
    fn new(c: Chrome, choices: &[(NoticeKind, Delivery)]) -> SettingsPage {
        let hyphens = |s: &str| s.replace('_', "-");
        SettingsPage {
            choices: choices
                .iter()
                .map(|(k, d)| Choice {
                    kind: k.as_str(),
                    label: c.tp("notice-kind-", &hyphens(k.as_str())),
                    delivery: d.as_str(),
                })
                .collect(),
            deliveries: Delivery::ALL
                .iter()
                .map(|d| (d.as_str(), c.tp("notice-delivery-", &hyphens(d.as_str()))))
                .collect(),
            c,
        }
    }
}

async fn settings_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let choices = notices::settings(&state, &user).await?;
    let c = ctx.chrome(&state, "notices-settings-title").await?;
    Ok(SettingsPage::new(c, &choices).into_response())
}

async fn save_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let choices: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "csrf").collect();
    match notices::save_settings(&state, &user, &choices).await {
        Ok(_) => Ok(redirect_flash(
            "/notifications/settings",
            "flash-notices-settings-saved",
        )),
        Err(e) => {
            let choices = notices::settings(&state, &user).await?;
            let c = ctx
                .chrome(&state, "notices-settings-title")
                .await?
                .failed(e)?;
            Ok(SettingsPage::new(c, &choices).into_response())
        }
    }
}
