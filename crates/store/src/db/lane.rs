//! SQLite connections kept open by this process, handed out one at a time.
//!
//! sqlx's pool pings a SQLite connection when it is taken and again, on a spawned task, when it
//! is given back. A SQLite connection is a thread of this process, so each ping is two thread
//! hand-offs around every use: more than the statement itself costs. A lane hands out its
//! connections with a fair semaphore (waiters are served in order) and takes them back at once.

use crate::StoreError;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// At most `size` connections to one SQLite file, opened when first needed.
#[derive(Clone)]
pub struct Lane(Arc<Inner>);

struct Inner {
    options: SqliteConnectOptions,
    idle: Mutex<Vec<SqliteConnection>>,
    permits: Semaphore,
    size: u32,
    wait: Duration,
}

impl std::fmt::Debug for Lane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lane").field("size", &self.0.size).finish()
    }
}

impl Lane {
    /// A lane of `size` connections; opens one now, so a wrong path fails at start.
    pub(super) async fn open(
        options: SqliteConnectOptions,
        size: u32,
        wait: Duration,
    ) -> Result<Lane, StoreError> {
        let lane = Lane(Arc::new(Inner {
            options,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(size as usize),
            size,
            wait,
        }));
        drop(lane.take().await?);
        Ok(lane)
    }

    /// A connection, once one is free (waiting at most the lane's time).
    pub(super) async fn take(&self) -> Result<Held, StoreError> {
        let permit = tokio::time::timeout(self.0.wait, self.0.permits.acquire())
            .await
            .map_err(|_| StoreError::from(sqlx::Error::PoolTimedOut))?
            .map_err(|_| StoreError::from(sqlx::Error::PoolClosed))?;
        permit.forget();
        let idle = self.0.idle.lock().expect("lane lock").pop();
        let conn = match idle {
            Some(conn) => conn,
            None => match self.0.options.connect().await {
                Ok(conn) => conn,
                Err(e) => {
                    self.0.permits.add_permits(1);
                    return Err(e.into());
                }
            },
        };
        Ok(Held {
            conn: Some(conn),
            lane: self.clone(),
            broken: false,
        })
    }

    /// Closes every connection once it is given back; later `take`s fail.
    pub(super) async fn close(&self) {
        let Ok(all) = self.0.permits.acquire_many(self.0.size).await else {
            return;
        };
        self.0.permits.close();
        drop(all);
        let conns = std::mem::take(&mut *self.0.idle.lock().expect("lane lock"));
        for conn in conns {
            let _ = conn.close().await;
        }
    }
}

impl Held {
    /// Closes the connection instead of giving it back; the lane opens another when needed.
    pub(super) fn discard(&mut self) {
        self.conn = None;
    }

    /// The connection's thread has stopped: when dropped, it is closed instead of given back.
    pub(super) fn mark_broken(&mut self) {
        self.broken = true;
    }
}

/// A connection out of a lane; back in it when dropped (unless it broke).
pub struct Held {
    conn: Option<SqliteConnection>,
    lane: Lane,
    broken: bool,
}

impl Deref for Held {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.conn.as_ref().expect("held connection")
    }
}

impl DerefMut for Held {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().expect("held connection")
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take().filter(|_| !self.broken) {
            self.lane.0.idle.lock().expect("lane lock").push(conn);
        }
        self.lane.0.permits.add_permits(1);
    }
}

#[cfg(test)]
mod tests {
    use super::Lane;
    use sqlx::sqlite::SqliteConnectOptions;
    use std::time::Duration;

    async fn has_scratch_table(conn: &mut sqlx::SqliteConnection) -> bool {
        sqlx::query("SELECT 1 FROM temp.scratch")
            .execute(conn)
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn a_broken_connection_is_replaced_and_a_sound_one_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("lane.db"))
            .create_if_missing(true);
        let lane = Lane::open(options, 1, Duration::from_secs(1))
            .await
            .expect("lane");
        // A temporary table lives as long as its connection: it tells connections apart.
        let mut held = lane.take().await.expect("take");
        sqlx::query("CREATE TEMP TABLE scratch (n INTEGER)")
            .execute(&mut *held)
            .await
            .expect("temp table");
        drop(held);
        let mut held = lane.take().await.expect("take again");
        assert!(
            has_scratch_table(&mut held).await,
            "the same connection came back"
        );
        held.mark_broken();
        drop(held);
        let mut held = lane.take().await.expect("take after a break");
        assert!(!has_scratch_table(&mut held).await, "a new connection");
        // With the one connection out, the next taker waits, then gives up.
        let waited = lane.take().await;
        assert!(waited.is_err(), "no second connection in a lane of one");
    }
}
