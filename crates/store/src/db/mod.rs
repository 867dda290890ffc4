//! The two databases behind one face. Every statement is one SQL text with `$1` placeholders
//! (SQLite accepts them too); `Query` collects typed arguments and runs on whichever concrete
//! pool is active. No `Any` driver: it cannot read booleans or timestamps on SQLite.

mod lane;

use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use lane::{Held, Lane};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqliteRow, SqliteSynchronous,
};
use sqlx::{
    Arguments, Database, Encode, FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection,
    Transaction, Type,
};
use std::borrow::Cow;
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
    /// Whether `BEGIN` has gone out (and `COMMIT` or `ROLLBACK` not yet).
    open: bool,
    /// Whether a statement has run, so `BEGIN` has gone out once.
    begun: bool,
}

/// What the first statement of a SQLite write transaction is sent behind.
const BEGIN: &str = "BEGIN IMMEDIATE;\n";

impl SqliteTx {
    fn new(held: Held) -> SqliteTx {
        SqliteTx {
            held: Some(held),
            open: false,
            begun: false,
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
        let begin = (!self.begun).then_some(BEGIN);
        self.begun = true;
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

/// A statement ready to go out on the connection under a `Tx`, its arguments encoded first (so
/// nothing is marked sent that was not). On SQLite, a write transaction's first statement goes
/// behind `BEGIN` (see `SqliteTx`).
enum Bound<'t, 'q> {
    Sqlite {
        conn: &'t mut SqliteConnection,
        text: Cow<'q, str>,
        args: SqliteArguments<'static>,
        after_begin: bool,
    },
    Postgres {
        conn: &'t mut PgConnection,
        text: &'q str,
        args: PgArguments,
    },
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
        let writes = Lane::open(options.clone(), 1, Duration::from_secs(30)).await?;
        let reads = Lane::open(options, READERS, Duration::from_secs(10)).await?;
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

    /// The statement and its arguments on the connection under `tx`.
    fn bound<'t, 'q>(&'q self, tx: &'t mut Tx) -> Result<Bound<'t, 'q>, StoreError> {
        Ok(match tx {
            Tx::Sqlite(tx) => {
                let args = self.args::<Sqlite>()?;
                let (conn, before) = tx.conn();
                Bound::Sqlite {
                    conn,
                    text: match before {
                        Some(before) => Cow::Owned(format!("{before}{}", self.text)),
                        None => Cow::Borrowed(&self.text),
                    },
                    args,
                    after_begin: before.is_some(),
                }
            }
            Tx::SqliteRead(conn) => Bound::Sqlite {
                args: self.args::<Sqlite>()?,
                conn,
                text: Cow::Borrowed(&self.text),
                after_begin: false,
            },
            Tx::Postgres(conn) => Bound::Postgres {
                args: self.args::<Postgres>()?,
                conn,
                text: &self.text,
            },
            Tx::PostgresRead(conn) => Bound::Postgres {
                args: self.args::<Postgres>()?,
                conn,
                text: &self.text,
            },
        })
    }

    /// Runs the statement; returns the number of rows it changed.
    pub async fn execute(self, tx: &mut Tx) -> Result<u64, StoreError> {
        let ran = match self.bound(tx)? {
            Bound::Sqlite {
                conn,
                text,
                args,
                after_begin,
            } => {
                async {
                    // Each statement's count is SQLite's last change count, which `BEGIN`
                    // leaves as the previous transaction's: count only the statements after it.
                    let mut skip = usize::from(after_begin);
                    let mut steps = sqlx::Executor::fetch_many(conn, sqlx::query_with(&text, args));
                    let mut changed = 0;
                    while let Some(step) = steps.try_next().await? {
                        if let sqlx::Either::Left(done) = step {
                            match skip {
                                0 => changed += done.rows_affected(),
                                _ => skip -= 1,
                            }
                        }
                    }
                    Ok(changed)
                }
                .await
            }
            Bound::Postgres { conn, text, args } => sqlx::query_with(text, args)
                .execute(conn)
                .await
                .map(|done| done.rows_affected()),
        };
        ran.map_err(|e| tx.failed(e))
    }

    pub async fn fetch_all<T: Row>(self, tx: &mut Tx) -> Result<Vec<T>, StoreError> {
        let ran = match self.bound(tx)? {
            Bound::Sqlite {
                conn, text, args, ..
            } => sqlx::query_as_with(&text, args).fetch_all(conn).await,
            Bound::Postgres { conn, text, args } => {
                sqlx::query_as_with(text, args).fetch_all(conn).await
            }
        };
        ran.map_err(|e| tx.failed(e))
    }

    pub async fn fetch_optional<T: Row>(self, tx: &mut Tx) -> Result<Option<T>, StoreError> {
        let ran = match self.bound(tx)? {
            Bound::Sqlite {
                conn, text, args, ..
            } => sqlx::query_as_with(&text, args).fetch_optional(conn).await,
            Bound::Postgres { conn, text, args } => {
                sqlx::query_as_with(text, args).fetch_optional(conn).await
            }
        };
        ran.map_err(|e| tx.failed(e))
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
        // `Ok(false)`: the receiver is gone, and so is the rest of the result.
        macro_rules! drain {
            ($rows:expr) => {
                async {
                    let mut rows = $rows;
                    while let Some(row) = rows.try_next().await? {
                        batch.push(row);
                        if batch.len() == size {
                            let full = std::mem::replace(&mut batch, Vec::with_capacity(size));
                            if to.send(full).await.is_err() {
                                return Ok(false);
                            }
                        }
                    }
                    Ok::<bool, sqlx::Error>(true)
                }
                .await
            };
        }
        let ran = match self.bound(tx)? {
            Bound::Sqlite {
                conn, text, args, ..
            } => drain!(sqlx::query_as_with::<_, T, _>(&text, args).fetch(conn)),
            Bound::Postgres { conn, text, args } => {
                drain!(sqlx::query_as_with::<_, T, _>(text, args).fetch(conn))
            }
        };
        if ran.map_err(|e| tx.failed(e))? && !batch.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::{Db, Tx, sql};

    async fn scratch() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open_sqlite_file(&dir.path().join("t.db"))
            .await
            .expect("open");
        let mut tx = db.begin().await.expect("begin");
        sql("CREATE TABLE t (n INTEGER NOT NULL)")
            .execute(&mut tx)
            .await
            .expect("create");
        tx.commit().await.expect("commit");
        (dir, db)
    }

    async fn count(tx: &mut Tx) -> i64 {
        sql("SELECT COUNT(*) AS v FROM t")
            .fetch_i64(tx)
            .await
            .expect("count")
    }

    async fn insert(tx: &mut Tx, n: i64) -> u64 {
        sql("INSERT INTO t (n) VALUES ($1)")
            .bind(n)
            .execute(tx)
            .await
            .expect("insert")
    }

    #[tokio::test]
    async fn a_dropped_write_transaction_is_rolled_back_and_the_writer_handed_on() {
        let (_dir, db) = scratch().await;
        let mut tx = db.begin().await.expect("begin");
        insert(&mut tx, 1).await;
        drop(tx);
        let mut tx = db.begin().await.expect("the writer comes back");
        assert_eq!(count(&mut tx).await, 0);
        insert(&mut tx, 2).await;
        tx.commit().await.expect("commit");
        assert_eq!(count(&mut db.read().await.expect("read")).await, 1);
    }

    #[tokio::test]
    async fn changed_rows_count_the_statement_alone() {
        let (_dir, db) = scratch().await;
        let mut tx = db.begin().await.expect("begin");
        let three = sql("INSERT INTO t (n) VALUES (1), (2), (3)")
            .execute(&mut tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        assert_eq!(three, 3);
        // The first statement of a transaction goes out behind `BEGIN`, whose count would be
        // the previous statement's.
        let mut tx = db.begin().await.expect("begin");
        let none = sql("UPDATE t SET n = n WHERE n > 10")
            .execute(&mut tx)
            .await
            .expect("update");
        assert_eq!(none, 0);
        assert_eq!(insert(&mut tx, 4).await, 1);
        tx.commit().await.expect("commit");
    }

    #[tokio::test]
    async fn a_failed_statement_leaves_nothing_after_rollback() {
        let (_dir, db) = scratch().await;
        let mut tx = db.begin().await.expect("begin");
        insert(&mut tx, 1).await;
        let refused = sql("INSERT INTO t (n) VALUES (NULL)")
            .execute(&mut tx)
            .await;
        assert!(refused.is_err());
        tx.rollback().await.expect("rollback");
        // A failing first statement, then a transaction that runs nothing.
        let mut tx = db.begin().await.expect("begin");
        assert!(
            sql("INSERT INTO nowhere VALUES (1)")
                .execute(&mut tx)
                .await
                .is_err()
        );
        drop(tx);
        db.begin()
            .await
            .expect("begin")
            .commit()
            .await
            .expect("empty commit");
        assert_eq!(count(&mut db.read().await.expect("read")).await, 0);
    }

    #[tokio::test]
    async fn writers_take_turns_and_readers_do_not_wait() {
        let (_dir, db) = scratch().await;
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.begin().await.expect("begin");
                let next = sql("SELECT COALESCE(MAX(n), 0) + 1 AS v FROM t")
                    .fetch_i64(&mut tx)
                    .await
                    .expect("max");
                tokio::task::yield_now().await;
                insert(&mut tx, next).await;
                tx.commit().await.expect("commit");
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let mut read = db.read().await.expect("read");
        let distinct = sql("SELECT COUNT(DISTINCT n) AS v FROM t")
            .fetch_i64(&mut read)
            .await
            .expect("distinct");
        assert_eq!(distinct, 20, "no two writers read the same maximum");
        // A reader runs while a writer holds its transaction open.
        let mut writer = db.begin().await.expect("begin");
        insert(&mut writer, 100).await;
        assert_eq!(count(&mut read).await, 20);
        writer.commit().await.expect("commit");
        assert_eq!(count(&mut read).await, 21);
    }
}
