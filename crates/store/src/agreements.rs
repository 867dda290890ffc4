//! Incident-based support agreements (ENT-4 to ENT-7): loading, registering by access ID and
//! agreement ID, the plans a user can see, spending a unit and refunding one.

use crate::scope::StaffScope;
use crate::{Result, StoreError, Tx, sql};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use supportal_domain::entitlement::{AgreementFacts, Scope};
use supportal_domain::{AgreementId, IncidentUseId, ProductId, PurchaseId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgreementRow {
    #[sqlx(try_from = "i64")]
    pub id: AgreementId,
    pub access_id: String,
    pub agreement_id: String,
    pub programme: String,
    pub units_bought: i64,
    pub units_remaining: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub grace_days: i64,
    pub on_premises: bool,
    pub cloud: bool,
}

const AGREEMENT: &str = "SELECT g.id, g.access_id, g.agreement_id, g.programme, g.units_bought, g.units_remaining,
                         g.start_date, g.end_date, g.grace_days, g.on_premises, g.cloud FROM agreements g";

impl AgreementRow {
    pub fn scopes(&self) -> Vec<Scope> {
        let mut out = Vec::new();
        if self.on_premises {
            out.push(Scope::OnPremises);
        }
        if self.cloud {
            out.push(Scope::Cloud);
        }
        out
    }

    pub fn facts(&self, product_ids: Vec<ProductId>) -> AgreementFacts {
        let product_ids = product_ids.into_iter().map(ProductId::get).collect();
        AgreementFacts {
            start: self.start_date,
            end: self.end_date,
            grace_days: self.grace_days,
            units_remaining: self.units_remaining,
            product_ids,
            scopes: self.scopes(),
        }
    }
}

pub struct AgreementInput<'a> {
    pub access_id: &'a str,
    pub agreement_id: &'a str,
    pub programme: &'a str,
    pub units: i64,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub grace_days: i64,
    pub scopes: &'a [Scope],
    pub product_ids: &'a [ProductId],
}

