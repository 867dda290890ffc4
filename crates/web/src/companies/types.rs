//! The JSON shapes of the company API (`../shared/product/API.md`, Companies): the answers' own
//! types, made from the application's results and the store's rows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use supportal_app::companies as app;
use supportal_store::{audit, companies, contacts, invitations, members};

/// A customer or partner company.
#[derive(Debug, Serialize)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub address: String,
    pub serial_hint: Option<String>,
    pub created_at: DateTime<Utc>,
    pub validated_at: Option<DateTime<Utc>>,
}

impl From<&companies::CompanyRow> for Company {
    fn from(src: &companies::CompanyRow) -> Company {
        Company {
            id: src.id,
            name: src.name.clone(),
            kind: src.kind.clone(),
            status: src.status.clone(),
            address: src.address.clone(),
            serial_hint: src.serial_hint.clone(),
            created_at: src.created_at,
            validated_at: src.validated_at,
        }
    }
}

/// A site of a company.
#[derive(Debug, Serialize)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub is_primary: bool,
}

impl From<&companies::SiteRow> for Site {
    fn from(src: &companies::SiteRow) -> Site {
        Site {
            id: src.id,
            name: src.name.clone(),
            street: src.street.clone(),
            city: src.city.clone(),
            postal_code: src.postal_code.clone(),
            country: src.country.clone(),
            is_primary: src.is_primary,
        }
    }
}

/// A PIN of a company.
#[derive(Debug, Serialize)]
pub struct Pin {
    pub id: i64,
    pub code: String,
    pub description: String,
}

impl From<&companies::PinRow> for Pin {
    fn from(src: &companies::PinRow) -> Pin {
        Pin {
            id: src.id,
            code: src.code.clone(),
            description: src.description.clone(),
        }
    }
}

/// A company with its domains, sites and PINs.
#[derive(Debug, Serialize)]
pub struct CompanyDetails {
    #[serde(flatten)]
    pub company: Company,
    pub domains: Vec<String>,
    pub sites: Vec<Site>,
    pub pins: Vec<Pin>,
}

impl From<&app::CompanyView> for CompanyDetails {
    fn from(src: &app::CompanyView) -> CompanyDetails {
        CompanyDetails {
            company: Company::from(&src.company),
            domains: src.domains.clone(),
            sites: src.sites.iter().map(Site::from).collect(),
            pins: src.pins.iter().map(Pin::from).collect(),
        }
    }
}

/// A member of a company.
#[derive(Debug, Serialize)]
pub struct Member {
    #[serde(rename = "id")]
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&members::MemberRow> for Member {
    fn from(src: &members::MemberRow) -> Member {
        Member {
            user_id: src.user_id,
            name: src.name.clone(),
            email: src.email.clone(),
            role: src.role.clone(),
            active: src.active,
            created_at: src.created_at,
        }
    }
}

/// An invitation to a company.
#[derive(Debug, Serialize)]
pub struct Invitation {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub email: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

impl From<&invitations::InvitationRow> for Invitation {
    fn from(src: &invitations::InvitationRow) -> Invitation {
        Invitation {
            id: src.id,
            company_id: src.company_id,
            company_name: src.company_name.clone(),
            email: src.email.clone(),
            role: src.role.clone(),
            created_at: src.created_at,
            expires_at: src.expires_at,
            accepted_at: src.accepted_at,
        }
    }
}

/// An entry of the company contact list.
#[derive(Debug, Serialize)]
pub struct Contact {
    pub source: String,
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

impl From<&contacts::ContactRow> for Contact {
    fn from(src: &contacts::ContactRow) -> Contact {
        Contact {
            source: src.source.clone(),
            id: src.id,
            name: src.name.clone(),
            email: src.email.clone(),
            phone: src.phone.clone(),
        }
    }
}

/// An entry of the audit log.
#[derive(Debug, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
}

impl From<&audit::AuditRow> for AuditEntry {
    fn from(src: &audit::AuditRow) -> AuditEntry {
        AuditEntry {
            at: src.at,
            actor: src.actor.clone(),
            action: src.action.clone(),
            detail: src.detail.clone(),
        }
    }
}
