//! The staff's side of the knowledge base: every article with its state, the editor (Markdown,
//! language, visibility, products and lines, draft or published) with the revision history,
//! and the deflection report.

use super::pages::languages;
use crate::auth::PageUser;
use crate::error::AppResult;
use crate::forms::{ApiPath, Form};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use supportal_app::AppError;
use supportal_app::knowledge::{self, ArticleBody, Find, Hit};
use supportal_domain::ArticleId;
use supportal_domain::knowledge::Visibility;
use supportal_store::catalog::{Named, ProductRow};
use supportal_store::knowledge::RevisionRow;
use supportal_store::knowledge::drafts::{ReportRow, ReportTotals};
use supportal_store::sessions::SessionUser;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/articles", get(list_page))
        .route("/admin/articles/new", get(new_page).post(create))
        .route("/admin/articles/report", get(report_page))
        .route("/admin/articles/{id}", get(edit_page).post(update))
}

#[derive(Template, WebTemplate)]
#[template(path = "knowledge/admin_list.html")]
struct ListPage {
    c: Chrome,
    q: String,
    hits: Vec<Hit>,
}

async fn list_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(mut f): Query<Find>,
) -> AppResult<Response> {
    supportal_app::admin::staff(&user, false)?;
    f.limit = Some(supportal_app::knowledge::RESULTS_MAX);
    let hits = knowledge::find(&state, Some(&user), &f).await?;
    let c = ctx.chrome(&state, "kb-admin-title").await?;
    Ok(ListPage { c, q: f.q, hits }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "knowledge/edit.html")]
struct EditPage {
    c: Chrome,
    /// None for a new article.
    id: Option<i64>,
    f: ArticleBody,
    languages: Vec<(&'static str, String)>,
    visibilities: Vec<(&'static str, String)>,
    products: Vec<ProductRow>,
    lines: Vec<Named>,
    revisions: Vec<RevisionRow>,
}

impl EditPage {
    fn linked(&self, product: &ProductRow) -> bool {
        self.f.product_ids.contains(&product.id.get())
    }

    fn line_linked(&self, line: &Named) -> bool {
        self.f.product_line_ids.contains(&line.id)
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    id: Option<i64>,
    f: ArticleBody,
    failed: Option<AppError>,
) -> AppResult<Response> {
    let (products, lines) = knowledge::link_choices(state, user).await?;
    let revisions = match id {
        Some(id) => knowledge::revisions(state, user, ArticleId(id)).await?,
        None => Vec::new(),
    };
    let mut c = ctx.chrome(state, "kb-edit-title").await?;
    if let Some(e) = failed {
        c = c.failed(e)?;
    }
    let visibilities = Visibility::ALL
        .iter()
        .map(|v| {
            (
                v.as_str(),
                c.tp("kb-visibility-", &v.as_str().replace('_', "-")),
            )
        })
        .collect();
    Ok(EditPage {
        languages: languages(&c),
        visibilities,
        c,
        id,
        f,
        products,
        lines,
        revisions,
    }
    .into_response())
}

async fn new_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let f = ArticleBody {
        language: ctx.lang.code().split('-').next().unwrap_or("en").to_owned(),
        visibility: "public".into(),
        status: "draft".into(),
        ..ArticleBody::default()
    };
    render(&state, &ctx, &user, None, f, None).await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    supportal_app::admin::staff(&user, false)?;
    let a = knowledge::read(&state, Some(&user), ArticleId(id), None).await?;
    let f = ArticleBody {
        title: a.row.title,
        body_markdown: a.row.body_markdown,
        language: a.row.language,
        visibility: a.row.visibility,
        status: a.row.status,
        product_ids: a.product_ids,
        product_line_ids: a.product_line_ids,
    };
    render(&state, &ctx, &user, Some(id), f, None).await
}

/// The editor's fields: repeated `product_ids` and `product_line_ids` checkboxes.
fn body_of(pairs: Vec<(String, String)>) -> ArticleBody {
    let mut f = ArticleBody::default();
    for (k, v) in pairs {
        match k.as_str() {
            "title" => f.title = v,
            "body_markdown" => f.body_markdown = v,
            "language" => f.language = v,
            "visibility" => f.visibility = v,
            "status" => f.status = v,
            "product_ids" => f.product_ids.extend(v.parse::<i64>().ok()),
            "product_line_ids" => f.product_line_ids.extend(v.parse::<i64>().ok()),
            _ => {}
        }
    }
    f
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = body_of(pairs);
    match knowledge::save(&state, &user, None, &f).await {
        Ok((id, _)) => Ok(redirect_flash(
            &format!("/admin/articles/{id}"),
            "flash-kb-saved",
        )),
        Err(e) => render(&state, &ctx, &user, None, f, Some(e)).await,
    }
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = body_of(pairs);
    match knowledge::save(&state, &user, Some(ArticleId(id)), &f).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/admin/articles/{id}"),
            "flash-kb-saved",
        )),
        Err(e) => render(&state, &ctx, &user, Some(id), f, Some(e)).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "knowledge/report.html")]
struct ReportPage {
    c: Chrome,
    days: i64,
    totals: ReportTotals,
    rows: Vec<ReportRow>,
}

async fn report_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(p): Query<super::api::ReportParams>,
) -> AppResult<Response> {
    let days = p.days.unwrap_or(30);
    let (totals, rows) = knowledge::report(&state, &user, days).await?;
    let c = ctx.chrome(&state, "kb-report-title").await?;
    Ok(ReportPage {
        c,
        days,
        totals,
        rows,
    }
    .into_response())
}
