//! The JSON shapes of the case API (`../shared/product/API.md`, Cases): the answers' own types,
//! made from the application's results, so the store's rows can change without changing what
//! integrators read.

use chrono::{DateTime, Utc};
use serde::Serialize;
use supportal_app::cases::bulk;
use supportal_app::cases::{CaseDetail, Page};
use supportal_store::cases::{AttachmentRow, CaseRow, EventRow};
use supportal_store::desk::work::{PartsOrderRow, ServiceOrderRow};

/// A case as the API shows it, in lists and on its own.
#[derive(Debug, Serialize)]
pub struct Case {
    pub id: i64,
    pub number: String,
    pub company_id: i64,
    pub company_name: String,
    pub submitter_id: Option<i64>,
    pub status: String,
    pub severity: i64,
    pub handling_24x7: bool,
    pub escalated: bool,
    pub title: String,
    pub description: String,
    pub troubleshooting: String,
    pub product_id: i64,
    pub product_name: String,
    pub sku: String,
    pub serial_number: Option<String>,
    pub version: Option<String>,
    pub category: Option<String>,
    pub problem_type: Option<String>,
    pub entitlement_kind: String,
    pub entitlement_id: i64,
    pub incident_use_id: Option<i64>,
    pub country: String,
    pub time_zone: String,
    pub pin_id: Option<i64>,
    pub primary_name: String,
    pub primary_email: String,
    pub primary_phone: Option<String>,
    pub alternate_name: Option<String>,
    pub alternate_email: Option<String>,
    pub alternate_phone: Option<String>,
    pub site_id: Option<i64>,
    pub equipment_company: String,
    pub equipment_street: String,
    pub equipment_postal_code: String,
    pub equipment_city: String,
    pub equipment_country: String,
    pub parts_street: Option<String>,
    pub parts_postal_code: Option<String>,
    pub parts_city: Option<String>,
    pub parts_country: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// How the desk resolved it (`fixed`, `part_replaced`, …).
    pub resolution_code: Option<String>,
}

impl From<&CaseRow> for Case {
    fn from(row: &CaseRow) -> Case {
        Case {
            id: row.id.get(),
            number: row.number.clone(),
            company_id: row.company_id,
            company_name: row.company_name.clone(),
            submitter_id: row.submitter_id,
            status: row.status.clone(),
            severity: row.severity,
            handling_24x7: row.handling_24x7,
            escalated: row.escalated,
            title: row.title.clone(),
            description: row.description.clone(),
            troubleshooting: row.troubleshooting.clone(),
            product_id: row.product_id.get(),
            product_name: row.product_name.clone(),
            sku: row.sku.clone(),
            serial_number: row.serial_number.clone(),
            version: row.version.clone(),
            category: row.category.clone(),
            problem_type: row.problem_type.clone(),
            entitlement_kind: row.entitlement_kind.clone(),
            entitlement_id: row.entitlement_id,
            incident_use_id: row.incident_use_id,
            country: row.country.clone(),
            time_zone: row.time_zone.clone(),
            pin_id: row.pin_id,
            primary_name: row.primary_name.clone(),
            primary_email: row.primary_email.clone(),
            primary_phone: row.primary_phone.clone(),
            alternate_name: row.alternate_name.clone(),
            alternate_email: row.alternate_email.clone(),
            alternate_phone: row.alternate_phone.clone(),
            site_id: row.site_id,
            equipment_company: row.equipment_company.clone(),
            equipment_street: row.equipment_street.clone(),
            equipment_postal_code: row.equipment_postal_code.clone(),
            equipment_city: row.equipment_city.clone(),
            equipment_country: row.equipment_country.clone(),
            parts_street: row.parts_street.clone(),
            parts_postal_code: row.parts_postal_code.clone(),
            parts_city: row.parts_city.clone(),
            parts_country: row.parts_country.clone(),
            created_at: row.created_at,
            updated_at: row.updated_at,
            finished_at: row.finished_at,
            resolution_code: row.resolution_code.clone(),
        }
    }
}

/// A case with its history, contacts, files and orders.
#[derive(Debug, Serialize)]
pub struct CaseDetails {
    pub case_id: String,
    #[serde(flatten)]
    pub case: Case,
    pub entitlement: EntitlementRef,
    pub additional_contacts: Vec<String>,
    pub attachments: Vec<Attachment>,
    pub history: Vec<Event>,
    pub favorite: bool,
    pub parts_orders: Vec<PartsOrder>,
    pub service_orders: Vec<ServiceOrder>,
    /// The desk's side, for operator staff only: queue, engineer and service-level clocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desk: Option<DeskSide>,
}

/// What the desk sees of a case beyond the customer's page (SUP-3, SUP-4).
#[derive(Debug, Serialize)]
pub struct DeskSide {
    pub queue_id: Option<i64>,
    pub queue: Option<String>,
    pub assignee_id: Option<i64>,
    pub assignee: Option<String>,
    pub coverage: Option<String>,
    pub response_due: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    /// The resolution clock is stopped (waiting on the customer, or finished).
    pub sla_paused: bool,
    pub breached: bool,
}

