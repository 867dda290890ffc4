//! User accounts: creation, lookup, verification, passwords, the access choice and the tier.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{
    AccessChoice, CompanyKind, CompanyStatus, EmailAddress, StaffRole, Tier, UserId,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub access_choice: Option<String>,
    pub active: bool,
    pub staff_role: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl UserRow {
    pub fn id(&self) -> UserId {
        UserId(self.id)
    }

    pub fn staff_role(&self) -> Option<StaffRole> {
        self.staff_role.as_deref().and_then(StaffRole::parse)
    }

    pub fn access_choice(&self) -> Option<AccessChoice> {
        self.access_choice.as_deref().and_then(AccessChoice::parse)
    }
}

/// Creates an unverified account, with the language it was registered in. A taken email is
/// `StoreError::Conflict`.
pub async fn create(
    tx: &mut Tx,
    email: &EmailAddress,
    name: &str,
    password_hash: &str,
    language: Option<&str>,
    now: DateTime<Utc>,
) -> Result<UserId> {
    let id = sql("INSERT INTO users (email, name, password_hash, created_at, language) VALUES ($1, $2, $3, $4, $5) RETURNING id AS v")
        .bind(email.as_str())
        .bind(name)
        .bind(password_hash)
        .bind(now)
        .bind(language)
        .fetch_i64(tx)
        .await?;
    Ok(UserId(id))
}

pub async fn find_by_email(tx: &mut Tx, email: &EmailAddress) -> Result<Option<UserRow>> {
    sql("SELECT id, email, name, password_hash, verified_at, access_choice, active, staff_role, created_at
         FROM users WHERE email = $1")
    .bind(email.as_str())
    .fetch_optional(tx)
    .await
}

pub async fn find(tx: &mut Tx, id: UserId) -> Result<Option<UserRow>> {
    sql("SELECT id, email, name, password_hash, verified_at, access_choice, active, staff_role, created_at
         FROM users WHERE id = $1")
    .bind(id.get())
    .fetch_optional(tx)
    .await
}

/// Remembers the browser that created an unverified account (a hash of its token).
pub async fn set_registration_browser(tx: &mut Tx, id: UserId, token_hash: &str) -> Result<()> {
    sql("UPDATE users SET registration_browser = $2 WHERE id = $1 AND verified_at IS NULL")
        .bind(id.get())
        .bind(token_hash)
        .execute(tx)
        .await?;
    Ok(())
}

/// The hash of the browser that created the unverified account `id`, if one was remembered.
pub async fn registration_browser(tx: &mut Tx, id: UserId) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct Browser {
        registration_browser: Option<String>,
    }
    let row: Option<Browser> = sql("SELECT registration_browser FROM users WHERE id = $1")
        .bind(id.get())
        .fetch_optional(tx)
        .await?;
    Ok(row.and_then(|b| b.registration_browser))
}

/// Marks the email verified; the registering browser's proof is spent with it.
pub async fn mark_verified(tx: &mut Tx, id: UserId, now: DateTime<Utc>) -> Result<()> {
    sql("UPDATE users SET verified_at = $2, registration_browser = NULL WHERE id = $1 AND verified_at IS NULL")
        .bind(id.get())
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx, id: UserId, password_hash: &str) -> Result<()> {
    sql("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id.get())
        .bind(password_hash)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn set_access_choice(tx: &mut Tx, id: UserId, choice: AccessChoice) -> Result<()> {
    sql("UPDATE users SET access_choice = $2 WHERE id = $1")
        .bind(id.get())
        .bind(choice.as_str())
        .execute(tx)
        .await?;
    Ok(())
}

/// Makes an account operator staff (CLI `staff add`, demo).
pub async fn set_staff_role(tx: &mut Tx, id: UserId, role: StaffRole) -> Result<()> {
    sql("UPDATE users SET staff_role = $2, access_choice = 'basic' WHERE id = $1")
        .bind(id.get())
        .bind(role.as_str())
        .execute(tx)
        .await?;
    Ok(())
}

/// One of the user's company links, as `/me` shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipView {
    pub company_id: i64,
    pub company_name: String,
    pub role: String,
    pub kind: String,
    pub status: String,
    pub active: bool,
}

pub async fn memberships(tx: &mut Tx, user: UserId) -> Result<Vec<MembershipView>> {
    sql(
        "SELECT c.id AS company_id, c.name AS company_name, m.role, c.kind, c.status, m.active
         FROM memberships m JOIN companies c ON c.id = m.company_id
         WHERE m.user_id = $1 ORDER BY c.name",
    )
    .bind(user.get())
    .fetch_all(tx)
    .await
}

/// The tier badge for a user, from staff role and company links (SPEC "People").
pub fn tier(staff: bool, memberships: &[MembershipView]) -> Tier {
    let active = memberships.iter().filter(|m| m.active);
    let validated: Vec<CompanyKind> = active
        .clone()
        .filter(|m| CompanyStatus::parse(&m.status) == Some(CompanyStatus::Validated))
        .filter_map(|m| CompanyKind::parse(&m.kind))
        .collect();
    let pending = active
        .clone()
        .any(|m| CompanyStatus::parse(&m.status) == Some(CompanyStatus::Pending));
    Tier::derive(staff, &validated, pending)
}

/// A deactivated account: switched off globally, or every company link switched off.
pub fn is_deactivated(user: &UserRow, memberships: &[MembershipView]) -> bool {
    !user.active || (!memberships.is_empty() && memberships.iter().all(|m| !m.active))
}
