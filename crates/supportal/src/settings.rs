//! Where the commands get their settings: built-in defaults, then an optional TOML file
//! (`--config` or `SUPPORTAL_CONFIG`), then `SUPPORTAL_*` environment variables and flags, each
//! over the one before. `supportal config --print-default` prints every setting with its comment.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use supportal_app::Secret;
use supportal_app::payments::{ProviderKind, RegionOffer};
use supportal_app::storage::S3Settings;
use supportal_web::Config;
use supportal_web::auth::IpNet;

/// What a settings file may say; everything is optional, and an unknown key is an error (a typo
/// must not be silently ignored).
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FileSettings {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<Secret>,
    pub database_connections: Option<u32>,
    pub base_url: Option<String>,
    pub smtp_url: Option<Secret>,
    pub mail_from: Option<String>,
    pub secure_cookies: Option<bool>,
    pub trusted_proxies: Option<Vec<IpNet>>,
    pub offers: Option<Vec<RegionOffer>>,
    pub payment_provider: Option<ProviderKind>,
    pub s3: Option<S3Settings>,
    pub header_timeout_seconds: Option<u64>,
    pub request_timeout_seconds: Option<u64>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
    pub inbound_address: Option<String>,
    pub inbound_secret: Option<Secret>,
}

/// The settings file with every setting at its default, commented out.
pub const DEFAULT: &str = r#"# Supportal settings. Every line below shows a default; uncomment and change what you need.
# Environment variables (SUPPORTAL_LISTEN, SUPPORTAL_DATA_DIR, …) and flags (--listen, …) win over
# this file. Pass it with --config or SUPPORTAL_CONFIG.

# Address and port to serve on.
# listen = "127.0.0.1:8080"

# Folder for the SQLite database, the mail outbox and attachments.
# data_dir = "./data"

# "sqlite:…" or "postgres://user:password@host/db". Default: <data_dir>/supportal.db.
# database_url = "sqlite:./data/supportal.db"

# PostgreSQL connections each serve process keeps (reads and writes together). With several
# processes on one database, keep their sum under the server's max_connections.
# database_connections = 16

# The address people reach the portal at, for links in email. Default: http://<listen>.
# base_url = "http://127.0.0.1:8080"

# "smtp://user:password@host:587" (STARTTLS) or "smtps://…". Unset, every message is written as an
# .eml file under <data_dir>/outbox/.
# smtp_url = "smtp://user:password@mail.example.com:587"

# Sender of every message.
# mail_from = "Supportal <no-reply@supportal.test>"

# Mark cookies Secure; set when people reach the portal over https.
# secure_cookies = false

# The operator's time zone (an IANA name): "today" for visitors and jobs, and for people who have
# not chosen their own in their profile.
# time_zone = "UTC"

# The operator's language: "en", "nl", "fr", "nb" or "sv". Pages use it for visitors whose browser
# asks for none of these, and mail uses it for addresses without an account. A signed-in person's
# profile language, the language switch and the browser's language come first.
# language = "en"

# Where replies to case mail arrive. Case mail then carries "cases+<case number>@…" as its reply
# address; the mail provider forwards replies to POST /api/v1/inbound/email with the secret below
# (header X-Supportal-Inbound-Secret), or an MTA pipes them to `supportal mail-in`.
# inbound_address = "cases@reply.example.com"
# inbound_secret = "a long random string"

# A connection that sends no complete request head in this time is closed; so is a kept-alive
# connection idle this long.
# header_timeout_seconds = 10

# A request that takes longer than this, reading its body included, is answered 408.
# request_timeout_seconds = 60

# Reverse proxies (addresses or networks) whose X-Forwarded-For header is believed when they
# connect; the caller's address is then the first untrusted hop from the right. Empty: the
# connection's own address, always.
# trusted_proxies = []

# Who charges cards for pay-per-incident purchases. Unset, buying incidents is shown as
# unavailable. "test" is the built-in test provider (card 4242 4242 4242 4242 is accepted, no money
# moves): for the demo and trials only. serve --demo uses it unless this says otherwise.
# payment_provider = "test"

# Attachments live under <data_dir>/attachments unless a bucket is named here. Several serve
# processes on one PostgreSQL database need a bucket they all reach (S3 or S3-compatible, such as
# MinIO). Keys left out come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION.
# [s3]
# bucket = "supportal-attachments"
# region = "eu-west-1"
# endpoint = "http://minio.internal:9000"
# access_key_id = "…"
# secret_access_key = "…"

# Pay-per-incident prices per region, in minor units (cents). Leave five_pack_minor out where the
# five-incident pack is not sold.
# [[offers]]
# code = "EU"
# currency = "EUR"
# single_minor = 49900
# five_pack_minor = 199900
#
# [[offers]]
# code = "NORDICS"
# currency = "EUR"
# single_minor = 49900
# five_pack_minor = 199900
#
# [[offers]]
# code = "UK"
# currency = "GBP"
# single_minor = 42900
#
# [[offers]]
# code = "NA"
# currency = "USD"
# single_minor = 49900
# five_pack_minor = 199900
"#;

