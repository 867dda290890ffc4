//! The JSON shapes of the onboarding API (`../shared/product/API.md`, Accounts and onboarding):
//! the answers' own types, made from the application's results and the store's rows.

use chrono::{DateTime, Utc};
use serde::Serialize;
use supportal_app::onboarding as app;
use supportal_domain::Tier;
use supportal_store::{accounts, companies, requests};

/// What choosing an access type or a company led to.
#[derive(Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AccessOutcome {
    Joined {
        company_id: i64,
        company_name: String,
    },
    ChooseCompany {
        candidates: Vec<Candidate>,
    },
    CompanyProfileNeeded,
    FreeMail,
    Basic,
}

impl From<&app::AccessOutcome> for AccessOutcome {
    fn from(src: &app::AccessOutcome) -> AccessOutcome {
        match src {
            app::AccessOutcome::Joined {
                company_id,
                company_name,
            } => AccessOutcome::Joined {
                company_id: *company_id,
                company_name: company_name.clone(),
            },
            app::AccessOutcome::ChooseCompany { candidates } => AccessOutcome::ChooseCompany {
                candidates: candidates.iter().map(Candidate::from).collect(),
            },
            app::AccessOutcome::CompanyProfileNeeded => AccessOutcome::CompanyProfileNeeded,
            app::AccessOutcome::FreeMail => AccessOutcome::FreeMail,
            app::AccessOutcome::Basic => AccessOutcome::Basic,
        }
    }
}

/// One of the user's company links.
#[derive(Debug, Serialize)]
pub struct Membership {
    pub company_id: i64,
    pub company_name: String,
    pub role: String,
    #[serde(rename = "company_status")]
    pub status: String,
    pub active: bool,
}

impl From<&accounts::MembershipView> for Membership {
    fn from(src: &accounts::MembershipView) -> Membership {
        Membership {
            company_id: src.company_id,
            company_name: src.company_name.clone(),
            role: src.role.clone(),
            status: src.status.clone(),
            active: src.active,
        }
    }
}

/// The signed-in user, their tier and companies.
#[derive(Debug, Serialize)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub tier: Tier,
    pub staff_role: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_step: Option<&'static str>,
    pub memberships: Vec<Membership>,
}

impl From<&app::Me> for Me {
    fn from(src: &app::Me) -> Me {
        Me {
            id: src.id,
            email: src.email.clone(),
            name: src.name.clone(),
            tier: src.tier,
            staff_role: src.staff_role,
            next_step: src.next_step,
            memberships: src.memberships.iter().map(Membership::from).collect(),
        }
    }
}

/// A company waiting for validation.
#[derive(Debug, Serialize)]
pub struct PendingCompany {
    pub company_id: i64,
    pub status: &'static str,
}

impl From<&app::PendingCompany> for PendingCompany {
    fn from(src: &app::PendingCompany) -> PendingCompany {
        PendingCompany {
            company_id: src.company_id,
            status: src.status,
        }
    }
}

/// An account-access request.
#[derive(Debug, Serialize)]
pub struct AccessRequest {
    pub id: i64,
    pub number: String,
    pub user_id: i64,
    pub user_email: String,
    pub user_name: String,
    pub phone: String,
    pub contact_method: String,
    pub page_url: String,
    pub intent: String,
    pub serial_number: Option<String>,
    pub company_name: String,
    pub site_address: String,
    pub status: String,
    pub resolution_reason: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&requests::RequestRow> for AccessRequest {
    fn from(src: &requests::RequestRow) -> AccessRequest {
        AccessRequest {
            id: src.id,
            number: src.number.clone(),
            user_id: src.user_id,
            user_email: src.user_email.clone(),
            user_name: src.user_name.clone(),
            phone: src.phone.clone(),
            contact_method: src.contact_method.clone(),
            page_url: src.page_url.clone(),
            intent: src.intent.clone(),
            serial_number: src.serial_number.clone(),
            company_name: src.company_name.clone(),
            site_address: src.site_address.clone(),
            status: src.status.clone(),
            resolution_reason: src.resolution_reason.clone(),
            resolved_at: src.resolved_at,
            created_at: src.created_at,
        }
    }
}

/// A company one may join by email domain.
#[derive(Debug, Serialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub city: Option<String>,
}

impl From<&companies::Candidate> for Candidate {
    fn from(src: &companies::Candidate) -> Candidate {
        Candidate {
            id: src.id,
            name: src.name.clone(),
            kind: src.kind.clone(),
            city: src.city.clone(),
        }
    }
}
