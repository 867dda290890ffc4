//! Companies: kinds, validation status, email-domain matching (ACC-3) and the last-admin rule
//! (CMP-2).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyKind {
    Customer,
    PartnerResellMonitor,
    PartnerServiceDelivery,
}

impl CompanyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CompanyKind::Customer => "customer",
            CompanyKind::PartnerResellMonitor => "partner_resell_monitor",
            CompanyKind::PartnerServiceDelivery => "partner_service_delivery",
        }
    }

    pub fn parse(value: &str) -> Option<CompanyKind> {
        match value {
            "customer" => Some(CompanyKind::Customer),
            "partner_resell_monitor" => Some(CompanyKind::PartnerResellMonitor),
            "partner_service_delivery" => Some(CompanyKind::PartnerServiceDelivery),
            _ => None,
        }
    }

    pub fn is_partner(self) -> bool {
        !matches!(self, CompanyKind::Customer)
    }

    pub const ALL: [CompanyKind; 3] = [
        CompanyKind::Customer,
        CompanyKind::PartnerResellMonitor,
        CompanyKind::PartnerServiceDelivery,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyStatus {
    Pending,
    Validated,
}

impl CompanyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CompanyStatus::Pending => "pending",
            CompanyStatus::Validated => "validated",
        }
    }

    pub fn parse(value: &str) -> Option<CompanyStatus> {
        match value {
            "pending" => Some(CompanyStatus::Pending),
            "validated" => Some(CompanyStatus::Validated),
            _ => None,
        }
    }
}

/// Domains of public mail providers: an address there never matches a company (ACC-3).
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "web.de",
    "mail.com",
    "proton.me",
    "protonmail.com",
    "zoho.com",
    "yandex.com",
    "hotmail.fr",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "wanadoo.fr",
    "hotmail.nl",
    "ziggo.nl",
    "kpnmail.nl",
    "online.no",
    "telia.com",
    "hotmail.se",
    "yahoo.fr",
    "outlook.fr",
    "live.nl",
];

pub fn is_free_mail(domain: &str) -> bool {
    FREE_MAIL.contains(&domain.to_ascii_lowercase().as_str())
}

/// A company domain as the operator types it: lower-case, no `@`, has a dot, not free mail.
pub fn parse_domain(input: &str) -> Result<String, &'static str> {
    let domain = input.trim().trim_start_matches('@').to_ascii_lowercase();
    let shape_ok = domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
        && domain.len() <= 253
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !shape_ok {
        Err("invalid_domain")
    } else if is_free_mail(&domain) {
        Err("free_mail_domain")
    } else {
        Ok(domain)
    }
}

/// A PIN: a special-handling code, 2–32 letters, digits or dashes, stored upper-case.
pub fn parse_pin(input: &str) -> Result<String, &'static str> {
    let pin = input.trim().to_ascii_uppercase();
    if (2..=32).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(pin)
    } else {
        Err("invalid_pin")
    }
}

/// What a user's email domain leads to when they ask for company access (ACC-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainMatch<C> {
    /// Free-mail address: never matched; the user stays basic.
    FreeMail,
    /// Exactly one validated company of the wanted family owns the domain.
    One(C),
    /// Several do: the user picks one.
    Several(Vec<C>),
    /// None: the user is the first of the organisation and submits a company profile.
    None,
}

/// Applies ACC-3 to the validated companies that own the user's domain. `is_wanted` says
/// whether a candidate fits the user's choice (customer for enterprise, partner for partner).
pub fn match_domain<C>(
    domain: &str,
    candidates: Vec<C>,
    is_wanted: impl Fn(&C) -> bool,
) -> DomainMatch<C> {
    if is_free_mail(domain) {
        return DomainMatch::FreeMail;
    }
    let mut wanted: Vec<C> = candidates.into_iter().filter(|c| is_wanted(c)).collect();
    match wanted.len() {
        0 => DomainMatch::None,
        1 => DomainMatch::One(wanted.remove(0)),
        _ => DomainMatch::Several(wanted),
    }
}

/// CMP-2: would this change leave the company without an active admin?
/// `active_admins` counts the company's active admins now; the change demotes or deactivates
/// `target`, who is (`target_is_active_admin`) or is not one of them.
pub fn breaks_last_admin(
    active_admins: i64,
    target_is_active_admin: bool,
    demote_or_deactivate: bool,
) -> bool {
    demote_or_deactivate && target_is_active_admin && active_admins <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_mail_never_matches() {
        assert_eq!(
            match_domain("gmail.com", vec![1], |_| true),
            DomainMatch::FreeMail
        );
        assert_eq!(
            match_domain("GMAIL.COM", vec![1], |_| true),
            DomainMatch::FreeMail
        );
    }

    #[test]
    fn one_several_none() {
        assert_eq!(
            match_domain("acme.test", vec![1], |_| true),
            DomainMatch::One(1)
        );
        assert_eq!(
            match_domain("acme.test", vec![1, 2], |_| true),
            DomainMatch::Several(vec![1, 2])
        );
        assert_eq!(
            match_domain("acme.test", vec![1, 2], |c| *c == 2),
            DomainMatch::One(2)
        );
        assert_eq!(
            match_domain("acme.test", Vec::<i32>::new(), |_| true),
            DomainMatch::None
        );
    }

    #[test]
    fn domains_and_pins() {
        assert_eq!(parse_domain(" @Acme.TEST ").as_deref(), Ok("acme.test"));
        assert_eq!(parse_domain("gmail.com"), Err("free_mail_domain"));
        assert_eq!(parse_domain("acme"), Err("invalid_domain"));
        assert_eq!(parse_pin(" gold-1 ").as_deref(), Ok("GOLD-1"));
        assert_eq!(parse_pin("x"), Err("invalid_pin"));
    }

    #[test]
    fn last_admin_rule() {
        assert!(breaks_last_admin(1, true, true));
        assert!(!breaks_last_admin(2, true, true));
        assert!(!breaks_last_admin(1, false, true));
        assert!(!breaks_last_admin(1, true, false));
    }
}
