//! Opening a case in the browser (CAS-1 to CAS-7): start from a serial number, an agreement ID or
//! a product name; fill in the details (problem, support, contacts, addresses); review with *Edit*
//! per section and add files; submit; see the confirmation with the case ID.

use super::attachments::Incoming;
use super::{AddressIn, CaseDetail, CaseInput, ContactIn};
use crate::auth::PageUser;
use crate::entitlements::{self, PlanQuery, Plans};
use crate::error::AppError;
use crate::error::{AppResult, HttpError};
use crate::forms::{Form, MultipartForm};
use crate::pages::{Chrome, Ctx};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use supportal_store::companies::{PinRow, SiteRow};
use supportal_store::sessions::SessionUser;
use supportal_store::{catalog, companies, contacts, profiles};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/new",
            get(super::form_start::start_page)
                .post(submit)
                .layer(DefaultBodyLimit::max(super::api::MAX_CASE_BODY_BYTES)),
        )
        .route("/cases/new/details", get(details_page).post(details_again))
        .route("/cases/new/review", post(review))
        .route(
            "/cases/new/agreement",
            post(super::form_start::register_agreement),
        )
        .route("/cases/{case_id}/opened", get(done_page))
}

/// The confirmation after opening a case (CAS-7), for anyone who may see the case.
async fn done_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    axum::extract::Path(number): axum::extract::Path<String>,
) -> AppResult<Response> {
    let d = super::detail(&state, &user, &number).await?;
    let c = ctx.chrome(&state, "case-done-title").await?;
    Ok(DonePage { c, d }.into_response())
}

/// Every answer of the form, carried from step to step in hidden fields.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CaseForm {
    pub start: String,
    pub value: String,
    /// For a case started from an agreement that covers several products: which one.
    pub sku: String,
    pub title: String,
    pub description: String,
    pub troubleshooting: String,
    pub version: String,
    pub category: String,
    pub problem_type: String,
    pub severity: String,
    pub handling_24x7: String,
    pub country: String,
    pub time_zone: String,
    pub pin: String,
    pub entitlement_id: String,
    pub primary_name: String,
    pub primary_email: String,
    pub primary_phone: String,
    pub alternate_name: String,
    pub alternate_email: String,
    pub alternate_phone: String,
    pub additional_contacts: String,
    /// `saved:<id>` or `company:<source>:<id>`: a contact to copy into the primary contact.
    pub primary_pick: String,
    /// `on`: keep the primary contact in the user's saved contacts once the case is open.
    pub save_contact: String,
    /// Made fresh for each review page: submitting the same page twice (a reload, a double
    /// click) opens one case, as an `Idempotency-Key` does in the API.
    pub form_token: String,
    /// The draft whose opened suggestions the case records (KB-1, `suggest`).
    pub draft: String,
    pub equipment_site_id: String,
    /// `other`: the equipment is at the address below, not at a company site.
    pub equipment_mode: String,
    pub equipment_company_name: String,
    pub equipment_street: String,
    pub equipment_postal_code: String,
    pub equipment_city: String,
    pub equipment_country: String,
    pub parts_street: String,
    pub parts_postal_code: String,
    pub parts_city: String,
    pub parts_country: String,
}

