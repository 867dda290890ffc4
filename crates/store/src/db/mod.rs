//! The two databases behind one face. Every statement is one SQL text with `$1` placeholders
//! (SQLite accepts them too); `Query` collects typed arguments and runs on whichever concrete
//! pool is active. No `Any` driver: it cannot read booleans or timestamps on SQLite.

mod dialect;
mod lane;
mod query;
#[cfg(test)]
mod tests;

pub use dialect::{Dialect, Listener, notify};
pub use query::{Arg, Builder, Query, Row, sql};

use crate::StoreError;
use lane::{Held, Lane};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{PgPool, Postgres, SqliteConnection, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// SQLite connections for reads (each is a thread).
const READERS: u32 = 8;

/// Write transactions between two passive SQLite checkpoints.
const CHECKPOINT_EVERY: u64 = 500;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A connection pool to one of the two supported databases. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite allows one writer at a time. Write transactions take the single connection of
    /// `writes`, so writers queue in order instead of sleeping in SQLite's busy handler; reads
    /// use `reads` and run beside them (WAL). Both are `Lane`s, not sqlx pools (see `lane`).
    /// Every `CHECKPOINT_EVERY` write transactions, a passive checkpoint copies the WAL into
    /// the database file on a read connection, so the writer never waits for its fsync.
    Sqlite {
        reads: Lane,
        writes: Lane,
        begun: Arc<AtomicU64>,
    },
    Postgres(PgPool),
}

/// An open transaction, or a connection for reads; every store function takes one, so a
/// handler decides what is atomic.
pub enum Tx {
    Sqlite(SqliteTx),
    Postgres(Transaction<'static, Postgres>),
    /// From `Db::read`: a connection in autocommit, which saves the `BEGIN` and `ROLLBACK`
    /// round trips of a transaction that only reads.
    SqliteRead(Held),
    PostgresRead(PoolConnection<Postgres>),
}

/// A write transaction on the SQLite writer. Holding the writer is what excludes other
/// writers of this process; `BEGIN IMMEDIATE` goes out in front of the first statement, which
/// saves a round trip to the connection's thread. Dropped while open, it is rolled back before
/// the writer is handed on.
pub struct SqliteTx {
    held: Option<Held>,
    /// Whether `BEGIN` has gone out (with the first statement) and `COMMIT` or `ROLLBACK` not
    /// yet.
    open: bool,
}

/// What the first statement of a SQLite write transaction is sent behind.
const BEGIN: &str = "BEGIN IMMEDIATE;\n";

impl SqliteTx {
    fn new(held: Held) -> SqliteTx {
        SqliteTx {
            held: Some(held),
            open: false,
        }
    }

    async fn end(mut self, statement: &'static str) -> Result<(), StoreError> {
        if !self.open {
            return Ok(());
        }
        self.open = false;
        let held = self.held.as_mut().expect("open transaction");
        if let Err(e) = run(held, statement).await {
            if matches!(e, sqlx::Error::WorkerCrashed) {
                held.mark_broken();
            }
            // A failed COMMIT leaves the transaction open; let `drop` roll it back.
            self.open = true;
            return Err(e.into());
        }
        Ok(())
    }

    fn mark_broken(&mut self) {
        if let Some(held) = self.held.as_mut() {
            held.mark_broken();
        }
    }

    /// The connection, and `BEGIN` to send in front of the statement if it is the first.
    fn conn(&mut self) -> (&mut SqliteConnection, Option<&'static str>) {
        let begin = (!self.open).then_some(BEGIN);
        // From here on the transaction may be open: if `BEGIN` itself failed, the `ROLLBACK`
        // that follows fails too, harmlessly.
        self.open = true;
        (self.held.as_mut().expect("open transaction"), begin)
    }
}

/// Runs one fixed statement on a SQLite connection (boxed, so spawned tasks can hold it).
fn run<'c>(
    conn: &'c mut SqliteConnection,
    statement: &'static str,
) -> futures_util::future::BoxFuture<'c, Result<(), sqlx::Error>> {
    Box::pin(async move { sqlx::query(statement).execute(conn).await.map(drop) })
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        let Some(mut held) = self.held.take().filter(|_| self.open) else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(e) = run(&mut held, "ROLLBACK").await {
                        tracing::warn!(error = %e, "SQLite rollback of a dropped transaction");
                        // Open or not, nobody knows: the next user gets a new connection.
                        held.mark_broken();
                    }
                });
            }
            // No runtime to roll back on: closing the connection rolls back.
            Err(_) => held.discard(),
        }
    }
}

