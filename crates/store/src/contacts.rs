//! Contacts (CMP-5): the company contact list (its users plus external contacts) and each user's
//! saved contacts.

use crate::scope::CompanyScope;
use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, Utc};
use supportal_domain::{ContactId, SavedContactId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactRow {
    /// `user` for a company user, `external` for an added contact.
    pub source: String,
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// Everyone a member can pick as a case contact: active users and external contacts.
pub async fn company_list(tx: &mut Tx, scope: &CompanyScope) -> Result<Vec<ContactRow>> {
    sql("SELECT 'user' AS source, u.id, u.name, u.email, p.phone
         FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN profiles p ON p.user_id = u.id
         WHERE m.company_id = $1 AND m.active = $2
         UNION ALL
         SELECT 'external' AS source, c.id, c.name, c.email, c.phone FROM company_contacts c WHERE c.company_id = $1
         ORDER BY 3, 4")
    .bind(scope.company_id().get())
    .bind(true)
    .fetch_all(tx)
    .await
}

#[derive(Debug, Clone)]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

pub async fn create_company_contact(
    tx: &mut Tx,
    scope: &CompanyScope,
    c: &ContactInput,
    now: DateTime<Utc>,
) -> Result<ContactId> {
    let id = sql("INSERT INTO company_contacts (company_id, name, email, phone, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id AS v")
        .bind(scope.company_id().get())
        .bind(&c.name)
        .bind(&c.email)
        .bind(c.phone.clone())
        .bind(now)
        .fetch_i64(tx)
        .await?;
    Ok(ContactId(id))
}

/// An entry of the company contact list: a member of the company, or an external contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactRef {
    User(UserId),
    External(ContactId),
}

impl ContactRef {
    /// From the list's `source` (`user`, `external`) and id; `None` for any other source.
    pub fn parse(source: &str, id: i64) -> Option<ContactRef> {
        match source {
            "user" => Some(ContactRef::User(UserId(id))),
            "external" => Some(ContactRef::External(ContactId(id))),
            _ => None,
        }
    }

    fn names(&self, row: &ContactRow) -> bool {
        match self {
            ContactRef::User(id) => row.source == "user" && row.id == id.get(),
            ContactRef::External(id) => row.source == "external" && row.id == id.get(),
        }
    }
}

/// One entry of the company list, for "add to my saved contacts".
pub async fn company_contact(
    tx: &mut Tx,
    scope: &CompanyScope,
    entry: ContactRef,
) -> Result<ContactRow> {
    company_list(tx, scope)
        .await?
        .into_iter()
        .find(|c| entry.names(c))
        .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SavedContactRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

pub async fn saved(tx: &mut Tx, user: UserId) -> Result<Vec<SavedContactRow>> {
    sql("SELECT id, name, email, phone FROM saved_contacts WHERE user_id = $1 ORDER BY name, id")
        .bind(user.get())
        .fetch_all(tx)
        .await
}

/// Saves a contact; the same email twice is `Conflict`.
pub async fn save(
    tx: &mut Tx,
    user: UserId,
    c: &ContactInput,
    now: DateTime<Utc>,
) -> Result<SavedContactId> {
    let id = sql("INSERT INTO saved_contacts (user_id, name, email, phone, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id AS v")
        .bind(user.get())
        .bind(&c.name)
        .bind(&c.email)
        .bind(c.phone.clone())
        .bind(now)
        .fetch_i64(tx)
        .await?;
    Ok(SavedContactId(id))
}

pub async fn get_saved(tx: &mut Tx, user: UserId, id: SavedContactId) -> Result<SavedContactRow> {
    sql("SELECT id, name, email, phone FROM saved_contacts WHERE id = $1 AND user_id = $2")
        .bind(id.get())
        .bind(user.get())
        .fetch_one(tx)
        .await
}

pub async fn update_saved(
    tx: &mut Tx,
    user: UserId,
    id: SavedContactId,
    c: &ContactInput,
) -> Result<()> {
    let n = sql("UPDATE saved_contacts SET name = $3, email = $4, phone = $5 WHERE id = $1 AND user_id = $2")
        .bind(id.get())
        .bind(user.get())
        .bind(&c.name)
        .bind(&c.email)
        .bind(c.phone.clone())
        .execute(tx)
        .await?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn delete_saved(tx: &mut Tx, user: UserId, id: SavedContactId) -> Result<()> {
    let n = sql("DELETE FROM saved_contacts WHERE id = $1 AND user_id = $2")
        .bind(id.get())
        .bind(user.get())
        .execute(tx)
        .await?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ContactRef;
    use supportal_domain::{ContactId, UserId};

    #[test]
    fn a_list_entry_is_named_by_its_source() {
        assert_eq!(
            ContactRef::parse("user", 7),
            Some(ContactRef::User(UserId(7)))
        );
        assert_eq!(
            ContactRef::parse("external", 7),
            Some(ContactRef::External(ContactId(7)))
        );
        assert_eq!(ContactRef::parse("site", 7), None);
        assert_eq!(ContactRef::parse("", 7), None);
    }
}
