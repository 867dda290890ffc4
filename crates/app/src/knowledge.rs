//! The knowledge base (KB-1): staff write articles in Markdown, in one of five languages, for
//! products and lines, public, for the signed-in or for enterprise and partner people; everyone
//! finds what they may read, ranked the same on both databases; case writers are offered
//! suggestions, and a case withdrawn after reading one counts as deflected.

use crate::admin::staff;
use crate::context::Context;
use crate::error::{AppError, AppResult};
use chrono::Duration;
use serde::Deserialize;
use supportal_domain::knowledge::{
    ArticleStatus, BODY_MAX, Language, TITLE_MAX, Visibility, markdown, search,
};
use supportal_domain::{ArticleId, FieldErrors};
use supportal_store::catalog;
use supportal_store::knowledge::drafts::{self, ReportRow, ReportTotals};
use supportal_store::knowledge::{self, ArticleInput, ArticleRow, RevisionRow, SearchQuery, Stage};
use supportal_store::sessions::SessionUser;

/// Links to products or lines an article may have at most.
pub const LINKS_MAX: usize = 100;
/// The longest query searched (a pasted description is cut, not refused).
pub const QUERY_MAX: usize = 2_000;
/// Results a search answers at most.
pub const RESULTS_MAX: usize = 50;

/// An article as staff send it (`POST, PUT /admin/articles`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ArticleBody {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body_markdown: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub product_ids: Vec<i64>,
    #[serde(default)]
    pub product_line_ids: Vec<i64>,
}

/// Checks, renders and stems an article; field errors name what is wrong.
fn checked(body: &ArticleBody) -> Result<ArticleInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = errors.required_text("title", &body.title, TITLE_MAX);
    let markdown_text = body.body_markdown.trim().to_owned();
    if markdown_text.is_empty() {
        errors.add("body_markdown", "required");
    } else if markdown_text.chars().count() > BODY_MAX {
        errors.add("body_markdown", "too_long");
    }
    let language = Language::parse(&body.language).filter(|_| body.language.len() <= 5);
    if language.is_none() {
        errors.add("language", "invalid_article_language");
    }
    let visibility = Visibility::parse(&body.visibility);
    if visibility.is_none() {
        errors.add("visibility", "invalid_visibility");
    }
    let status = ArticleStatus::parse(&body.status);
    if status.is_none() {
        errors.add("status", "invalid_article_status");
    }
    if body.product_ids.len() > LINKS_MAX {
        errors.add("product_ids", "too_many");
    }
    if body.product_line_ids.len() > LINKS_MAX {
        errors.add("product_line_ids", "too_many");
    }
    let (Some(language), Some(visibility), Some(status)) = (language, visibility, status) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let body_text = markdown::plain_text(&markdown_text);
    let dedup = |ids: &[i64]| {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    Ok(ArticleInput {
        search_title: search::index_text(language, &title),
        search_body: search::index_text(language, &body_text),
        body_html: markdown::render(&markdown_text),
        title,
        body_markdown: markdown_text,
        body_text,
        pg_config: language.pg_config(),
        language: language.code(),
        visibility: visibility.as_str(),
        status: status.as_str(),
        product_ids: dedup(&body.product_ids),
        product_line_ids: dedup(&body.product_line_ids),
    })
}

