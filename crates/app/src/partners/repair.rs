//! The cases the channel opens: a partner's request for devices missing from its unassigned list
//! (PTN-3, routed by the desk like any case about the partner portal), and the repair case an
//! end user (or the partner) submits from a device alert (PTN-5): to the operator's desk for a
//! resell-and-monitor partner, to the partner's own repair queue for a service-delivery one.

use crate::cases::{Prepared, plan, write};
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use serde::Deserialize;
use supportal_domain::partner::{Programme, RepairRoute};
use supportal_domain::validation::{NAME_MAX, TEXT_MAX, is_phone};
use supportal_domain::{CompanyId, EmailAddress, FieldErrors, UserId};
use supportal_store::cases::{Address, NewCase};
use supportal_store::partners::alerts::{self, AlertView};
use supportal_store::partners::{self, PartnerScope};
use supportal_store::sessions::SessionUser;

/// `POST /partners/{company_id}/missing-devices`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MissingBody {
    #[serde(default, deserialize_with = "crate::input::string_list")]
    pub serial_numbers: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// Who the case is about and where its equipment is.
struct Party {
    company: CompanyId,
    address: Address,
}

async fn party(ctx: &Context, company: CompanyId) -> AppResult<Party> {
    let mut tx = ctx.db.read().await?;
    let address = partners::case_address(&mut tx, company).await?;
    tx.rollback().await?;
    let address = address.map_or_else(Address::default, |a| Address {
        company: a.company,
        street: a.street,
        postal_code: a.postal_code,
        city: a.city,
        country: a.country,
    });
    Ok(Party { company, address })
}

