//! The case pages and API; the operations are `supportal_app::cases`.

pub mod api;
mod bulk_pages;
pub mod download;
pub mod form;
mod form_start;
pub mod pages;
mod suggest;
pub mod types;

pub use supportal_app::cases::*;
