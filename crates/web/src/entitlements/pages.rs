//! Entitlement pages: the public warranty check, *Contracts and warranties*, agreements with the
//! registration form, the plan list, and pay-per-incident purchase.

use super::{AgreementView, PlanQuery, Plans, WarrantyCheck};
use crate::auth::{ClientIp, PageUser};
use crate::error::Kind;
use crate::error::{AppResult, HttpError};
use crate::forms::{ApiPath, Form};
use crate::pages::{Chrome, Ctx, redirect_flash};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use supportal_app::payments::{Card, RegionOffer};
use supportal_domain::entitlement::{EntitlementKind, Status};
use supportal_domain::{CompanyId, EntitlementId};
use supportal_store::entitlements::EntitlementView;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/warranty", get(warranty_page))
        .route("/companies/{company_id}/entitlements", get(list_page))
        .route(
            "/companies/{company_id}/entitlements/{id}/remove",
            get(confirm_remove).post(remove),
        )
        .route("/agreements", get(agreements_page).post(register))
        .route("/plans", get(plans_page))
        .route("/purchase", get(purchase_page).post(purchase))
}

/// Labels for the codes entitlements carry.
impl Chrome {
    pub fn kind_label(&self, kind: &str) -> String {
        self.tp("entitlement-kind-", kind)
    }

    pub fn coverage_label(&self, coverage: &str) -> String {
        self.tp("coverage-", &coverage.replace('_', "-"))
    }

    pub fn status_label(&self, status: &Status) -> String {
        self.tp("entitlement-status-", status.as_str())
    }

    pub fn reason_label(&self, reason: &str) -> String {
        self.tp("plan-reason-", &reason.replace('_', "-"))
    }
}

#[derive(Deserialize, Default)]
struct SerialQuery {
    serial: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "entitlements/warranty.html")]
struct WarrantyPage {
    c: Chrome,
    serial: String,
    result: Option<WarrantyCheck>,
}

async fn warranty_page(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Query(q): Query<SerialQuery>,
) -> AppResult<Response> {
    let serial = q.serial.unwrap_or_default();
    let c = ctx.chrome(&state, "warranty-title").await?;
    if serial.trim().is_empty() {
        return Ok(WarrantyPage {
            c,
            serial,
            result: None,
        }
        .into_response());
    }
    match super::warranty_check(&state, &serial, &ip).await {
        Ok(result) => Ok(WarrantyPage {
            c,
            serial,
            result: Some(result),
        }
        .into_response()),
        Err(e) if e.kind == crate::error::Kind::NotFound => {
            let mut c = c;
            c.error = Some(c.lang.error(e.code));
            Ok(WarrantyPage {
                c,
                serial,
                result: None,
            }
            .into_response())
        }
        Err(e) => Ok(WarrantyPage {
            c: c.failed(e)?,
            serial,
            result: None,
        }
        .into_response()),
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    kind: Option<String>,
    status: Option<String>,
    serial: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "entitlements/list.html")]
