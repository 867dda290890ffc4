//! The JSON shapes of the profile API (`../shared/product/API.md`, Profile): the answers' own
//! types, made from the application's results and the store's rows.

use crate::companies::types::{Pin, Site};
use chrono::{DateTime, Utc};
use serde::Serialize;
use supportal_app::profile as app;
use supportal_store::{contacts, profiles, sessions};

/// The case-management profile (PRF-1).
#[derive(Debug, Serialize)]
pub struct Profile {
    pub phone: String,
    pub contact_method: String,
    pub language: String,
    pub time_zone: String,
    pub country: String,
    pub site_id: Option<i64>,
    pub default_pin_id: Option<i64>,
    pub notify: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<&profiles::ProfileRow> for Profile {
    fn from(src: &profiles::ProfileRow) -> Profile {
        Profile {
            phone: src.phone.clone(),
            contact_method: src.contact_method.clone(),
            language: src.language.clone(),
            time_zone: src.time_zone.clone(),
            country: src.country.clone(),
            site_id: src.site_id,
            default_pin_id: src.default_pin_id,
            notify: src.notify,
            updated_at: src.updated_at,
        }
    }
}

/// The profile with the choices its form offers.
#[derive(Debug, Serialize)]
pub struct ProfileDetails {
    pub name: String,
    pub email: String,
    pub complete: bool,
    pub profile: Option<Profile>,
    pub sites: Vec<Site>,
    pub pins: Vec<Pin>,
}

impl From<&app::ProfileView> for ProfileDetails {
    fn from(src: &app::ProfileView) -> ProfileDetails {
        ProfileDetails {
            name: src.name.clone(),
            email: src.email.clone(),
            complete: src.complete,
            profile: src.profile.as_ref().map(Profile::from),
            sites: src.sites.iter().map(Site::from).collect(),
            pins: src.pins.iter().map(Pin::from).collect(),
        }
    }
}

/// A contact the user saved.
#[derive(Debug, Serialize)]
pub struct SavedContact {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

impl From<&contacts::SavedContactRow> for SavedContact {
    fn from(src: &contacts::SavedContactRow) -> SavedContact {
        SavedContact {
            id: src.id,
            name: src.name.clone(),
            email: src.email.clone(),
            phone: src.phone.clone(),
        }
    }
}

/// A session of the user.
#[derive(Debug, Serialize)]
pub struct Session {
    pub id: i64,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: String,
}

impl From<&sessions::SessionInfo> for Session {
    fn from(src: &sessions::SessionInfo) -> Session {
        Session {
            id: src.id,
            kind: src.kind.clone(),
            created_at: src.created_at,
            last_seen_at: src.last_seen_at,
            user_agent: src.user_agent.clone(),
        }
    }
}