/// Saves an article (new without `id`) as the signed-in staff member; returns its id and
/// revision.
pub async fn save(
    ctx: &Context,
    user: &SessionUser,
    id: Option<ArticleId>,
    body: &ArticleBody,
) -> AppResult<(ArticleId, i64)> {
    let scope = staff(user, false)?;
    let input = checked(body)?;
    let mut tx = ctx.db.begin().await?;
    let (products, lines) =
        knowledge::unknown_links(&mut tx, &input.product_ids, &input.product_line_ids).await?;
    let mut errors = FieldErrors::new();
    if !products.is_empty() {
        errors.add("product_ids", "unknown_product");
    }
    if !lines.is_empty() {
        errors.add("product_line_ids", "unknown_product_line");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let saved = knowledge::put(&mut tx, &scope, id, &input, ctx.now())
        .await
        .map_err(|e| match e {
            supportal_store::StoreError::NotFound => AppError::not_found(),
            other => other.into(),
        })?;
    tx.commit().await?;
    Ok(saved)
}

/// An article with what its page shows.
#[derive(Debug, Clone)]
pub struct Article {
    pub row: ArticleRow,
    pub product_ids: Vec<i64>,
    pub product_line_ids: Vec<i64>,
    /// The names of its product lines and products.
    pub applies_to: Vec<String>,
}

/// What the editor offers to link an article to: products and product lines (staff).
pub async fn link_choices(
    ctx: &Context,
    user: &SessionUser,
) -> AppResult<(Vec<catalog::ProductRow>, Vec<catalog::Named>)> {
    staff(user, false)?;
    let mut tx = ctx.db.read().await?;
    let products = catalog::search(&mut tx, "", 500).await?;
    let lines = catalog::lines(&mut tx).await?;
    tx.rollback().await?;
    Ok((products, lines))
}

/// A case draft an article was opened from: the form's token and the chosen product.
#[derive(Debug, Clone)]
pub struct FromDraft {
    pub token: String,
    pub product_id: Option<i64>,
}

/// Whether a draft token is one the case form makes (32 hex digits).
pub fn draft_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An article the caller may read (anyone: `user` none); opened from a case draft, the draft
/// records it. Another reader's article or a draft is not found.
pub async fn read(
    ctx: &Context,
    user: Option<&SessionUser>,
    id: ArticleId,
    from: Option<FromDraft>,
) -> AppResult<Article> {
    let mut tx = ctx.db.read().await?;
    let reader = knowledge::reader(&mut tx, user).await?;
    let row = knowledge::get(&mut tx, &reader, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let (product_ids, product_line_ids) = knowledge::links(&mut tx, id).await?;
    let applies_to = knowledge::link_names(&mut tx, id).await?;
    tx.rollback().await?;
    if let (Some(user), Some(from)) = (user, from)
        && draft_token(&from.token)
    {
        // What the draft records is for the report: reading the article never fails for it.
        let recorded = async {
            let mut tx = ctx.db.begin().await?;
            drafts::opened(
                &mut tx,
                user.user_id(),
                &from.token,
                from.product_id,
                id,
                ctx.now(),
            )
            .await?;
            tx.commit().await?;
            Ok::<(), AppError>(())
        }
        .await;
        if let Err(e) = recorded {
            tracing::warn!(code = e.code, "could not record the suggestion opened");
        }
    }
    Ok(Article {
        row,
        product_ids,
        product_line_ids,
        applies_to,
    })
}

/// A search result: the snippet is safe HTML with the matches in `<mark>`.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: ArticleId,
    pub title: String,
    pub snippet: String,
    pub language: String,
    /// For staff: whether it is out.
    pub status: String,
    pub visibility: String,
}

/// What to search: words, a language, a product; at most `limit` results.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Find {
    #[serde(default)]
    pub q: String,
    pub language: Option<String>,
    pub product_id: Option<i64>,
    pub limit: Option<usize>,
}

/// The articles the caller may read that answer the query, best first; without words, the
/// newest. The same order on both databases: the database finds, `search::score` ranks.
pub async fn find(ctx: &Context, user: Option<&SessionUser>, f: &Find) -> AppResult<Vec<Hit>> {
    let language = match f.language.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => Some(
            Language::parse(l)
                .filter(|_| l.len() <= 5)
                .ok_or_else(|| AppError::field("language", "invalid_article_language"))?,
        ),
        None => None,
    };
    let limit = f.limit.unwrap_or(20);
    if limit == 0 || limit > RESULTS_MAX {
        return Err(AppError::field("limit", "out_of_range"));
    }
    let q: String = f.q.chars().take(QUERY_MAX).collect();
    let languages: Vec<Language> = match language {
        Some(l) => vec![l],
        None => Language::ALL.to_vec(),
    };
    let groups: Vec<Vec<String>> = languages
        .iter()
        .map(|l| search::query_terms(*l, &q))
        .collect();
    let has_terms = groups.iter().any(|g| !g.is_empty());
    if !q.trim().is_empty() && !has_terms {
        return Ok(Vec::new());
    }
    let mut tx = ctx.db.read().await?;
    let reader = knowledge::reader(&mut tx, user).await?;
    let several = query_has_several(&groups);
    let mut query = SearchQuery {
        groups,
        stage: Stage::Every,
        language: language.map(Language::code),
        product_id: f.product_id,
    };
    // Articles with every word first, then with a word in the title, then with any word: each
    // step only while the ones before found too few, so a common word alone does not make the
    // database rank half the corpus.
    let stages: &[Stage] = match (has_terms, several) {
        (false, _) => &[Stage::Any],
        (true, true) => &[Stage::Every, Stage::Title, Stage::Any],
        (true, false) => &[Stage::Title, Stage::Any],
    };
    let mut candidates: Vec<knowledge::Candidate> = Vec::new();
    for stage in stages {
        if candidates.len() >= limit {
            break;
        }
        query.stage = *stage;
        for c in knowledge::search(&mut tx, &reader, &query).await? {
            if !candidates.iter().any(|k| k.id == c.id) {
                candidates.push(c);
            }
        }
    }
    tx.rollback().await?;
    let stems: Vec<(Language, Vec<String>)> = languages
        .iter()
        .zip(query.groups.iter())
        .map(|(l, g)| (*l, g.clone()))
        .collect();
    let terms_of = |c: &knowledge::Candidate| {
        let lang = Language::parse(&c.language).unwrap_or(Language::En);
        match stems.iter().find(|(l, _)| *l == lang) {
            Some((_, terms)) => (lang, terms.clone()),
            None => (lang, search::query_terms(lang, &q)),
        }
    };
    let mut scored: Vec<(f64, knowledge::Candidate)> = candidates
        .into_iter()
        .map(|c| {
            let score = match has_terms {
                true => search::score(&terms_of(&c).1, &c.search_title, &c.search_body),
                false => 0.0,
            };
            (score, c)
        })
        .collect();
    if has_terms {
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.get().cmp(&b.1.id.get())));
    }
    // Snippets for what is answered only: quoting stems every word of a body.
    Ok(scored
        .into_iter()
        .take(limit)
        .map(|(_, c)| {
            let (lang, own) = terms_of(&c);
            Hit {
                snippet: search::snippet(lang, &c.body_text, &own),
                id: c.id,
                title: c.title,
                language: c.language,
                status: c.status,
                visibility: c.visibility,
            }
        })
        .collect())
}

