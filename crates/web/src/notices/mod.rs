//! In-app notifications (NTF-1): the bell's page, the settings page and their API; the
//! operations are `supportal_app::notices`.

pub mod api;
pub mod pages;