fn opt(v: &str) -> Option<String> {
    Some(v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl CaseForm {
    /// The hidden fields that carry the answers to the next step.
    pub fn hidden(&self) -> Vec<(String, String)> {
        serde_urlencoded::to_string(self)
            .ok()
            .and_then(|s| serde_urlencoded::from_str::<Vec<(String, String)>>(&s).ok())
            .unwrap_or_default()
    }

    pub fn input(&self) -> CaseInput {
        let (serial_number, agreement_id, sku) = match self.start.as_str() {
            "agreement" => (None, opt(&self.value), opt(&self.sku)),
            "product" => (None, None, opt(&self.value)),
            _ => (opt(&self.value), None, None),
        };
        CaseInput {
            serial_number,
            agreement_id,
            sku,
            title: self.title.clone(),
            description: self.description.clone(),
            troubleshooting: opt(&self.troubleshooting),
            version: opt(&self.version),
            category: opt(&self.category),
            problem_type: opt(&self.problem_type),
            severity: self.severity.trim().parse().ok(),
            handling_24x7: self.handling_24x7 == "on",
            country: opt(&self.country),
            time_zone: opt(&self.time_zone),
            pin: opt(&self.pin),
            entitlement_id: self.entitlement_id.trim().parse().ok(),
            primary_contact: opt(&self.primary_email).map(|email| ContactIn {
                name: self.primary_name.clone(),
                email,
                phone: opt(&self.primary_phone),
            }),
            alternate_contact: opt(&self.alternate_email).map(|email| ContactIn {
                name: self.alternate_name.clone(),
                email,
                phone: opt(&self.alternate_phone),
            }),
            additional_contacts: self
                .additional_contacts
                .split([',', ';', ' ', '\n'])
                .filter_map(opt)
                .collect(),
            equipment_site_id: self.equipment_site_id.trim().parse().ok(),
            equipment_address: (self.equipment_mode == "other").then(|| AddressIn {
                company_name: self.equipment_company_name.clone(),
                street: self.equipment_street.clone(),
                postal_code: self.equipment_postal_code.clone(),
                city: self.equipment_city.clone(),
                country: self.equipment_country.clone(),
            }),
            parts_address: opt(&self.parts_street).map(|street| AddressIn {
                company_name: String::new(),
                street,
                postal_code: self.parts_postal_code.clone(),
                city: self.parts_city.clone(),
                country: self.parts_country.clone(),
            }),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/new_details.html")]
struct DetailsPage {
    c: Chrome,
    f: CaseForm,
    plans: Plans,
    sites: Vec<SiteRow>,
    pins: Vec<PinRow>,
    time_zones: &'static [&'static str],
    /// The product's versions and its categories with problem types (selects when any).
    versions: Vec<String>,
    categories: Vec<(String, Vec<String>)>,
    /// Contacts to pick as the primary: (value, label).
    picks: Vec<(String, String)>,
    /// For a case started from an agreement: the products it can be about.
    products: Vec<catalog::ProductRow>,
    suggest: super::suggest::Suggestions,
}

/// The people a user can pick as the primary contact: saved contacts first, then the company's
/// users and contacts, as (value, label, name, email, phone).
async fn pickable(
    state: &AppState,
    user: &SessionUser,
    scope: &supportal_store::CompanyScope,
) -> AppResult<Vec<(String, String, String, String, Option<String>)>> {
    let mut tx = state.db.read().await?;
    let saved = contacts::saved(&mut tx, user.user_id()).await?;
    let company = contacts::company_list(&mut tx, scope).await?;
    tx.rollback().await?;
    let mut out: Vec<_> = saved
        .into_iter()
        .map(|s| {
            (
                format!("saved:{}", s.id),
                format!("{} <{}>", s.name, s.email),
                s.name,
                s.email,
                s.phone,
            )
        })
        .collect();
    for c in company {
        if out.iter().any(|o| o.3 == c.email) {
            continue;
        }
        out.push((
            format!("company:{}:{}", c.source, c.id),
            format!("{} <{}>", c.name, c.email),
            c.name,
            c.email,
            c.phone,
        ));
    }
    Ok(out)
}

/// Copies a picked contact into the primary contact fields; an unknown pick is left alone.
async fn apply_pick(state: &AppState, user: &SessionUser, f: &mut CaseForm) -> AppResult<()> {
    if f.primary_pick.is_empty() {
        return Ok(());
    }
    let scope = entitlements::own_company(state, user)
        .await?
        .ok_or_else(|| HttpError::forbidden("company_required"))?;
    let picks = pickable(state, user, &scope).await?;
    if let Some((_, _, name, email, phone)) = picks.into_iter().find(|p| p.0 == f.primary_pick) {
        f.primary_name = name;
        f.primary_email = email;
        f.primary_phone = phone.unwrap_or_default();
    }
    f.primary_pick.clear();
    Ok(())
}

/// The plans for the start the user chose, with the product resolved from a name if needed.
async fn plans_for(state: &AppState, user: &SessionUser, f: &mut CaseForm) -> AppResult<Plans> {
    let query = match f.start.as_str() {
        "agreement" => PlanQuery {
            agreement_id: opt(&f.value),
            ..Default::default()
        },
        "product" => {
            // One product: an exact SKU or name, else the only match; several are refused
            // rather than one taken silently.
            let found = entitlements::search_products(state, &f.value).await?;
            let wanted = f.value.trim().to_lowercase();
            let exact = found
                .iter()
                .find(|p| p.sku.to_lowercase() == wanted || p.name.to_lowercase() == wanted);
            let product = match (exact, found.as_slice()) {
                (Some(p), _) => p.clone(),
                (None, [only]) => only.clone(),
                (None, []) => return Err(HttpError::field("value", "unknown_sku")),
                (None, _) => return Err(HttpError::field("value", "ambiguous_product")),
            };
            f.value = product.sku.clone();
            PlanQuery {
                product_id: Some(product.id),
                ..Default::default()
            }
        }
        _ => {
            f.start = "serial".into();
            PlanQuery {
                serial: opt(&f.value),
                ..Default::default()
            }
        }
    };
    if opt(&f.value).is_none() {
        return Err(HttpError::field("value", "required"));
    }
    let not_found = if f.start == "agreement" {
        "unknown_agreement"
    } else {
        "unknown_serial"
    };
    let plans = entitlements::plans(state, user, query).await.map_err(|e| {
        if e.kind == crate::error::Kind::NotFound {
            HttpError::field("value", not_found)
        } else {
            HttpError(e)
        }
    })?;
    // An agreement ID the user has not registered is refused at the start, not at the end.
    if f.start == "agreement" {
        let value = f.value.trim();
        let known = plans
            .available
            .iter()
            .chain(plans.unavailable.iter().map(|u| &u.plan))
            .any(|p| p.kind == "agreement" && p.reference.as_deref() == Some(value));
        if !known {
            return Err(HttpError::field("value", "unknown_agreement"));
        }
    }
    Ok(plans)
}

async fn render_details(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    mut f: CaseForm,
    failure: Option<AppError>,
) -> AppResult<Response> {
    let scope = entitlements::own_company(state, user)
        .await?
        .ok_or_else(|| HttpError::forbidden("company_required"))?;
    let plans = match plans_for(state, user, &mut f).await {
        Ok(p) => p,
        Err(e) => {
            let c = ctx.chrome(state, "case-new-title").await?.failed(e)?;
            return Ok(super::form_start::StartPage::new(c).into_response());
        }
    };
    let mut tx = state.db.read().await?;
    let sites = companies::sites(&mut tx, &scope).await?;
    let pins = companies::pins(&mut tx, &scope).await?;
    let profile = profiles::get(&mut tx, user.user_id()).await?;
    let (versions, categories) = match &plans.product {
        Some(p) => (
            catalog::versions(&mut tx, p.id)
                .await?
                .into_iter()
                .map(|v| v.name)
                .collect(),
            grouped(catalog::categories(&mut tx, p.id).await?),
        ),
        None => (Vec::new(), Vec::new()),
    };
    tx.rollback().await?;
    let products = match f.start.as_str() {
        "agreement" => entitlements::agreement_products(state, user, &f.value).await?,
        _ => Vec::new(),
    };
    let picks = pickable(state, user, &scope)
        .await?
        .into_iter()
        .map(|p| (p.0, p.1))
        .collect();
    let suggest = super::suggest::for_form(state, user, &mut f, plans.product.as_ref()).await?;
    if f.primary_email.is_empty() {
        f.primary_name = user.name.clone();
        f.primary_email = user.email.clone();
        f.primary_phone = profile
            .as_ref()
            .map(|p| p.phone.clone())
            .unwrap_or_default();
    }
    if f.country.is_empty() {
        f.country = profile
            .as_ref()
            .map(|p| p.country.clone())
            .unwrap_or_default();
        f.time_zone = profile
            .as_ref()
            .map(|p| p.time_zone.clone())
            .unwrap_or_else(|| ctx.lang.zone_name().unwrap_or("UTC").to_owned());
        f.pin = profile
            .as_ref()
            .and_then(|p| p.default_pin_id)
            .and_then(|id| pins.iter().find(|p| p.id == id))
            .map(|p| p.code.clone())
            .unwrap_or_default();
        f.equipment_site_id = profile
            .as_ref()
            .and_then(|p| p.site_id)
            .map(|id| id.to_string())
            .unwrap_or_default();
    }
    let mut c = ctx.chrome(state, "case-new-title").await?;
    if let Some(e) = failure {
        c = c.failed(e)?;
    }
    Ok(DetailsPage {
        c,
        f,
        plans,
        sites,
        pins,
        time_zones: supportal_domain::profile::time_zones(),
        versions,
        categories,
        picks,
        products,
        suggest,
    }
    .into_response())
}

/// Flat (category, problem type) rows into categories with their types, in order.
fn grouped(rows: Vec<catalog::ProblemTypeRow>) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some((name, types)) if *name == r.category => types.extend(r.name),
            _ => out.push((r.category, r.name.into_iter().collect())),
        }
    }
    out
}

#[derive(Deserialize, Default)]
struct StartQuery {
    start: Option<String>,
    value: Option<String>,
}

async fn details_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(q): Query<StartQuery>,
) -> AppResult<Response> {
    let f = CaseForm {
        start: q.start.unwrap_or_default(),
        value: q.value.unwrap_or_default(),
        ..Default::default()
    };
    render_details(&state, &ctx, &user, f, None).await
}

