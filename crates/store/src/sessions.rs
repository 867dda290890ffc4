//! Sessions live in the database so several `serve` processes share them. The client holds a
//! random token; the table holds only its SHA-256, so a leaked table opens no session.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{AccessChoice, CompanyId, SessionId, StaffRole, UserId};

use crate::scope::{CompanyScope, StaffScope};
use supportal_domain::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A browser session: HttpOnly cookie, CSRF token on forms.
    Cookie,
    /// An API session: bearer token from `POST /auth/login`.
    Api,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Cookie => "cookie",
            SessionKind::Api => "api",
        }
    }
}

pub struct NewSession<'a> {
    pub user: UserId,
    pub kind: SessionKind,
    pub token_hash: &'a str,
    pub csrf_token: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: &'a str,
}

pub async fn create(tx: &mut Tx, s: NewSession<'_>) -> Result<SessionId> {
    let id = sql("INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, last_seen_at, expires_at, user_agent)
                  VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING id AS v")
        .bind(s.token_hash)
        .bind(s.user.get())
        .bind(s.kind.as_str())
        .bind(s.csrf_token)
        .bind(s.now)
        .bind(s.expires_at)
        .bind(s.user_agent.chars().take(200).collect::<String>())
        .fetch_i64(tx)
        .await?;
    Ok(SessionId(id))
}

/// The signed-in user behind a session. Made only here, after the token checked out; it is
/// what scopes are built from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionUser {
    session_id: i64,
    user_id: i64,
    pub email: String,
    pub name: String,
    staff_role: Option<String>,
    pub csrf_token: String,
    kind: String,
    verified_at: Option<DateTime<Utc>>,
    access_choice: Option<String>,
    pub last_seen_at: DateTime<Utc>,
    /// The profile's time zone (an IANA name), for showing times; none before a profile.
    pub time_zone: Option<String>,
    /// The profile's language code, which pages use first; none before a profile. (Mail, which
    /// has no switch or browser to go by, falls back to the language the account was
    /// registered in: `outbox::readers`.)
    pub language: Option<String>,
    /// The repair queue of the enrolled service-delivery partner this user works for: its cases
    /// are theirs to work (PTN-5, SUP-1).
    repair_queue: Option<i64>,
    /// How many of the user's in-app notifications are unread (the bell, NTF-1).
    pub unread: i64,
}

impl SessionUser {
    pub fn session_id(&self) -> SessionId {
        SessionId(self.session_id)
    }

    pub fn user_id(&self) -> UserId {
        UserId(self.user_id)
    }

    pub fn is_verified(&self) -> bool {
        self.verified_at.is_some()
    }

    pub fn access_choice(&self) -> Option<AccessChoice> {
        self.access_choice.as_deref().and_then(AccessChoice::parse)
    }

    pub fn staff_role(&self) -> Option<StaffRole> {
        self.staff_role.as_deref().and_then(StaffRole::parse)
    }

    pub fn is_api(&self) -> bool {
        self.kind == "api"
    }

    pub fn repair_queue(&self) -> Option<i64> {
        self.repair_queue
    }

    pub fn staff_scope(&self) -> Option<StaffScope> {
        self.staff_role().map(|role| StaffScope {
            user_id: Some(self.user_id()),
            role,
        })
    }
}

/// The signed-in user behind a live session, by `{KEY}`.
const SESSION_USER: &str = "SELECT s.id AS session_id, u.id AS user_id, u.email, u.name, u.staff_role, s.csrf_token, s.kind,
                u.verified_at, u.access_choice, s.last_seen_at, p.time_zone, p.language,
                (SELECT pp.queue_id FROM memberships pm JOIN partner_programmes pp ON pp.company_id = pm.company_id
                 WHERE pm.user_id = u.id AND pm.active AND pp.enrolled AND pp.kind = 'service_delivery'
                 ORDER BY pp.company_id LIMIT 1) AS repair_queue,
                (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread
         FROM sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN profiles p ON p.user_id = u.id
         WHERE {KEY} AND s.expires_at > $2 AND u.active = $3
           AND (NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)
                OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.active = $3))";

