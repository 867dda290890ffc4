//! Account-access requests (ACC-5): a limited user asks the operator for company access and gets
//! a request number; staff upgrade the account or decline with a reason.

use crate::scope::StaffScope;
use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use rand::Rng;
use supportal_domain::{AccessRequestId, UserId};

#[derive(Debug, Clone)]
pub struct NewRequest {
    pub phone: String,
    pub contact_method: String,
    pub page_url: String,
    pub intent: String,
    pub serial_number: Option<String>,
    pub company_name: String,
    pub site_address: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub number: String,
    pub user_id: i64,
    pub user_email: String,
    pub user_name: String,
    pub phone: String,
    pub contact_method: String,
    pub page_url: String,
    pub intent: String,
    pub serial_number: Option<String>,
    pub company_name: String,
    pub site_address: String,
    pub status: String,
    pub resolution_reason: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT r.id, r.number, r.user_id, u.email AS user_email, u.name AS user_name, r.phone,
    r.contact_method, r.page_url, r.intent, r.serial_number, r.company_name, r.site_address, r.status,
    r.resolution_reason, r.resolved_at, r.created_at
    FROM access_requests r JOIN users u ON u.id = r.user_id";

/// Files a request with a fresh eight-digit number, easy to read out on the phone.
pub async fn create(
    tx: &mut Tx,
    user: UserId,
    r: &NewRequest,
    now: DateTime<Utc>,
) -> Result<(AccessRequestId, String)> {
    for _ in 0..8 {
        let number = rand::thread_rng()
            .gen_range(10_000_000..100_000_000)
            .to_string();
        #[derive(sqlx::FromRow)]
        struct Id {
            id: i64,
        }
        let row: Option<Id> = sql(
            "INSERT INTO access_requests (number, user_id, phone, contact_method, page_url, intent,
                serial_number, company_name, site_address, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10)
             ON CONFLICT (number) DO NOTHING RETURNING id",
        )
        .bind(&number)
        .bind(user.get())
        .bind(&r.phone)
        .bind(&r.contact_method)
        .bind(&r.page_url)
        .bind(&r.intent)
        .bind(r.serial_number.clone())
        .bind(&r.company_name)
        .bind(&r.site_address)
        .bind(now)
        .fetch_optional(tx)
        .await?;
        if let Some(row) = row {
            return Ok((AccessRequestId(row.id), number));
        }
    }
    Err(StoreError::Conflict(
        "could not pick a free request number".into(),
    ))
}

pub async fn mine(tx: &mut Tx, user: UserId) -> Result<Vec<RequestRow>> {
    let q = format!("{SELECT} WHERE r.user_id = $1 ORDER BY r.created_at DESC");
    sql(q).bind(user.get()).fetch_all(tx).await
}

/// Staff queue: open requests first, oldest first.
pub async fn queue(tx: &mut Tx, _staff: &StaffScope) -> Result<Vec<RequestRow>> {
    let q =
        format!("{SELECT} ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.created_at");
    sql(q).fetch_all(tx).await
}

pub async fn get(tx: &mut Tx, _staff: &StaffScope, id: AccessRequestId) -> Result<RequestRow> {
    let q = format!("{SELECT} WHERE r.id = $1");
    sql(q).bind(id.get()).fetch_one(tx).await
}

/// Closes an open request. Returns false when it was already resolved.
pub async fn resolve(
    tx: &mut Tx,
    staff: &StaffScope,
    id: AccessRequestId,
    status: &str,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(sql("UPDATE access_requests SET status = $2, resolution_reason = $3, resolved_by = $4, resolved_at = $5
            WHERE id = $1 AND status = 'open'")
        .bind(id.get())
        .bind(status)
        .bind(reason)
        .bind(staff.user_id().map(UserId::get))
        .bind(now)
        .execute(tx)
        .await?
        == 1)
}
