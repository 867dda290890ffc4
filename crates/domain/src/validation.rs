//! Field-level validation errors, shared by every form and JSON body.

use serde::Serialize;

/// One problem with one input field: `field` names it, `code` is stable for machines and
/// `message` is a Fluent message id the web layer translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: &'static str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: &str, code: &'static str) -> Self {
        let mut errors = Self::new();
        errors.add(field, code);
        errors
    }

    /// Checks a required free-text field: trimmed, not empty, at most `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, "required");
        } else if value.chars().count() > max {
            self.add(field, "too_long");
        }
        value.to_owned()
    }

    /// Checks a required country (ISO 3166-1 alpha-2, any case); returns the code upper-cased.
    pub fn required_country(&mut self, field: &str, value: &str) -> String {
        let code = crate::profile::country_code(value);
        if code.is_empty() {
            self.add(field, "required");
        } else if !crate::profile::is_country(&code) {
            self.add(field, "invalid_country");
        }
        code
    }

    /// Checks an optional free-text field; empty becomes `None`.
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        if value.chars().count() > max {
            self.add(field, "too_long");
        }
        Some(value.to_owned())
    }
}

/// A person's name or a company name: trimmed, 1–200 characters.
pub const NAME_MAX: usize = 200;
/// Longer free text such as an address or a request summary.
pub const TEXT_MAX: usize = 2000;
/// Phone numbers: digits, spaces and `+-()./`, 5–40 characters.
pub fn is_phone(value: &str) -> bool {
    let value = value.trim();
    (5..=40).contains(&value.len())
        && value.chars().any(|c| c.is_ascii_digit())
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.required_country("a", " nl "), "NL");
        assert!(errors.is_empty());
        errors.required_country("b", "  ");
        errors.required_country("c", "Netherlands");
        errors.required_country("d", "N1");
        assert_eq!(
            errors
                .0
                .iter()
                .map(|e| (e.field.as_str(), e.code))
                .collect::<Vec<_>>(),
            [
                ("b", "required"),
                ("c", "invalid_country"),
                ("d", "invalid_country")
            ]
        );
    }

    #[test]
    fn phone_numbers() {
        assert!(is_phone("+31 20 123 4567"));
        assert!(is_phone("(020) 123-45"));
        assert!(!is_phone("call me"));
        assert!(!is_phone("123"));
    }

    #[test]
    fn required_and_optional_text() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.required_text("name", "  Ada ", 10), "Ada");
        assert!(errors.is_empty());
        errors.required_text("name", "   ", 10);
        errors.required_text("title", "abcdefghijk", 10);
        assert_eq!(errors.optional_text("x", Some("  "), 10), None);
        assert_eq!(
            errors.0.iter().map(|e| e.code).collect::<Vec<_>>(),
            ["required", "too_long"]
        );
    }
}
