//! Every user-facing string comes from the Fluent files under `locales/`. Templates and handlers
//! ask a `Lang` for a message id; nothing user-visible is written in code.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write;

/// `at` in a language's pattern; ISO 8601 when the pattern is not one chrono can write (a
/// translation's mistake must not take a page down).
fn formatted<Tz: chrono::TimeZone>(at: &chrono::DateTime<Tz>, pattern: &str) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let mut out = String::new();
    match write!(out, "{}", at.format(pattern)) {
        Ok(()) => out,
        Err(_) => at.format("%Y-%m-%d %H:%M %Z").to_string(),
    }
}

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en-US",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const EN: LanguageIdentifier = langid!("en-US");

/// The arguments that are counts (`Lang::tn`).
const COUNTS: [&str; 3] = ["count", "units", "remaining"];

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
    /// The supported language whose code (`nl`, `nl-BE`, `NL`) this is; Norwegian in any form
    /// (`no`, `nn`) reads Bokmål. None for anything else.
    pub fn of_code(code: &str) -> Option<Lang> {
        let wanted = code.trim().parse::<LanguageIdentifier>().ok()?;
        let language = match wanted.language.as_str() {
            "no" | "nn" => "nb",
            other => other,
        };
        LOCALES
            .locales()
            .find(|l| l.language.as_str() == language)
            .map(|id| Lang {
                id: id.clone(),
                zone: None,
            })
    }

    /// The best supported language of an `Accept-Language` header (by its `q` weights, ties in
    /// the header's order); none when it names no supported language.
    pub fn from_accept(accept: &str) -> Option<Lang> {
        let mut wanted: Vec<(f32, usize, &str)> = accept
            .split(',')
            .take(32)
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0 && !tag.is_empty()).then_some((q, i, tag))
            })
            .collect();
        wanted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        wanted
            .into_iter()
            .find_map(|(_, _, tag)| Lang::of_code(tag))
    }

    /// The language of a request or a message (I18N-1): the reader's profile language, else the
    /// language they switched to (the cookie), else their browser's, else the operator's
    /// default, else English.
    pub fn choose(
        profile: Option<&str>,
        switched: Option<&str>,
        accept: Option<&str>,
        default: &str,
    ) -> Lang {
        Lang::named(profile, switched, accept)
            .or_else(|| Lang::of_code(default))
            .unwrap_or_default()
    }

    /// The first three steps of `choose`: the language the reader named, if any.
    pub fn named(
        profile: Option<&str>,
        switched: Option<&str>,
        accept: Option<&str>,
    ) -> Option<Lang> {
        profile
            .and_then(Lang::of_code)
            .or_else(|| switched.and_then(Lang::of_code))
            .or_else(|| accept.and_then(Lang::from_accept))
    }

    /// The supported language whose code is exactly `code` (`nl`, not `NL` or `nl-BE`): what a
    /// setting or a form may name.
    pub fn exact(code: &str) -> Option<Lang> {
        Lang::of_code(code).filter(|l| l.code() == code)
    }

    /// Picks the first supported language from an `Accept-Language` header (or a profile's
    /// language code); English otherwise.
    pub fn negotiate(accept: Option<&str>) -> Lang {
        accept.and_then(Lang::from_accept).unwrap_or_default()
    }

    /// The codes of the languages there are `.ftl` files for, English first.
    pub fn codes() -> Vec<String> {
        let mut codes: Vec<String> = LOCALES.locales().map(|l| l.language.to_string()).collect();
        codes.sort_by_key(|c| (c != "en", c.clone()));
        codes
    }

    pub fn code(&self) -> String {
        self.id.language.to_string()
    }

    /// Whether this language has a message with this id.
    pub fn has(&self, id: &str) -> bool {
        LOCALES.try_lookup(&self.id, id).is_some()
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
    /// Arguments named `count`, `units` or `remaining` are numbers to Fluent, so a message can
    /// choose its plural form (`{ $count -> [one] … *[other] … }`); every other argument is
    /// text as given (a serial number keeps its leading zeros).
    pub fn tn(&self, id: &str, args: &[(&str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| {
                let value = match (COUNTS.contains(k), v.parse::<i64>()) {
                    (true, Ok(n)) => FluentValue::from(n),
                    _ => FluentValue::from(v.clone()),
                };
                (Cow::Owned((*k).to_owned()), value)
            })
            .collect();
        LOCALES.lookup_with_args(&self.id, id, &args)
    }

    /// A label before its value, with the colon as the language writes it (`Produit :`).
    pub fn colon(&self, label: &str) -> String {
        self.t1("format-colon", "label", label)
    }

    /// The sentence for an error code: `error-<code>`.
    pub fn error(&self, code: &str) -> String {
        self.t(&format!("error-{}", code.replace('_', "-")))
    }

    /// The sentence for a field error code: `field-<code>`.
    pub fn field_error(&self, code: &str) -> String {
        self.t(&format!("field-{}", code.replace('_', "-")))
    }

    /// A date and time as people of this language write it (`format-datetime`), in the
    /// reader's time zone, which is named: `01-12-2026 14:05 CET` in Dutch; UTC for a reader
    /// without one.
    pub fn datetime(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        let pattern = self.t("format-datetime");
        match self.zone {
            Some(zone) => formatted(&at.with_timezone(&zone), &pattern),
            None => formatted(at, &pattern),
        }
    }

    /// A calendar date as people of this language write it (`format-date`).
    pub fn date(&self, day: &chrono::NaiveDate) -> String {
        let pattern = self.t("format-date");
        let mut out = String::new();
        match write!(out, "{}", day.format(&pattern)) {
            Ok(()) => out,
            Err(_) => day.to_string(),
        }
    }

    /// An amount in minor units (cents) and its currency, with this language's separators and
    /// order (`format-money`): `EUR 1,234.50`, `1 234,50 EUR`.
    pub fn money(&self, minor: i64, currency: &str) -> String {
        let digits = (minor.unsigned_abs() / 100).to_string();
        let group = self.t("format-group-separator");
        let mut whole = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                whole.push_str(&group);
            }
            whole.push(d);
        }
        let sign = if minor < 0 { "-" } else { "" };
        let amount = format!(
            "{sign}{whole}{}{:02}",
            self.t("format-decimal-separator"),
            minor.unsigned_abs() % 100
        );
        self.tn(
            "format-money",
            &[("amount", amount), ("currency", currency.to_owned())],
        )
    }

    /// The same language for a reader in `zone` (an IANA name; an unknown one keeps UTC).
    pub fn in_zone(mut self, zone: Option<&str>) -> Lang {
        self.zone = zone.and_then(|z| z.parse().ok());
        self
    }

    /// `at` on the reader's clock (UTC for a reader without a zone).
    pub fn local(&self, at: &chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
        match self.zone {
            Some(zone) => at.with_timezone(&zone).naive_local(),
            None => at.naive_utc(),
        }
    }

    /// The reader's time zone (an IANA name), when known.
    pub fn zone_name(&self) -> Option<&'static str> {
        self.zone.map(|z| z.name())
    }

    /// The same language for a reader in `zone`, else in `default` (the operator's zone).
    pub fn in_zone_or(self, zone: Option<&str>, default: chrono_tz::Tz) -> Lang {
        let mut lang = self.in_zone(zone);
        lang.zone = lang.zone.or(Some(default));
        lang
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
            // A message: its `id = value` line and the lines that continue it (indented
            // variants, the closing brace of a selection).
            let mut messages: Vec<(String, String)> = Vec::new();
            for line in text.lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                match line.split_once(" = ") {
                    Some((id, value)) if !line.starts_with([' ', '}', '*', '[']) => {
                        messages.push((id.trim().to_owned(), value.to_owned()))
                    }
                    _ => {
                        let last = messages.last_mut().expect("a message before");
                        last.1.push('\n');
                        last.1.push_str(line);
                    }
                }
            }
            for (id, value) in messages {
                let mut vars: Vec<String> = value
                    .split("{ $")
                    .skip(1)
                    .filter_map(|rest| rest.split([' ', '}']).next())
                    .map(str::to_owned)
                    .collect();
                vars.sort();
                vars.dedup();
                out.push((id, vars));
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
    fn the_profile_comes_first_then_the_switch_then_the_browser_then_the_operator() {
        let code = |l: Lang| l.code();
        assert_eq!(
            code(Lang::choose(Some("sv"), Some("fr"), Some("nl"), "nb")),
            "sv"
        );
        assert_eq!(code(Lang::choose(None, Some("fr"), Some("nl"), "nb")), "fr");
        assert_eq!(
            code(Lang::choose(None, Some("xx"), Some("nl"), "nb")),
            "nl",
            "a bad cookie"
        );
        assert_eq!(
            code(Lang::choose(Some("zz"), None, Some("de, fr;q=0.5"), "nb")),
            "fr"
        );
        assert_eq!(code(Lang::choose(None, None, Some("de"), "nb")), "nb");
        assert_eq!(code(Lang::choose(None, None, None, "xx")), "en");
    }

    #[test]
    fn accept_language_weights_and_norwegian_forms() {
        let code = |h: &str| Lang::from_accept(h).map(|l| l.code());
        assert_eq!(code("fr;q=0.4, sv;q=0.9, en;q=0.1").as_deref(), Some("sv"));
        assert_eq!(code("de-DE, nl-BE;q=0.8").as_deref(), Some("nl"));
        assert_eq!(code("no").as_deref(), Some("nb"));
        assert_eq!(code("nn-NO").as_deref(), Some("nb"));
        assert_eq!(
            code("sv;q=0, fr").as_deref(),
            Some("fr"),
            "q=0 means not this"
        );
        assert_eq!(code("*"), None);
        assert_eq!(code(&"x,".repeat(10_000)), None);
        assert_eq!(Lang::codes(), ["en", "fr", "nb", "nl", "sv"]);
    }

    #[test]
    fn dates_and_amounts_are_written_the_readers_way() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T13:05:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("time");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).expect("day");
        let of = |code: &str| Lang::of_code(code).expect("language");
        let amsterdam = |code: &str| of(code).in_zone(Some("Europe/Amsterdam"));
        assert_eq!(amsterdam("nl").datetime(&at), "01-12-2026 14:05 CET");
        assert_eq!(amsterdam("fr").datetime(&at), "01/12/2026 14:05 CET");
        assert_eq!(amsterdam("nb").datetime(&at), "01.12.2026 kl. 14:05 CET");
        assert_eq!(amsterdam("sv").datetime(&at), "2026-12-01 14:05 CET");
        assert_eq!(of("en").date(&day), "2026-03-09");
        assert_eq!(of("nl").date(&day), "09-03-2026");
        assert_eq!(of("nb").date(&day), "09.03.2026");
        assert_eq!(of("en").money(123450, "EUR"), "EUR 1,234.50");
        assert_eq!(of("nl").money(123450, "EUR"), "EUR 1.234,50");
        assert_eq!(of("fr").money(123450, "EUR"), "1\u{202f}234,50 EUR");
        assert_eq!(of("sv").money(-5, "SEK"), "-0,05 SEK");
        assert_eq!(of("nb").money(99_000, "NOK"), "990,00 NOK");
        assert_eq!(of("fr").colon("Produit"), "Produit\u{a0}:");
        assert_eq!(of("nl").colon("Product"), "Product:");
        for code in Lang::codes() {
            // Every language's patterns are ones chrono can write.
            let lang = of(&code);
            assert!(!lang.datetime(&at).is_empty() && lang.date(&day).contains("2026"));
            for id in ["format-datetime", "format-date"] {
                let mut out = String::new();
                assert!(
                    write!(out, "{}", at.format(&lang.t(id))).is_ok(),
                    "{code}: {id}"
                );
            }
        }
    }

    #[test]
    fn counts_choose_their_plural_form() {
        let of = |code: &str| Lang::of_code(code).expect("language");
        let count = |lang: &Lang, n: &str| lang.tn("upload-failed", &[("count", n.to_owned())]);
        assert_eq!(count(&of("en"), "1"), "Nothing was loaded: one problem.");
        assert_eq!(count(&of("en"), "3"), "Nothing was loaded: 3 problems.");
        assert_eq!(count(&of("fr"), "1"), "Rien n'a été chargé : 1 problème.");
        assert_eq!(count(&of("fr"), "2"), "Rien n'a été chargé : 2 problèmes.");
        let units = |n: &str| of("nl").tn("mail-receipt-subject", &[("units", n.to_owned())]);
        assert_eq!(units("1"), "Uw betalingsbewijs: één supportincident");
        assert_eq!(units("5"), "Uw betalingsbewijs: 5 supportincidenten");
        // Other arguments stay text: leading zeros are kept.
        assert_eq!(of("en").t1("home-welcome", "name", "007"), "Welcome, 007");
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
            assert!(lang.has(&id), "missing message {id}");
        }
        for code in crate::codes::FIELD_CODES {
            let id = format!("field-{}", code.replace('_', "-"));
            assert!(lang.has(&id), "missing message {id}");
        }
    }
}
