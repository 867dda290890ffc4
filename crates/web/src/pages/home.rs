//! The home page: a welcome for visitors, a dashboard for signed-in users.

use super::{Chrome, Ctx, needs_onboarding};
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    pending: Option<String>,
    profile_missing: bool,
    /// Hardware alerts of the reader's devices (PTN-5), each with its *View*.
    alerts: Vec<supportal_store::notices::NotificationRow>,
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let c = ctx.chrome(&state, "home-title").await?;
    if let Some(redirect) = needs_onboarding(&c) {
        return Ok(redirect);
    }
    let pending =
        c.me.as_ref()
            .and_then(|m| {
                m.memberships
                    .iter()
                    .find(|m| m.active && m.status == "pending")
            })
            .map(|m| m.company_name.clone());
    let profile_missing = match (&ctx.user, c.company_id()) {
        (Some(user), Some(_)) => {
            let mut tx = state.db.read().await?;
            let profile = supportal_store::profiles::get(&mut tx, user.user_id()).await?;
            tx.rollback().await?;
            profile.is_none()
        }
        _ => false,
    };
    let alerts = match &ctx.user {
        Some(user) => supportal_app::notices::list(&state, user, None, false)
            .await?
            .items
            .into_iter()
            .filter(|n| n.alert_id.is_some())
            .take(10)
            .collect(),
        None => Vec::new(),
    };
    Ok(Home {
        c,
        pending,
        profile_missing,
        alerts,
    }
    .into_response())
}
