//! Every user-facing string comes from the Fluent files under `locales/`. Templates and handlers
//! ask a `Lang` for a message id; nothing user-visible is written in code.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en-US",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const EN: LanguageIdentifier = langid!("en-US");

/// The language of one request or one email.
#[derive(Debug, Clone)]
pub struct Lang {
    id: LanguageIdentifier,
    /// Where the reader is: times are shown in this zone (UTC when unknown).
    zone: Option<chrono_tz::Tz>,
}

impl Default for Lang {
    fn default() -> Self {
        Lang { id: EN, zone: None }
    }
}

impl Lang {
    /// Picks the first supported language from an `Accept-Language` header (or a profile's
    /// language code); English otherwise.
    pub fn negotiate(accept: Option<&str>) -> Lang {
        let supported: Vec<LanguageIdentifier> = LOCALES.locales().cloned().collect();
        for part in accept.unwrap_or_default().split(',') {
            let tag = part.split(';').next().unwrap_or_default().trim();
            if let Ok(wanted) = tag.parse::<LanguageIdentifier>()
                && let Some(found) = supported.iter().find(|l| l.language == wanted.language)
            {
                return Lang {
                    id: found.clone(),
                    zone: None,
                };
            }
        }
        Lang::default()
    }

    pub fn code(&self) -> String {
        self.id.language.to_string()
    }

    /// The message with this id.
    pub fn t(&self, id: &str) -> String {
        LOCALES.lookup(&self.id, id)
    }

    /// The message with one argument.
    pub fn t1(&self, id: &str, name: &str, value: impl ToString) -> String {
        self.tn(id, &[(name, value.to_string())])
    }

    /// The message with several arguments.
    pub fn tn(&self, id: &str, args: &[(&str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.id, id, &args)
    }

    /// The sentence for an error code: `error-<code>`.
    pub fn error(&self, code: &str) -> String {
        self.t(&format!("error-{}", code.replace('_', "-")))
    }

    /// The sentence for a field error code: `field-<code>`.
    pub fn field_error(&self, code: &str) -> String {
        self.t(&format!("field-{}", code.replace('_', "-")))
    }

    /// A date and time as people read it, in the reader's time zone, which is named: `2026-12-01
    /// 14:05 CET`; UTC for a reader without one.
    pub fn datetime(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        match self.zone {
            Some(zone) => at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M %Z")
                .to_string(),
            None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }

    /// The same language for a reader in `zone` (an IANA name; an unknown one keeps UTC).
    pub fn in_zone(mut self, zone: Option<&str>) -> Lang {
        self.zone = zone.and_then(|z| z.parse().ok());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages of one locale: id and the sorted names of its variables.
    fn messages(tag: &str) -> Vec<(String, Vec<String>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(tag);
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("locale folder").flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("ftl");
            for line in text.lines() {
                let Some((id, value)) = line.split_once(" = ") else {
                    continue;
                };
                if line.starts_with('#') || line.starts_with(' ') {
                    continue;
                }
                let mut vars: Vec<String> = value
                    .split("{ $")
                    .skip(1)
                    .filter_map(|rest| rest.split(' ').next())
                    .map(str::to_owned)
                    .collect();
                vars.sort();
                vars.dedup();
                out.push((id.trim().to_owned(), vars));
            }
        }
        out.sort();
        out
    }

    /// Every language has every English message, no other, with the same variables.
    #[test]
    fn every_locale_has_every_message_with_the_same_variables() {
        let english = messages("en-US");
        assert!(english.len() > 500, "{}", english.len());
        for tag in ["nl-NL", "fr-FR", "nb-NO", "sv-SE"] {
            let other = messages(tag);
            let missing: Vec<_> = english.iter().filter(|m| !other.contains(m)).collect();
            let extra: Vec<_> = other.iter().filter(|m| !english.contains(m)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{tag}: differs from English in {missing:?} / {extra:?}"
            );
        }
    }

    #[test]
    fn each_language_is_chosen_by_its_code() {
        for (code, sign_in) in [
            ("en", "Sign in"),
            ("nl", "Aanmelden"),
            ("fr", "Se connecter"),
            ("nb", "Logg inn"),
            ("sv", "Logga in"),
        ] {
            let lang = Lang::negotiate(Some(code));
            assert_eq!(lang.code(), code);
            assert_eq!(lang.t("nav-sign-in"), sign_in);
        }
    }

    #[test]
    fn looks_up_and_formats() {
        let lang = Lang::default();
        assert_eq!(lang.t("nav-sign-in"), "Sign in");
        assert_eq!(lang.t1("home-welcome", "name", "Ada"), "Welcome, Ada");
        assert_eq!(
            lang.error("last_company_admin"),
            lang.t("error-last-company-admin")
        );
    }

    #[test]
    fn times_show_in_the_readers_zone_and_name_it() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T13:05:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("time");
        assert_eq!(Lang::default().datetime(&at), "2026-12-01 13:05 UTC");
        let amsterdam = Lang::default().in_zone(Some("Europe/Amsterdam"));
        assert_eq!(amsterdam.datetime(&at), "2026-12-01 14:05 CET");
        let summer = chrono::DateTime::parse_from_rfc3339("2026-07-01T13:05:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("time");
        assert_eq!(amsterdam.datetime(&summer), "2026-07-01 15:05 CEST");
        assert_eq!(
            Lang::default().in_zone(Some("Mars/Olympus")).datetime(&at),
            "2026-12-01 13:05 UTC"
        );
    }

    #[test]
    fn negotiation_falls_back_to_english() {
        assert_eq!(Lang::negotiate(Some("xx-YY, zz;q=0.5")).code(), "en");
        assert_eq!(Lang::negotiate(None).code(), "en");
    }

    /// Every error code the code base uses has a sentence in English.
    #[test]
    fn every_error_code_has_a_message() {
        let lang = Lang::default();
        for code in crate::codes::ERROR_CODES {
            let id = format!("error-{}", code.replace('_', "-"));
            assert_ne!(lang.t(&id), id, "missing message {id}");
        }
        for code in crate::codes::FIELD_CODES {
            let id = format!("field-{}", code.replace('_', "-"));
            assert_ne!(lang.t(&id), id, "missing message {id}");
        }
    }
}
