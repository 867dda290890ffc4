//! A chat over a WebSocket: the server pushes each new message (`{"type": "message", …}`) and
//! each change of state or place in line (`{"type": "status", …}`); the client sends
//! `{"body": "…"}`. New messages are read when the process's hub says the chat changed, so a
//! message sent through another process arrives too. A frame is 16 KB at most.

use super::message_json;
use crate::state::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;
use supportal_domain::ChatId;
use supportal_store::sessions::SessionUser;
use tokio::sync::broadcast::error::RecvError;

/// The largest frame a client may send.
pub const FRAME_MAX: usize = 16 * 1024;

/// Upgrades to the chat's socket for a caller who may see it (checked before upgrading).
pub async fn upgrade(
    state: AppState,
    user: SessionUser,
    id: ChatId,
    after: i64,
    ws: WebSocketUpgrade,
) -> crate::error::AppResult<Response> {
    supportal_app::chat::view(&state, &user, id, i64::MAX).await?;
    // Small buffers: a thousand idle sockets should not hold 128 KB each.
    Ok(ws
        .max_message_size(FRAME_MAX)
        .max_frame_size(FRAME_MAX)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| run(state, user, id, after, socket)))
}

#[derive(Deserialize)]
struct Incoming {
    body: String,
}

/// Where the socket is: the last message sent, and the state last told.
struct Told {
    last: i64,
    status: Option<(String, Option<i64>, Option<String>)>,
}

/// Messages a socket may send in `WINDOW` at most.
const SENDS_PER_WINDOW: u32 = 20;
const WINDOW: Duration = Duration::from_secs(10);

async fn run(
    state: AppState,
    mut user: SessionUser,
    id: ChatId,
    after: i64,
    mut socket: WebSocket,
) {
    let mut changes = state.ctx.chat.subscribe(&state.ctx, id.get());
    let lang = supportal_app::i18n::Lang::negotiate(user.language.as_deref());
    let mut told = Told {
        last: after.max(0),
        status: None,
    };
    let mut ended = match push(&state, (&user, &lang), id, &mut told, &mut socket).await {
        Ok(ended) => ended,
        Err(()) => return,
    };
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    tick.tick().await;
    let mut ticks: u64 = 0;
    let (mut window, mut sent) = (tokio::time::Instant::now(), 0u32);
    while !ended {
        let wake = tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if window.elapsed() > WINDOW {
                        (window, sent) = (tokio::time::Instant::now(), 0);
                    }
                    sent += 1;
                    let answer = match serde_json::from_str::<Incoming>(text.as_str()) {
                        _ if sent > SENDS_PER_WINDOW => {
                            Some(supportal_app::AppError::throttled("too_many_requests", WINDOW.as_secs() as i64))
                        }
                        Ok(m) => supportal_app::chat::send(&state, &user, id, &m.body).await.err(),
                        Err(_) => Some(supportal_app::AppError::field("body", "required")),
                    };
                    if let Some(e) = answer {
                        let frame = json!({ "type": "error", "code": e.code });
                        if socket.send(Message::Text(frame.to_string().into())).await.is_err() {
                            return;
                        }
                    }
                    false
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => false,
            },
            changed = changes.recv() => match changed {
                Ok(()) | Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return,
            },
            // A safety net, and the place in line (which moves with other chats): every five
            // seconds while waiting, every thirty after.
            _ = tick.tick() => {
                // The session may have ended, or its user lost the right to this chat.
                match supportal_app::auth::session_again(&state, &user).await {
                    Ok(Some(now)) => user = now,
                    _ => return,
                }
                ticks += 1;
                ticks.is_multiple_of(6) || told.status.as_ref().is_some_and(|s| s.0 == "waiting")
            }
        };
        if wake {
            ended = match push(&state, (&user, &lang), id, &mut told, &mut socket).await {
                Ok(ended) => ended,
                Err(()) => return,
            };
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

/// Sends what is new; answers whether the chat ended. An error ends the socket.
async fn push(
    state: &AppState,
    (user, lang): (&SessionUser, &supportal_app::i18n::Lang),
    id: ChatId,
    told: &mut Told,
    socket: &mut WebSocket,
) -> Result<bool, ()> {
    loop {
        let view = supportal_app::chat::view(state, user, id, told.last)
            .await
            .map_err(|_| ())?;
        for m in &view.messages {
            let frame = message_json(m).to_string();
            socket
                .send(Message::Text(frame.into()))
                .await
                .map_err(|_| ())?;
            told.last = m.id;
        }
        let status = (
            view.chat.status.clone(),
            view.position,
            view.chat.engineer.clone(),
        );
        if told.status.as_ref() != Some(&status) {
            let text = super::status_text(lang, &view.chat, view.position);
            let frame = json!({ "type": "status", "status": status.0, "position": status.1,
                                "engineer": status.2, "case_id": view.chat.case_number, "text": text });
            socket
                .send(Message::Text(frame.to_string().into()))
                .await
                .map_err(|_| ())?;
            told.status = Some(status);
        }
        if (view.messages.len() as i64) < supportal_app::chat::PAGE {
            return Ok(view.chat.status == "ended");
        }
    }
}