/// *Edit* from the review: back to the details with every answer kept.
async fn details_again(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<CaseForm>,
) -> AppResult<Response> {
    render_details(&state, &ctx, &user, f, None).await
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/new_review.html")]
struct ReviewPage {
    c: Chrome,
    f: CaseForm,
    /// The plan that pays, named as the details step showed it.
    paid_by: String,
    /// The equipment site's name, when the case is at one of the company's sites.
    site_name: Option<String>,
}

/// The plan that will pay, named: the agreement chosen, else the best warranty or contract
/// (the one `cases::prepare` takes), with its coverage and end.
fn paid_by(c: &Chrome, f: &CaseForm, plans: &Plans) -> String {
    let chosen: Option<i64> = f.entitlement_id.trim().parse().ok();
    let plan = match chosen {
        Some(id) => plans
            .available
            .iter()
            .find(|p| p.kind == "agreement" && p.id == id),
        None => plans
            .available
            .iter()
            .filter(|p| p.kind != "agreement")
            .max_by_key(|p| {
                p.coverage
                    .as_deref()
                    .and_then(supportal_domain::entitlement::Coverage::parse)
            }),
    };
    let Some(p) = plan else {
        return c.t("plans-none-available");
    };
    let mut text = match (&p.programme, &p.reference) {
        (Some(programme), Some(reference)) => format!("{programme} {reference}"),
        (None, Some(reference)) => format!("{} {reference}", c.kind_label(&p.kind)),
        _ => c.kind_label(&p.kind),
    };
    if let Some(coverage) = &p.coverage {
        text.push_str(&format!(" — {}", c.coverage_label(coverage)));
    }
    if let Some(n) = p.remaining {
        text.push_str(&format!(
            " — {}",
            c.t1("agreement-units", "remaining", &n.to_string())
        ));
    }
    format!("{text} ({} {})", c.t("label-end"), p.end)
}

async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(mut f): Form<CaseForm>,
) -> AppResult<Response> {
    apply_pick(&state, &user, &mut f).await?;
    f.form_token = crate::auth::random_token();
    let c = ctx.chrome(&state, "case-review-title").await?;
    let plans = plans_for(&state, &user, &mut f.clone()).await?;
    let paid_by = paid_by(&c, &f, &plans);
    let site_name = match (
        f.equipment_mode.as_str(),
        f.equipment_site_id.trim().parse::<i64>(),
    ) {
        ("other", _) | (_, Err(_)) => None,
        (_, Ok(id)) => match entitlements::own_company(&state, &user).await? {
            Some(scope) => {
                let mut tx = state.db.read().await?;
                let sites = companies::sites(&mut tx, &scope).await?;
                tx.rollback().await?;
                sites.into_iter().find(|s| s.id == id).map(|s| s.name)
            }
            None => None,
        },
    };
    Ok(ReviewPage {
        c,
        f,
        paid_by,
        site_name,
    }
    .into_response())
}

