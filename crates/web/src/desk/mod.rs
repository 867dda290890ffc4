//! The support desk's setup routes; the operations are `supportal_app::desk`.

pub mod api;
pub mod pages;
pub mod types;

pub use supportal_app::desk::*;
