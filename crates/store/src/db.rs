//! The two databases behind one face. Every statement is one SQL text with `$1` placeholders
//! (SQLite accepts them too); `Query` collects typed arguments and runs on whichever concrete
//! pool is active. No `Any` driver: it cannot read booleans or timestamps on SQLite.

use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{
    Arguments, Database, Encode, FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection,
    SqlitePool, Transaction, Type,
};
use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Write transactions between two passive SQLite checkpoints.
const CHECKPOINT_EVERY: u64 = 500;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A connection pool to one of the two supported databases. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite allows one writer at a time. Write transactions take the single connection of
    /// `writes`, so writers queue in the pool, in order, instead of sleeping in SQLite's busy
    /// handler; reads use `reads` and run beside them (WAL).
    /// Every `CHECKPOINT_EVERY` write transactions, a passive checkpoint copies the WAL into
    /// the database file on a read connection, so the writer never waits for its fsync.
    Sqlite {
        reads: SqlitePool,
        writes: SqlitePool,
        begun: Arc<AtomicU64>,
    },
    Postgres(PgPool),
}

/// An open transaction, or a connection for reads; every store function takes one, so a
/// handler decides what is atomic.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
    /// From `Db::read`: a pooled connection in autocommit, which saves the `BEGIN` and
    /// `ROLLBACK` round trips of a transaction that only reads.
    SqliteRead(PoolConnection<Sqlite>),
    PostgresRead(PoolConnection<Postgres>),
}

/// The connection under a `Tx`, for running one statement.
enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Db {
    /// Connects by URL scheme: `sqlite:` or `postgres:`/`postgresql:`.
    /// An explicit SQLite URL must name an existing file unless it says `mode=rwc`, so a typo
    /// does not silently start an empty database.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
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
            Self::connect_sqlite(options.create_if_missing(creates)).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
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
        Self::connect_sqlite(
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true),
        )
        .await
    }

    async fn connect_sqlite(options: SqliteConnectOptions) -> Result<Db, StoreError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Checkpoints run beside the writer (`Db::begin`); this is only the backstop.
            .pragma("wal_autocheckpoint", "20000")
            // After a checkpoint resets the WAL, trim the file back to 64 MB.
            .pragma("journal_size_limit", "67108864");
        let writes = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        let reads = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite {
            reads,
            writes,
            begun: Arc::new(AtomicU64::new(0)),
        })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { writes, .. } => SQLITE_MIGRATIONS.run(writes).await?,
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
                        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                            .execute(&reads)
                            .await
                        {
                            tracing::warn!(error = %e, "SQLite checkpoint");
                        }
                    });
                }
                Tx::Sqlite(writes.begin_with("BEGIN IMMEDIATE").await?)
            }
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A connection for reads only. Each statement sees the latest committed data (as in
    /// PostgreSQL's default READ COMMITTED); on SQLite it never takes the write lock. Anything
    /// that must be atomic or consistent across statements uses `begin`.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite { reads, .. } => Tx::SqliteRead(reads.acquire().await?),
            Db::Postgres(pool) => Tx::PostgresRead(pool.acquire().await?),
        })
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
                sqlx::raw_sql(text).execute(writes).await?;
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
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
            Tx::SqliteRead(_) | Tx::PostgresRead(_) => {}
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await?,
            Tx::Postgres(tx) => tx.rollback().await?,
            Tx::SqliteRead(_) | Tx::PostgresRead(_) => {}
        }
        Ok(())
    }

    fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::SqliteRead(c) => Conn::Sqlite(c),
            Tx::Postgres(tx) => Conn::Postgres(tx),
            Tx::PostgresRead(c) => Conn::Postgres(c),
        }
    }
}

/// One bound value. Only the types both databases read back the same way.
#[derive(Debug, Clone)]
pub enum Arg {
    I64(Option<i64>),
    Text(Option<String>),
    Bool(bool),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::I64(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::I64(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_owned))
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<DateTime<Utc>> for Arg {
    fn from(v: DateTime<Utc>) -> Self {
        Arg::Time(Some(v))
    }
}
impl From<NaiveDate> for Arg {
    fn from(v: NaiveDate) -> Self {
        Arg::Date(Some(v))
    }
}
impl From<Option<NaiveDate>> for Arg {
    fn from(v: Option<NaiveDate>) -> Self {
        Arg::Date(v)
    }
}
impl From<Option<DateTime<Utc>>> for Arg {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Arg::Time(v)
    }
}

/// A row type both databases can decode (derive `sqlx::FromRow` with portable field types).
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// One SQL statement and its arguments.
#[must_use]
pub struct Query {
    text: Cow<'static, str>,
    args: Vec<Arg>,
}

