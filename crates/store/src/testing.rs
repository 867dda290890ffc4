//! Scratch databases for tests and benchmarks: a fresh PostgreSQL database per test, created from
//! an admin URL and dropped afterwards.

use crate::{Db, StoreError};
use rand::Rng;

/// A PostgreSQL database made for one test; `drop_database` removes it.
pub struct ScratchPostgres {
    pub db: Db,
    admin: Db,
    name: String,
    url: String,
}

impl ScratchPostgres {
    /// Creates `supportal_t_<random>` next to the database `admin_url` names, and migrates it.
    pub async fn create(admin_url: &str) -> Result<ScratchPostgres, StoreError> {
        Self::create_sized(admin_url, crate::db::Sizes::default()).await
    }

    /// `create` with connection counts of its own (`Sizes::strict` for the story suite).
    pub async fn create_sized(
        admin_url: &str,
        sizes: crate::db::Sizes,
    ) -> Result<ScratchPostgres, StoreError> {
        let admin = Db::connect(admin_url).await?;
        let name = format!("supportal_t_{:016x}", rand::thread_rng().r#gen::<u64>());
        admin
            .run_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        let mut url = url::Url::parse(admin_url).map_err(|e| StoreError::Config(e.to_string()))?;
        url.set_path(&format!("/{name}"));
        let db = Db::connect_sized(url.as_str(), sizes).await?;
        db.migrate().await?;
        Ok(ScratchPostgres {
            db,
            admin,
            name,
            url: url.to_string(),
        })
    }

    /// The database's URL, for a second pool on it (another process, as far as it can tell).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn drop_database(self) -> Result<(), StoreError> {
        self.db.close().await;
        self.admin
            .run_unprepared(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await?;
        self.admin.close().await;
        Ok(())
    }
}