struct Contact {
    name: String,
    email: String,
    phone: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn new_case(
    ctx: &Context,
    party: Party,
    submitter: Option<UserId>,
    contact: Contact,
    severity: i64,
    title: String,
    description: String,
    product_id: supportal_domain::ProductId,
    serial: Option<String>,
) -> NewCase {
    NewCase {
        company_id: party.company,
        submitter_id: submitter,
        severity,
        handling_24x7: false,
        title,
        description,
        troubleshooting: String::new(),
        product_id,
        serial_number: serial,
        country: party.address.country.clone(),
        time_zone: ctx.config.time_zone.name().to_owned(),
        primary_name: contact.name,
        primary_email: contact.email,
        primary_phone: contact.phone,
        equipment: party.address,
        ..NewCase::default()
    }
}

/// Opens a planned channel case in one transaction with its mark; returns its number.
async fn open(
    ctx: &Context,
    mut prepared: Prepared,
    actor: Option<UserId>,
    queue: Option<i64>,
    mark: (&str, Option<supportal_domain::DeviceId>),
    alert: Option<supportal_domain::AlertId>,
    end_user: Option<&str>,
) -> AppResult<String> {
    let now = ctx.now();
    plan(ctx, &mut prepared, now).await?;
    if let Some(q) = queue {
        prepared.send_to(q);
    }
    let mut tx = ctx.db.begin().await?;
    if let Some(alert) = alert
        && let Some(number) = alerts::lock(&mut tx, alert).await?
    {
        // Submitted already (a retry, or two at once): the first case is the answer.
        return Ok(number);
    }
    let case = write(ctx, &mut tx, actor, &mut prepared, now, None).await??;
    partners::mark_case(&mut tx, case, mark.0, mark.1).await?;
    if let (Some(device), Some(email)) = (mark.1, end_user) {
        alerts::remember_end_user(&mut tx, device, email).await?;
    }
    if let Some(alert) = alert
        && !alerts::set_case(&mut tx, alert, case).await?
    {
        tx.rollback().await?;
        return Err(AppError::conflict("alert_case_exists"));
    }
    tx.commit().await?;
    ctx.mail_wakeup.notify_one();
    Ok(prepared.number().to_owned())
}

/// PTN-3: the partner asks the operator to add devices its unassigned list lacks.
pub async fn missing_devices(
    ctx: &Context,
    lang: &Lang,
    user: &SessionUser,
    scope: &PartnerScope,
    body: MissingBody,
) -> AppResult<String> {
    let serials = super::dashboards::serial_list(&body.serial_numbers)?;
    let note = crate::input::without_nul(body.note.trim()).into_owned();
    if note.chars().count() > TEXT_MAX {
        return Err(AppError::field("note", "too_long"));
    }
    let (product_id, product_name) = {
        let mut tx = ctx.db.begin().await?;
        let product = partners::portal_product(&mut tx).await?;
        tx.commit().await?;
        product
    };
    let party = party(ctx, scope.company_id()).await?;
    let title = lang.t1("partner-missing-title", "count", serials.len());
    let mut description = serials.join("\n");
    if !note.is_empty() {
        description = format!("{note}\n\n{description}");
    }
    let contact = Contact {
        name: user.name.clone(),
        email: user.email.clone(),
        phone: None,
    };
    let new = new_case(
        ctx,
        party,
        Some(user.user_id()),
        contact,
        3,
        title,
        description,
        product_id,
        None,
    );
    let prepared = Prepared::channel(
        new,
        "partner_programme",
        scope.company_id().get(),
        product_name.clone(),
        product_name,
        "parts_only".into(),
    );
    open(
        ctx,
        prepared,
        Some(user.user_id()),
        None,
        ("missing_devices", None),
        None,
        None,
    )
    .await
}

/// The end user's confirmation of contact details on the *View* page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RepairBody {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The severity of a repair case from the alert's.
fn severity(alert: &str) -> i64 {
    match alert {
        "critical" => 2,
        "warning" => 3,
        _ => 4,
    }
}

/// PTN-5: the repair case of an alert, with the alert in its description, for the device's
/// company (the dashboard's customer, else the partner). A second submission answers the first
/// case.
pub async fn repair_case(
    ctx: &Context,
    lang: &Lang,
    view: &AlertView,
    body: RepairBody,
    actor: Option<UserId>,
) -> AppResult<String> {
    if let Some(number) = &view.case_number {
        return Ok(number.clone());
    }
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &crate::input::without_nul(&body.name), NAME_MAX);
    let email = match EmailAddress::parse(body.email.trim()) {
        Ok(e) => e.to_string(),
        Err(_) if body.email.trim().is_empty() => {
            errors.add("email", "required");
            String::new()
        }
        Err(_) => {
            errors.add("email", "invalid_email");
            String::new()
        }
    };
    let phone = errors.optional_text("phone", body.phone.as_deref(), 40);
    if phone.as_deref().is_some_and(|p| !is_phone(p)) {
        errors.add("phone", "invalid_phone");
    }
    let note = errors.optional_text(
        "note",
        body.note
            .as_deref()
            .map(crate::input::without_nul)
            .as_deref(),
        TEXT_MAX,
    );
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let company = CompanyId(alerts::case_company(view));
    let party = party(ctx, company).await?;
    let title = lang.tn(
        "partner-repair-title",
        &[
            ("component", view.component.clone()),
            ("code", view.code.clone()),
        ],
    );
    let mut description = format!(
        "{}\n{}: {}\n{}: {} / {}\n{}",
        view.message,
        lang.t("partner-alert-device"),
        view.serial_number,
        lang.t("partner-alert-code"),
        view.component,
        view.code,
        lang.datetime(&view.created_at),
    );
    if let Some(note) = note {
        description = format!("{note}\n\n{description}");
    }
    let contact = Contact {
        name,
        email: email.clone(),
        phone,
    };
    let new = new_case(
        ctx,
        party,
        actor,
        contact,
        severity(&view.severity),
        title,
        description,
        supportal_domain::ProductId(view.product_id),
        Some(view.serial_number.clone()),
    );
    let coverage = match view.service_plan.as_str() {
        "premium_plus" => "4h_24x7_onsite",
        _ => "nbd_onsite",
    };
    let prepared = Prepared::channel(
        new,
        "service_plan",
        view.device_id.get(),
        view.product.clone(),
        view.product_line.clone(),
        coverage.into(),
    );
    let programme = view.programme.as_deref().and_then(Programme::parse);
    let queue = match programme.map(Programme::repair_route) {
        Some(RepairRoute::PartnerQueue) => {
            let mut tx = ctx.db.read().await?;
            let q = partners::repair_queue(&mut tx, CompanyId(view.partner_company_id)).await?;
            tx.rollback().await?;
            q.map(|q| q.get())
        }
        _ => None,
    };
    let number = open(
        ctx,
        prepared,
        actor,
        queue,
        ("repair", Some(view.device_id)),
        Some(view.id),
        Some(&email),
    )
    .await?;
    Ok(number)
}
