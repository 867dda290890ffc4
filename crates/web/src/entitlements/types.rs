//! The JSON shapes of the entitlement API (`../shared/product/API.md`, Entitlements): the
//! answers' own types, made from the application's results and the store's rows.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use supportal_app::entitlements as app;
use supportal_domain::entitlement::Status;
use supportal_domain::{AgreementId, EntitlementId, IncidentUseId, ProductId};
use supportal_store::{agreements, catalog, entitlements};

/// A product of the catalog.
#[derive(Debug, Serialize)]
pub struct Product {
    pub id: ProductId,
    pub sku: String,
    pub name: String,
    pub product_line: String,
    pub has_serial: bool,
    pub warranty_months: i64,
    pub warranty_coverage: String,
}

impl From<&catalog::ProductRow> for Product {
    fn from(src: &catalog::ProductRow) -> Product {
        Product {
            id: src.id,
            sku: src.sku.clone(),
            name: src.name.clone(),
            product_line: src.product_line.clone(),
            has_serial: src.has_serial,
            warranty_months: src.warranty_months,
            warranty_coverage: src.warranty_coverage.clone(),
        }
    }
}

/// The public answer about a serial's warranty.
#[derive(Debug, Serialize)]
pub struct WarrantyCheck {
    pub serial_number: String,
    pub product: PublicProduct,
    pub coverage_today: Option<String>,
    pub entitlements: Vec<PublicEntitlement>,
}

impl From<&app::WarrantyCheck> for WarrantyCheck {
    fn from(src: &app::WarrantyCheck) -> WarrantyCheck {
        WarrantyCheck {
            serial_number: src.serial_number.clone(),
            product: PublicProduct::from(&src.product),
            coverage_today: src.coverage_today.clone(),
            entitlements: src
                .entitlements
                .iter()
                .map(PublicEntitlement::from)
                .collect(),
        }
    }
}

/// What the public warranty check tells of a product.
#[derive(Debug, Serialize)]
pub struct PublicProduct {
    pub sku: String,
    pub name: String,
}

impl From<&app::PublicProduct> for PublicProduct {
    fn from(src: &app::PublicProduct) -> PublicProduct {
        PublicProduct {
            sku: src.sku.clone(),
            name: src.name.clone(),
        }
    }
}

/// What the public warranty check tells of a warranty or contract.
#[derive(Debug, Serialize)]
pub struct PublicEntitlement {
    pub kind: String,
    pub coverage: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status: Status,
}

impl From<&app::PublicEntitlement> for PublicEntitlement {
    fn from(src: &app::PublicEntitlement) -> PublicEntitlement {
        PublicEntitlement {
            kind: src.kind.clone(),
            coverage: src.coverage.clone(),
            start: src.start,
            end: src.end,
            status: src.status,
        }
    }
}