/// Reads the settings file at `path`; none gives every setting unset.
pub fn read(path: Option<&Path>) -> Result<FileSettings> {
    let Some(path) = path else {
        return Ok(FileSettings::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the settings file {}", path.display()))?;
    parse(&text).with_context(|| format!("in the settings file {}", path.display()))
}

fn parse(text: &str) -> Result<FileSettings> {
    let settings: FileSettings = basic_toml::from_str(text)?;
    if settings
        .database_connections
        .is_some_and(|n| !(2..=1000).contains(&n))
    {
        anyhow::bail!("database_connections: between 2 and 1000");
    }
    if let Some(zone) = &settings.time_zone
        && !supportal_domain::profile::is_time_zone(zone)
    {
        anyhow::bail!(
            "time_zone: {zone:?} is not an IANA time zone (such as \"Europe/Amsterdam\")"
        );
    }
    if let Some(language) = &settings.language
        && supportal_app::i18n::Lang::exact(language).is_none()
    {
        anyhow::bail!(
            "language: {language:?} is not one of {}",
            supportal_app::i18n::Lang::codes().join(", ")
        );
    }
    if let Some(offers) = &settings.offers {
        for offer in offers {
            if offer.code.trim().is_empty() || offer.currency.trim().len() != 3 {
                anyhow::bail!(
                    "offers: each needs a code and a three-letter currency ({:?}, {:?})",
                    offer.code,
                    offer.currency
                );
            }
            if offer.single_minor <= 0 || offer.five_pack_minor.is_some_and(|p| p <= 0) {
                anyhow::bail!("offers: prices must be above zero ({})", offer.code);
            }
        }
    }
    Ok(settings)
}

impl FileSettings {
    /// The server configuration: the file's settings over `Config::new`'s defaults.
    pub fn config(&self, data_dir: PathBuf, base_url: String) -> Config {
        let mut config = Config::new(data_dir, base_url);
        config.smtp_url = self.smtp_url.clone();
        if let Some(from) = &self.mail_from {
            config.mail_from = from.clone();
        }
        config.secure_cookies = self.secure_cookies.unwrap_or(false);
        if let Some(proxies) = &self.trusted_proxies {
            config.trusted_proxies = proxies.clone();
        }
        if let Some(offers) = &self.offers {
            config.offers = offers.clone();
        }
        config.payment_provider = self.payment_provider;
        config.s3 = self.s3.clone();
        if let Some(zone) = self.time_zone.as_deref().and_then(|z| z.parse().ok()) {
            config.time_zone = zone;
        }
        if let Some(language) = &self.language {
            config.language = language.clone();
        }
        config.inbound_address = self.inbound_address.clone();
        // An empty secret would let a request without one in: it counts as none.
        config.inbound_secret = self
            .inbound_secret
            .clone()
            .filter(|s| !s.expose().is_empty());
        if let Some(seconds) = self.header_timeout_seconds {
            config.limits.header_timeout = std::time::Duration::from_secs(seconds.max(1));
        }
        if let Some(seconds) = self.request_timeout_seconds {
            config.limits.request_timeout = std::time::Duration::from_secs(seconds.max(1));
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT, FileSettings, parse};
    use std::path::PathBuf;
    use supportal_web::Config;

    /// The printed default, every setting uncommented.
    fn uncommented() -> String {
        DEFAULT
            .lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| {
                line.starts_with('[')
                    || line
                        .split_once(" = ")
                        .is_some_and(|(k, _)| !k.contains(' '))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_printed_default_is_the_default() {
        assert_eq!(parse(DEFAULT).ok(), Some(FileSettings::default()));
        let all = parse(&uncommented()).expect("the uncommented default parses");
        let defaults = Config::new(PathBuf::from("./data"), "http://127.0.0.1:8080".into());
        let config = all.config(PathBuf::from("./data"), "http://127.0.0.1:8080".into());
        assert_eq!(config.offers, defaults.offers);
        assert_eq!(config.mail_from, defaults.mail_from);
        assert_eq!(config.secure_cookies, defaults.secure_cookies);
        assert_eq!(config.trusted_proxies, defaults.trusted_proxies);
        assert_eq!(all.listen, "127.0.0.1:8080".parse().ok());
        assert_eq!(all.data_dir, Some(PathBuf::from("./data")));
    }

    #[test]
    fn a_file_sets_proxies_offers_and_secrets() {
        let text = r#"
            smtp_url = "smtp://mailer:hunter2@mail.example.com:587"
            trusted_proxies = ["10.0.0.0/8", "::1"]
            time_zone = "Europe/Oslo"
            language = "nb"
            [[offers]]
            code = "CH"
            currency = "CHF"
            single_minor = 45000
        "#;
        let settings = parse(text).expect("parses");
        let config = settings.config(PathBuf::from("/srv"), "https://support.example.com".into());
        assert_eq!(config.trusted_proxies.len(), 2);
        assert_eq!(config.time_zone.name(), "Europe/Oslo");
        assert_eq!(config.language, "nb");
        assert_eq!(config.offers.len(), 1);
        assert_eq!(config.offers[0].five_pack_minor, None);
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(
            config.smtp_url.as_ref().map(|s| s.expose()),
            Some("smtp://mailer:hunter2@mail.example.com:587")
        );
    }

    #[test]
    fn mistakes_in_the_file_are_refused_with_the_reason() {
        for (text, says) in [
            ("listen = \"not an address\"", "listen"),
            ("smtp_host = \"mail\"", "smtp_host"),
            ("trusted_proxies = [\"proxy.local\"]", "proxy.local"),
            (
                "[[offers]]\ncode = \"EU\"\ncurrency = \"EURO\"\nsingle_minor = 1",
                "currency",
            ),
            (
                "[[offers]]\ncode = \"EU\"\ncurrency = \"EUR\"\nsingle_minor = 0",
                "above zero",
            ),
            ("secure_cookies = \"yes\"", "secure_cookies"),
            ("time_zone = \"Mars/Olympus\"", "IANA"),
            ("language = \"de\"", "language"),
            ("language = \"NL\"", "language"),
            ("database_connections = 1", "between 2 and 1000"),
        ] {
            let error = parse(text).err().map(|e| format!("{e:#}"));
            assert!(
                error.as_deref().is_some_and(|e| e.contains(says)),
                "{text}: {error:?}"
            );
        }
    }
}
