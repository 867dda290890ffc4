//! The knowledge base (KB-1): articles, their revisions, links to products and lines, search
//! on both databases behind `search`, feedback, and the case drafts that record which
//! suggestions were opened (`drafts`).
//!
//! What a person may read is an `ArticleReader`, which only `reader` makes, from the session:
//!
//! ```compile_fail
//! let forged = supportal_store::knowledge::ArticleReader {
//!     reach: supportal_domain::knowledge::Visibility::Enterprise,
//!     staff: true,
//! };
//! ```

pub mod drafts;

use crate::db::Dialect;
use crate::scope::StaffScope;
use crate::sessions::SessionUser;
use crate::{Builder, Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::knowledge::{Visibility, search};
use supportal_domain::{ArticleId, UserId};

/// Who reads: the widest visibility they reach, and whether drafts are theirs to see (staff).
#[derive(Debug, Clone)]
pub struct ArticleReader {
    pub(crate) reach: Visibility,
    pub(crate) staff: bool,
}

impl ArticleReader {
    pub fn reach(&self) -> Visibility {
        self.reach
    }

    pub fn is_staff(&self) -> bool {
        self.staff
    }

    /// `AND …` limiting articles (alias `a`) to what this reader may see.
    fn filter(&self, b: &mut Builder) {
        if !self.staff {
            let published = b.arg("published");
            b.push(&format!(" AND a.status = {published}"));
        }
        let mut list = Vec::new();
        for v in self.reach.up_to() {
            list.push(b.arg(v));
        }
        b.push(&format!(" AND a.visibility IN ({})", list.join(", ")));
    }
}

/// The reader behind a session (or nobody signed in): staff reach everything, enterprise and
/// partner people enterprise articles, everyone signed in signed-in ones.
pub async fn reader(tx: &mut Tx, user: Option<&SessionUser>) -> Result<ArticleReader> {
    let Some(user) = user else {
        return Ok(ArticleReader {
            reach: Visibility::Public,
            staff: false,
        });
    };
    let staff = user.staff_role().is_some();
    let memberships = crate::accounts::memberships(tx, user.user_id()).await?;
    let tier = crate::accounts::tier(staff, &memberships);
    Ok(ArticleReader {
        reach: Visibility::reach(Some(tier)),
        staff,
    })
}

/// An article to save, already checked, rendered and stemmed by the caller.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    pub body_text: String,
    pub search_title: String,
    pub search_body: String,
    /// `english`, `dutch`, …: PostgreSQL's configuration for the language.
    pub pg_config: &'static str,
    pub language: &'static str,
    pub visibility: &'static str,
    pub status: &'static str,
    pub product_ids: Vec<i64>,
    pub product_line_ids: Vec<i64>,
}

