//! The first step of the case form (CAS-1): where the case starts from, and registering an
//! agreement from inside the form.

use crate::auth::PageUser;
use crate::entitlements;
use crate::error::AppResult;
use crate::forms::Form;
use crate::pages::{Chrome, Ctx};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "cases/new_start.html")]
pub(super) struct StartPage {
    c: Chrome,
    /// The agreement being registered from the form, kept when it is refused.
    access_id: String,
    agreement_id: String,
}

impl StartPage {
    pub(super) fn new(c: Chrome) -> StartPage {
        StartPage {
            c,
            access_id: String::new(),
            agreement_id: String::new(),
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct RegisterForm {
    #[serde(default)]
    access_id: String,
    #[serde(default)]
    agreement_id: String,
}

/// Registers an agreement from inside the case form (as the guide offers beside *Buy now*),
/// then goes on with a case started from it.
pub(super) async fn register_agreement(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<RegisterForm>,
) -> AppResult<Response> {
    match entitlements::register_agreement(&state, &user, &f.access_id, &f.agreement_id).await {
        Ok(view) => {
            let to = format!(
                "/cases/new/details?start=agreement&value={}",
                urlencoding::encode(&view.row.agreement_id)
            );
            Ok(crate::pages::redirect_flash(
                &to,
                "flash-agreement-registered",
            ))
        }
        Err(e) if e.is_server_error() => Err(e.into()),
        Err(e) => {
            let mut c = ctx.chrome(&state, "case-new-title").await?;
            if e.fields.is_empty() {
                c.error = Some(c.lang.error(e.code));
            } else {
                c = c.failed(e)?;
            }
            Ok(StartPage {
                c,
                access_id: f.access_id,
                agreement_id: f.agreement_id,
            }
            .into_response())
        }
    }
}

pub(super) async fn start_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(_): PageUser,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "case-new-title").await?;
    Ok(StartPage::new(c).into_response())
}
