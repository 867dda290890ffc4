//! The entitlement pages and API; the operations are `supportal_app::entitlements`.

pub mod api;
pub mod pages;
pub mod types;

pub use supportal_app::entitlements::*;
