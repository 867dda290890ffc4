//! The one-time case-management profile (PRF-1, PRF-2) and its completeness rules.

use crate::validation::{FieldErrors, is_phone};

/// What a user submits for their profile, before checking.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub phone: String,
    pub contact_method: String,
    pub language: String,
    pub time_zone: String,
    pub country: String,
    pub site_id: Option<i64>,
    pub default_pin_id: Option<i64>,
    pub notify: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub phone: String,
    pub contact_method: ContactMethod,
    pub language: String,
    pub time_zone: String,
    pub country: String,
    pub site_id: Option<i64>,
    pub default_pin_id: Option<i64>,
    pub notify: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactMethod {
    Email,
    Phone,
}

impl ContactMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactMethod::Email => "email",
            ContactMethod::Phone => "phone",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "email" => Some(ContactMethod::Email),
            "phone" => Some(ContactMethod::Phone),
            _ => None,
        }
    }
}

/// The interface languages (I18N-1).
pub const LANGUAGES: [&str; 5] = ["en", "nl", "fr", "nb", "sv"];

/// Every time zone of the IANA database (chrono-tz), by name, sorted: what the profile and the
/// case form offer.
pub fn time_zones() -> &'static [&'static str] {
    static NAMES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut names: Vec<&'static str> =
            chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
        names.sort_unstable();
        names
    });
    &NAMES
}

/// Whether `name` is a time zone of the IANA database.
pub fn is_time_zone(name: &str) -> bool {
    name.parse::<chrono_tz::Tz>().is_ok()
}

/// The ISO 3166-1 alpha-2 codes (and XK, Kosovo, which vendors ship to), sorted.
pub const COUNTRIES: [&str; 250] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// A country as its ISO code: trimmed, upper case, and the two codes in common use that ISO
/// spells otherwise (UK for GB, EL for GR, as the EU writes them) read as ISO's, so a profile
/// saved before the list was checked still opens cases.
pub fn country_code(value: &str) -> String {
    match value.trim().to_ascii_uppercase().as_str() {
        "UK" => "GB".to_owned(),
        "EL" => "GR".to_owned(),
        other => other.to_owned(),
    }
}

/// Countries as ISO 3166-1 alpha-2 codes (upper case).
pub fn is_country(code: &str) -> bool {
    COUNTRIES.binary_search(&code).is_ok()
}

/// Checks a profile. `site_ok` and `pin_ok` say whether the chosen site and PIN belong to the
/// user's company; `company_has_pins` makes the PIN required where the company has any.
pub fn check(
    input: ProfileInput,
    site_ok: bool,
    pin_ok: bool,
    company_has_pins: bool,
) -> Result<Profile, FieldErrors> {
    let mut errors = FieldErrors::new();
    if !is_phone(&input.phone) {
        errors.add(
            "phone",
            if input.phone.trim().is_empty() {
                "required"
            } else {
                "invalid_phone"
            },
        );
    }
    let contact_method = ContactMethod::parse(&input.contact_method);
    if contact_method.is_none() {
        errors.add("contact_method", "required");
    }
    if !LANGUAGES.contains(&input.language.as_str()) {
        errors.add("language", "required");
    }
    if !is_time_zone(&input.time_zone) {
        errors.add("time_zone", "required");
    }
    let country = errors.required_country("country", &input.country);
    match input.site_id {
        None => errors.add("site_id", "required"),
        Some(_) if !site_ok => errors.add("site_id", "unknown_site"),
        Some(_) => {}
    }
    match input.default_pin_id {
        None if company_has_pins => errors.add("default_pin_id", "required"),
        Some(_) if !pin_ok => errors.add("default_pin_id", "unknown_pin"),
        _ => {}
    }
    let contact_method = contact_method.unwrap_or(ContactMethod::Email);
    errors.into_result(Profile {
        phone: input.phone.trim().to_owned(),
        contact_method,
        language: input.language,
        time_zone: input.time_zone,
        country,
        site_id: input.site_id,
        default_pin_id: input.default_pin_id,
        notify: input.notify,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_the_iso_codes() {
        assert!(
            COUNTRIES.windows(2).all(|w| w[0] < w[1]),
            "sorted, no repeats"
        );
        for code in ["NL", "NO", "SE", "FR", "GB", "US", "XK"] {
            assert!(is_country(code), "{code}");
        }
        for code in ["ZZ", "UK", "EU", "nl", "N", "NLD", ""] {
            assert!(!is_country(code), "{code}");
        }
        assert_eq!(country_code(" uk "), "GB");
        assert_eq!(country_code("el"), "GR");
        assert_eq!(country_code("nl"), "NL");
    }

    fn complete() -> ProfileInput {
        ProfileInput {
            phone: "+31 20 555 0101".into(),
            contact_method: "email".into(),
            language: "nl".into(),
            time_zone: "Europe/Amsterdam".into(),
            country: "nl".into(),
            site_id: Some(1),
            default_pin_id: Some(2),
            notify: true,
        }
    }

    #[test]
    fn time_zones_are_the_iana_database() {
        let zones = time_zones();
        assert!(zones.len() > 400, "{}", zones.len());
        assert!(zones.windows(2).all(|w| w[0] < w[1]), "sorted");
        for zone in [
            "Europe/Amsterdam",
            "Pacific/Chatham",
            "America/Argentina/Ushuaia",
            "UTC",
        ] {
            assert!(zones.contains(&zone) && is_time_zone(zone), "{zone}");
        }
        assert!(!is_time_zone("Europe/Atlantis") && !is_time_zone(""));
        let mut input = complete();
        input.time_zone = "Asia/Kathmandu".into();
        assert!(check(input, true, true, true).is_ok());
    }

    #[test]
    fn complete_profile_passes() {
        let profile = check(complete(), true, true, true).expect("complete");
        assert_eq!(profile.country, "NL");
    }

    #[test]
    fn incomplete_profile_names_every_field() {
        let errors = check(ProfileInput::default(), false, false, true).expect_err("incomplete");
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "phone",
                "contact_method",
                "language",
                "time_zone",
                "country",
                "site_id",
                "default_pin_id"
            ]
        );
    }

    #[test]
    fn pin_optional_without_company_pins_and_foreign_ids_refused() {
        let mut input = complete();
        input.default_pin_id = None;
        assert!(check(input.clone(), true, true, false).is_ok());
        let errors = check(complete(), false, false, true).expect_err("foreign");
        assert_eq!(
            errors.0.iter().map(|e| e.code).collect::<Vec<_>>(),
            ["unknown_site", "unknown_pin"]
        );
    }
}
