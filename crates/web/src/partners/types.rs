//! The partner channel's JSON shapes (API.md, "Partners and devices").

use serde::Serialize;
use supportal_app::partners::dashboards::TransferReport;
use supportal_app::partners::feed::FeedReport;
use supportal_store::partners::ProgrammeRow;
use supportal_store::partners::alerts::AlertView;
use supportal_store::partners::claims::ClaimRow;
use supportal_store::partners::devices::{DashboardRow, DeviceEvent, DeviceRow};

#[derive(Debug, Serialize)]
pub struct Device {
    pub serial_number: String,
    pub sku: String,
    pub product: String,
    pub service_plan: String,
    pub sold_on: chrono::NaiveDate,
    pub reference: String,
    pub customer_id: Option<i64>,
    pub customer: Option<String>,
    pub device_name: Option<String>,
    pub has_agent: bool,
}

impl From<&DeviceRow> for Device {
    fn from(d: &DeviceRow) -> Device {
        Device {
            serial_number: d.serial_number.clone(),
            sku: d.sku.clone(),
            product: d.product.clone(),
            service_plan: d.service_plan.clone(),
            sold_on: d.sold_on,
            reference: d.reference.clone(),
            customer_id: d.dashboard_id,
            customer: d.dashboard_name.clone(),
            device_name: d.device_name.clone(),
            has_agent: d.has_agent,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Dashboard {
    pub id: i64,
    pub name: String,
    pub customer_company_id: Option<i64>,
    pub cpin: String,
    pub self_service_alerts: bool,
    /// Whether the alert switch may be turned off (PTN-6: once a device arrived).
    pub alerts_switchable: bool,
    pub devices: i64,
    pub alerts: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&DashboardRow> for Dashboard {
    fn from(d: &DashboardRow) -> Dashboard {
        Dashboard {
            id: d.id.get(),
            name: d.name.clone(),
            customer_company_id: d.customer_company_id,
            cpin: d.cpin.clone(),
            self_service_alerts: d.self_service_alerts,
            alerts_switchable: d.first_device_at.is_some(),
            devices: d.devices,
            alerts: d.alerts,
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Alert {
    pub alert_id: i64,
    pub serial_number: String,
    pub product: String,
    pub code: String,
    pub component: String,
    pub severity: String,
    pub message: String,
    pub routed_to: String,
    pub case_id: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&AlertView> for Alert {
    fn from(a: &AlertView) -> Alert {
        Alert {
            alert_id: a.id.get(),
            serial_number: a.serial_number.clone(),
            product: a.product.clone(),
            code: a.code.clone(),
            component: a.component.clone(),
            severity: a.severity.clone(),
            message: a.message.clone(),
            routed_to: a.routed_to.clone(),
            case_id: a.case_number.clone(),
            created_at: a.created_at,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct HistoryEntry {
    pub kind: String,
    pub customer: Option<String>,
    pub actor: Option<String>,
    pub detail: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl From<&DeviceEvent> for HistoryEntry {
    fn from(e: &DeviceEvent) -> HistoryEntry {
        HistoryEntry {
            kind: e.kind.clone(),
            customer: e.dashboard_name.clone(),
            actor: e.actor.clone(),
            detail: e.detail.clone(),
            at: e.at,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Claim {
    pub id: i64,
    pub case_id: String,
    pub case_title: String,
    pub partner_company_id: i64,
    pub partner: String,
    pub parts: serde_json::Value,
    pub labour_minutes: i64,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<&ClaimRow> for Claim {
    fn from(c: &ClaimRow) -> Claim {
        Claim {
            id: c.id.get(),
            case_id: c.case_number.clone(),
            case_title: c.case_title.clone(),
            partner_company_id: c.partner_company_id,
            partner: c.partner_name.clone(),
            parts: serde_json::from_str(&c.parts).unwrap_or_default(),
            labour_minutes: c.labour_minutes,
            amount: c.amount,
            currency: c.currency.clone(),
            status: c.status.clone(),
            reason: c.reason.clone(),
            created_at: c.created_at,
            decided_at: c.decided_at,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Programme {
    pub company_id: i64,
    pub name: String,
    pub status: String,
    pub enrolled: bool,
    pub kind: Option<String>,
    pub repair_queue_id: Option<i64>,
}

impl From<&ProgrammeRow> for Programme {
    fn from(p: &ProgrammeRow) -> Programme {
        Programme {
            company_id: p.company_id,
            name: p.name.clone(),
            status: p.status.clone(),
            enrolled: p.enrolled.unwrap_or(false),
            kind: p.kind.clone(),
            repair_queue_id: p.queue_id,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FeedAnswer {
    pub created: usize,
    pub unchanged: usize,
    pub errors: Vec<crate::admin::types::RowError>,
    pub error_count: usize,
}

impl From<&FeedReport> for FeedAnswer {
    fn from(r: &FeedReport) -> FeedAnswer {
        FeedAnswer {
            created: r.created,
            unchanged: r.unchanged,
            errors: r.errors.iter().map(Into::into).collect(),
            error_count: r.error_count,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TransferAnswer {
    pub moved: Vec<String>,
    pub already_there: Vec<String>,
    pub not_unassigned: Vec<String>,
}

impl From<&TransferReport> for TransferAnswer {
    fn from(r: &TransferReport) -> TransferAnswer {
        TransferAnswer {
            moved: r.moved.clone(),
            already_there: r.already.clone(),
            not_unassigned: r.not_unassigned.clone(),
        }
    }
}
