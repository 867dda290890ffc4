//! Email addresses, parsed once at the edge and lower-cased so comparisons are exact.

use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid email address")]
pub struct InvalidEmail;

impl EmailAddress {
    /// Accepts `local@domain.tld` with no spaces, at most 254 characters; lower-cases it.
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let value = input.trim().to_lowercase();
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidEmail);
        }
        let (local, domain) = value.split_once('@').ok_or(InvalidEmail)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty()
            || local.len() > 64
            || !domain_ok
            || local.contains('<')
            || local.contains('>')
        {
            return Err(InvalidEmail);
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`, which company matching compares.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for EmailAddress {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        let email = EmailAddress::parse("  Ada.Lovelace@Example.TEST ").expect("valid");
        assert_eq!(email.as_str(), "ada.lovelace@example.test");
        assert_eq!(email.domain(), "example.test");
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@x.test",
            "ada@test",
            "a b@x.test",
            "ada@x..test",
            "ada@.x.test",
            "<a>@x.test",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(InvalidEmail), "{bad}");
        }
    }
}