fn query_has_several(groups: &[Vec<String>]) -> bool {
    groups.iter().any(|g| g.len() > 1)
}

/// Records whether an article helped the caller (one vote each; a second replaces the first).
pub async fn feedback(
    ctx: &Context,
    user: &SessionUser,
    id: ArticleId,
    helpful: bool,
) -> AppResult<()> {
    let mut tx = ctx.db.begin().await?;
    let reader = knowledge::reader(&mut tx, Some(user)).await?;
    if knowledge::get(&mut tx, &reader, id).await?.is_none() {
        return Err(AppError::not_found());
    }
    knowledge::feedback(&mut tx, user.user_id(), id, helpful, ctx.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// An article's revisions, newest first (staff).
pub async fn revisions(
    ctx: &Context,
    user: &SessionUser,
    id: ArticleId,
) -> AppResult<Vec<RevisionRow>> {
    let scope = staff(user, false)?;
    let mut tx = ctx.db.read().await?;
    let rows = knowledge::revisions(&mut tx, &scope, id).await?;
    tx.rollback().await?;
    if rows.is_empty() {
        return Err(AppError::not_found());
    }
    Ok(rows)
}

/// The writer of a case draft withdrew it (their problem is solved); answers whether it counts
/// as deflected (a suggestion was read).
pub async fn withdraw(ctx: &Context, user: &SessionUser, from: &FromDraft) -> AppResult<bool> {
    if !draft_token(&from.token) {
        return Err(AppError::field("draft", "invalid_draft"));
    }
    let mut tx = ctx.db.begin().await?;
    let read = drafts::withdraw(
        &mut tx,
        user.user_id(),
        &from.token,
        from.product_id,
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(read > 0)
}

/// The draft became case `number`. Called once the case is committed: a failure here is
/// logged, never the case's answer.
pub async fn became_case(ctx: &Context, user: &SessionUser, token: &str, number: &str) {
    if !draft_token(token) {
        return;
    }
    let result = async {
        let mut tx = ctx.db.begin().await?;
        drafts::became_case(&mut tx, user.user_id(), token, number).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(code = e.code, "could not link the case to its draft");
    }
}

/// The articles read while case `number` was written (staff: the customer's self-help so far).
pub async fn read_before(
    ctx: &Context,
    user: &SessionUser,
    number: &str,
) -> AppResult<Vec<(i64, String)>> {
    staff(user, false)?;
    let mut tx = ctx.db.read().await?;
    let rows = drafts::for_case(&mut tx, number).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// The deflection report over the last `days` days (staff).
pub async fn report(
    ctx: &Context,
    user: &SessionUser,
    days: i64,
) -> AppResult<(ReportTotals, Vec<ReportRow>)> {
    let scope = staff(user, false)?;
    if !(1..=3660).contains(&days) {
        return Err(AppError::field("days", "out_of_range"));
    }
    let mut tx = ctx.db.read().await?;
    let report = drafts::report(&mut tx, &scope, ctx.now() - Duration::days(days)).await?;
    tx.rollback().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_is_checked_rendered_and_stemmed() {
        let body = ArticleBody {
            title: " Fan noise ".into(),
            body_markdown: "Clean the **fans**. <script>alert(1)</script>".into(),
            language: "en".into(),
            visibility: "signed_in".into(),
            status: "draft".into(),
            product_ids: vec![3, 1, 3],
            product_line_ids: vec![],
        };
        let a = checked(&body).expect("valid");
        assert_eq!(a.title, "Fan noise");
        assert!(!a.body_html.contains("<script"), "{}", a.body_html);
        assert_eq!(a.search_title, "fan nois");
        assert_eq!(a.product_ids, [1, 3]);
        let bad = ArticleBody {
            language: "de".into(),
            visibility: "partners".into(),
            status: "live".into(),
            product_ids: (0..101).collect(),
            ..ArticleBody::default()
        };
        let mut fields: Vec<String> = checked(&bad)
            .expect_err("invalid")
            .0
            .iter()
            .map(|e| e.field.clone())
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "body_markdown",
                "language",
                "product_ids",
                "status",
                "title",
                "visibility"
            ]
        );
    }
}
