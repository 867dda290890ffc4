//! The admin pages, API and loading routes; the operations are `supportal_app::admin`.

pub mod api;
pub mod loading;
pub mod pages;
pub mod types;
pub mod upload_pages;

pub use supportal_app::admin::*;
