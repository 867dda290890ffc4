//! The accounts pages and API; the operations are `supportal_app::accounts`.

pub mod api;
pub mod pages;

pub use supportal_app::accounts::*;
