//! The partner channel's routes (PTN-1 to PTN-6); the operations are `supportal_app::partners`.

pub mod api;
pub mod claim_pages;
pub mod operator_pages;
pub mod pages;
pub mod types;
