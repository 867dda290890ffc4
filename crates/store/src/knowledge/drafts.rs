//! Case drafts (KB-1): while someone writes a case, the suggestions they open are recorded
//! against the form's draft token; the draft then becomes the case, or is withdrawn, which after
//! reading a suggestion counts as a deflection. A token is only ever its writer's.

use crate::scope::StaffScope;
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{ArticleId, UserId};

/// The draft of `token` for `user`, made on first use; `None` when the token is someone else's.
async fn draft(
    tx: &mut Tx,
    user: UserId,
    token: &str,
    product: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    sql(
        "INSERT INTO case_drafts (token, user_id, product_id, created_at)
         SELECT $1, $2, (SELECT id FROM products WHERE id = $3), $4
         ON CONFLICT (token) DO NOTHING",
    )
    .bind(token)
    .bind(user)
    .bind(product)
    .bind(now)
    .execute(tx)
    .await?;
    sql("SELECT id AS v FROM case_drafts WHERE token = $1 AND user_id = $2")
        .bind(token)
        .bind(user)
        .fetch_optional_i64(tx)
        .await
}

/// Records that `user` opened `article` while writing the draft `token`.
pub async fn opened(
    tx: &mut Tx,
    user: UserId,
    token: &str,
    product: Option<i64>,
    article: ArticleId,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Some(id) = draft(tx, user, token, product, now).await? {
        sql(
            "INSERT INTO draft_articles (draft_id, article_id, opened_at) VALUES ($1, $2, $3)
             ON CONFLICT (draft_id, article_id) DO NOTHING",
        )
        .bind(id)
        .bind(article)
        .bind(now)
        .execute(tx)
        .await?;
    }
    Ok(())
}

/// The draft became case `number` (once; a withdrawn draft stays withdrawn).
pub async fn became_case(tx: &mut Tx, user: UserId, token: &str, number: &str) -> Result<()> {
    sql(
        "UPDATE case_drafts SET case_id = (SELECT id FROM cases WHERE number = $1)
         WHERE token = $2 AND user_id = $3 AND case_id IS NULL AND withdrawn_at IS NULL",
    )
    .bind(number)
    .bind(token)
    .bind(user)
    .execute(tx)
    .await?;
    Ok(())
}

/// The writer withdrew the draft; returns how many suggestions they had opened (a deflection
/// when any). Withdrawing twice, or a draft that became a case, changes nothing.
pub async fn withdraw(
    tx: &mut Tx,
    user: UserId,
    token: &str,
    product: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let Some(id) = draft(tx, user, token, product, now).await? else {
        return Ok(0);
    };
    sql("UPDATE case_drafts SET withdrawn_at = $1 WHERE id = $2 AND case_id IS NULL AND withdrawn_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(tx)
        .await?;
    sql("SELECT COUNT(*) AS v FROM draft_articles WHERE draft_id = $1")
        .bind(id)
        .fetch_i64(tx)
        .await
}

/// The suggestions opened while case `number` was written, for the desk.
pub async fn for_case(tx: &mut Tx, number: &str) -> Result<Vec<(i64, String)>> {
    sql(
        "SELECT a.id, a.title FROM cases c JOIN case_drafts d ON d.case_id = c.id
         JOIN draft_articles da ON da.draft_id = d.id JOIN articles a ON a.id = da.article_id
         WHERE c.number = $1 ORDER BY da.opened_at, a.id",
    )
    .bind(number)
    .fetch_all(tx)
    .await
}

/// One article's line in the staff report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub title: String,
    pub language: String,
    pub status: String,
    /// Drafts in which it was opened as a suggestion.
    pub opened: i64,
    /// Of those, withdrawn: the case it may have saved.
    pub deflected: i64,
    /// Of those, opened as a case anyway.
    pub cases: i64,
    pub helpful: i64,
    pub not_helpful: i64,
}

/// The totals of the report.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ReportTotals {
    /// Drafts in which a suggestion was opened.
    pub drafts_reading: i64,
    /// Of those, withdrawn (deflected).
    pub deflected: i64,
    /// Of those, opened as a case.
    pub cases: i64,
}

/// The deflection report (staff): per article and in total, since `since`.
pub async fn report(
    tx: &mut Tx,
    _staff: &StaffScope,
    since: DateTime<Utc>,
) -> Result<(ReportTotals, Vec<ReportRow>)> {
    let totals: ReportTotals = sql(
        "SELECT COUNT(*) AS drafts_reading,
                COALESCE(SUM(CASE WHEN d.withdrawn_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS deflected,
                COALESCE(SUM(CASE WHEN d.case_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS cases
         FROM case_drafts d
         WHERE d.created_at >= $1 AND EXISTS (SELECT 1 FROM draft_articles da WHERE da.draft_id = d.id)",
    )
    .bind(since)
    .fetch_one(&mut *tx)
    .await?;
    let rows = sql(
        "SELECT a.id, a.title, a.language, a.status,
                COUNT(d.id) AS opened,
                COALESCE(SUM(CASE WHEN d.withdrawn_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS deflected,
                COALESCE(SUM(CASE WHEN d.case_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS cases,
                (SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = a.id AND f.helpful = TRUE) AS helpful,
                (SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = a.id AND f.helpful = FALSE) AS not_helpful
         FROM articles a
         LEFT JOIN draft_articles da ON da.article_id = a.id
         LEFT JOIN case_drafts d ON d.id = da.draft_id AND d.created_at >= $1
         GROUP BY a.id, a.title, a.language, a.status
         ORDER BY COALESCE(SUM(CASE WHEN d.withdrawn_at IS NOT NULL THEN 1 ELSE 0 END), 0) DESC, COUNT(d.id) DESC, a.id
         LIMIT 500",
    )
    .bind(since)
    .fetch_all(tx)
    .await?;
    Ok((totals, rows))
}
