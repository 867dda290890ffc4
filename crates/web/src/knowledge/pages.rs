//! The knowledge base's pages for everyone: search with highlighted snippets, an article with
//! its feedback buttons. What a reader sees is what they may read; nobody signed in reads
//! public articles.

use super::api::ArticleParams;
use crate::auth::{MaybePageUser, PageUser};
use crate::error::AppResult;
use crate::forms::{ApiPath, Form};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supportal_app::knowledge::{self, Article, Find, Hit};
use supportal_domain::ArticleId;
use supportal_domain::knowledge::Language;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/articles", get(search_page))
        .route("/articles/{id}", get(article_page))
        .route("/articles/{id}/feedback", post(feedback))
}

#[derive(Template, WebTemplate)]
#[template(path = "knowledge/search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    language: String,
    languages: Vec<(&'static str, String)>,
    hits: Vec<Hit>,
}

/// The five languages with their names, for a select.
pub fn languages(c: &Chrome) -> Vec<(&'static str, String)> {
    Language::ALL
        .iter()
        .map(|l| (l.code(), c.tp("kb-language-", l.code())))
        .collect()
}

async fn search_page(
    State(state): State<AppState>,
    ctx: Ctx,
    MaybePageUser(user): MaybePageUser,
    Query(f): Query<Find>,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "kb-title").await?;
    let hits = match knowledge::find(&state, user.as_ref(), &f).await {
        Ok(hits) => hits,
        Err(e) => {
            let c = c.failed(e)?;
            return Ok(SearchPage {
                languages: languages(&c),
                c,
                q: f.q,
                language: String::new(),
                hits: Vec::new(),
            }
            .into_response());
        }
    };
    Ok(SearchPage {
        languages: languages(&c),
        c,
        q: f.q,
        language: f.language.unwrap_or_default(),
        hits,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "knowledge/article.html")]
struct ArticlePage {
    c: Chrome,
    a: Article,
    updated: String,
}

async fn article_page(
    State(state): State<AppState>,
    ctx: Ctx,
    MaybePageUser(user): MaybePageUser,
    ApiPath(id): ApiPath<i64>,
    Query(p): Query<ArticleParams>,
) -> AppResult<Response> {
    let a = knowledge::read(&state, user.as_ref(), ArticleId(id), p.from_draft()).await?;
    let mut c = ctx.chrome(&state, "kb-title").await?;
    c.title.clone_from(&a.row.title);
    let updated = c.when(&a.row.updated_at);
    Ok(ArticlePage { c, a, updated }.into_response())
}

#[derive(Deserialize)]
struct FeedbackForm {
    helpful: String,
}

async fn feedback(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<FeedbackForm>,
) -> AppResult<Response> {
    let helpful = match f.helpful.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(crate::error::HttpError::field("helpful", "invalid_choice")),
    };
    knowledge::feedback(&state, &user, ArticleId(id), helpful).await?;
    Ok(redirect_flash(
        &format!("/articles/{id}"),
        "flash-kb-feedback",
    ))
}