/// Creates or updates an agreement by its two IDs. Loading it again keeps what was spent: a
/// change in units bought moves the remaining units by the same amount (never below zero).
pub async fn upsert(
    tx: &mut Tx,
    a: &AgreementInput<'_>,
    now: DateTime<Utc>,
) -> Result<(AgreementId, bool)> {
    let existing = find_by_ids(tx, a.access_id, a.agreement_id).await?;
    let on_premises = a.scopes.contains(&Scope::OnPremises);
    let cloud = a.scopes.contains(&Scope::Cloud);
    let id = match &existing {
        Some(row) => {
            let remaining = (row.units_remaining + a.units - row.units_bought).max(0);
            sql("UPDATE agreements SET programme = $2, units_bought = $3, units_remaining = $4, start_date = $5, end_date = $6,
                 grace_days = $7, on_premises = $8, cloud = $9 WHERE id = $1")
            .bind(row.id)
            .bind(a.programme)
            .bind(a.units)
            .bind(remaining)
            .bind(a.start)
            .bind(a.end)
            .bind(a.grace_days)
            .bind(on_premises)
            .bind(cloud)
            .execute(tx)
            .await?;
            sql("DELETE FROM agreement_products WHERE agreement_id = $1").bind(row.id).execute(tx).await?;
            row.id
        }
        None => {
            sql("INSERT INTO agreements (access_id, agreement_id, programme, units_bought, units_remaining, start_date, end_date,
                 grace_days, on_premises, cloud, created_at) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10) RETURNING id AS v")
            .bind(a.access_id)
            .bind(a.agreement_id)
            .bind(a.programme)
            .bind(a.units)
            .bind(a.start)
            .bind(a.end)
            .bind(a.grace_days)
            .bind(on_premises)
            .bind(cloud)
            .bind(now)
            .fetch_id(tx)
            .await?
        }
    };
    for product in a.product_ids {
        sql("INSERT INTO agreement_products (agreement_id, product_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(*product)
            .execute(tx)
            .await?;
    }
    Ok((id, existing.is_none()))
}

pub async fn find_by_ids(
    tx: &mut Tx,
    access_id: &str,
    agreement_id: &str,
) -> Result<Option<AgreementRow>> {
    sql(format!(
        "{AGREEMENT} WHERE g.access_id = $1 AND g.agreement_id = $2"
    ))
    .bind(access_id)
    .bind(agreement_id)
    .fetch_optional(tx)
    .await
}

/// Links an agreement to an account; false when it was linked already.
pub async fn link(
    tx: &mut Tx,
    agreement: AgreementId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(sql("INSERT INTO agreement_links (agreement_id, user_id, linked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(agreement)
        .bind(user.get())
        .bind(now)
        .execute(tx)
        .await?
        == 1)
}

/// An agreement the user can see, with whether the user linked it personally.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisibleAgreement {
    #[sqlx(flatten)]
    pub row: AgreementRow,
    pub linked: bool,
}

/// The agreements linked to the user, and those linked by colleagues in the user's active
/// companies (shown as `not_linked` until the user registers them too).
pub async fn visible_to(tx: &mut Tx, user: UserId) -> Result<Vec<VisibleAgreement>> {
    sql(format!(
        "{AGREEMENT_VISIBLE} WHERE {VISIBLE_WHERE}
         ORDER BY g.end_date DESC, g.id"
    ))
    .bind(user.get())
    .bind(true)
    .fetch_all(tx)
    .await
}

/// `visible_to` with each agreement's covered products (empty: every product), in one query.
pub async fn visible_with_products(
    tx: &mut Tx,
    user: UserId,
) -> Result<Vec<(VisibleAgreement, Vec<ProductId>)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        agreement: VisibleAgreement,
        covered: Option<i64>,
    }
    let rows: Vec<Row> = sql(format!(
        "SELECT g.id, g.access_id, g.agreement_id, g.programme, g.units_bought, g.units_remaining,
            g.start_date, g.end_date, g.grace_days, g.on_premises, g.cloud,
            EXISTS (SELECT 1 FROM agreement_links l WHERE l.agreement_id = g.id AND l.user_id = $1) AS linked,
            ap.product_id AS covered
         FROM agreements g LEFT JOIN agreement_products ap ON ap.agreement_id = g.id
         WHERE {VISIBLE_WHERE}
         ORDER BY g.end_date DESC, g.id, ap.product_id"
    ))
    .bind(user.get())
    .bind(true)
    .fetch_all(tx)
    .await?;
    let mut out: Vec<(VisibleAgreement, Vec<ProductId>)> = Vec::new();
    for r in rows {
        let covered = r.covered.map(ProductId);
        match out.last_mut() {
            Some((last, products)) if last.row.id == r.agreement.row.id => products.extend(covered),
            _ => out.push((r.agreement, covered.into_iter().collect())),
        }
    }
    Ok(out)
}

/// Who sees an agreement `g`: $1 linked it, or a colleague in one of $1's active companies did.
/// Read from the user's side (their links, their companies' members' links), so the cost follows
/// what the user can see, not how many agreements the operator has.
const VISIBLE_WHERE: &str = "g.id IN (
            SELECT l.agreement_id FROM agreement_links l WHERE l.user_id = $1
            UNION
            SELECT l.agreement_id FROM memberships mine
                JOIN memberships other ON other.company_id = mine.company_id AND other.active = $2
                JOIN agreement_links l ON l.user_id = other.user_id
            WHERE mine.user_id = $1 AND mine.active = $2)";

const AGREEMENT_VISIBLE: &str = "SELECT g.id, g.access_id, g.agreement_id, g.programme, g.units_bought, g.units_remaining,
    g.start_date, g.end_date, g.grace_days, g.on_premises, g.cloud,
    EXISTS (SELECT 1 FROM agreement_links l WHERE l.agreement_id = g.id AND l.user_id = $1) AS linked
    FROM agreements g";

