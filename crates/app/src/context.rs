//! What every operation is given: the database, the configuration, the clock, the mail wake-up,
//! the file store and the payment provider (`Context`).

use chrono::{DateTime, Duration, Utc};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use supportal_store::Db;
use tokio::sync::Notify;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where the SQLite file, the outbox folder and (later) attachments live.
    pub data_dir: PathBuf,
    /// The address people reach the portal at, for links in emails.
    pub base_url: String,
    /// `smtp://user:pass@host:port` or `smtps://…`; none writes `.eml` files to the outbox folder.
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    /// Pay-per-incident prices per region (ENT-6).
    pub offers: Vec<crate::payments::RegionOffer>,
    /// Who charges cards for pay-per-incident; none shows it as unavailable.
    pub payment_provider: Option<crate::payments::ProviderKind>,
    /// An S3-compatible bucket for attachments; none keeps them under `<data_dir>/attachments`.
    pub s3: Option<crate::storage::S3Settings>,
    /// The operator's time zone: whose calendar decides "today" for someone without one of
    /// their own (a visitor, a job).
    pub time_zone: chrono_tz::Tz,
    /// The operator's language (a code of `Lang::codes`): pages for visitors whose browser
    /// asks for none of the five, and mail to addresses without an account.
    pub language: String,
    /// Where replies to case mail arrive (`cases@reply.example.com`); each case's mail carries
    /// `cases+<number>@…` as its reply address. None: case mail has no reply address.
    pub inbound_address: Option<String>,
    /// The shared secret the mail provider's inbound hook sends (`POST /api/v1/inbound/email`);
    /// none refuses every inbound message.
    pub inbound_secret: Option<Secret>,
}

impl Config {
    /// Defaults for everything but where data lives and where people reach the portal.
    pub fn new(data_dir: PathBuf, base_url: String) -> Config {
        Config {
            data_dir,
            base_url,
            smtp_url: None,
            mail_from: "Supportal <no-reply@supportal.test>".into(),
            offers: crate::payments::default_offers(),
            payment_provider: None,
            s3: None,
            time_zone: chrono_tz::Tz::UTC,
            language: "en".into(),
            inbound_address: None,
            inbound_secret: None,
        }
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

/// A setting that must never be printed or logged whole (an SMTP or database URL with its
/// password): `Debug` and `Display` show `[secret]`; `expose` gives the value to its one user.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[secret]")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[secret]")
    }
}

/// The clock operations read. Tests move it forward to expire codes without sleeping.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    pub fn advance(&self, by: Duration) {
        self.offset_secs
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

/// What an operation works with. Every caller (a request handler, a job, the CLI) holds one.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// Wakes the mail worker when a message was queued.
    pub mail_wakeup: Arc<Notify>,
    /// The configured payment provider, if any (see `Config::payment_provider`).
    pub payments: Option<Arc<dyn crate::payments::PaymentProvider>>,
    pub files: Arc<dyn crate::storage::FileStore>,
    /// Tells this process's chat sockets which chats changed (CHAT-1).
    pub chat: Arc<crate::chat::hub::Hub>,
}

impl Context {
    /// The context for `config`; fails when its file store cannot be opened (a bad S3 setting,
    /// an attachments folder that cannot be made).
    pub fn try_new(db: Db, config: Config) -> std::io::Result<Self> {
        let files = crate::storage::open(&config)?;
        let payments = config
            .payment_provider
            .map(crate::payments::ProviderKind::provider);
        Ok(Context {
            db,
            payments,
            config: Arc::new(config),
            clock: Clock::default(),
            mail_wakeup: Arc::new(Notify::new()),
            files,
            chat: Arc::default(),
        })
    }

    /// `try_new` for tests and tools, where a store that cannot open is a broken set-up.
    pub fn new(db: Db, config: Config) -> Self {
        match Self::try_new(db, config) {
            Ok(state) => state,
            Err(e) => panic!("opening the file store: {e}"),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's date where the reader is: in `zone` (an IANA name), else in the operator's
    /// zone. A warranty that ends today has not ended for a reader whose day is not over.
    pub fn today(&self, zone: Option<&str>) -> chrono::NaiveDate {
        date_in(self.now(), zone, self.config.time_zone)
    }
}

/// The date at `at` in `zone` (an IANA name), or in `fallback` when there is none or it is not
/// a zone.
fn date_in(at: DateTime<Utc>, zone: Option<&str>, fallback: chrono_tz::Tz) -> chrono::NaiveDate {
    let zone = zone
        .and_then(|z| z.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(fallback);
    at.with_timezone(&zone).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_readers_date() {
        let late: DateTime<Utc> = "2026-12-31T23:30:00Z".parse().expect("time");
        let utc = chrono_tz::Tz::UTC;
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(date_in(late, None, utc), day(2026, 12, 31));
        assert_eq!(date_in(late, Some("Europe/Oslo"), utc), day(2027, 1, 1));
        assert_eq!(
            date_in(late, Some("America/New_York"), utc),
            day(2026, 12, 31)
        );
        assert_eq!(
            date_in(late, Some("Not/AZone"), chrono_tz::Tz::Asia__Tokyo),
            day(2027, 1, 1)
        );
    }
}
