//! Supportal's domain: the types and rules of accounts, companies and profiles.
//! Nothing here does I/O; the store and the web layers call these rules.
#![forbid(unsafe_code)]

pub mod account;
pub mod attachment;
pub mod case;
pub mod chat;
pub mod code;
pub mod company;
pub mod desk;
pub mod email;
pub mod entitlement;
pub mod ids;
pub mod knowledge;
pub mod notice;
pub mod partner;
pub mod profile;
pub mod routing;
pub mod sla;
pub mod validation;

pub use account::{AccessChoice, Role, StaffRole, Tier};
pub use company::{CompanyKind, CompanyStatus};
pub use email::EmailAddress;
pub use ids::*;
pub use validation::{FieldError, FieldErrors};