/// Agreement id → covered product ids (empty: every product).
pub async fn products(
    tx: &mut Tx,
    agreements: &[AgreementId],
) -> Result<HashMap<AgreementId, Vec<ProductId>>> {
    #[derive(sqlx::FromRow)]
    struct Pair {
        #[sqlx(try_from = "i64")]
        agreement_id: AgreementId,
        #[sqlx(try_from = "i64")]
        product_id: ProductId,
    }
    let mut map: HashMap<AgreementId, Vec<ProductId>> =
        agreements.iter().map(|id| (*id, Vec::new())).collect();
    if agreements.is_empty() {
        return Ok(map);
    }
    let mut b = crate::Builder::new();
    let marks: Vec<String> = agreements.iter().map(|id| b.arg(*id)).collect();
    b.push(&format!(
        "SELECT agreement_id, product_id FROM agreement_products WHERE agreement_id IN ({}) ORDER BY agreement_id, product_id",
        marks.join(", ")
    ));
    let pairs: Vec<Pair> = b.query().fetch_all(tx).await?;
    for p in pairs {
        map.entry(p.agreement_id).or_default().push(p.product_id);
    }
    Ok(map)
}

/// What spending a unit recorded: the use to put on the case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IncidentUse {
    #[sqlx(try_from = "i64")]
    pub id: IncidentUseId,
    #[sqlx(try_from = "i64")]
    pub agreement_id: AgreementId,
    pub reference: String,
    pub at: DateTime<Utc>,
    pub refunded_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendError {
    NoUnits,
}

