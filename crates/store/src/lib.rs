//! Supportal's storage: one SQL text per statement run on SQLite or PostgreSQL, migrations for
//! both, and the store functions each capability calls. Company data is only reachable through
//! a scope value (`CompanyScope`, `AdminScope`, `StaffScope`) that proves who may see it.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod agreements;
pub mod assets;
pub mod audit;
pub mod cases;
pub mod catalog;
pub mod chat;
pub mod codes;
pub mod companies;
pub mod contacts;
mod db;
pub mod desk;
pub mod entitlements;
pub mod invitations;
pub mod jobs;
pub mod knowledge;
pub mod maintenance;
pub mod members;
pub mod notices;
pub mod outbox;
pub mod partners;
pub mod profiles;
pub mod requests;
pub mod scope;
pub mod sessions;
pub mod testing;
pub mod throttle;
pub mod tools;

pub use db::{Arg, Db, Dialect, Listener, Sizes, Tx, notify};
pub(crate) use db::{Builder, Query, sql};
pub use scope::{AdminScope, CompanyScope, StaffScope};

/// What can go wrong in the store. The web layer maps these to HTTP answers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; carries the constraint or column text.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("could not encode an argument: {0}")]
    Encode(sqlx::error::BoxDynError),
    #[error("database: {0}")]
    Database(sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(e.to_string())
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_owned())
            }
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
