//! The onboarding pages and API; the operations are `supportal_app::onboarding`.

pub mod api;
pub mod pages;
pub mod types;

pub use supportal_app::onboarding::*;
