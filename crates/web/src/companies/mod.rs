//! The companies pages and API; the operations are `supportal_app::companies`.

pub mod api;
pub mod pages;
pub mod types;

pub use supportal_app::companies::*;