struct ListPage {
    c: Chrome,
    company_id: i64,
    company_name: String,
    items: Vec<EntitlementView>,
    admin: bool,
    kind: String,
    status: String,
    serial: String,
    kinds: [EntitlementKind; 3],
    statuses: [&'static str; 3],
}

async fn list_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let scope = crate::companies::scope(&state, &user, CompanyId(id)).await?;
    let company_name = crate::companies::view(&state, &scope).await?.company.name;
    let mut c = ctx.chrome(&state, "entitlements-title").await?;
    let items =
        match super::parse_filter(q.kind.as_deref(), q.status.as_deref(), q.serial.as_deref()) {
            Ok(filter) => super::list(&state, &user, &scope, &filter).await?,
            Err(e) => {
                c = c.failed(e)?;
                Vec::new()
            }
        };
    Ok(ListPage {
        c,
        company_id: id,
        company_name,
        items,
        admin: scope.admin().is_some(),
        kind: q.kind.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        serial: q.serial.unwrap_or_default(),
        kinds: EntitlementKind::ALL,
        statuses: ["active", "expired", "future"],
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "entitlements/remove.html")]
struct RemovePage {
    c: Chrome,
    company_id: i64,
    item: EntitlementView,
}

async fn find_item(
    state: &AppState,
    user: &supportal_store::sessions::SessionUser,
    scope: &supportal_store::CompanyScope,
    id: i64,
) -> AppResult<EntitlementView> {
    super::list(state, user, scope, &Default::default())
        .await?
        .into_iter()
        .find(|e| e.row.id == EntitlementId(id))
        .ok_or_else(HttpError::not_found)
}

async fn confirm_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    let scope = crate::companies::admin_scope(&state, &user, CompanyId(company)).await?;
    let item = find_item(&state, &user, scope.as_member(), id).await?;
    let c = ctx.chrome(&state, "entitlement-remove-title").await?;
    Ok(RemovePage {
        c,
        company_id: company,
        item,
    }
    .into_response())
}

#[derive(Deserialize)]
struct Empty {}

async fn remove(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ApiPath((company, id)): ApiPath<(i64, i64)>,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    let scope = crate::companies::admin_scope(&state, &user, CompanyId(company)).await?;
    super::remove(&state, &scope, EntitlementId(id)).await?;
    Ok(redirect_flash(
        &format!("/companies/{company}/entitlements"),
        "flash-entitlement-removed",
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "entitlements/agreements.html")]
struct AgreementsPage {
    c: Chrome,
    items: Vec<AgreementView>,
    access_id: String,
    agreement_id: String,
    /// The reader's date: an agreement usable until before it has expired.
    today: chrono::NaiveDate,
}

impl AgreementsPage {
    fn expired(&self, a: &AgreementView) -> bool {
        a.usable_until < self.today
    }
}

async fn agreements_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
) -> AppResult<Response> {
    let items = super::my_agreements(&state, &user).await?;
    let c = ctx.chrome(&state, "agreements-title").await?;
    Ok(AgreementsPage {
        c,
        items,
        access_id: String::new(),
        agreement_id: String::new(),
        today: state.today(user.time_zone.as_deref()),
    }
    .into_response())
}

#[derive(Deserialize)]
struct RegisterForm {
    #[serde(default)]
    access_id: String,
    #[serde(default)]
    agreement_id: String,
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Form(f): Form<RegisterForm>,
) -> AppResult<Response> {
    match super::register_agreement(&state, &user, &f.access_id, &f.agreement_id).await {
        Ok(_) => Ok(redirect_flash("/agreements", "flash-agreement-registered")),
        Err(e) => {
            let c = match e.kind {
                Kind::NotFound => {
                    let mut c = ctx.chrome(&state, "agreements-title").await?;
                    c.error = Some(c.lang.error(e.code));
                    c
                }
                _ => ctx.chrome(&state, "agreements-title").await?.failed(e)?,
            };
            let items = super::my_agreements(&state, &user).await?;
            Ok(AgreementsPage {
                c,
                items,
                access_id: f.access_id,
                agreement_id: f.agreement_id,
                today: state.today(user.time_zone.as_deref()),
            }
            .into_response())
        }
    }
}

#[derive(Deserialize, Default)]
struct PlansQuery {
    start: Option<String>,
    value: Option<String>,
    scope: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "entitlements/plans.html")]
struct PlansPage {
    c: Chrome,
    start: String,
    value: String,
    scope: String,
    plans: Option<Plans>,
}

