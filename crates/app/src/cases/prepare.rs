//! Checking a case before it is opened (CAS-1 to CAS-7): one of serial number, agreement ID or
//! SKU starts it; the entitlement is automatic for a covered serial, otherwise an available
//! agreement pays; contacts and addresses default to the profile. `prepare` reads and writes
//! nothing; the form, the API and bulk submission all go through it.

use crate::context::Context;
use crate::entitlements::{self, PlanQuery};
use crate::error::{AppError, AppResult};
use serde::Deserialize;
use supportal_domain::case::{Severity, check_24x7};
use supportal_domain::entitlement::{Coverage, SerialNumber};
use supportal_domain::profile::{is_country, is_time_zone};
use supportal_domain::validation::{NAME_MAX, is_phone};
use supportal_domain::{EmailAddress, FieldErrors};
use supportal_store::agreements;
use supportal_store::cases::{Address, NewCase};
use supportal_store::sessions::SessionUser;
use supportal_store::{assets, catalog, companies, profiles};

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

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn contact(
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

fn address(errors: &mut FieldErrors, field: &str, a: &AddressIn, company_default: &str) -> Address {
    let country = a.country.trim().to_ascii_uppercase();
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
fn catalog_problem(
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

/// A case checked and ready to write: everything the form and the entitlement rules decided.
pub struct Prepared {
    pub(super) new: NewCase,
    pub(super) kind: String,
    pub(super) entitlement_id: i64,
    pub(super) additional: Vec<EmailAddress>,
    pub(super) product_name: String,
    /// Filled by `write`.
    pub(super) number: String,
}

impl Prepared {
    pub fn number(&self) -> &str {
        &self.number
    }
}

/// The caller's own company, its name and the caller's profile: one query for customers; staff
/// who are also members of a company go the longer way.
async fn context(
    ctx: &Context,
    user: &SessionUser,
) -> AppResult<(
    supportal_store::CompanyScope,
    String,
    Option<supportal_store::profiles::ProfileRow>,
)> {
    let mut tx = ctx.db.read().await?;
    if user.staff_role().is_none() {
        let found = supportal_store::sessions::case_context(&mut tx, user)
            .await?
            .ok_or_else(|| AppError::forbidden("company_required"))?;
        tx.rollback().await?;
        return Ok((found.scope, found.company_name, found.profile));
    }
    tx.rollback().await?;
    let scope = entitlements::own_company(ctx, user)
        .await?
        .ok_or_else(|| AppError::forbidden("company_required"))?;
    let mut tx = ctx.db.read().await?;
    let profile = profiles::get(&mut tx, user.user_id()).await?;
    let company = companies::get(&mut tx, &scope).await?;
    tx.rollback().await?;
    Ok((scope, company.name, profile))
}

/// Checks a case as the form does (CAS-1 to CAS-7), reading but writing nothing.
pub async fn prepare(ctx: &Context, user: &SessionUser, input: CaseInput) -> AppResult<Prepared> {
    let (scope, company_name, profile) = context(ctx, user).await?;
    let mut errors = FieldErrors::new();
    let starts = [
        some(&input.serial_number).is_some(),
        some(&input.agreement_id).is_some(),
        some(&input.sku).is_some(),
    ];
    if starts.iter().filter(|s| **s).count() != 1 {
        return Err(AppError::field("serial_number", "one_start_required"));
    }

    // A case started from an agreement ID finds it among the caller's plans, read before the
    // connection below is taken: no code holds one connection while it waits for another.
    let agreement_plans = match some(&input.agreement_id) {
        Some(_) if starts[0..2] == [false, true] => Some(
            entitlements::plans(
                ctx,
                user,
                PlanQuery {
                    agreement_id: input.agreement_id.clone(),
                    ..Default::default()
                },
            )
            .await?,
        ),
        _ => None,
    };
    let mut tx = ctx.db.read().await?;
    let sites = companies::sites(&mut tx, &scope).await?;
    // The PIN list only when a PIN is typed; the profile's default is an id already.
    let pins = match some(&input.pin) {
        Some(_) => companies::pins(&mut tx, &scope).await?,
        None => Vec::new(),
    };
    // What the case is about.
    let mut asset = None;
    let product = if let Some(serial) = some(&input.serial_number) {
        let serial =
            SerialNumber::parse(serial).map_err(|code| AppError::field("serial_number", code))?;
        let found = assets::of_company(&mut tx, &scope, &serial)
            .await?
            .ok_or_else(|| AppError::field("serial_number", "unknown_serial"))?;
        let product = catalog::find(&mut tx, found.product_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        asset = Some(found);
        product
    } else if let Some(sku) = some(&input.sku) {
        catalog::find_by_sku(&mut tx, &sku.to_uppercase())
            .await?
            .ok_or_else(|| AppError::field("sku", "unknown_sku"))?
    } else {
        let plans = agreement_plans.ok_or_else(|| AppError::field("agreement_id", "required"))?;
        let first = plans
            .available
            .first()
            .or(plans.unavailable.first().map(|u| &u.plan))
            .ok_or_else(|| AppError::field("agreement_id", "unknown_agreement"))?;
        let linked = agreements::find(&mut tx, first.id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let covered = agreements::products(&mut tx, &[linked.id])
            .await?
            .remove(&linked.id)
            .unwrap_or_default();
        let product_id = covered
            .first()
            .copied()
            .ok_or_else(|| AppError::field("sku", "required"))?;
        catalog::find(&mut tx, product_id)
            .await?
            .ok_or_else(AppError::not_found)?
    };
    // Version, category and problem type come from the product's lists when it has them.
    if let Some(version) = some(&input.version) {
        let known = catalog::versions(&mut tx, product.id).await?;
        if !known.is_empty() && !known.iter().any(|v| v.name == version) {
            errors.add("version", "unknown_version");
        }
    }
    if some(&input.category).is_some() || some(&input.problem_type).is_some() {
        let known = catalog::categories(&mut tx, product.id).await?;
        if let Some(problem) =
            catalog_problem(&known, some(&input.category), some(&input.problem_type))
        {
            errors.add(problem.0, problem.1);
        }
    }
    tx.rollback().await?;

    // Who pays (CAS-3, ENT-5).
    let query = match &asset {
        Some(a) => PlanQuery {
            serial: Some(a.serial_number.clone()),
            product: Some(product.clone()),
            ..Default::default()
        },
        None => PlanQuery {
            product_id: Some(product.id),
            product: Some(product.clone()),
            ..Default::default()
        },
    };
    let plans = entitlements::plans(ctx, user, query).await?;
    let wanted_agreement = input.entitlement_id.or_else(|| {
        some(&input.agreement_id).and_then(|id| {
            plans
                .available
                .iter()
                .find(|p| p.kind == "agreement" && p.reference.as_deref() == Some(id))
                .map(|p| p.id)
        })
    });
    let (kind, entitlement_id, coverage_24x7) = match wanted_agreement {
        Some(id) => match plans
            .available
            .iter()
            .find(|p| p.kind == "agreement" && p.id == id)
        {
            Some(p) => ("agreement".to_owned(), p.id, true),
            None => {
                let reason = plans
                    .unavailable
                    .iter()
                    .find(|u| u.plan.kind == "agreement" && u.plan.id == id)
                    .map(|u| u.reason);
                return Err(match reason {
                    Some("no_units") => AppError::conflict("no_units"),
                    Some(_) => AppError::field("entitlement_id", "plan_unavailable"),
                    None => AppError::field("entitlement_id", "unknown_plan"),
                });
            }
        },
        None => {
            let best = plans
                .available
                .iter()
                .filter(|p| p.kind != "agreement")
                .max_by_key(|p| p.coverage.as_deref().and_then(Coverage::parse));
            match best {
                Some(p) => (
                    p.kind.clone(),
                    p.id,
                    p.coverage
                        .as_deref()
                        .and_then(Coverage::parse)
                        .is_some_and(Coverage::allows_24x7),
                ),
                None => return Err(AppError::field("entitlement_id", "entitlement_required")),
            }
        }
    };

    // Problem, support details and defaults from the profile (PRF-2).
    let title = errors.required_text("title", &input.title, 200);
    let description = errors.required_text("description", &input.description, 10_000);
    let troubleshooting = errors
        .optional_text("troubleshooting", input.troubleshooting.as_deref(), 10_000)
        .unwrap_or_default();
    let severity = match input.severity.map(Severity::new) {
        Some(Ok(s)) => Some(s),
        Some(Err(code)) => {
            errors.add("severity", code);
            None
        }
        None => {
            errors.add("severity", "required");
            None
        }
    };
    if let Some(s) = severity
        && let Err(code) = check_24x7(input.handling_24x7, s, coverage_24x7)
    {
        errors.add("handling_24x7", code);
    }
    let country = some(&input.country)
        .map(str::to_owned)
        .or(profile.as_ref().map(|p| p.country.clone()))
        .unwrap_or_default();
    let country = errors.required_country("country", &country);
    let time_zone = some(&input.time_zone)
        .map(str::to_owned)
        .or(profile.as_ref().map(|p| p.time_zone.clone()))
        .unwrap_or_default();
    if !is_time_zone(&time_zone) {
        errors.add("time_zone", "required");
    }
    let pin_id = match some(&input.pin) {
        Some(code) => {
            let found = pins
                .iter()
                .find(|p| p.code.eq_ignore_ascii_case(code))
                .map(|p| p.id);
            if found.is_none() {
                errors.add("pin", "unknown_pin");
            }
            found
        }
        None => profile.as_ref().and_then(|p| p.default_pin_id),
    };
    let primary = input.primary_contact.clone().unwrap_or_else(|| ContactIn {
        name: user.name.clone(),
        email: user.email.clone(),
        phone: profile.as_ref().map(|p| p.phone.clone()),
    });
    let (primary_name, primary_email, primary_phone) =
        contact(&mut errors, "primary_contact", &primary);
    let alternate = input
        .alternate_contact
        .as_ref()
        .map(|c| contact(&mut errors, "alternate_contact", c));
    let mut additional = Vec::new();
    for email in &input.additional_contacts {
        match EmailAddress::parse(email) {
            Ok(e) if !additional.contains(&e) => additional.push(e),
            Ok(_) => {}
            Err(_) => errors.add("additional_contacts", "invalid_email"),
        }
    }
    // Where the equipment is (CAS-5): a chosen site, an address given, the asset's site, or the profile's.
    let site_id = input
        .equipment_site_id
        .or(asset.as_ref().and_then(|a| a.site_id))
        .or(profile.as_ref().and_then(|p| p.site_id));
    let (site_id, equipment) = match &input.equipment_address {
        Some(a) => (
            None,
            address(&mut errors, "equipment_address", a, &company_name),
        ),
        None => {
            // The chosen (or defaulted) site, else the company's primary site.
            let found = match site_id {
                Some(id) => sites.iter().find(|s| s.id == id),
                None => sites.iter().find(|s| s.is_primary),
            };
            match found {
                Some(s) => (
                    Some(s.id),
                    Address {
                        company: company_name.clone(),
                        street: s.street.clone(),
                        postal_code: s.postal_code.clone(),
                        city: s.city.clone(),
                        country: s.country.clone(),
                    },
                ),
                None => {
                    let code = if site_id.is_some() {
                        "unknown_site"
                    } else {
                        "required"
                    };
                    errors.add("equipment_site_id", code);
                    (None, Address::default())
                }
            }
        }
    };
    let parts = input
        .parts_address
        .as_ref()
        .map(|a| address(&mut errors, "parts_address", a, &company_name));
    let Some(severity) = severity.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };

    let new = NewCase {
        company_id: scope.company_id().get(),
        submitter_id: user.user_id().get(),
        severity: severity.get(),
        handling_24x7: input.handling_24x7,
        title,
        description,
        troubleshooting,
        product_id: product.id,
        asset_id: asset.as_ref().map(|a| a.id),
        serial_number: asset.as_ref().map(|a| a.serial_number.clone()),
        version: some(&input.version).map(str::to_owned),
        category: some(&input.category).map(str::to_owned),
        problem_type: some(&input.problem_type).map(str::to_owned),
        entitlement_kind: kind.clone(),
        entitlement_id,
        country,
        time_zone,
        pin_id,
        primary_name,
        primary_email,
        primary_phone,
        alternate_name: alternate.as_ref().map(|a| a.0.clone()),
        alternate_email: alternate.as_ref().map(|a| a.1.clone()),
        alternate_phone: alternate.and_then(|a| a.2),
        site_id,
        equipment,
        parts,
    };
    Ok(Prepared {
        new,
        kind,
        entitlement_id,
        additional,
        product_name: product.name,
        number: String::new(),
    })
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
