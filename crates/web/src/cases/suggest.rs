//! Articles suggested while a case is written (KB-1). The details step lists them for the title
//! and description typed so far (its *Find articles* button re-renders it, so it works without
//! script); `static/suggest.js` refreshes the list while typing from `/articles/suggest`. Each
//! link carries the form's draft token, so the draft records what was opened; *My problem is
//! solved* withdraws the draft, which after reading one counts as deflected.

use super::form::CaseForm;
use crate::auth::{MaybePageUser, PageUser};
use crate::error::AppResult;
use crate::forms::Form;
use crate::pages::redirect_flash;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_app::knowledge::{self, Find, FromDraft, Hit};
use supportal_store::catalog::ProductRow;
use supportal_store::sessions::SessionUser;

/// Suggestions a form shows at most.
const SHOWN: usize = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/new/withdraw", post(withdraw))
        .route("/articles/suggest", get(suggest))
}

/// What the details step shows: the product the suggestions are for, and the suggestions.
pub struct Suggestions {
    pub product_id: Option<i64>,
    pub items: Vec<Hit>,
}

impl Suggestions {
    /// An article's link from this draft.
    pub fn link(&self, id: &supportal_domain::ArticleId, draft: &str) -> String {
        match self.product_id {
            Some(p) => format!("/articles/{id}?draft={draft}&product_id={p}"),
            None => format!("/articles/{id}?draft={draft}"),
        }
    }
}

/// The suggestions for the form as typed so far; gives the form a draft token when it has none.
pub async fn for_form(
    state: &AppState,
    user: &SessionUser,
    f: &mut CaseForm,
    product: Option<&ProductRow>,
) -> AppResult<Suggestions> {
    if !knowledge::draft_token(&f.draft) {
        f.draft = supportal_app::auth::random_token()[..32].to_owned();
    }
    let product_id = product.map(|p| p.id.get());
    let q = format!("{} {}", f.title, f.description);
    let items = match q.trim().is_empty() {
        true => Vec::new(),
        false => {
            let find = Find {
                q,
                language: None,
                product_id,
                limit: Some(SHOWN),
            };
            knowledge::find(state, Some(user), &find).await?
        }
    };
    Ok(Suggestions { product_id, items })
}

#[derive(Debug, Default, Deserialize)]
struct SuggestParams {
    #[serde(default)]
    q: String,
    product_id: Option<i64>,
    #[serde(default)]
    draft: String,
}

/// `GET /articles/suggest`: the script's list, as JSON, for the reader of the page.
async fn suggest(
    State(state): State<AppState>,
    MaybePageUser(user): MaybePageUser,
    Query(p): Query<SuggestParams>,
) -> AppResult<Json<Value>> {
    let find = Find {
        q: p.q,
        language: None,
        product_id: p.product_id,
        limit: Some(SHOWN),
    };
    let hits = match find.q.trim().is_empty() {
        true => Vec::new(),
        false => knowledge::find(&state, user.as_ref(), &find).await?,
    };
    let s = Suggestions {
        product_id: p.product_id,
        items: Vec::new(),
    };
    let draft = match knowledge::draft_token(&p.draft) {
        true => p.draft.as_str(),
        false => "",
    };
    let items: Vec<Value> = hits
        .iter()
        .map(|h| json!({ "id": h.id, "title": h.title, "snippet": h.snippet, "link": s.link(&h.id, draft) }))
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// *My problem is solved*: the draft is withdrawn, no case opened.
async fn withdraw(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(f): Form<CaseForm>,
) -> AppResult<Response> {
    let from = FromDraft {
        token: f.draft,
        product_id: None,
    };
    let deflected = knowledge::withdraw(&state, &user, &from).await?;
    let flash = match deflected {
        true => "flash-case-deflected",
        false => "flash-case-withdrawn",
    };
    Ok(redirect_flash("/cases", flash).into_response())
}
