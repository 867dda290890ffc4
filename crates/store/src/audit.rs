//! The audit log: who did what to a company, and when.

use crate::scope::CompanyScope;
use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{CompanyId, UserId};

pub async fn record(
    tx: &mut Tx,
    actor: Option<UserId>,
    company: Option<CompanyId>,
    action: &str,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO audit_log (at, actor_id, company_id, action, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(now)
        .bind(actor.map(UserId::get).filter(|id| *id > 0))
        .bind(company.map(CompanyId::get))
        .bind(action)
        .bind(detail)
        .execute(tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
}

pub async fn for_company(tx: &mut Tx, scope: &CompanyScope, limit: i64) -> Result<Vec<AuditRow>> {
    sql("SELECT a.at, u.email AS actor, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.company_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2")
    .bind(scope.company_id().get())
    .bind(limit)
    .fetch_all(tx)
    .await
}