/// Starts a statement: `sql("SELECT … WHERE id = $1").bind(id)`.
pub fn sql(text: impl Into<Cow<'static, str>>) -> Query {
    Query {
        text: text.into(),
        args: Vec::new(),
    }
}

/// A single-column row, for `SELECT COUNT(*)` and `RETURNING id`.
#[derive(sqlx::FromRow)]
struct One<T> {
    v: T,
}

impl Query {
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// The arguments for either database: every `Arg` type encodes on both.
    fn args<'q, DB: Database>(&self) -> Result<<DB as Database>::Arguments<'q>, StoreError>
    where
        Option<i64>: Encode<'q, DB> + Type<DB>,
        Option<String>: Encode<'q, DB> + Type<DB>,
        bool: Encode<'q, DB> + Type<DB>,
        Option<DateTime<Utc>>: Encode<'q, DB> + Type<DB>,
        Option<NaiveDate>: Encode<'q, DB> + Type<DB>,
    {
        let mut out = <DB as Database>::Arguments::<'q>::default();
        for arg in &self.args {
            match arg.clone() {
                Arg::I64(v) => out.add(v),
                Arg::Text(v) => out.add(v),
                Arg::Bool(v) => out.add(v),
                Arg::Time(v) => out.add(v),
                Arg::Date(v) => out.add(v),
            }
            .map_err(StoreError::Encode)?;
        }
        Ok(out)
    }

    fn sqlite_args(&self) -> Result<SqliteArguments<'static>, StoreError> {
        self.args::<Sqlite>()
    }

    fn pg_args(&self) -> Result<PgArguments, StoreError> {
        self.args::<Postgres>()
    }

    /// Runs the statement; returns the number of rows it changed.
    pub async fn execute(self, tx: &mut Tx) -> Result<u64, StoreError> {
        Ok(match tx.conn() {
            Conn::Sqlite(c) => sqlx::query_with(&self.text, self.sqlite_args()?)
                .execute(c)
                .await?
                .rows_affected(),
            Conn::Postgres(c) => sqlx::query_with(&self.text, self.pg_args()?)
                .execute(c)
                .await?
                .rows_affected(),
        })
    }

    pub async fn fetch_all<T: Row>(self, tx: &mut Tx) -> Result<Vec<T>, StoreError> {
        Ok(match tx.conn() {
            Conn::Sqlite(c) => {
                sqlx::query_as_with(&self.text, self.sqlite_args()?)
                    .fetch_all(c)
                    .await?
            }
            Conn::Postgres(c) => {
                sqlx::query_as_with(&self.text, self.pg_args()?)
                    .fetch_all(c)
                    .await?
            }
        })
    }

    pub async fn fetch_optional<T: Row>(self, tx: &mut Tx) -> Result<Option<T>, StoreError> {
        Ok(match tx.conn() {
            Conn::Sqlite(c) => {
                sqlx::query_as_with(&self.text, self.sqlite_args()?)
                    .fetch_optional(c)
                    .await?
            }
            Conn::Postgres(c) => {
                sqlx::query_as_with(&self.text, self.pg_args()?)
                    .fetch_optional(c)
                    .await?
            }
        })
    }

    /// Hands the rows to `to` in batches of `size` as the database produces them, so a long
    /// result never sits in memory whole. Stops early if the receiver is gone.
    pub async fn send_batches<T: Row + 'static>(
        self,
        tx: &mut Tx,
        size: usize,
        to: &tokio::sync::mpsc::Sender<Vec<T>>,
    ) -> Result<(), StoreError> {
        let mut batch = Vec::with_capacity(size);
        macro_rules! drain {
            ($rows:expr) => {{
                let mut rows = $rows;
                while let Some(row) = rows.try_next().await? {
                    batch.push(row);
                    if batch.len() == size {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(size));
                        if to.send(full).await.is_err() {
                            return Ok(());
                        }
                    }
                }
            }};
        }
        match tx.conn() {
            Conn::Sqlite(c) => {
                drain!(sqlx::query_as_with::<_, T, _>(&self.text, self.sqlite_args()?).fetch(c))
            }
            Conn::Postgres(c) => {
                drain!(sqlx::query_as_with::<_, T, _>(&self.text, self.pg_args()?).fetch(c))
            }
        }
        if !batch.is_empty() {
            let _ = to.send(batch).await;
        }
        Ok(())
    }

    /// Exactly one row, or `StoreError::NotFound`.
    pub async fn fetch_one<T: Row>(self, tx: &mut Tx) -> Result<T, StoreError> {
        self.fetch_optional(tx).await?.ok_or(StoreError::NotFound)
    }

    /// The `i64` in column `v` of the one row: `SELECT COUNT(*) AS v …`, `… RETURNING id AS v`.
    pub async fn fetch_i64(self, tx: &mut Tx) -> Result<i64, StoreError> {
        Ok(self.fetch_one::<One<i64>>(tx).await?.v)
    }
}