/// The plan list: start from a serial number, an agreement ID or a product name (CAS-1).
async fn plans_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    Query(q): Query<PlansQuery>,
) -> AppResult<Response> {
    let start = q.start.unwrap_or_else(|| "serial".into());
    let value = q.value.unwrap_or_default();
    let scope = q.scope.unwrap_or_default();
    let mut c = ctx.chrome(&state, "plans-title").await?;
    if value.trim().is_empty() {
        return Ok(PlansPage {
            c,
            start,
            value,
            scope,
            plans: None,
        }
        .into_response());
    }
    let query = match start.as_str() {
        "agreement" => Ok(PlanQuery {
            agreement_id: Some(value.clone()),
            scope: Some(scope.clone()),
            ..Default::default()
        }),
        "product" => match super::search_products(&state, &value).await?.first() {
            Some(p) => Ok(PlanQuery {
                product_id: Some(p.id),
                scope: Some(scope.clone()),
                ..Default::default()
            }),
            None => Err(HttpError::new(
                crate::error::Kind::NotFound,
                "product_not_found",
            )),
        },
        _ => Ok(PlanQuery {
            serial: Some(value.clone()),
            scope: Some(scope.clone()),
            ..Default::default()
        }),
    };
    let result = match query {
        Ok(query) => super::plans(&state, &user, query).await.map_err(HttpError),
        Err(e) => Err(e),
    };
    let plans = match result {
        Ok(p) => Some(p),
        Err(e) if e.kind == crate::error::Kind::NotFound => {
            c.error = Some(c.lang.error(e.code));
            None
        }
        Err(e) => {
            c = c.failed(e)?;
            None
        }
    };
    Ok(PlansPage {
        c,
        start,
        value,
        scope,
        plans,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "entitlements/purchase.html")]
struct PurchasePage {
    c: Chrome,
    offers: Vec<RegionOffer>,
    pack: String,
    region: String,
    holder: String,
    bought: Option<super::Purchase>,
    /// Whether a payment provider is configured; the page says so instead of showing the form.
    available: bool,
    /// This form's `Idempotency-Key`: a second submit of the same form buys nothing more.
    key: String,
}

impl PurchasePage {
    fn price(&self, minor: &i64, currency: &str) -> String {
        self.c.money(minor, currency)
    }
}

async fn purchase_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(_): PageUser,
) -> AppResult<Response> {
    let c = ctx.chrome(&state, "purchase-title").await?;
    let offers = state.config.offers.clone();
    Ok(PurchasePage {
        c,
        offers,
        pack: "single".into(),
        region: String::new(),
        holder: String::new(),
        bought: None,
        available: state.payments.is_some(),
        key: crate::auth::random_token(),
    }
    .into_response())
}

#[derive(Deserialize)]
struct PurchaseForm {
    #[serde(default)]
    pack: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    card_holder: String,
    #[serde(default)]
    idempotency_key: String,
}

async fn purchase(
    State(state): State<AppState>,
    ctx: Ctx,
    PageUser(user): PageUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<PurchaseForm>,
) -> AppResult<Response> {
    let key = f.idempotency_key.trim();
    let key = (!key.is_empty() && key.len() <= 200).then(|| format!("form:{key}"));
    let request = super::PurchaseRequest {
        pack: &f.pack,
        region: &f.region,
        card: Card {
            number: f.card_number,
            holder: f.card_holder.clone(),
        },
        ip: &ip,
        key: key.as_deref(),
    };
    let result = super::purchase(&state, &user, request).await;
    let available = state.payments.is_some();
    let offers = state.config.offers.clone();
    match result {
        Ok(bought) => {
            let c = ctx.chrome(&state, "purchase-title").await?;
            Ok(PurchasePage {
                c,
                offers,
                pack: f.pack,
                region: f.region,
                holder: String::new(),
                bought: Some(bought),
                available,
                key: String::new(),
            }
            .into_response())
        }
        Err(e) => {
            let c = ctx.chrome(&state, "purchase-title").await?.failed(e)?;
            Ok(PurchasePage {
                c,
                offers,
                pack: f.pack,
                region: f.region,
                holder: f.card_holder,
                bought: None,
                available,
                // A refused try leaves the key free, so the corrected form may use it again.
                key: f.idempotency_key,
            }
            .into_response())
        }
    }
}
