//! Invitations (ACC-4): an admin invites an email address with a role; the email carries a link
//! with a code; whoever signs in with that address and opens the link joins with that role.

use crate::scope::{AdminScope, CompanyScope};
use crate::{Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};
use supportal_domain::{CompanyId, EmailAddress, InvitationId, Role, UserId};

pub const LIFETIME_DAYS: i64 = 14;

pub async fn create(
    tx: &mut Tx,
    scope: &AdminScope,
    email: &EmailAddress,
    role: Role,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<InvitationId> {
    insert(
        tx,
        scope.company_id(),
        Some(scope.user_id()),
        email,
        role,
        code_hash,
        now,
    )
    .await
}

/// Staff appointing a first admin who has no account yet (CMP-4).
pub async fn create_for_company(
    tx: &mut Tx,
    company: CompanyId,
    by: Option<UserId>,
    email: &EmailAddress,
    role: Role,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<InvitationId> {
    insert(tx, company, by, email, role, code_hash, now).await
}

async fn insert(
    tx: &mut Tx,
    company: CompanyId,
    by: Option<UserId>,
    email: &EmailAddress,
    role: Role,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<InvitationId> {
    let by = by.map(UserId::get).filter(|id| *id > 0);
    let id = sql("INSERT INTO invitations (company_id, email, role, code_hash, invited_by, created_at, expires_at)
                  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS v")
        .bind(company.get())
        .bind(email.as_str())
        .bind(role.as_str())
        .bind(code_hash)
        .bind(by)
        .bind(now)
        .bind(now + Duration::days(LIFETIME_DAYS))
        .fetch_i64(tx)
        .await?;
    Ok(InvitationId(id))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub email: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// An invitation by its id, for the person it is addressed to (`email`); `None` for anyone else.
pub async fn addressed(tx: &mut Tx, id: i64, email: &str) -> Result<Option<InvitationRow>> {
    sql("SELECT i.id, i.company_id, c.name AS company_name, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
         FROM invitations i JOIN companies c ON c.id = i.company_id WHERE i.id = $1 AND LOWER(i.email) = LOWER($2)")
    .bind(id)
    .bind(email)
    .fetch_optional(tx)
    .await
}

pub async fn find_by_code(tx: &mut Tx, code_hash: &str) -> Result<Option<InvitationRow>> {
    sql("SELECT i.id, i.company_id, c.name AS company_name, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
         FROM invitations i JOIN companies c ON c.id = i.company_id WHERE i.code_hash = $1")
    .bind(code_hash)
    .fetch_optional(tx)
    .await
}

/// Marks an invitation accepted; returns false when someone else got there first.
pub async fn mark_accepted(
    tx: &mut Tx,
    id: InvitationId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(sql("UPDATE invitations SET accepted_at = $2, accepted_by = $3 WHERE id = $1 AND accepted_at IS NULL")
        .bind(id.get())
        .bind(now)
        .bind(user.get())
        .execute(tx)
        .await?
        == 1)
}

pub async fn pending(
    tx: &mut Tx,
    scope: &CompanyScope,
    now: DateTime<Utc>,
) -> Result<Vec<InvitationRow>> {
    sql("SELECT i.id, i.company_id, c.name AS company_name, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
         FROM invitations i JOIN companies c ON c.id = i.company_id
         WHERE i.company_id = $1 AND i.accepted_at IS NULL AND i.expires_at > $2 ORDER BY i.created_at DESC")
    .bind(scope.company_id().get())
    .bind(now)
    .fetch_all(tx)
    .await
}
