//! Passing chat messages on inside a process (CHAT-1). One task a process watches
//! `chat_messages` — woken by PostgreSQL's `NOTIFY` from any process, by a send in this one, or
//! by its own timer (SQLite, and a safety net) — and tells the sockets of each changed chat,
//! which read what is new themselves. Nothing lives only here: a socket that missed a wake-up
//! reads the same rows on the next one, so several `serve` processes on one database chat as one.

use crate::context::Context;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use supportal_store::chat;
use tokio::sync::{Notify, broadcast};

/// How far back the hub looks again for messages committed out of id order (PostgreSQL).
const LOOKBACK: i64 = 1_000;

/// The process's chat hub: a socket subscribes to its chat and hears when it changed.
#[derive(Debug, Default)]
pub struct Hub {
    /// A channel a chat with sockets in this process; only its sockets wake.
    chats: Mutex<HashMap<i64, broadcast::Sender<()>>>,
    wake: Notify,
    started: OnceLock<()>,
}

impl Hub {
    /// Hears when chat `id` changes from now on; starts the watching task on first use.
    pub fn subscribe(&self, ctx: &Context, id: i64) -> broadcast::Receiver<()> {
        let receiver = match self.chats.lock() {
            Ok(mut chats) => chats
                .entry(id)
                .or_insert_with(|| broadcast::channel(16).0)
                .subscribe(),
            Err(poisoned) => poisoned
                .into_inner()
                .entry(id)
                .or_insert_with(|| broadcast::channel(16).0)
                .subscribe(),
        };
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
        self.chats
            .lock()
            .map(|c| c.values().map(broadcast::Sender::receiver_count).sum())
            .unwrap_or(0)
    }

    /// Tells the sockets of `changed` chats; forgets chats nobody listens to any more.
    fn tell(&self, changed: &BTreeSet<i64>) {
        if let Ok(mut chats) = self.chats.lock() {
            for id in changed {
                if let Some(sender) = chats.get(id) {
                    let _ = sender.send(());
                }
            }
            chats.retain(|_, sender| sender.receiver_count() > 0);
        }
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
            if seen.insert(id) {
                told.insert(chat_id);
            }
        }
        hub.tell(&told);
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
