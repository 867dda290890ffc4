//! Where the two databases need different SQL, the difference is named here once, and store
//! functions ask a `Tx` for its `Dialect` instead of matching on the connection. Also the waking
//! of workers across processes: PostgreSQL's `LISTEN/NOTIFY`; SQLite has no such thing, so its
//! workers poll (and wake each other inside one process).

use super::{Db, Tx};
use crate::{Result, StoreError};
use sqlx::postgres::{PgListener, PgPoolOptions};

/// The SQL dialect of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Appended to a `SELECT` whose rows the transaction must hold until it ends, so others
    /// wait: ` FOR UPDATE` on PostgreSQL. SQLite's write transactions (`BEGIN IMMEDIATE`)
    /// exclude every other writer already, so nothing is needed there.
    pub fn lock_rows(self) -> &'static str {
        match self {
            Dialect::Postgres => " FOR UPDATE",
            Dialect::Sqlite => "",
        }
    }

    /// Appended to a `SELECT` of a case row with its joins (alias `c`): locks the case alone
    /// until the transaction ends (PostgreSQL refuses `FOR UPDATE` over nullable outer joins).
    pub fn lock_case(self) -> &'static str {
        match self {
            Dialect::Postgres => " FOR UPDATE OF c",
            Dialect::Sqlite => "",
        }
    }

    /// Appended to a `SELECT` that picks work among rows others may be picking too: rows
    /// locked by another transaction are passed over rather than waited for (PostgreSQL).
    pub fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
            Dialect::Sqlite => "",
        }
    }

    /// A statement (one argument: the name) that holds a lock on a name until the transaction
    /// ends, for counts that have no row to lock: PostgreSQL's transaction advisory locks. None
    /// where write transactions are serial anyway.
    pub fn lock_name(self) -> Option<&'static str> {
        match self {
            Dialect::Postgres => Some(
                "SELECT CAST(1 AS BIGINT) AS v FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS l",
            ),
            Dialect::Sqlite => None,
        }
    }

    /// Whether write transactions run one at a time (SQLite), so a read-then-write needs no
    /// lock to stay true.
    pub fn writes_are_serial(self) -> bool {
        self == Dialect::Sqlite
    }
}

impl Tx {
    pub fn dialect(&self) -> Dialect {
        match self {
            Tx::Sqlite(_) | Tx::SqliteRead(_) => Dialect::Sqlite,
            Tx::Postgres(_) | Tx::PostgresRead(_) => Dialect::Postgres,
        }
    }
}

/// Tells the listeners of `channel` in every process, when `tx` commits (PostgreSQL's
/// `pg_notify`); on SQLite, nothing: its workers poll.
pub async fn notify(tx: &mut Tx, channel: &str) -> Result<()> {
    if tx.dialect() == Dialect::Postgres {
        crate::sql("SELECT pg_notify($1, '')")
            .bind(channel)
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// Wake-ups from other processes on some channels. On PostgreSQL, a connection of its own (never
/// one of the pool's, which requests need) that `LISTEN`s; on SQLite, none: `recv` never
/// returns, and the caller's own timer does the polling.
pub struct Listener {
    pg: Option<PgListener>,
}

impl Db {
    /// Listens on `channels`.
    pub async fn listen(&self, channels: &[&str]) -> Result<Listener> {
        let Db::Postgres(pool) = self else {
            return Ok(Listener { pg: None });
        };
        let options = (*pool.connect_options()).clone();
        let own = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with(options)
            .await
            .map_err(StoreError::from)?;
        let mut listener = PgListener::connect_with(&own)
            .await
            .map_err(StoreError::from)?;
        listener
            .listen_all(channels.iter().copied())
            .await
            .map_err(StoreError::from)?;
        Ok(Listener { pg: Some(listener) })
    }
}

impl Listener {
    /// Waits for the next notification, then takes every one already received with it, so a
    /// burst of them is one wake-up. A lost connection is reconnected (notifications sent
    /// meanwhile are lost: the caller's polling covers them) and reported as a wake-up.
    pub async fn recv(&mut self) {
        match &mut self.pg {
            Some(listener) => match listener.recv().await {
                Ok(_) => while listener.next_buffered().is_some() {},
                Err(e) => {
                    tracing::warn!(error = %e, "listening for wake-ups");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            },
            None => std::future::pending().await,
        }
    }
}