/// Creates an article (`id` none) or saves a new revision of one; returns its id and revision.
/// An unknown id is `NotFound`.
pub async fn put(
    tx: &mut Tx,
    staff: &StaffScope,
    id: Option<ArticleId>,
    a: &ArticleInput,
    now: DateTime<Utc>,
) -> Result<(ArticleId, i64)> {
    let author = staff.user_id.map(UserId::get);
    let pg = tx.dialect() == Dialect::Postgres;
    // PostgreSQL also weighs title (A) over body (B) through the language's configuration.
    let vector = |cfg: &str| {
        format!(
            "setweight(to_tsvector(CAST({cfg} AS regconfig), $1), 'A') || setweight(to_tsvector(CAST({cfg} AS regconfig), $4), 'B')"
        )
    };
    let common = |q: crate::Query| {
        q.bind(&a.title)
            .bind(&a.body_markdown)
            .bind(&a.body_html)
            .bind(&a.body_text)
            .bind(&a.search_title)
            .bind(&a.search_body)
            .bind(a.language)
            .bind(a.visibility)
            .bind(a.status)
            .bind(author)
            .bind(now)
    };
    let (id, revision) = match id {
        None => {
            let (column, value) = match pg {
                true => (
                    ", search, search_head".to_owned(),
                    format!(
                        ", {}, to_tsvector(CAST($12 AS regconfig), $1)",
                        vector("$12")
                    ),
                ),
                false => (String::new(), String::new()),
            };
            let mut q = common(sql(format!(
                "INSERT INTO articles (title, body_markdown, body_html, body_text, search_title, search_body,
                     language, visibility, status, revision, author_id, created_at, updated_at, published_at{column})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11,
                     CASE WHEN $9 = 'published' THEN $11 END{value}) RETURNING id AS v"
            )));
            if pg {
                q = q.bind(a.pg_config);
            }
            (q.fetch_id::<ArticleId>(tx).await?, 1)
        }
        Some(id) => {
            let search = match pg {
                true => format!(
                    ", search = {}, search_head = to_tsvector(CAST($13 AS regconfig), $1)",
                    vector("$13")
                ),
                false => String::new(),
            };
            let mut q = common(sql(format!(
                "UPDATE articles SET title = $1, body_markdown = $2, body_html = $3, body_text = $4,
                     search_title = $5, search_body = $6, language = $7, visibility = $8, status = $9,
                     revision = revision + 1, author_id = $10, updated_at = $11,
                     published_at = CASE WHEN $9 = 'published' THEN COALESCE(published_at, $11) END{search}
                 WHERE id = $12 RETURNING revision AS v"
            )))
            .bind(id);
            if pg {
                q = q.bind(a.pg_config);
            }
            let revision = q
                .fetch_optional_i64(tx)
                .await?
                .ok_or(crate::StoreError::NotFound)?;
            (id, revision)
        }
    };
    if tx.dialect() == Dialect::Sqlite {
        sql("DELETE FROM articles_fts WHERE rowid = $1")
            .bind(id)
            .execute(tx)
            .await?;
        sql("INSERT INTO articles_fts (rowid, search_title, search_body) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&a.search_title)
            .bind(&a.search_body)
            .execute(tx)
            .await?;
    }
    sql("DELETE FROM article_products WHERE article_id = $1")
        .bind(id)
        .execute(tx)
        .await?;
    for product in &a.product_ids {
        sql("INSERT INTO article_products (article_id, product_id) SELECT $1, id FROM products WHERE id = $2")
            .bind(id)
            .bind(*product)
            .execute(tx)
            .await?;
    }
    sql("DELETE FROM article_lines WHERE article_id = $1")
        .bind(id)
        .execute(tx)
        .await?;
    for line in &a.product_line_ids {
        sql("INSERT INTO article_lines (article_id, product_line_id) SELECT $1, id FROM product_lines WHERE id = $2")
            .bind(id)
            .bind(*line)
            .execute(tx)
            .await?;
    }
    sql("INSERT INTO article_revisions (article_id, revision, title, body_markdown, language, visibility, status, author_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
    .bind(id)
    .bind(revision)
    .bind(&a.title)
    .bind(&a.body_markdown)
    .bind(a.language)
    .bind(a.visibility)
    .bind(a.status)
    .bind(author)
    .bind(now)
    .execute(tx)
    .await?;
    Ok((id, revision))
}

/// Which of `ids` are products and product lines that exist: (products, lines) not found.
pub async fn unknown_links(
    tx: &mut Tx,
    products: &[i64],
    lines: &[i64],
) -> Result<(Vec<i64>, Vec<i64>)> {
    let mut missing_products = Vec::new();
    for id in products {
        if sql("SELECT id AS v FROM products WHERE id = $1")
            .bind(*id)
            .fetch_optional_i64(tx)
            .await?
            .is_none()
        {
            missing_products.push(*id);
        }
    }
    let mut missing_lines = Vec::new();
    for id in lines {
        if sql("SELECT id AS v FROM product_lines WHERE id = $1")
            .bind(*id)
            .fetch_optional_i64(tx)
            .await?
            .is_none()
        {
            missing_lines.push(*id);
        }
    }
    Ok((missing_products, missing_lines))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRow {
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    pub language: String,
    pub visibility: String,
    pub status: String,
    pub revision: i64,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub helpful: i64,
    pub not_helpful: i64,
}

const ARTICLE: &str = "SELECT a.id, a.title, a.body_markdown, a.body_html, a.language, a.visibility, a.status,
        a.revision, u.name AS author, a.created_at, a.updated_at, a.published_at,
        (SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = a.id AND f.helpful = TRUE) AS helpful,
        (SELECT COUNT(*) FROM article_feedback f WHERE f.article_id = a.id AND f.helpful = FALSE) AS not_helpful
     FROM articles a LEFT JOIN users u ON u.id = a.author_id";

/// An article the reader may see; `None` for one they may not (or that does not exist).
pub async fn get(tx: &mut Tx, reader: &ArticleReader, id: ArticleId) -> Result<Option<ArticleRow>> {
    let mut b = Builder::new();
    let id = b.arg(id);
    b.push(&format!("{ARTICLE} WHERE a.id = {id}"));
    reader.filter(&mut b);
    b.query().fetch_optional(tx).await
}

/// The ids of the products and lines an article is linked to.
pub async fn links(tx: &mut Tx, id: ArticleId) -> Result<(Vec<i64>, Vec<i64>)> {
    let products: Vec<(i64,)> =
        sql("SELECT product_id FROM article_products WHERE article_id = $1 ORDER BY product_id")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    let lines: Vec<(i64,)> = sql(
        "SELECT product_line_id FROM article_lines WHERE article_id = $1 ORDER BY product_line_id",
    )
    .bind(id)
    .fetch_all(tx)
    .await?;
    Ok((
        products.into_iter().map(|p| p.0).collect(),
        lines.into_iter().map(|l| l.0).collect(),
    ))
}

/// The names of the products and lines an article is for, lines first.
pub async fn link_names(tx: &mut Tx, id: ArticleId) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sql(
        "SELECT l.name FROM article_lines al JOIN product_lines l ON l.id = al.product_line_id WHERE al.article_id = $1
         UNION ALL
         SELECT p.name FROM article_products ap JOIN products p ON p.id = ap.product_id WHERE ap.article_id = $1",
    )
    .bind(id)
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RevisionRow {
    pub revision: i64,
    pub title: String,
    pub status: String,
    pub visibility: String,
    pub language: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An article's revisions, newest first (staff).
pub async fn revisions(
    tx: &mut Tx,
    _staff: &StaffScope,
    id: ArticleId,
) -> Result<Vec<RevisionRow>> {
    sql("SELECT r.revision, r.title, r.status, r.visibility, r.language, u.name AS author, r.created_at
         FROM article_revisions r LEFT JOIN users u ON u.id = r.author_id
         WHERE r.article_id = $1 ORDER BY r.revision DESC LIMIT 200")
    .bind(id)
    .fetch_all(tx)
    .await
}

/// The steps of a search, each run only while the ones before found too few.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stage {
    /// Every term of one language's group, anywhere.
    Every,
    /// Any term, in the title.
    Title,
    /// Any term, anywhere.
    #[default]
    Any,
}

/// A search: stems from `search::query_terms`, an optional language and product.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The query's stems, a group a language asked.
    pub groups: Vec<Vec<String>>,
    /// Which articles: with every term of a group, with a term in the title, or with any term.
    pub stage: Stage,
    pub language: Option<&'static str>,
    pub product_id: Option<i64>,
}

/// A match the database found, with what ranking and the snippet need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    pub title: String,
    pub language: String,
    pub body_text: String,
    pub search_title: String,
    pub search_body: String,
    pub status: String,
    pub visibility: String,
    pub updated_at: DateTime<Utc>,
}

/// Candidates the database ranks first, at most this many, which `search::score` orders.
pub const CANDIDATES: i64 = 200;

/// The articles the reader may see that match any of the terms (FTS5 on SQLite, the
/// language's `tsvector` on PostgreSQL), or without terms the newest; for a product, those
/// linked to it or to its line.
pub async fn search(
    tx: &mut Tx,
    reader: &ArticleReader,
    q: &SearchQuery,
) -> Result<Vec<Candidate>> {
    let mut b = Builder::new();
    b.push("SELECT a.id, a.title, a.language, a.body_text, a.search_title, a.search_body, a.status, a.visibility, a.updated_at FROM articles a");
    let dialect = tx.dialect();
    let has_terms = q.groups.iter().any(|g| !g.is_empty());
    let all = q.stage == Stage::Every;
    if has_terms && dialect == Dialect::Sqlite {
        let query = match q.stage {
            Stage::Title => format!(
                "{{search_title}} : ({})",
                search::fts5_query(&q.groups, false)
            ),
            _ => search::fts5_query(&q.groups, all),
        };
        let m = b.arg(query);
        b.push(&format!(" JOIN (SELECT rowid, bm25(articles_fts, 4.0, 1.0) AS rank FROM articles_fts WHERE articles_fts MATCH {m}) f ON f.rowid = a.id"));
    }
    // PostgreSQL: titles alone have their own vector (`search_head`).
    let vector = match q.stage {
        Stage::Title => "a.search_head",
        _ => "a.search",
    };
    b.push(" WHERE 1 = 1");
    if has_terms && dialect == Dialect::Postgres {
        let m = b.arg(search::tsquery(&q.groups, all));
        b.push(&format!(" AND {vector} @@ to_tsquery('simple', {m})"));
    }
    reader.filter(&mut b);
    if let Some(language) = q.language {
        let l = b.arg(language);
        b.push(&format!(" AND a.language = {l}"));
    }
    if let Some(product) = q.product_id {
        let p = b.arg(product);
        let p2 = b.arg(product);
        b.push(&format!(
            " AND (EXISTS (SELECT 1 FROM article_products ap WHERE ap.article_id = a.id AND ap.product_id = {p})
               OR EXISTS (SELECT 1 FROM article_lines al JOIN products pr ON pr.product_line_id = al.product_line_id
                          WHERE al.article_id = a.id AND pr.id = {p2}))"
        ));
    }
    let order = match (has_terms, dialect) {
        (false, _) => " ORDER BY a.updated_at DESC, a.id DESC".to_owned(),
        (true, Dialect::Sqlite) => " ORDER BY f.rank, a.id".to_owned(),
        (true, Dialect::Postgres) => {
            let m = b.arg(search::tsquery(&q.groups, all));
            format!(" ORDER BY ts_rank({vector}, to_tsquery('simple', {m})) DESC, a.id")
        }
    };
    b.push(&order);
    let limit = b.arg(CANDIDATES);
    b.push(&format!(" LIMIT {limit}"));
    b.query().fetch_all(tx).await
}

/// Records a person's vote (a second one replaces the first).
pub async fn feedback(
    tx: &mut Tx,
    user: UserId,
    id: ArticleId,
    helpful: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO article_feedback (article_id, user_id, helpful, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (article_id, user_id) DO UPDATE SET helpful = excluded.helpful, created_at = excluded.created_at")
    .bind(id)
    .bind(user)
    .bind(helpful)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}