/// A warranty, care pack or contract of a company.
#[derive(Debug, Serialize)]
pub struct Entitlement {
    pub id: EntitlementId,
    pub kind: String,
    pub reference: String,
    pub company_id: i64,
    pub coverage: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

impl From<&entitlements::EntitlementRow> for Entitlement {
    fn from(src: &entitlements::EntitlementRow) -> Entitlement {
        Entitlement {
            id: src.id,
            kind: src.kind.clone(),
            reference: src.reference.clone(),
            company_id: src.company_id,
            coverage: src.coverage.clone(),
            start_date: src.start_date,
            end_date: src.end_date,
        }
    }
}

/// An entitlement in the company list: its status today and the serials it covers.
#[derive(Debug, Serialize)]
pub struct EntitlementItem {
    #[serde(flatten)]
    pub row: Entitlement,
    pub status: Status,
    pub serial_numbers: Vec<String>,
}

impl From<&entitlements::EntitlementView> for EntitlementItem {
    fn from(src: &entitlements::EntitlementView) -> EntitlementItem {
        EntitlementItem {
            row: Entitlement::from(&src.row),
            status: src.status,
            serial_numbers: src.serial_numbers.clone(),
        }
    }
}

/// An incident agreement.
#[derive(Debug, Serialize)]
pub struct Agreement {
    pub id: AgreementId,
    pub access_id: String,
    pub agreement_id: String,
    pub programme: String,
    pub units_bought: i64,
    pub units_remaining: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub grace_days: i64,
    pub on_premises: bool,
    pub cloud: bool,
}

impl From<&agreements::AgreementRow> for Agreement {
    fn from(src: &agreements::AgreementRow) -> Agreement {
        Agreement {
            id: src.id,
            access_id: src.access_id.clone(),
            agreement_id: src.agreement_id.clone(),
            programme: src.programme.clone(),
            units_bought: src.units_bought,
            units_remaining: src.units_remaining,
            start_date: src.start_date,
            end_date: src.end_date,
            grace_days: src.grace_days,
            on_premises: src.on_premises,
            cloud: src.cloud,
        }
    }
}

/// An agreement as its user sees it.
#[derive(Debug, Serialize)]
pub struct AgreementItem {
    #[serde(flatten)]
    pub row: Agreement,
    pub usable_until: NaiveDate,
    pub linked: bool,
}

impl From<&app::AgreementView> for AgreementItem {
    fn from(src: &app::AgreementView) -> AgreementItem {
        AgreementItem {
            row: Agreement::from(&src.row),
            usable_until: src.usable_until,
            linked: src.linked,
        }
    }
}

/// A plan that can pay for a case.
#[derive(Debug, Serialize)]
pub struct Plan {
    pub id: i64,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<String>,
    pub end: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<i64>,
}

impl From<&app::Plan> for Plan {
    fn from(src: &app::Plan) -> Plan {
        Plan {
            id: src.id,
            kind: src.kind.clone(),
            programme: src.programme.clone(),
            reference: src.reference.clone(),
            coverage: src.coverage.clone(),
            end: src.end,
            remaining: src.remaining,
        }
    }
}

/// A plan that cannot pay, and why.
#[derive(Debug, Serialize)]
pub struct UnavailablePlan {
    #[serde(flatten)]
    pub plan: Plan,
    pub reason: &'static str,
}

impl From<&app::UnavailablePlan> for UnavailablePlan {
    fn from(src: &app::UnavailablePlan) -> UnavailablePlan {
        UnavailablePlan {
            plan: Plan::from(&src.plan),
            reason: src.reason,
        }
    }
}

/// The plans for a case.
#[derive(Debug, Serialize)]
pub struct Plans {
    pub available: Vec<Plan>,
    pub unavailable: Vec<UnavailablePlan>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
}

impl From<&app::Plans> for Plans {
    fn from(src: &app::Plans) -> Plans {
        Plans {
            available: src.available.iter().map(Plan::from).collect(),
            unavailable: src.unavailable.iter().map(UnavailablePlan::from).collect(),
            product: src.product.as_ref().map(Product::from),
        }
    }
}

/// A unit spent from an agreement.
#[derive(Debug, Serialize)]
pub struct IncidentUse {
    pub id: IncidentUseId,
    pub agreement_id: AgreementId,
    pub reference: String,
    pub at: DateTime<Utc>,
    pub refunded_at: Option<DateTime<Utc>>,
}

impl From<&agreements::IncidentUse> for IncidentUse {
    fn from(src: &agreements::IncidentUse) -> IncidentUse {
        IncidentUse {
            id: src.id,
            agreement_id: src.agreement_id,
            reference: src.reference.clone(),
            at: src.at,
            refunded_at: src.refunded_at,
        }
    }
}

/// A pay-per-incident purchase.
#[derive(Debug, Serialize)]
pub struct Purchase {
    pub purchase_id: supportal_domain::PurchaseId,
    pub agreement: AgreementItem,
    pub amount_minor: i64,
    pub currency: String,
}

impl From<&app::Purchase> for Purchase {
    fn from(src: &app::Purchase) -> Purchase {
        Purchase {
            purchase_id: src.purchase_id,
            agreement: AgreementItem::from(&src.agreement),
            amount_minor: src.amount_minor,
            currency: src.currency.clone(),
        }
    }
}