/// How many connections a database keeps and how long a caller waits for one.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// SQLite read connections (the writer is always one).
    pub readers: u32,
    /// PostgreSQL connections, reads and writes together.
    pub pg_connections: u32,
    /// How long a caller waits for a read connection (PostgreSQL: any connection).
    pub wait: Duration,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            readers: READERS,
            pg_connections: 16,
            wait: Duration::from_secs(10),
        }
    }
}

impl Sizes {
    /// One reader, two PostgreSQL connections, a short wait: code that holds a connection while
    /// it waits for another stalls at once and fails, instead of only under a burst. The story
    /// suite runs this way.
    pub fn strict() -> Sizes {
        Sizes {
            readers: 1,
            pg_connections: 2,
            wait: Duration::from_secs(3),
        }
    }
}

impl Db {
    /// Connects by URL scheme: `sqlite:` or `postgres:`/`postgresql:`.
    /// An explicit SQLite URL must name an existing file unless it says `mode=rwc`, so a typo
    /// does not silently start an empty database.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        Self::connect_sized(url, Sizes::default()).await
    }

    /// `connect` with connection counts of its own.
    pub async fn connect_sized(url: &str, sizes: Sizes) -> Result<Db, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(e.to_string()))?;
            let creates = url.contains("mode=rwc");
            let exists = Path::new(options.get_filename()).exists();
            if !creates && !exists {
                return Err(StoreError::Config(format!(
                    "no SQLite database at {}; add ?mode=rwc to create one",
                    options.get_filename().display()
                )));
            }
            Self::connect_sqlite(options.create_if_missing(creates), sizes).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(e.to_string()))?;
            // No ping before each use: a broken connection fails its statement, and the
            // pool drops it.
            let pool = PgPoolOptions::new()
                .max_connections(sizes.pg_connections)
                // JIT off for Supportal's sessions: its statements read a page or write a row,
                // and a misestimated plan otherwise adds tens of milliseconds of compilation to
                // one request (docs/DEPLOYMENT.md). A `SET` once per connection rather than a
                // startup option, which PgBouncer refuses.
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        sqlx::Executor::execute(conn, "SET jit = off").await?;
                        Ok(())
                    })
                })
                .test_before_acquire(false)
                .acquire_timeout(sizes.wait)
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(StoreError::Config(
                "the database URL must start with sqlite: or postgres:".into(),
            ))
        }
    }

    /// Opens (creating if needed) the SQLite file at `path`.
    pub async fn open_sqlite_file(path: &Path) -> Result<Db, StoreError> {
        Self::open_sqlite_file_sized(path, Sizes::default()).await
    }

    /// `open_sqlite_file` with connection counts of its own.
    pub async fn open_sqlite_file_sized(path: &Path, sizes: Sizes) -> Result<Db, StoreError> {
        Self::connect_sqlite(
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true),
            sizes,
        )
        .await
    }

    async fn connect_sqlite(options: SqliteConnectOptions, sizes: Sizes) -> Result<Db, StoreError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Checkpoints run beside the writer (`Db::begin`); this is only the backstop.
            .pragma("wal_autocheckpoint", "20000")
            // After a checkpoint resets the WAL, trim the file back to 64 MB.
            .pragma("journal_size_limit", "67108864");
        let writes = Lane::open(options.clone(), 1, Duration::from_secs(30)).await?;
        let reads = Lane::open(options, sizes.readers, sizes.wait).await?;
        Ok(Db::Sqlite {
            reads,
            writes,
            begun: Arc::new(AtomicU64::new(0)),
        })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { writes, .. } => SQLITE_MIGRATIONS.run(&mut *writes.take().await?).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// A transaction that may write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so a read-then-write transaction never fails to upgrade.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite {
                reads,
                writes,
                begun,
            } => {
                if begun.fetch_add(1, Ordering::Relaxed) % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1
                {
                    let reads = reads.clone();
                    tokio::spawn(async move {
                        let checkpoint = async {
                            let mut conn = reads.take().await?;
                            run(&mut conn, "PRAGMA wal_checkpoint(PASSIVE)").await?;
                            Ok::<(), StoreError>(())
                        };
                        if let Err(e) = checkpoint.await {
                            tracing::warn!(error = %e, "SQLite checkpoint");
                        }
                    });
                }
                Tx::Sqlite(SqliteTx::new(writes.take().await?))
            }
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A connection for reads only. Each statement sees the latest committed data (as in
    /// PostgreSQL's default READ COMMITTED); on SQLite it never takes the write lock. Anything
    /// that must be atomic or consistent across statements uses `begin`.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite { reads, .. } => Tx::SqliteRead(reads.take().await?),
            Db::Postgres(pool) => Tx::PostgresRead(pool.acquire().await?),
        })
    }

    /// For a write that is one statement (a case's opening): on PostgreSQL a connection in
    /// autocommit, so the statement is its own transaction and `BEGIN` and `COMMIT` cost no round
    /// trips; on SQLite a write transaction as `begin` gives. Either way `commit` ends it.
    pub async fn single(&self) -> Result<Tx, StoreError> {
        match self {
            Db::Sqlite { .. } => self.begin().await,
            Db::Postgres(pool) => Ok(Tx::PostgresRead(pool.acquire().await?)),
        }
    }

    /// A pool of its own on the same database, as another `serve` process has (PostgreSQL);
    /// on SQLite the same pool. For tests and benches of work across processes.
    pub async fn another_process(&self) -> Result<Db, StoreError> {
        match self {
            Db::Postgres(pool) => {
                let options = (*pool.connect_options()).clone();
                let pool = PgPoolOptions::new()
                    .max_connections(pool.options().get_max_connections())
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            other => Ok(other.clone()),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut tx = self.read().await?;
        sql("SELECT 1").execute(&mut tx).await?;
        tx.rollback().await
    }

    /// Runs administration statements that may not run in a transaction (`CREATE DATABASE`).
    pub async fn run_unprepared(&self, text: &str) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { writes, .. } => {
                sqlx::raw_sql(text)
                    .execute(&mut *writes.take().await?)
                    .await?;
            }
            Db::Postgres(pool) => {
                sqlx::raw_sql(text).execute(pool).await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { reads, writes, .. } => {
                reads.close().await;
                writes.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    /// A statement failed. A SQLite connection whose thread has stopped is closed when given
    /// back, so its lane opens a new one.
    fn failed(&mut self, e: sqlx::Error) -> StoreError {
        if matches!(e, sqlx::Error::WorkerCrashed) {
            match self {
                Tx::Sqlite(tx) => tx.mark_broken(),
                Tx::SqliteRead(held) => held.mark_broken(),
                Tx::Postgres(_) | Tx::PostgresRead(_) => {}
            }
        }
        e.into()
    }

    /// PostgreSQL's `COPY … FROM STDIN` with `data` in COPY's text format, in this transaction.
    /// SQLite has no COPY; callers fill their tables another way there.
    pub async fn copy_in(&mut self, statement: &str, data: Vec<u8>) -> Result<u64, StoreError> {
        let conn: &mut sqlx::PgConnection = match self {
            Tx::Postgres(tx) => tx,
            Tx::PostgresRead(conn) => conn,
            Tx::Sqlite(_) | Tx::SqliteRead(_) => {
                return Err(StoreError::Config("COPY is PostgreSQL's".into()));
            }
        };
        let mut copy = conn.copy_in_raw(statement).await?;
        if let Err(e) = copy.send(data).await {
            let _ = copy.abort("send failed").await;
            return Err(e.into());
        }
        Ok(copy.finish().await?)
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.end("COMMIT").await?,
            Tx::Postgres(tx) => tx.commit().await?,
            Tx::SqliteRead(_) | Tx::PostgresRead(_) => {}
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.end("ROLLBACK").await?,
            Tx::Postgres(tx) => tx.rollback().await?,
            Tx::SqliteRead(_) | Tx::PostgresRead(_) => {}
        }
        Ok(())
    }
}
