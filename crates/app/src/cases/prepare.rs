//! Checking a case before it is opened (CAS-1 to CAS-7): one of serial number, agreement ID or
//! SKU starts it; the entitlement is automatic for a covered serial, otherwise an available
//! agreement pays; contacts and addresses default to the profile. `prepare` reads and writes
//! nothing; the form, the API and bulk submission all go through it.

use crate::context::Context;
use crate::entitlements::{self, PlanQuery};
use crate::error::{AppError, AppResult};
use supportal_domain::case::{Severity, check_24x7};
use supportal_domain::entitlement::{Coverage, SerialNumber};
use supportal_domain::profile::is_time_zone;
use supportal_domain::routing::CaseFacts;
use supportal_domain::{EmailAddress, FieldErrors, PinId, SiteId};
use supportal_store::agreements;
use supportal_store::cases::{Address, NewCase};
use supportal_store::profiles::ProfileRow;
use supportal_store::sessions::SessionUser;
use supportal_store::{assets, catalog, companies, profiles};

use super::input::{CaseInput, ContactIn, address, catalog_problem, contact, some};

/// A case checked and ready to write: everything the form and the entitlement rules decided.
pub struct Prepared {
    pub(super) new: NewCase,
    pub(super) kind: String,
    pub(super) entitlement_id: i64,
    pub(super) additional: Vec<EmailAddress>,
    pub(super) product_name: String,
    /// What routing to a desk queue looks at (the PIN's code is read when a rule needs it).
    pub(super) routing: CaseFacts,
    /// The coverage its service-level targets are looked up by.
    pub(super) coverage: String,
    /// Filled by `plan`: the queue and clocks it opens with.
    pub(super) desk: Option<supportal_store::cases::DeskStart>,
    /// Filled by `write`.
    pub(super) number: String,
}

impl Prepared {
    pub fn number(&self) -> &str {
        &self.number
    }

    /// A case the partner channel opens (PTN-3, PTN-5): its facts are given, not read from a
    /// form, and no entitlement is spent. `kind` names what pays: `service_plan` (the device's
    /// plan, `entitlement_id` its device) or `partner_programme` (the partner company).
    pub fn channel(
        new: NewCase,
        kind: &str,
        entitlement_id: i64,
        product_name: String,
        product_line: String,
        coverage: String,
    ) -> Prepared {
        let routing = CaseFacts {
            product_line,
            country: new.country.clone(),
            language: None,
            severity: new.severity,
            coverage_24x7: new.handling_24x7,
            company_id: new.company_id.get(),
            pin: None,
        };
        Prepared {
            new,
            kind: kind.to_owned(),
            entitlement_id,
            additional: Vec::new(),
            product_name,
            routing,
            coverage,
            desk: None,
            number: String::new(),
        }
    }