/// Spends one unit inside the caller's transaction (ENT-7). One conditional statement takes the
/// unit, so the balance never goes below zero whatever runs at the same time; the use is keyed by
/// `reference` (the case), so spending again for the same case returns the first use.
/// The caller has already checked that the agreement is linked and in date.
pub async fn spend(
    tx: &mut Tx,
    agreement: AgreementId,
    reference: &str,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<std::result::Result<IncidentUse, SpendError>> {
    if let Some(existing) = use_by_reference(tx, reference).await? {
        return Ok(Ok(existing));
    }
    spend_fresh(tx, agreement, reference, user, now).await
}

/// `spend` for a reference made in this very transaction (a case just inserted), which cannot
/// have a use yet: skips the look-up.
pub async fn spend_fresh(
    tx: &mut Tx,
    agreement: AgreementId,
    reference: &str,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<std::result::Result<IncidentUse, SpendError>> {
    let taken = sql("UPDATE agreements SET units_remaining = units_remaining - 1 WHERE id = $1 AND units_remaining > 0")
        .bind(agreement)
        .execute(tx)
        .await?;
    if taken == 0 {
        return Ok(Err(SpendError::NoUnits));
    }
    let used = sql(
        "INSERT INTO incident_uses (agreement_id, reference, user_id, at) VALUES ($1, $2, $3, $4)
                    RETURNING id, agreement_id, reference, at, refunded_at",
    )
    .bind(agreement)
    .bind(reference)
    .bind(user.get())
    .bind(now)
    .fetch_one(tx)
    .await?;
    Ok(Ok(used))
}

async fn use_by_reference(tx: &mut Tx, reference: &str) -> Result<Option<IncidentUse>> {
    sql("SELECT id, agreement_id, reference, at, refunded_at FROM incident_uses WHERE reference = $1")
        .bind(reference)
        .fetch_optional(tx)
        .await
}

pub async fn find(tx: &mut Tx, id: AgreementId) -> Result<Option<AgreementRow>> {
    sql(format!("{AGREEMENT} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// Staff give a spent unit back (audited by the caller). A use is refunded at most once.
pub async fn refund(
    tx: &mut Tx,
    staff: &StaffScope,
    use_id: IncidentUseId,
    now: DateTime<Utc>,
) -> Result<IncidentUse> {
    let used: IncidentUse =
        sql("SELECT id, agreement_id, reference, at, refunded_at FROM incident_uses WHERE id = $1")
            .bind(use_id)
            .fetch_optional(tx)
            .await?
            .ok_or(StoreError::NotFound)?;
    let changed = sql("UPDATE incident_uses SET refunded_at = $2, refunded_by = $3 WHERE id = $1 AND refunded_at IS NULL")
        .bind(use_id)
        .bind(now)
        .bind(staff.user_id().map(UserId::get))
        .execute(tx)
        .await?;
    if changed == 0 {
        return Err(StoreError::Conflict("already refunded".into()));
    }
    sql("UPDATE agreements SET units_remaining = units_remaining + 1 WHERE id = $1")
        .bind(used.agreement_id)
        .execute(tx)
        .await?;
    Ok(IncidentUse {
        refunded_at: Some(now),
        ..used
    })
}

/// The units spent from an agreement, newest first.
pub async fn uses(tx: &mut Tx, agreement: AgreementId) -> Result<Vec<IncidentUse>> {
    sql("SELECT id, agreement_id, reference, at, refunded_at FROM incident_uses WHERE agreement_id = $1 ORDER BY at DESC, id DESC")
        .bind(agreement)
        .fetch_all(tx)
        .await
}

pub struct PurchaseRecord<'a> {
    pub user: UserId,
    pub pack: &'a str,
    pub region: &'a str,
    pub units: i64,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub provider_reference: &'a str,
    pub agreement: AgreementId,
}

pub async fn record_purchase(
    tx: &mut Tx,
    p: &PurchaseRecord<'_>,
    now: DateTime<Utc>,
) -> Result<PurchaseId> {
    sql("INSERT INTO purchases (user_id, pack, region, units, amount_minor, currency, provider_reference, agreement_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id AS v")
    .bind(p.user.get())
    .bind(p.pack)
    .bind(p.region)
    .bind(p.units)
    .bind(p.amount_minor)
    .bind(p.currency)
    .bind(p.provider_reference)
    .bind(p.agreement)
    .bind(now)
    .fetch_id(tx)
    .await
}

/// What an `Idempotency-Key` of a purchase says: nobody used it, a request holding it is still
/// charging, or it bought this purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurchaseKey {
    Claimed,
    InProgress,
    Done(PurchaseId),
}

/// Claims `key` for `user`'s purchase, unless a request used it before.
pub async fn claim_purchase_key(
    tx: &mut Tx,
    user: UserId,
    key: &str,
    now: DateTime<Utc>,
) -> Result<PurchaseKey> {
    #[derive(sqlx::FromRow)]
    struct Claim {
        purchase_id: Option<i64>,
    }
    let earlier: Option<Claim> =
        sql("SELECT purchase_id FROM purchase_keys WHERE user_id = $1 AND key = $2")
            .bind(user.get())
            .bind(key)
            .fetch_optional(tx)
            .await?;
    if let Some(earlier) = earlier {
        return Ok(earlier.purchase_id.map_or(PurchaseKey::InProgress, |id| {
            PurchaseKey::Done(PurchaseId(id))
        }));
    }
    let inserted = sql(
        "INSERT INTO purchase_keys (user_id, key, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(user.get())
    .bind(key)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(if inserted == 1 {
        PurchaseKey::Claimed
    } else {
        PurchaseKey::InProgress
    })
}

/// Gives a claimed key back (the charge did not happen), so the same key may try again.
pub async fn release_purchase_key(tx: &mut Tx, user: UserId, key: &str) -> Result<()> {
    sql("DELETE FROM purchase_keys WHERE user_id = $1 AND key = $2 AND purchase_id IS NULL")
        .bind(user.get())
        .bind(key)
        .execute(tx)
        .await?;
    Ok(())
}

/// Points a claimed key at the purchase it bought (in the purchase's own transaction).
pub async fn complete_purchase_key(
    tx: &mut Tx,
    user: UserId,
    key: &str,
    purchase: PurchaseId,
) -> Result<()> {
    sql("UPDATE purchase_keys SET purchase_id = $3 WHERE user_id = $1 AND key = $2")
        .bind(user.get())
        .bind(key)
        .bind(purchase)
        .execute(tx)
        .await?;
    Ok(())
}

/// A purchase of `user`, as its answer shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PurchaseRow {
    #[sqlx(try_from = "i64")]
    pub id: PurchaseId,
    #[sqlx(try_from = "i64")]
    pub agreement_id: AgreementId,
    pub amount_minor: i64,
    pub currency: String,
}

pub async fn purchase(tx: &mut Tx, user: UserId, id: PurchaseId) -> Result<Option<PurchaseRow>> {
    sql("SELECT id, agreement_id, amount_minor, currency FROM purchases WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user.get())
        .fetch_optional(tx)
        .await
}