/// Keeps the case's primary contact in the user's saved contacts (CMP-5), unless it is the user
/// or already saved.
async fn save_primary(state: &AppState, user: &SessionUser, d: &CaseDetail) -> AppResult<()> {
    if d.case.primary_email.eq_ignore_ascii_case(&user.email) {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    let known = contacts::saved(&mut tx, user.user_id())
        .await?
        .iter()
        .any(|s| s.email.eq_ignore_ascii_case(&d.case.primary_email));
    if !known {
        let contact = contacts::ContactInput {
            name: d.case.primary_name.clone(),
            email: d.case.primary_email.clone(),
            phone: d.case.primary_phone.clone(),
        };
        contacts::save(&mut tx, user.user_id(), &contact, state.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/new_done.html")]
struct DonePage {
    c: Chrome,
    d: CaseDetail,
}

/// The final step: a multipart form with every answer and the files.
async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let form = MultipartForm::read_page(&headers, multipart, &["attachment"]).await?;
    let files = form.files.into_iter().map(Incoming::from).collect();
    let pairs = form.fields;
    let encoded = serde_urlencoded::to_string(&pairs).map_err(HttpError::internal)?;
    let mut f: CaseForm = serde_urlencoded::from_str(&encoded)
        .map_err(|_| HttpError::unprocessable("invalid_form"))?;
    apply_pick(&state, &user, &mut f).await?;
    let token = f.form_token.trim();
    let key = (!token.is_empty() && token.len() <= 100).then(|| format!("page:{token}"));
    match super::create(&state, &user, f.input(), files, key.as_deref()).await {
        Ok(d) => {
            if f.save_contact == "on" {
                save_primary(&state, &user, &d).await?;
            }
            supportal_app::knowledge::became_case(&state, &user, &f.draft, &d.case_id).await;
            // Redirect after POST: reloading the confirmation reads it again, it opens nothing.
            Ok(
                axum::response::Redirect::to(&format!("/cases/{}/opened", d.case_id))
                    .into_response(),
            )
        }
        Err(e)
            if e.kind == crate::error::Kind::Invalid || e.kind == crate::error::Kind::Conflict =>
        {
            render_details(&state, &ctx, &user, f, Some(e)).await
        }
        Err(e) => Err(e.into()),
    }
}
