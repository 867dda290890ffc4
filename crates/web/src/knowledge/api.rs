//! `/api/v1/articles…` (anyone, by what they may read) and `/api/v1/admin/articles…` (staff).

use crate::auth::{ApiUser, MaybeApiUser};
use crate::error::AppResult;
use crate::forms::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use supportal_app::knowledge::{self, Article, ArticleBody, Find, FromDraft, Hit};
use supportal_domain::ArticleId;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/articles", get(search))
        .route("/articles/{id}", get(article))
        .route("/articles/{id}/feedback", post(feedback))
        .route("/admin/articles", get(admin_list).post(create))
        .route("/admin/articles/report", get(report))
        .route("/admin/articles/{id}", put(update).get(admin_article))
        .route("/admin/articles/{id}/revisions", get(revisions))
        .route("/case-drafts/{token}/withdraw", post(withdraw))
}

pub fn hit_json(state: &AppState, h: &Hit) -> Value {
    json!({ "id": h.id, "title": h.title, "snippet": h.snippet, "language": h.language,
            "link": format!("{}/articles/{}", state.config.base_url, h.id) })
}

/// `GET /articles?q=&language=&product_id=&limit=`: ranked, only what the caller may read.
async fn search(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    Query(f): Query<Find>,
) -> AppResult<Json<Value>> {
    let hits = knowledge::find(&state, user.as_ref(), &f).await?;
    let items: Vec<Value> = hits.iter().map(|h| hit_json(&state, h)).collect();
    Ok(Json(json!({ "items": items })))
}

fn article_json(a: &Article, staff: bool) -> Value {
    let r = &a.row;
    let mut v = json!({ "id": r.id, "title": r.title, "language": r.language, "visibility": r.visibility,
        "status": r.status, "html": r.body_html, "product_ids": a.product_ids,
        "product_line_ids": a.product_line_ids, "revision": r.revision, "updated_at": r.updated_at,
        "published_at": r.published_at, "helpful": r.helpful, "not_helpful": r.not_helpful });
    if staff {
        v["body_markdown"] = json!(r.body_markdown);
        v["author"] = json!(r.author);
    }
    v
}

#[derive(Debug, Default, Deserialize)]
pub struct ArticleParams {
    /// The case draft the article was opened from (a suggestion), and its product.
    pub draft: Option<String>,
    pub product_id: Option<i64>,
}

impl ArticleParams {
    pub fn from_draft(&self) -> Option<FromDraft> {
        self.draft.as_ref().map(|token| FromDraft {
            token: token.clone(),
            product_id: self.product_id,
        })
    }
}

/// `GET /articles/{id}`: the rendered article (safe HTML) and its metadata.
async fn article(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    ApiPath(id): ApiPath<i64>,
    Query(p): Query<ArticleParams>,
) -> AppResult<Json<Value>> {
    let a = knowledge::read(&state, user.as_ref(), ArticleId(id), p.from_draft()).await?;
    let staff = user.is_some_and(|u| u.staff_role().is_some());
    Ok(Json(article_json(&a, staff)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedbackBody {
    helpful: bool,
}

/// `POST /articles/{id}/feedback`: `{helpful}`; one vote a person, the last one counts.
async fn feedback(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FeedbackBody>,
) -> AppResult<Json<Value>> {
    knowledge::feedback(&state, &user, ArticleId(id), body.helpful).await?;
    let a = knowledge::read(&state, Some(&user), ArticleId(id), None).await?;
    Ok(Json(
        json!({ "helpful": a.row.helpful, "not_helpful": a.row.not_helpful }),
    ))
}

/// `GET /admin/articles?q=`: every article, drafts too (staff).
async fn admin_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(f): Query<Find>,
) -> AppResult<Json<Value>> {
    supportal_app::admin::staff(&user, false)?;
    let hits = knowledge::find(&state, Some(&user), &f).await?;
    let items: Vec<Value> = hits
        .iter()
        .map(|h| {
            let mut v = hit_json(&state, h);
            v["status"] = json!(h.status);
            v["visibility"] = json!(h.visibility);
            v
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn admin_article(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    supportal_app::admin::staff(&user, false)?;
    let a = knowledge::read(&state, Some(&user), ArticleId(id), None).await?;
    Ok(Json(article_json(&a, true)))
}

/// `POST /admin/articles` → 201 `{id, revision}`.
async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ArticleBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (id, revision) = knowledge::save(&state, &user, None, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "revision": revision })),
    ))
}

/// `PUT /admin/articles/{id}`: a new revision → `{id, revision}`.
async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ArticleBody>,
) -> AppResult<Json<Value>> {
    let (id, revision) = knowledge::save(&state, &user, Some(ArticleId(id)), &body).await?;
    Ok(Json(json!({ "id": id, "revision": revision })))
}

async fn revisions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Value>> {
    let rows = knowledge::revisions(&state, &user, ArticleId(id)).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({ "revision": r.revision, "title": r.title, "status": r.status,
                         "visibility": r.visibility, "language": r.language, "author": r.author,
                         "created_at": r.created_at })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    pub days: Option<i64>,
}

/// `GET /admin/articles/report?days=30`: suggestions read while cases were written, and how
/// many of those drafts were withdrawn (deflected) or opened anyway, per article and in total.
async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<ReportParams>,
) -> AppResult<Json<Value>> {
    let (totals, rows) = knowledge::report(&state, &user, p.days.unwrap_or(30)).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({ "id": r.id, "title": r.title, "language": r.language, "status": r.status,
                         "opened": r.opened, "deflected": r.deflected, "cases": r.cases,
                         "helpful": r.helpful, "not_helpful": r.not_helpful })
        })
        .collect();
    Ok(Json(
        json!({ "drafts_reading": totals.drafts_reading, "deflected": totals.deflected,
                    "cases": totals.cases, "items": items }),
    ))
}

/// `POST /case-drafts/{token}/withdraw`: the API's *my problem is solved* → `{deflected}`.
async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(token): ApiPath<String>,
) -> AppResult<Json<Value>> {
    let from = FromDraft {
        token,
        product_id: None,
    };
    let deflected = knowledge::withdraw(&state, &user, &from).await?;
    Ok(Json(json!({ "deflected": deflected })))
}
