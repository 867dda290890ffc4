//! The knowledge base (KB-1): article pages and search for everyone, the staff's editor,
//! revisions and deflection report, and their API; the operations are
//! `supportal_app::knowledge`.

pub mod admin_pages;
pub mod api;
pub mod pages;
