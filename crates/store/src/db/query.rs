//! One SQL text and its typed arguments, run on whichever database a `Tx` is on.

use super::Tx;
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{
    Arguments, Database, Encode, FromRow, PgConnection, Postgres, Sqlite, SqliteConnection, Type,
};
use std::borrow::Cow;

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

/// One bound value. Only the types both databases read back the same way.
#[derive(Debug, Clone)]
pub enum Arg {
    I64(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
}

/// Every id newtype binds as its number.
macro_rules! id_args {
    ($($id:ident),* $(,)?) => {$(
        impl From<supportal_domain::$id> for Arg {
            fn from(id: supportal_domain::$id) -> Self {
                Arg::I64(Some(id.get()))
            }
        }
        impl From<Option<supportal_domain::$id>> for Arg {
            fn from(id: Option<supportal_domain::$id>) -> Self {
                Arg::I64(id.map(supportal_domain::$id::get))
            }
        }
    )*};
}

supportal_domain::with_ids!(id_args);

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
        Arg::Bool(Some(v))
    }
}
impl From<Option<bool>> for Arg {
    fn from(v: Option<bool>) -> Self {
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

/// A statement whose text grows with the conditions that apply (a list with optional filters):
/// each value gets the next `$N` as it is added, so no placeholder is numbered by hand.
///
/// ```text
/// let mut b = Builder::new();
/// let company = b.arg(company_id);
/// b.push(&format!("SELECT … WHERE c.company_id = {company}"));
/// if let Some(serial) = serial {
///     let serial = b.arg(serial);
///     b.push(&format!(" AND c.serial_number = {serial}"));
/// }
/// b.query().fetch_all(tx)
/// ```
#[derive(Default)]
pub struct Builder {
    text: String,
    args: Vec<Arg>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Adds a value; the answer is its placeholder (`$3`) to write into the text.
    pub fn arg(&mut self, value: impl Into<Arg>) -> String {
        self.args.push(value.into());
        format!("${}", self.args.len())
    }

    /// Appends text.
    pub fn push(&mut self, text: &str) -> &mut Builder {
        self.text.push_str(text);
        self
    }

    /// The statement with its values in placeholder order.
    pub fn query(self) -> Query {
        Query {
            text: Cow::Owned(self.text),
            args: self.args,
        }
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
        Option<bool>: Encode<'q, DB> + Type<DB>,
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

    /// The id in column `v` of the one row (`… RETURNING id AS v`), as the type of its entity.
    pub async fn fetch_id<T: From<i64>>(self, tx: &mut Tx) -> Result<T, StoreError> {
        Ok(T::from(self.fetch_i64(tx).await?))
    }

    /// The `i64` in column `v` of the one row: `SELECT COUNT(*) AS v …`, `… RETURNING id AS v`.
    pub async fn fetch_i64(self, tx: &mut Tx) -> Result<i64, StoreError> {
        Ok(self.fetch_one::<One<i64>>(tx).await?.v)
    }

    /// The `i64` in column `v` of the row, if there is one.
    pub async fn fetch_optional_i64(self, tx: &mut Tx) -> Result<Option<i64>, StoreError> {
        Ok(self.fetch_optional::<One<i64>>(tx).await?.map(|r| r.v))
    }
}