    /// Sends the case to `queue` instead of where routing would (a service partner's own
    /// repair queue); called after `plan`.
    pub fn send_to(&mut self, queue: i64) {
        if let Some(desk) = &mut self.desk {
            desk.queue_id = Some(queue);
        }
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

/// Checks a case as the form does (CAS-1 to CAS-7), reading but writing nothing. The steps:
/// whose company it is (`context`), what the case is about (`subject`), who pays (`payer`),
/// the problem and its handling (`problem`), the people (`people`) and the places (`places`);
/// every field error is gathered before the answer.
pub async fn prepare(ctx: &Context, user: &SessionUser, input: CaseInput) -> AppResult<Prepared> {
    let (scope, company_name, profile) = context(ctx, user).await?;
    let profile = profile.as_ref();
    let mut errors = FieldErrors::new();
    let subject = subject(ctx, user, &scope, &input, &mut errors).await?;
    let payer = payer(ctx, user, &input, &subject).await?;
    let problem = problem(
        &input,
        profile,
        &subject.pins,
        payer.coverage_24x7,
        &mut errors,
    );
    let people = people(&input, user, profile, &mut errors);
    let (site_id, equipment, parts) = places(&input, &subject, profile, &company_name, &mut errors);
    let Some(severity) = problem.severity.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let Subject { asset, product, .. } = subject;
    let payer_24x7 = payer.coverage_24x7;
    let (alternate_name, alternate_email, alternate_phone) = match people.alternate {
        Some((name, email, phone)) => (Some(name), Some(email), phone),
        None => (None, None, None),
    };
    let new = NewCase {
        company_id: scope.company_id(),
        submitter_id: Some(user.user_id()),
        severity: severity.get(),
        handling_24x7: input.handling_24x7,
        title: problem.title,
        description: problem.description,
        troubleshooting: problem.troubleshooting,
        product_id: product.id,
        asset_id: asset.as_ref().map(|a| a.id),
        serial_number: asset.map(|a| a.serial_number),
        version: some(&input.version).map(str::to_owned),
        category: some(&input.category).map(str::to_owned),
        problem_type: some(&input.problem_type).map(str::to_owned),
        entitlement_kind: payer.kind.clone(),
        entitlement_id: payer.entitlement_id,
        country: problem.country,
        time_zone: problem.time_zone,
        pin_id: problem.pin_id.map(PinId),
        primary_name: people.primary.0,
        primary_email: people.primary.1,
        primary_phone: people.primary.2,
        alternate_name,
        alternate_email,
        alternate_phone,
        site_id: site_id.map(SiteId),
        equipment,
        parts,
    };
    let routing = CaseFacts {
        product_line: product.product_line.clone(),
        country: new.country.clone(),
        language: profile.map(|p| p.language.clone()),
        severity: new.severity,
        coverage_24x7: payer_24x7,
        company_id: new.company_id.get(),
        pin: None,
    };
    Ok(Prepared {
        new,
        kind: payer.kind,
        entitlement_id: payer.entitlement_id,
        additional: people.additional,
        routing,
        coverage: payer.coverage,
        product_name: product.name,
        desk: None,
        number: String::new(),
    })
}

/// What a case is about, with the company's lists the later steps need.
struct Subject {
    asset: Option<supportal_store::assets::AssetRow>,
    product: catalog::ProductRow,
    sites: Vec<companies::SiteRow>,
    pins: Vec<companies::PinRow>,
}

/// The asset and product a case is about, from exactly one start: a serial of the company, a
/// SKU, or an agreement the caller can use; and the version, category and problem type checked
/// against the product's lists.
async fn subject(
    ctx: &Context,
    user: &SessionUser,
    scope: &supportal_store::CompanyScope,
    input: &CaseInput,
    errors: &mut FieldErrors,
) -> AppResult<Subject> {
    // With an agreement, a SKU names which of its products the case is about.
    let from_agreement = some(&input.agreement_id).is_some();
    let starts = [
        some(&input.serial_number).is_some(),
        from_agreement,
        some(&input.sku).is_some() && !from_agreement,
    ];
    if starts.iter().filter(|s| **s).count() != 1 {
        return Err(AppError::field("serial_number", "one_start_required"));
    }
    // A case started from an agreement ID finds it among the caller's plans, read before the
    // connection below is taken: no code holds one connection while it waits for another.
    let agreement_plans = match some(&input.agreement_id) {
        Some(_) => Some(
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
        None => None,
    };
    let mut tx = ctx.db.read().await?;
    let sites = companies::sites(&mut tx, scope).await?;
    // The PIN list only when a PIN is typed; the profile's default is an id already.
    let pins = match some(&input.pin) {
        Some(_) => companies::pins(&mut tx, scope).await?,
        None => Vec::new(),
    };
    let mut asset = None;
    let product = if let Some(serial) = some(&input.serial_number) {
        let serial =
            SerialNumber::parse(serial).map_err(|code| AppError::field("serial_number", code))?;
        let found = assets::of_company(&mut tx, scope, &serial)
            .await?
            .ok_or_else(|| AppError::field("serial_number", "unknown_serial"))?;
        let product = catalog::find(&mut tx, found.product_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        asset = Some(found);
        product
    } else if let (Some(sku), false) = (some(&input.sku), from_agreement) {
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
        let linked = agreements::find(&mut tx, supportal_domain::AgreementId(first.id))
            .await?
            .ok_or_else(AppError::not_found)?;
        let covered = agreements::products(&mut tx, &[linked.id])
            .await?
            .remove(&linked.id)
            .unwrap_or_default();
        // The product: the one the agreement covers, else the one named by SKU among those
        // it covers (any product when it covers every one); never a silent first pick.
        let named = match some(&input.sku) {
            Some(sku) => Some(
                catalog::find_by_sku(&mut tx, &sku.to_uppercase())
                    .await?
                    .ok_or_else(|| AppError::field("sku", "unknown_sku"))?,
            ),
            None => None,
        };
        match (named, covered.as_slice()) {
            (Some(p), []) => p,
            (Some(p), _) if covered.contains(&p.id) => p,
            (Some(_), _) => return Err(AppError::field("sku", "product_not_covered")),
            (None, [only]) => catalog::find(&mut tx, *only)
                .await?
                .ok_or_else(AppError::not_found)?,
            (None, _) => return Err(AppError::field("sku", "choose_product")),
        }
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
    Ok(Subject {
        asset,
        product,
        sites,
        pins,
    })
}

/// The plan that pays for a case.
struct Payer {
    kind: String,
    entitlement_id: i64,
    /// Whether it covers round-the-clock handling.
    coverage_24x7: bool,
    /// Its coverage as service-level targets name it (`incident` for an agreement).
    coverage: String,
}

/// Who pays (CAS-3, ENT-5): the agreement asked for, which must be available (409 `no_units`
/// when it has none left), or else the best active warranty or contract of the asset.
async fn payer(
    ctx: &Context,
    user: &SessionUser,
    input: &CaseInput,
    subject: &Subject,
) -> AppResult<Payer> {
    let query = match &subject.asset {
        Some(a) => PlanQuery {
            serial: Some(a.serial_number.clone()),
            product: Some(subject.product.clone()),
            ..Default::default()
        },
        None => PlanQuery {
            product_id: Some(subject.product.id),
            product: Some(subject.product.clone()),
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
    if let Some(id) = wanted_agreement {
        if let Some(p) = plans
            .available
            .iter()
            .find(|p| p.kind == "agreement" && p.id == id)
        {
            return Ok(Payer {
                kind: "agreement".to_owned(),
                entitlement_id: p.id,
                coverage_24x7: true,
                coverage: "incident".to_owned(),
            });
        }
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
    let best = plans
        .available
        .iter()
        .filter(|p| p.kind != "agreement")
        .max_by_key(|p| p.coverage.as_deref().and_then(Coverage::parse))
        .ok_or_else(|| AppError::field("entitlement_id", "entitlement_required"))?;
    Ok(Payer {
        kind: best.kind.clone(),
        entitlement_id: best.id,
        coverage: best.coverage.clone().unwrap_or_default(),
        coverage_24x7: best
            .coverage
            .as_deref()
            .and_then(Coverage::parse)
            .is_some_and(Coverage::allows_24x7),
    })
}

/// The problem and how it is handled.
struct Problem {
    title: String,
    description: String,
    troubleshooting: String,
    severity: Option<Severity>,
    country: String,
    time_zone: String,
    pin_id: Option<i64>,
}

/// The problem, its severity and 24x7 handling, and the support details with the profile's
/// defaults (PRF-2): country, time zone, PIN.
fn problem(
    input: &CaseInput,
    profile: Option<&ProfileRow>,
    pins: &[companies::PinRow],
    coverage_24x7: bool,
    errors: &mut FieldErrors,
) -> Problem {
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
        .or(profile.map(|p| p.country.clone()))
        .unwrap_or_default();
    let country = errors.required_country("country", &country);
    let time_zone = some(&input.time_zone)
        .map(str::to_owned)
        .or(profile.map(|p| p.time_zone.clone()))
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
        None => profile.and_then(|p| p.default_pin_id),
    };
    Problem {
        title,
        description,
        troubleshooting,
        severity,
        country,
        time_zone,
        pin_id,
    }
}

/// A contact's name, email and phone.
type Person = (String, String, Option<String>);

/// Who the case is for.
struct People {
    primary: Person,
    alternate: Option<Person>,
    additional: Vec<EmailAddress>,
}

/// The primary contact (the caller by default), the alternate, and the additional contacts.
fn people(
    input: &CaseInput,
    user: &SessionUser,
    profile: Option<&ProfileRow>,
    errors: &mut FieldErrors,
) -> People {
    let primary = input.primary_contact.clone().unwrap_or_else(|| ContactIn {
        name: user.name.clone(),
        email: user.email.clone(),
        phone: profile.map(|p| p.phone.clone()),
    });
    let primary = contact(errors, "primary_contact", &primary);
    let alternate = input
        .alternate_contact
        .as_ref()
        .map(|c| contact(errors, "alternate_contact", c));
    let mut additional = Vec::new();
    for email in &input.additional_contacts {
        match EmailAddress::parse(email) {
            Ok(e) if !additional.contains(&e) => additional.push(e),
            Ok(_) => {}
            Err(_) => errors.add("additional_contacts", "invalid_email"),
        }
    }
    People {
        primary,
        alternate,
        additional,
    }
}

/// Where the equipment is (CAS-5) — an address given, else a chosen site, the asset's site, the
/// profile's, or the company's primary site — and where parts go.
fn places(
    input: &CaseInput,
    subject: &Subject,
    profile: Option<&ProfileRow>,
    company_name: &str,
    errors: &mut FieldErrors,
) -> (Option<i64>, Address, Option<Address>) {
    let (site_id, equipment) = match &input.equipment_address {
        Some(a) => (None, address(errors, "equipment_address", a, company_name)),
        None => site_address(input, subject, profile, company_name, errors),
    };
    let parts = input
        .parts_address
        .as_ref()
        .map(|a| address(errors, "parts_address", a, company_name));
    (site_id, equipment, parts)
}

/// The address of the chosen site, the asset's, the profile's, or the company's primary one.
fn site_address(
    input: &CaseInput,
    subject: &Subject,
    profile: Option<&ProfileRow>,
    company_name: &str,
    errors: &mut FieldErrors,
) -> (Option<i64>, Address) {
    let site_id = input
        .equipment_site_id
        .or(subject.asset.as_ref().and_then(|a| a.site_id))
        .or(profile.and_then(|p| p.site_id));
    let found = match site_id {
        Some(id) => subject.sites.iter().find(|s| s.id == id),
        None => subject.sites.iter().find(|s| s.is_primary),
    };
    match found {
        Some(s) => (
            Some(s.id),
            Address {
                company: company_name.to_owned(),
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
