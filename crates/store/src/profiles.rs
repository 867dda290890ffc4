//! The case-management profile (PRF-1): one row per user.

use crate::{Result, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::UserId;
use supportal_domain::profile::Profile;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub phone: String,
    pub contact_method: String,
    pub language: String,
    pub time_zone: String,
    pub country: String,
    pub site_id: Option<i64>,
    pub default_pin_id: Option<i64>,
    pub notify: bool,
    pub updated_at: DateTime<Utc>,
}

pub async fn get(tx: &mut Tx, user: UserId) -> Result<Option<ProfileRow>> {
    sql("SELECT phone, contact_method, language, time_zone, country, site_id, default_pin_id, notify, updated_at
         FROM profiles WHERE user_id = $1")
    .bind(user.get())
    .fetch_optional(tx)
    .await
}

pub async fn put(tx: &mut Tx, user: UserId, p: &Profile, now: DateTime<Utc>) -> Result<()> {
    sql("INSERT INTO profiles (user_id, phone, contact_method, language, time_zone, country, site_id, default_pin_id, notify, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone, contact_method = excluded.contact_method,
           language = excluded.language, time_zone = excluded.time_zone, country = excluded.country,
           site_id = excluded.site_id, default_pin_id = excluded.default_pin_id, notify = excluded.notify,
           updated_at = excluded.updated_at")
    .bind(user.get())
    .bind(&p.phone)
    .bind(p.contact_method.as_str())
    .bind(&p.language)
    .bind(&p.time_zone)
    .bind(&p.country)
    .bind(p.site_id)
    .bind(p.default_pin_id)
    .bind(p.notify)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Sets the person's language (the language switch): the profile's, and the account's for
/// when there is no profile yet. False when there is no profile.
pub async fn set_language(
    tx: &mut Tx,
    user: UserId,
    language: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    sql("UPDATE users SET language = $2 WHERE id = $1")
        .bind(user.get())
        .bind(language)
        .execute(tx)
        .await?;
    let changed = sql("UPDATE profiles SET language = $2, updated_at = $3 WHERE user_id = $1")
        .bind(user.get())
        .bind(language)
        .bind(now)
        .execute(tx)
        .await?;
    Ok(changed > 0)
}
