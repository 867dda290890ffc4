//! The profile pages and API; the operations are `supportal_app::profile`.

pub mod api;
pub mod pages;
pub mod types;

pub use supportal_app::profile::*;