impl From<&CaseRow> for DeskSide {
    fn from(c: &CaseRow) -> DeskSide {
        DeskSide {
            queue_id: c.queue_id,
            queue: c.queue_name.clone(),
            assignee_id: c.assignee_id,
            assignee: c.assignee_name.clone(),
            coverage: c.coverage.clone(),
            response_due: c.response_due,
            responded_at: c.responded_at,
            resolution_due: c.resolution_due,
            sla_paused: c.resolution_since.is_none(),
            breached: c.breached,
        }
    }
}

/// A parts order as the customer and the desk see it.
#[derive(Debug, Serialize)]
pub struct PartsOrder {
    pub id: i64,
    pub part_number: String,
    pub description: String,
    pub quantity: i64,
    pub ship_to: String,
    pub status: String,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&PartsOrderRow> for PartsOrder {
    fn from(o: &PartsOrderRow) -> PartsOrder {
        PartsOrder {
            id: o.id.get(),
            part_number: o.part_number.clone(),
            description: o.description.clone(),
            quantity: o.quantity,
            ship_to: o.ship_to.clone(),
            status: o.status.clone(),
            carrier: o.carrier.clone(),
            tracking: o.tracking.clone(),
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// An onsite service visit.
#[derive(Debug, Serialize)]
pub struct ServiceOrder {
    pub id: i64,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub engineer: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&ServiceOrderRow> for ServiceOrder {
    fn from(o: &ServiceOrderRow) -> ServiceOrder {
        ServiceOrder {
            id: o.id.get(),
            window_start: o.window_start,
            window_end: o.window_end,
            engineer: o.engineer.clone(),
            status: o.status.clone(),
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// What pays for a case.
#[derive(Debug, Serialize)]
pub struct EntitlementRef {
    pub kind: String,
    pub id: i64,
}

/// A file of a case.
#[derive(Debug, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

/// An entry of a case's history.
#[derive(Debug, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    /// Written by the operator's support staff.
    pub from_support: bool,
    /// An internal note (only staff ever receive these).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// The sender of a reply that came by email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_email: Option<String>,
    pub kind: String,
    pub status_from: Option<String>,
    pub status_to: Option<String>,
    pub body: String,
}

impl From<&AttachmentRow> for Attachment {
    fn from(a: &AttachmentRow) -> Attachment {
        Attachment {
            id: a.id.get(),
            file_name: a.file_name.clone(),
            content_type: a.content_type.clone(),
            size_bytes: a.size_bytes,
            created_at: a.created_at,
        }
    }
}

impl From<&EventRow> for Event {
    fn from(e: &EventRow) -> Event {
        Event {
            at: e.at,
            actor: e.actor.clone(),
            from_support: e.from_support,
            internal: e.internal,
            author_email: e.author_email.clone(),
            kind: e.kind.clone(),
            status_from: e.status_from.clone(),
            status_to: e.status_to.clone(),
            body: e.body.clone(),
        }
    }
}

impl From<CaseDetail> for CaseDetails {
    fn from(d: CaseDetail) -> CaseDetails {
        CaseDetails {
            case: Case::from(&d.case),
            case_id: d.case_id,
            entitlement: EntitlementRef {
                kind: d.entitlement.kind,
                id: d.entitlement.id,
            },
            additional_contacts: d.additional_contacts,
            attachments: d.attachments.iter().map(Attachment::from).collect(),
            history: d.history.iter().map(Event::from).collect(),
            favorite: d.favorite,
            parts_orders: d.parts_orders.iter().map(PartsOrder::from).collect(),
            service_orders: d.service_orders.iter().map(ServiceOrder::from).collect(),
            desk: d.staff_view.then(|| DeskSide::from(&d.case)),
        }
    }
}

/// One page of a case list.
#[derive(Debug, Serialize)]
pub struct CaseList {
    pub items: Vec<Case>,
    pub next_cursor: Option<String>,
}

impl From<Page> for CaseList {
    fn from(page: Page) -> CaseList {
        CaseList {
            items: page.items.iter().map(Case::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// What happened to one row of a bulk upload.
#[derive(Debug, Serialize)]
pub struct RowOutcome {
    pub row: usize,
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
}

impl From<&bulk::RowOutcome> for RowOutcome {
    fn from(src: &bulk::RowOutcome) -> RowOutcome {
        RowOutcome {
            row: src.row,
            outcome: src.outcome.as_str(),
            case_id: src.case_id.clone(),
        }
    }
}

/// A problem of one row.
#[derive(Debug, Serialize)]
pub struct RowProblem {
    pub row: usize,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl From<&bulk::RowProblem> for RowProblem {
    fn from(src: &bulk::RowProblem) -> RowProblem {
        RowProblem {
            row: src.row,
            field: src.field.clone(),
            code: src.code,
            message: src.message.clone(),
        }
    }
}

/// The answer to a bulk upload.
#[derive(Debug, Serialize)]
pub struct BulkReport {
    pub created: usize,
    pub rows: Vec<RowOutcome>,
    pub errors: Vec<RowProblem>,
}

impl From<&bulk::BulkReport> for BulkReport {
    fn from(src: &bulk::BulkReport) -> BulkReport {
        BulkReport {
            created: src.created,
            rows: src.rows.iter().map(RowOutcome::from).collect(),
            errors: src.errors.iter().map(RowProblem::from).collect(),
        }
    }
}
