//! Passing chat messages on inside a process (CHAT-1). One task a process watches
//! `chat_messages` — woken by PostgreSQL's `NOTIFY` from any process, by a send in this one, or
//! by its own timer (SQLite, and a safety net) — and tells the sockets of each changed chat,
//! which read what is new themselves. Nothing lives only here: a socket that missed a wake-up
//! reads the same rows on the next one, so several `serve` processes on one database chat as one.

use crate::context::Context;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use supportal_store::chat;
use tokio::sync::{Notify, broadcast};

/// How far back the hub looks again for messages committed out of id order (PostgreSQL).
const LOOKBACK: i64 = 1_000;

/// The process's chat hub: subscribe to hear which chats changed.
#[derive(Debug)]
pub struct Hub {
    changes: broadcast::Sender<i64>,
    wake: Notify,
    started: OnceLock<()>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            changes: broadcast::channel(4_096).0,
            wake: Notify::new(),
            started: OnceLock::new(),
        }
    }
}

impl Hub {
    /// The ids of chats that change from now on; starts the watching task on first use.
    pub fn subscribe(&self, ctx: &Context) -> broadcast::Receiver<i64> {
        let receiver = self.changes.subscribe();
        if self.started.set(()).is_ok() {
            tokio::spawn(watch(ctx.clone(), ctx.chat.clone()));
        }
        receiver
    }

    /// A chat changed in this process: look now rather than at the next tick.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    /// How many sockets listen.
    pub fn listeners(&self) -> usize {
        self.changes.receiver_count()
    }
}

async fn watch(ctx: Context, hub: Arc<Hub>) {
    let mut listener = match ctx.db.listen(&[chat::CHANNEL]).await {
        Ok(listener) => Some(listener),
        Err(e) => {
            tracing::warn!(error = %e, "chat: no wake-ups from other processes; polling");
            None
        }
    };
    let tick = match listener.is_some() && ctx.db.backend() == "postgres" {
        true => Duration::from_secs(5),
        false => Duration::from_millis(500),
    };
    // From a little before the newest message, and at once: what was sent while the socket
    // that started this hub was opening (before the listener was up) is passed on too. A chat
    // told twice costs its sockets one empty read.
    let mut seen: BTreeSet<i64> = BTreeSet::new();
    let mut floor = loop {
        match newest(&ctx).await {
            Ok(id) => break (id - LOOKBACK).max(0),
            Err(e) => {
                tracing::warn!(error = %e, "chat: reading where to start");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    let mut first = true;
    loop {
        if !first {
            let woken = async {
                match &mut listener {
                    Some(l) => l.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = woken => {}
                _ = hub.wake.notified() => {}
                _ = tokio::time::sleep(tick) => {}
            }
        }
        first = false;
        let rows = match changed(&ctx, floor).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "chat: reading changes");
                continue;
            }
        };
        let mut told = BTreeSet::new();
        for (chat_id, id) in rows {
            if seen.insert(id) && told.insert(chat_id) {
                let _ = hub.changes.send(chat_id);
            }
        }
        if let Some(&top) = seen.last() {
            floor = floor.max(top - LOOKBACK);
            seen = seen.split_off(&floor);
        }
    }
}

async fn newest(ctx: &Context) -> crate::AppResult<i64> {
    let mut tx = ctx.db.read().await?;
    let id = chat::newest(&mut tx).await?;
    tx.rollback().await?;
    Ok(id)
}

async fn changed(ctx: &Context, floor: i64) -> crate::AppResult<Vec<(i64, i64)>> {
    let mut tx = ctx.db.read().await?;
    let rows = chat::changed_since(&mut tx, floor).await?;
    tx.rollback().await?;
    Ok(rows)
}