/// Finds the live session for a token hash: not expired, account active and not every company
/// link switched off.
pub async fn authenticate(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionUser>> {
    sql(SESSION_USER.replace("{KEY}", "s.token_hash = $1"))
        .bind(token_hash)
        .bind(now)
        .bind(true)
        .fetch_optional(tx)
        .await
}

/// The same session again, as it is now (a long-lived WebSocket checks it still holds and what
/// its user may do now); `None` once it ended, expired or its account was switched off.
pub async fn again(
    tx: &mut Tx,
    session: SessionId,
    now: DateTime<Utc>,
) -> Result<Option<SessionUser>> {
    sql(SESSION_USER.replace("{KEY}", "s.id = $1"))
        .bind(session.get())
        .bind(now)
        .bind(true)
        .fetch_optional(tx)
        .await
}

/// The person a staff operation acts for, without a session of theirs: a chat's customer whose
/// case an engineer opens from the chat (CHAT-1). `None` for an inactive account.
pub async fn acting_for(tx: &mut Tx, user: UserId) -> Result<Option<SessionUser>> {
    sql("SELECT CAST(0 AS BIGINT) AS session_id, u.id AS user_id, u.email, u.name, u.staff_role, '' AS csrf_token,
                'system' AS kind, u.verified_at, u.access_choice, u.created_at AS last_seen_at, p.time_zone, p.language,
                CAST(NULL AS BIGINT) AS repair_queue, CAST(0 AS BIGINT) AS unread
         FROM users u LEFT JOIN profiles p ON p.user_id = u.id
         WHERE u.id = $1 AND u.active = $2")
    .bind(user)
    .bind(true)
    .fetch_optional(tx)
    .await
}

pub async fn touch(tx: &mut Tx, id: SessionId, now: DateTime<Utc>) -> Result<()> {
    sql("UPDATE sessions SET last_seen_at = $2 WHERE id = $1")
        .bind(id.get())
        .bind(now)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: SessionId) -> Result<()> {
    sql("DELETE FROM sessions WHERE id = $1")
        .bind(id.get())
        .execute(tx)
        .await?;
    Ok(())
}

/// Ends every session of a user ("sign out everywhere", deactivation, password reset).
pub async fn delete_all(tx: &mut Tx, user: UserId) -> Result<u64> {
    sql("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.get())
        .execute(tx)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionInfo {
    pub id: i64,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: String,
}

pub async fn list(tx: &mut Tx, user: UserId, now: DateTime<Utc>) -> Result<Vec<SessionInfo>> {
    sql(
        "SELECT id, kind, created_at, last_seen_at, user_agent FROM sessions
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user.get())
    .bind(now)
    .fetch_all(tx)
    .await
}

/// A customer's own company: the first (by name) validated company where the membership is
/// active, in one query. Staff have no own company this way.
pub async fn own_company_scope(tx: &mut Tx, user: &SessionUser) -> Result<Option<CompanyScope>> {
    Ok(case_context(tx, user).await?.map(|c| c.scope))
}

/// What opening a case starts from: the own company (as `own_company_scope` finds it), its
/// name, and the caller's profile, in one query.
pub struct CaseContext {
    pub scope: CompanyScope,
    pub company_name: String,
    pub profile: Option<crate::profiles::ProfileRow>,
}

pub async fn case_context(tx: &mut Tx, user: &SessionUser) -> Result<Option<CaseContext>> {
    if user.staff_scope().is_some() {
        return Ok(None);
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        company_id: i64,
        role: String,
        company_name: String,
        phone: Option<String>,
        contact_method: Option<String>,
        language: Option<String>,
        time_zone: Option<String>,
        country: Option<String>,
        site_id: Option<i64>,
        default_pin_id: Option<i64>,
        notify: Option<bool>,
        updated_at: Option<DateTime<Utc>>,
    }
    let row: Option<Row> = sql("SELECT m.company_id, m.role, c.name AS company_name, p.phone, p.contact_method, p.language,
                                       p.time_zone, p.country, p.site_id, p.default_pin_id, p.notify, p.updated_at
                                FROM memberships m JOIN companies c ON c.id = m.company_id
                                LEFT JOIN profiles p ON p.user_id = m.user_id
                                WHERE m.user_id = $1 AND m.active = $2 AND c.status = 'validated' ORDER BY c.name, c.id LIMIT 1")
        .bind(user.user_id().get())
        .bind(true)
        .fetch_optional(tx)
        .await?;
    Ok(row.and_then(|r| {
        let role = Role::parse(&r.role)?;
        let profile = match (
            r.updated_at,
            r.phone,
            r.contact_method,
            r.language,
            r.time_zone,
            r.country,
            r.notify,
        ) {
            (
                Some(updated_at),
                Some(phone),
                Some(contact_method),
                Some(language),
                Some(time_zone),
                Some(country),
                Some(notify),
            ) => Some(crate::profiles::ProfileRow {
                phone,
                contact_method,
                language,
                time_zone,
                country,
                site_id: r.site_id,
                default_pin_id: r.default_pin_id,
                notify,
                updated_at,
            }),
            _ => None,
        };
        Some(CaseContext {
            scope: CompanyScope {
                company_id: CompanyId(r.company_id),
                user_id: user.user_id(),
                role,
                staff: false,
            },
            company_name: r.company_name,
            profile,
        })
    }))
}

/// The caller's scope in a company: an active member of a validated company, or staff.
pub async fn company_scope(
    tx: &mut Tx,
    user: &SessionUser,
    company: CompanyId,
) -> Result<Option<CompanyScope>> {
    if let Some(staff) = user.staff_scope() {
        let exists = sql("SELECT COUNT(*) AS v FROM companies WHERE id = $1")
            .bind(company.get())
            .fetch_i64(tx)
            .await?;
        return Ok((exists > 0).then(|| staff.company(company)));
    }
    #[derive(sqlx::FromRow)]
    struct M {
        role: String,
    }
    let row: Option<M> = sql("SELECT m.role FROM memberships m JOIN companies c ON c.id = m.company_id
                              WHERE m.user_id = $1 AND m.company_id = $2 AND m.active = $3 AND c.status = 'validated'")
        .bind(user.user_id().get())
        .bind(company.get())
        .bind(true)
        .fetch_optional(tx)
        .await?;
    Ok(row
        .and_then(|m| Role::parse(&m.role))
        .map(|role| CompanyScope {
            company_id: company,
            user_id: user.user_id(),
            role,
            staff: false,
        }))
}
