//! The catalog (ENT-1): product lines, products with and without serial numbers, versions,
//! categories and problem types. Products are public knowledge: no scope needed to read them.

use crate::{Result, Tx, sql};
use supportal_domain::ProductId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProductRow {
    #[sqlx(try_from = "i64")]
    pub id: ProductId,
    pub sku: String,
    pub name: String,
    pub product_line: String,
    pub has_serial: bool,
    pub warranty_months: i64,
    pub warranty_coverage: String,
}

const PRODUCT: &str = "SELECT p.id, p.sku, p.name, l.name AS product_line, p.has_serial, p.warranty_months, p.warranty_coverage
                       FROM products p JOIN product_lines l ON l.id = p.product_line_id";

#[derive(Debug, Clone)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub product_line: String,
    pub has_serial: bool,
    pub warranty_months: i64,
    pub warranty_coverage: String,
    pub versions: Vec<String>,
    /// Category name and its problem types.
    pub categories: Vec<(String, Vec<String>)>,
}

async fn product_line(tx: &mut Tx, name: &str) -> Result<i64> {
    sql("INSERT INTO product_lines (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id AS v")
        .bind(name)
        .fetch_i64(tx)
        .await
}

/// Creates or updates a product by SKU; versions, categories and problem types are added (never
/// removed, so cases that name them keep their meaning). Returns the id and whether it was new.
pub async fn upsert_product(tx: &mut Tx, p: &ProductInput) -> Result<(ProductId, bool)> {
    let line = product_line(tx, &p.product_line).await?;
    let existing = find_by_sku(tx, &p.sku).await?;
    let id = match &existing {
        Some(row) => {
            sql("UPDATE products SET name = $2, product_line_id = $3, has_serial = $4, warranty_months = $5, warranty_coverage = $6 WHERE id = $1")
                .bind(row.id)
                .bind(&p.name)
                .bind(line)
                .bind(p.has_serial)
                .bind(p.warranty_months)
                .bind(&p.warranty_coverage)
                .execute(tx)
                .await?;
            row.id
        }
        None => {
            sql("INSERT INTO products (sku, name, product_line_id, has_serial, warranty_months, warranty_coverage)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS v")
            .bind(&p.sku)
            .bind(&p.name)
            .bind(line)
            .bind(p.has_serial)
            .bind(p.warranty_months)
            .bind(&p.warranty_coverage)
            .fetch_id(tx)
            .await?
        }
    };
    for version in &p.versions {
        sql("INSERT INTO product_versions (product_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING").bind(id).bind(version).execute(tx).await?;
    }
    for (category, problems) in &p.categories {
        let category_id = sql("INSERT INTO product_categories (product_id, name) VALUES ($1, $2)
                               ON CONFLICT (product_id, name) DO UPDATE SET name = excluded.name RETURNING id AS v")
            .bind(id)
            .bind(category)
            .fetch_i64(tx)
            .await?;
        for problem in problems {
            sql("INSERT INTO problem_types (category_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(category_id)
                .bind(problem)
                .execute(tx)
                .await?;
        }
    }
    Ok((id, existing.is_none()))
}

pub async fn find_by_sku(tx: &mut Tx, sku: &str) -> Result<Option<ProductRow>> {
    sql(format!("{PRODUCT} WHERE p.sku = $1"))
        .bind(sku)
        .fetch_optional(tx)
        .await
}

pub async fn find(tx: &mut Tx, id: ProductId) -> Result<Option<ProductRow>> {
    sql(format!("{PRODUCT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// Catalog search by name, SKU or product line, case-insensitive.
pub async fn search(tx: &mut Tx, q: &str, limit: i64) -> Result<Vec<ProductRow>> {
    let pattern = format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], ""));
    sql(format!(
        "{PRODUCT} WHERE LOWER(p.name) LIKE $1 OR LOWER(p.sku) LIKE $1 OR LOWER(l.name) LIKE $1 ORDER BY p.name, p.id LIMIT $2"
    ))
    .bind(pattern)
    .bind(limit)
    .fetch_all(tx)
    .await
}

/// The product lines by name (at most 500), for pickers.
pub async fn lines(tx: &mut Tx) -> Result<Vec<Named>> {
    sql("SELECT id, name FROM product_lines ORDER BY name, id LIMIT 500")
        .fetch_all(tx)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

pub async fn versions(tx: &mut Tx, product: ProductId) -> Result<Vec<Named>> {
    sql("SELECT id, name FROM product_versions WHERE product_id = $1 ORDER BY name")
        .bind(product)
        .fetch_all(tx)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProblemTypeRow {
    pub category_id: i64,
    pub category: String,
    pub id: Option<i64>,
    pub name: Option<String>,
}

/// Categories with their problem types, flat (a category without types has one row of nulls).
pub async fn categories(tx: &mut Tx, product: ProductId) -> Result<Vec<ProblemTypeRow>> {
    sql("SELECT c.id AS category_id, c.name AS category, t.id, t.name FROM product_categories c
         LEFT JOIN problem_types t ON t.category_id = c.id WHERE c.product_id = $1 ORDER BY c.name, t.name")
    .bind(product)
    .fetch_all(tx)
    .await
}
