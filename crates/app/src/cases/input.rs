//! What a case form, the API or a bulk row sends, and the small checks of its parts: contacts,
//! addresses, and the product's category and problem type.

use serde::Deserialize;
use supportal_domain::EmailAddress;
use supportal_domain::FieldErrors;
use supportal_domain::profile::is_country;
use supportal_domain::validation::{NAME_MAX, is_phone};
use supportal_store::cases::Address;
use supportal_store::catalog;

/// A case's primary or alternate contact: the same fields as a company contact.
pub type ContactIn = crate::companies::ContactBody;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddressIn {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseInput {
    pub serial_number: Option<String>,
    pub agreement_id: Option<String>,
    pub sku: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub troubleshooting: Option<String>,
    pub version: Option<String>,
    pub category: Option<String>,
    pub problem_type: Option<String>,
    pub severity: Option<i64>,
    #[serde(default)]
    pub handling_24x7: bool,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub pin: Option<String>,
    /// The agreement (plan id) that pays, where the case is not covered automatically.
    pub entitlement_id: Option<i64>,
    pub primary_contact: Option<ContactIn>,
    pub alternate_contact: Option<ContactIn>,
    #[serde(default)]
    pub additional_contacts: Vec<String>,
    pub equipment_site_id: Option<i64>,
    pub equipment_address: Option<AddressIn>,
    pub parts_address: Option<AddressIn>,
}

pub(super) fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(super) fn contact(
    errors: &mut FieldErrors,
    field: &str,
    c: &ContactIn,
) -> (String, String, Option<String>) {
    let name = errors.required_text(&format!("{field}.name"), &c.name, NAME_MAX);
    let email = match EmailAddress::parse(&c.email) {
        Ok(e) => e.to_string(),
        Err(_) => {
            errors.add(&format!("{field}.email"), "invalid_email");
            String::new()
        }
    };
    let phone = some(&c.phone).map(str::to_owned);
    if phone.as_deref().is_some_and(|p| !is_phone(p)) {
        errors.add(&format!("{field}.phone"), "invalid_phone");
    }
    (name, email, phone)
}

pub(super) fn address(
    errors: &mut FieldErrors,
    field: &str,
    a: &AddressIn,
    company_default: &str,
) -> Address {
    let country = supportal_domain::profile::country_code(&a.country);
    if !is_country(&country) {
        errors.add(&format!("{field}.country"), "invalid_country");
    }
    Address {
        company: if a.company_name.trim().is_empty() {
            company_default.to_owned()
        } else {
            a.company_name.trim().to_owned()
        },
        street: errors.required_text(&format!("{field}.street"), &a.street, NAME_MAX),
        postal_code: errors.required_text(&format!("{field}.postal_code"), &a.postal_code, 20),
        city: errors.required_text(&format!("{field}.city"), &a.city, NAME_MAX),
        country,
    }
}

/// Checks a category and problem type against the product's list (empty list: free text).
pub(super) fn catalog_problem(
    known: &[catalog::ProblemTypeRow],
    category: Option<&str>,
    problem_type: Option<&str>,
) -> Option<(&'static str, &'static str)> {
    if known.is_empty() {
        return None;
    }
    if let Some(category) = category
        && !known.iter().any(|k| k.category == category)
    {
        return Some(("category", "unknown_category"));
    }
    let problem_type = problem_type?;
    let fits = known.iter().any(|k| {
        k.name.as_deref() == Some(problem_type) && category.is_none_or(|c| k.category == c)
    });
    (!fits).then_some(("problem_type", "unknown_problem_type"))
}

#[cfg(test)]
mod tests {
    use super::catalog_problem;
    use supportal_store::catalog::ProblemTypeRow;

    fn row(category: &str, name: Option<&str>) -> ProblemTypeRow {
        ProblemTypeRow {
            category_id: 0,
            category: category.into(),
            id: None,
            name: name.map(str::to_owned),
        }
    }

    #[test]
    fn category_and_problem_type_come_from_the_product_list() {
        let known = [
            row("Hardware", Some("Disk")),
            row("Firmware", Some("Boot loop")),
            row("Other", None),
        ];
        assert_eq!(
            catalog_problem(&[], Some("Anything"), Some("Goes")),
            None,
            "no list: free text"
        );
        assert_eq!(
            catalog_problem(&known, Some("Firmware"), Some("Boot loop")),
            None
        );
        assert_eq!(
            catalog_problem(&known, None, Some("Disk")),
            None,
            "a type alone is fine when it exists"
        );
        assert_eq!(catalog_problem(&known, Some("Other"), None), None);
        assert_eq!(
            catalog_problem(&known, Some("Cooling"), None),
            Some(("category", "unknown_category"))
        );
        assert_eq!(
            catalog_problem(&known, Some("Hardware"), Some("Boot loop")),
            Some(("problem_type", "unknown_problem_type"))
        );
    }
}
