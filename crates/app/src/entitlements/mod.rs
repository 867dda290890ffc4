//! Entitlements from the customer's side (ENT-1 to ENT-7): catalog search, the company's
//! contracts and warranties, the public warranty check, incident agreements and the plans that
//! can pay for a case, pay-per-incident purchases, and staff refunds.

pub mod purchases;

pub use purchases::{
    PURCHASE_LIMIT_ACCOUNT, PURCHASE_LIMIT_ADDRESS, Purchase, PurchaseRequest, purchase,
};

use crate::context::Context;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use supportal_domain::entitlement::{EntitlementKind, Scope, SerialNumber, Status};
use supportal_domain::{CompanyId, FieldErrors};
use supportal_store::agreements::{self, AgreementRow};
use supportal_store::catalog::{self, ProductRow};
use supportal_store::entitlements::{self, EntitlementView, Filter};
use supportal_store::sessions::{self, SessionUser};
use supportal_store::{AdminScope, CompanyScope, StaffScope, StoreError, accounts, assets, audit};

pub async fn search_products(ctx: &Context, q: &str) -> AppResult<Vec<ProductRow>> {
    let mut tx = ctx.db.read().await?;
    let rows = catalog::search(&mut tx, q, 50).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// The products a case started from agreement `reference` can be about: those the agreement
/// covers, or every product when it covers them all. Empty when the caller cannot see it.
pub async fn agreement_products(
    ctx: &Context,
    user: &SessionUser,
    reference: &str,
) -> AppResult<Vec<ProductRow>> {
    let query = PlanQuery {
        agreement_id: Some(reference.trim().to_owned()),
        ..Default::default()
    };
    let plans = match plans(ctx, user, query).await {
        Ok(plans) => plans,
        Err(e) if e.kind == crate::error::Kind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let Some(plan) = plans
        .available
        .iter()
        .chain(plans.unavailable.iter().map(|u| &u.plan))
        .find(|p| p.kind == "agreement")
    else {
        return Ok(Vec::new());
    };
    let id = supportal_domain::AgreementId(plan.id);
    let mut tx = ctx.db.read().await?;
    let covered = supportal_store::agreements::products(&mut tx, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let mut products = Vec::new();
    if covered.is_empty() {
        products = catalog::search(&mut tx, "", 500).await?;
    } else {
        for product in covered {
            if let Some(p) = catalog::find(&mut tx, product).await? {
                products.push(p);
            }
        }
    }
    tx.rollback().await?;
    Ok(products)
}

/// Parses the list filters; an unknown kind or status is a 422 naming the field.
pub fn parse_filter(
    kind: Option<&str>,
    status: Option<&str>,
    serial: Option<&str>,
) -> AppResult<Filter> {
    let mut errors = FieldErrors::new();
    let kind = match kind.filter(|k| !k.is_empty()) {
        Some(k) => EntitlementKind::parse(k).or_else(|| {
            errors.add("kind", "invalid_choice");
            None
        }),
        None => None,
    };
    let status = match status.filter(|s| !s.is_empty()) {
        Some(s) => Status::parse(s).or_else(|| {
            errors.add("status", "invalid_choice");
            None
        }),
        None => None,
    };
    let serial = match serial.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            SerialNumber::parse(s)
                .map_err(|code| AppError::field("serial", code))?
                .to_string(),
        ),
        None => None,
    };
    Ok(errors.into_result(Filter {
        kind,
        status,
        serial,
    })?)
}

/// The company's warranties and contracts, their status as of today in `reader`'s time zone.
pub async fn list(
    ctx: &Context,
    reader: &SessionUser,
    scope: &CompanyScope,
    filter: &Filter,
) -> AppResult<Vec<EntitlementView>> {
    let today = ctx.today(reader.time_zone.as_deref());
    let mut tx = ctx.db.read().await?;
    let rows = entitlements::list(&mut tx, scope, filter, today).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// ENT-3: an admin removes a warranty or contract for the whole company; audited.
pub async fn remove(
    ctx: &Context,
    scope: &AdminScope,
    id: supportal_domain::EntitlementId,
) -> AppResult<()> {
    let mut tx = ctx.db.begin().await?;
    let row = entitlements::remove(&mut tx, scope, id, ctx.now()).await?;
    let detail = format!(
        "{} {} ({} – {})",
        row.kind, row.reference, row.start_date, row.end_date
    );
    audit::record(
        &mut tx,
        Some(scope.user_id()),
        Some(scope.company_id()),
        "entitlement_removed",
        &detail,
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The public answer about one serial: nothing about who owns it.
#[derive(Debug)]
pub struct WarrantyCheck {
    pub serial_number: String,
    pub product: PublicProduct,
    /// The best coverage in force today, if any.
    pub coverage_today: Option<String>,
    pub entitlements: Vec<PublicEntitlement>,
}

#[derive(Debug)]
pub struct PublicProduct {
    pub sku: String,
    pub name: String,
}

#[derive(Debug)]
pub struct PublicEntitlement {
    pub kind: String,
    pub coverage: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status: Status,
}

/// Public look-ups allowed per address in ten minutes, against walking through serial numbers.
pub const WARRANTY_LOOKUPS_PER_ADDRESS: i64 = 120;

pub async fn warranty_check(ctx: &Context, serial: &str, ip: &str) -> AppResult<WarrantyCheck> {
    let serial = SerialNumber::parse(serial).map_err(|code| AppError::field("serial", code))?;
    let today = ctx.today(None);
    let bucket = format!("warranty:address:{ip}");
    let mut tx = ctx.db.begin().await?;
    let window = chrono::Duration::minutes(10);
    let limits = [(bucket.as_str(), WARRANTY_LOOKUPS_PER_ADDRESS)];
    let taken = supportal_store::throttle::take(&mut tx, &limits, window, ctx.now()).await?;
    tx.commit().await?;
    if let Err(wait) = taken {
        return Err(AppError::throttled("too_many_lookups", wait));
    }
    let mut tx = ctx.db.read().await?;
    let asset = assets::by_serial(&mut tx, &serial)
        .await?
        .ok_or_else(|| AppError::new(crate::error::Kind::NotFound, "serial_not_found"))?;
    let rows = entitlements::for_asset(&mut tx, asset.id).await?;
    tx.rollback().await?;
    let entitlements: Vec<PublicEntitlement> = rows
        .into_iter()
        .map(|r| PublicEntitlement {
            status: Status::of(r.start_date, r.end_date, today),
            kind: r.kind,
            coverage: r.coverage,
            start: r.start_date,
            end: r.end_date,
        })
        .collect();
    let coverage_today = entitlements
        .iter()
        .filter(|e| e.status == Status::Active)
        .filter_map(|e| supportal_domain::entitlement::Coverage::parse(&e.coverage))
        .max()
        .map(|c| c.as_str().to_owned());
    Ok(WarrantyCheck {
        serial_number: serial.to_string(),
        product: PublicProduct {
            sku: asset.sku,
            name: asset.product_name,
        },
        coverage_today,
        entitlements,
    })
}

/// An agreement as its holder sees it.
#[derive(Debug)]
pub struct AgreementView {
    pub row: AgreementRow,
    pub usable_until: NaiveDate,
    pub linked: bool,
}

/// ENT-4: links an agreement to the caller by its two IDs. Wrong IDs are one 404 that does not
/// say which part was wrong; the same account twice is 409 `agreement_already_registered`.
pub async fn register_agreement(
    ctx: &Context,
    user: &SessionUser,
    access_id: &str,
    agreement_id: &str,
) -> AppResult<AgreementView> {
    let mut errors = FieldErrors::new();
    let access_id = errors.required_text("access_id", access_id, 64);
    let agreement_id = errors.required_text("agreement_id", agreement_id, 64);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = ctx.db.begin().await?;
    let row = agreements::find_by_ids(&mut tx, &access_id, &agreement_id)
        .await?
        .ok_or_else(|| AppError::new(crate::error::Kind::NotFound, "agreement_not_found"))?;
    if !agreements::link(&mut tx, row.id, user.user_id(), ctx.now()).await? {
        return Err(AppError::conflict("agreement_already_registered"));
    }
    tx.commit().await?;
    let facts = row.facts(Vec::new());
    Ok(AgreementView {
        usable_until: facts.usable_until(),
        row,
        linked: true,
    })
}

pub async fn my_agreements(ctx: &Context, user: &SessionUser) -> AppResult<Vec<AgreementView>> {
    let mut tx = ctx.db.read().await?;
    let rows = agreements::visible_to(&mut tx, user.user_id()).await?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .map(|v| AgreementView {
            usable_until: v.row.facts(Vec::new()).usable_until(),
            row: v.row,
            linked: v.linked,
        })
        .collect())
}

/// What a plan query starts from: exactly one of the three (CAS-1).
#[derive(Debug, Clone, Default)]
pub struct PlanQuery {
    pub serial: Option<String>,
    pub agreement_id: Option<String>,
    pub product_id: Option<supportal_domain::ProductId>,
    pub scope: Option<String>,
    /// The product of `product_id` when the caller has read it already.
    pub product: Option<catalog::ProductRow>,
}

#[derive(Debug)]
pub struct Plan {
    pub id: i64,
    pub kind: String,
    pub programme: Option<String>,
    pub reference: Option<String>,
    pub coverage: Option<String>,
    pub end: NaiveDate,
    pub remaining: Option<i64>,
}

#[derive(Debug)]
pub struct UnavailablePlan {
    pub plan: Plan,
    pub reason: &'static str,
}

#[derive(Debug, Default)]
pub struct Plans {
    pub available: Vec<Plan>,
    pub unavailable: Vec<UnavailablePlan>,
    pub product: Option<ProductRow>,
}

/// The caller's company, for looking up its assets.
pub async fn own_company(ctx: &Context, user: &SessionUser) -> AppResult<Option<CompanyScope>> {
    let mut tx = ctx.db.read().await?;
    if user.staff_scope().is_none() {
        let scope = sessions::own_company_scope(&mut tx, user).await?;
        tx.rollback().await?;
        return Ok(scope);
    }
    // Staff who are also members of a company (rare): their first validated membership.
    let memberships = accounts::memberships(&mut tx, user.user_id()).await?;
    let mut scope = None;
    for m in memberships
        .iter()
        .filter(|m| m.active && m.status == "validated")
    {
        scope = sessions::company_scope(&mut tx, user, CompanyId(m.company_id)).await?;
        if scope.is_some() {
            break;
        }
    }
    tx.rollback().await?;
    Ok(scope)
}

/// ENT-5: the plans that can pay for a case, and the others with their reason.
pub async fn plans(ctx: &Context, user: &SessionUser, q: PlanQuery) -> AppResult<Plans> {
    let given = [
        q.serial.is_some(),
        q.agreement_id.is_some(),
        q.product_id.is_some(),
    ]
    .iter()
    .filter(|g| **g)
    .count();
    if given != 1 {
        return Err(AppError::field("serial", "one_start_required"));
    }
    let scope_filter = match q.scope.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(Scope::parse(s).ok_or_else(|| AppError::field("scope", "invalid_choice"))?),
        None => None,
    };
    let today = ctx.today(user.time_zone.as_deref());
    let mut out = Plans::default();
    let mut product_id = q.product_id;
    if let Some(serial) = &q.serial {
        let serial = SerialNumber::parse(serial).map_err(|code| AppError::field("serial", code))?;
        let scope = own_company(ctx, user)
            .await?
            .ok_or_else(|| AppError::new(crate::error::Kind::NotFound, "serial_not_found"))?;
        let mut tx = ctx.db.read().await?;
        let asset = assets::of_company(&mut tx, &scope, &serial)
            .await?
            .ok_or_else(|| AppError::new(crate::error::Kind::NotFound, "serial_not_found"))?;
        for e in entitlements::for_asset(&mut tx, asset.id).await? {
            let plan = Plan {
                id: e.id.get(),
                kind: e.kind,
                programme: None,
                reference: Some(e.reference),
                coverage: Some(e.coverage),
                end: e.end_date,
                remaining: None,
            };
            match Status::of(e.start_date, e.end_date, today) {
                Status::Active => out.available.push(plan),
                Status::Expired | Status::Future => out.unavailable.push(UnavailablePlan {
                    plan,
                    reason: "expired",
                }),
            }
        }
        product_id = Some(asset.product_id);
        tx.rollback().await?;
    }
    let mut tx = ctx.db.read().await?;
    if let Some(id) = product_id {
        out.product = match q.product.filter(|p| p.id == id) {
            Some(known) => Some(known),
            None => Some(
                catalog::find(&mut tx, id)
                    .await?
                    .ok_or_else(AppError::not_found)?,
            ),
        };
    }
    let visible = agreements::visible_with_products(&mut tx, user.user_id()).await?;
    tx.rollback().await?;
    let wanted = q.agreement_id.as_deref().map(str::trim);
    for (v, covered) in visible {
        if wanted.is_some_and(|id| v.row.agreement_id != id) {
            continue;
        }
        let facts = v.row.facts(covered);
        let plan = Plan {
            id: v.row.id.get(),
            kind: "agreement".into(),
            programme: Some(v.row.programme.clone()),
            reference: Some(v.row.agreement_id.clone()),
            coverage: None,
            end: facts.usable_until(),
            remaining: Some(v.row.units_remaining),
        };
        match facts.availability(
            v.linked,
            product_id.map(supportal_domain::ProductId::get),
            scope_filter,
            today,
        ) {
            Ok(()) => out.available.push(plan),
            Err(reason) => out.unavailable.push(UnavailablePlan {
                plan,
                reason: reason.as_str(),
            }),
        }
    }
    Ok(out)
}

/// ENT-7: staff give back a spent unit; audited.
pub async fn refund(
    ctx: &Context,
    staff: &StaffScope,
    use_id: supportal_domain::IncidentUseId,
) -> AppResult<agreements::IncidentUse> {
    let mut tx = ctx.db.begin().await?;
    let used = match agreements::refund(&mut tx, staff, use_id, ctx.now()).await {
        Ok(u) => u,
        Err(StoreError::Conflict(_)) => return Err(AppError::conflict("already_refunded")),
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        staff.user_id(),
        None,
        "incident_refunded",
        &format!(
            "use {} of agreement {} ({})",
            used.id, used.agreement_id, used.reference
        ),
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(used)
}
