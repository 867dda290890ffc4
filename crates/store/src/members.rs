//! Company memberships: who belongs, with which role, active or not (CMP-2, CMP-3).

use crate::scope::{AdminScope, CompanyScope};
use crate::{Result, StoreError, Tx, companies, sql};
use chrono::{DateTime, Utc};
use supportal_domain::company::breaks_last_admin;
use supportal_domain::{CompanyId, Role, UserId};

/// Adds or re-activates a membership with the given role. An active admin stays admin: joining
/// again (a stale "member" invitation, an access request) never demotes anybody, so only
/// `change`, with its last-admin rule, lowers a role (CMP-2).
pub async fn put(
    tx: &mut Tx,
    company: CompanyId,
    user: UserId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO memberships (company_id, user_id, role, active, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (company_id, user_id) DO UPDATE SET
             role = CASE WHEN memberships.active AND memberships.role = 'admin' THEN 'admin' ELSE excluded.role END,
             active = excluded.active")
    .bind(company.get())
    .bind(user.get())
    .bind(role.as_str())
    .bind(true)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn list(tx: &mut Tx, scope: &CompanyScope) -> Result<Vec<MemberRow>> {
    sql(
        "SELECT u.id AS user_id, u.name, u.email, m.role, m.active, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.company_id = $1 ORDER BY u.name, u.id",
    )
    .bind(scope.company_id().get())
    .fetch_all(tx)
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeError {
    NotFound,
    LastAdmin,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Change {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// Changes a member's role or active flag, never leaving the company without an active admin.
/// Deactivation ends the member's sessions. Returns the member as it now is.
pub async fn change(
    tx: &mut Tx,
    scope: &AdminScope,
    user: UserId,
    change: Change,
) -> Result<std::result::Result<MemberRow, ChangeError>> {
    let company = scope.company_id();
    companies::lock(tx, company).await?;
    let Some(current) = find(tx, company, user).await? else {
        return Ok(Err(ChangeError::NotFound));
    };
    let is_active_admin = current.active && current.role == Role::Admin.as_str();
    let demotes = change.role == Some(Role::Member) || change.active == Some(false);
    let admins = sql("SELECT COUNT(*) AS v FROM memberships WHERE company_id = $1 AND role = 'admin' AND active = $2")
        .bind(company.get())
        .bind(true)
        .fetch_i64(tx)
        .await?;
    if breaks_last_admin(admins, is_active_admin, demotes) {
        return Ok(Err(ChangeError::LastAdmin));
    }
    let role = change
        .role
        .map(Role::as_str)
        .unwrap_or(current.role.as_str())
        .to_owned();
    let active = change.active.unwrap_or(current.active);
    sql("UPDATE memberships SET role = $3, active = $4 WHERE company_id = $1 AND user_id = $2")
        .bind(company.get())
        .bind(user.get())
        .bind(role)
        .bind(active)
        .execute(tx)
        .await?;
    if change.active == Some(false) {
        crate::sessions::delete_all(tx, user).await?;
    }
    find(tx, company, user)
        .await?
        .ok_or(StoreError::NotFound)
        .map(Ok)
}

async fn find(tx: &mut Tx, company: CompanyId, user: UserId) -> Result<Option<MemberRow>> {
    sql(
        "SELECT u.id AS user_id, u.name, u.email, m.role, m.active, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.company_id = $1 AND m.user_id = $2",
    )
    .bind(company.get())
    .bind(user.get())
    .fetch_optional(tx)
    .await
}

/// The number of active admins, for the staff page (a pending company has none until appointed).
pub async fn active_admins(tx: &mut Tx, scope: &CompanyScope) -> Result<i64> {
    sql("SELECT COUNT(*) AS v FROM memberships WHERE company_id = $1 AND role = 'admin' AND active = $2")
        .bind(scope.company_id().get())
        .bind(true)
        .fetch_i64(tx)
        .await
}
