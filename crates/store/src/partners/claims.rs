//! Reimbursement claims (PTN-5): a service-delivery partner claims the parts and labour of a
//! repair case from its queue; operator staff approve or reject them with a reason.

use super::PartnerScope;
use crate::cases::CaseKey;
use crate::scope::StaffScope;
use crate::{Builder, Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::ClaimId;
use supportal_domain::partner::Claim;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimRow {
    #[sqlx(try_from = "i64")]
    pub id: ClaimId,
    pub case_number: String,
    pub case_title: String,
    pub partner_company_id: i64,
    pub partner_name: String,
    /// The lines as JSON (`[{part_number, quantity, amount}]`).
    pub parts: String,
    pub labour_minutes: i64,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

const CLAIM: &str = "SELECT cl.id, c.number AS case_number, c.title AS case_title, cl.partner_company_id,
    co.name AS partner_name, cl.parts, cl.labour_minutes, cl.amount, cl.currency, cl.status, cl.reason, cl.created_at,
    cl.decided_at
    FROM claims cl JOIN cases c ON c.id = cl.case_id JOIN companies co ON co.id = cl.partner_company_id";

/// Submits a claim for a case of the partner's queue (the caller checked that); a claim still
/// waiting or approved for the case is a conflict (`claims_one_open`).
pub async fn create(
    tx: &mut Tx,
    scope: &PartnerScope,
    case: CaseKey,
    claim: &Claim,
    now: DateTime<Utc>,
) -> Result<ClaimId> {
    let parts = serde_json::to_string(&claim.parts).unwrap_or_else(|_| "[]".into());
    sql("INSERT INTO claims (case_id, partner_company_id, parts, labour_minutes, amount, currency, status, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8) RETURNING id AS v")
    .bind(case.get())
    .bind(scope.company_id)
    .bind(parts)
    .bind(claim.labour_minutes)
    .bind(claim.amount)
    .bind(claim.currency.as_str())
    .bind(scope.user_id)
    .bind(now)
    .fetch_id(tx)
    .await
}

/// The partner's claims, newest first.
pub async fn of_partner(tx: &mut Tx, scope: &PartnerScope) -> Result<Vec<ClaimRow>> {
    sql(format!(
        "{CLAIM} WHERE cl.partner_company_id = $1 ORDER BY cl.id DESC LIMIT 500"
    ))
    .bind(scope.company_id)
    .fetch_all(tx)
    .await
}

/// One of the partner's claims.
pub async fn partner_claim(
    tx: &mut Tx,
    scope: &PartnerScope,
    id: ClaimId,
) -> Result<Option<ClaimRow>> {
    sql(format!(
        "{CLAIM} WHERE cl.partner_company_id = $1 AND cl.id = $2"
    ))
    .bind(scope.company_id)
    .bind(id)
    .fetch_optional(tx)
    .await
}

/// Every claim, or those of one status, newest first (operator staff).
pub async fn all(tx: &mut Tx, _staff: &StaffScope, status: Option<&str>) -> Result<Vec<ClaimRow>> {
    let mut b = Builder::new();
    let filter = match status {
        Some(s) => format!(" WHERE cl.status = {}", b.arg(s)),
        None => String::new(),
    };
    b.push(&format!("{CLAIM}{filter} ORDER BY cl.id DESC LIMIT 500"));
    b.query().fetch_all(tx).await
}

pub async fn get(tx: &mut Tx, _staff: &StaffScope, id: ClaimId) -> Result<Option<ClaimRow>> {
    sql(format!("{CLAIM} WHERE cl.id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// Decides a submitted claim; false when it was decided already.
pub async fn decide(
    tx: &mut Tx,
    staff: &StaffScope,
    id: ClaimId,
    approved: bool,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(sql(
        "UPDATE claims SET status = $2, reason = $3, decided_by = $4, decided_at = $5
         WHERE id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .bind(if approved { "approved" } else { "rejected" })
    .bind(reason)
    .bind(staff.user_id())
    .bind(now)
    .execute(tx)
    .await?
        > 0)
}

/// Who submitted a claim, for the decision's email: (email, name).
pub async fn submitter(tx: &mut Tx, id: ClaimId) -> Result<Option<(String, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        email: String,
        name: String,
    }
    let row: Option<Row> = sql(
        "SELECT u.email, u.name FROM claims cl JOIN users u ON u.id = cl.created_by WHERE cl.id = $1",
    )
    .bind(id)
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.email, r.name)))
}
