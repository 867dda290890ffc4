//! Keeping the database small and free of secrets it no longer needs: the pruning that the
//! application's hourly job runs (`prune`).

use crate::{Db, Result, Tx, sql};
use chrono::{DateTime, Duration, Utc};

/// What one pruning removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub throttle_hits: u64,
    pub sessions: u64,
    pub email_codes: u64,
    pub mail_bodies: u64,
    /// Codes and links of messages that could not be delivered while they were valid.
    pub mail_secrets: u64,
    pub mails: u64,
    pub purchase_claims: u64,
}

impl Pruned {
    fn add(&mut self, other: Pruned) {
        self.throttle_hits += other.throttle_hits;
        self.sessions += other.sessions;
        self.email_codes += other.email_codes;
        self.mail_bodies += other.mail_bodies;
        self.mail_secrets += other.mail_secrets;
        self.mails += other.mails;
        self.purchase_claims += other.purchase_claims;
    }

    fn most(&self) -> u64 {
        [
            self.throttle_hits,
            self.sessions,
            self.email_codes,
            self.mail_bodies,
            self.mail_secrets,
            self.mails,
            self.purchase_claims,
        ]
        .into_iter()
        .max()
        .unwrap_or_default()
    }
}

/// Rows one pruning transaction touches per table at most, so the writer is never held long.
const BATCH: i64 = 5_000;

/// Throttle hits older than a day (the longest window is an hour), expired sessions and email
/// codes, the bodies of messages delivered more than a day ago (the subject stays as the record
/// that it was sent), the codes and links of messages still undelivered when the longest of them
/// (an invitation) has expired, messages delivered 90 days ago or undelivered after 30, and
/// purchase keys a crashed request left claimed. In batches of `BATCH`, one short transaction each.
pub async fn prune(db: &Db, now: DateTime<Utc>) -> Result<Pruned> {
    let mut total = Pruned::default();
    loop {
        let mut tx = db.begin().await?;
        let done = prune_batch(&mut tx, now).await?;
        tx.commit().await?;
        total.add(done);
        if done.most() < BATCH as u64 {
            return Ok(total);
        }
    }
}

async fn prune_batch(tx: &mut Tx, now: DateTime<Utc>) -> Result<Pruned> {
    let day = now - Duration::days(1);
    Ok(Pruned {
        throttle_hits: sql("DELETE FROM throttle_hits WHERE id IN
                            (SELECT id FROM throttle_hits WHERE at < $1 LIMIT $2)")
        .bind(day)
        .bind(BATCH)
        .execute(tx)
        .await?,
        sessions: sql("DELETE FROM sessions WHERE id IN
                       (SELECT id FROM sessions WHERE expires_at < $1 LIMIT $2)")
        .bind(now)
        .bind(BATCH)
        .execute(tx)
        .await?,
        email_codes: sql("DELETE FROM email_codes WHERE (user_id, purpose) IN
                          (SELECT user_id, purpose FROM email_codes WHERE expires_at < $1 LIMIT $2)")
        .bind(day)
        .bind(BATCH)
        .execute(tx)
        .await?,
        mail_bodies: sql("UPDATE outbox SET text_body = '', html_body = '' WHERE id IN
                          (SELECT id FROM outbox WHERE sent_at < $1 AND text_body <> '' LIMIT $2)")
        .bind(day)
        .bind(BATCH)
        .execute(tx)
        .await?,
        mail_secrets: sql("UPDATE outbox SET secrets = NULL WHERE id IN
                           (SELECT id FROM outbox WHERE sent_at IS NULL AND secrets IS NOT NULL
                            AND created_at < $1 LIMIT $2)")
        .bind(now - Duration::days(crate::invitations::LIFETIME_DAYS))
        .bind(BATCH)
        .execute(tx)
        .await?,
        mails: sql("DELETE FROM outbox WHERE id IN
                    (SELECT id FROM outbox WHERE sent_at < $1 OR (sent_at IS NULL AND created_at < $3)
                     LIMIT $2)")
        .bind(now - Duration::days(90))
        .bind(BATCH)
        .bind(now - Duration::days(30))
        .execute(tx)
        .await?,
        purchase_claims: sql("DELETE FROM purchase_keys WHERE (user_id, key) IN
                              (SELECT user_id, key FROM purchase_keys
                               WHERE purchase_id IS NULL AND created_at < $1 LIMIT $2)")
        .bind(day)
        .bind(BATCH)
        .execute(tx)
        .await?,
    })
}
