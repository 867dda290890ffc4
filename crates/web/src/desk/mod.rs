//! The support desk's setup routes; the operations are `supportal_app::desk`.

pub mod api;
pub mod console_api;
pub mod console_pages;
pub mod pages;
pub mod sla_pages;
pub mod types;

pub use supportal_app::desk::*;
