//! Live chat (CHAT-1): the person's chat page and the engineers' console, the API, and the
//! WebSocket both use (`socket`), with plain HTTP that polls as the fallback; the operations
//! are `supportal_app::chat`.

pub mod api;
pub mod pages;
pub mod socket;

use serde_json::{Value, json};
use supportal_app::chat::ChatView;
use supportal_store::chat::{ChatRow, MessageRow};

/// A message as the API and the socket send it.
pub fn message_json(m: &MessageRow) -> Value {
    json!({ "type": "message", "id": m.id, "kind": m.kind, "from_staff": m.from_staff,
            "author": m.author, "body": m.body, "created_at": m.created_at })
}

/// A chat without its messages.
pub fn chat_json(c: &ChatRow, position: Option<i64>) -> Value {
    json!({ "id": c.id, "subject": c.subject, "status": c.status, "position": position,
            "queue": c.queue, "engineer": c.engineer, "customer": c.user_name, "company": c.company,
            "created_at": c.created_at, "accepted_at": c.accepted_at, "ended_at": c.ended_at,
            "case_id": c.case_number })
}

/// The chat's state in words: its place in line, who it is with, or that it ended.
pub fn status_text(lang: &supportal_app::i18n::Lang, c: &ChatRow, position: Option<i64>) -> String {
    match (c.status.as_str(), position, &c.engineer) {
        ("waiting", Some(p), _) => lang.t1("chat-position", "count", p),
        ("active", _, Some(name)) => lang.t1("chat-with", "name", name),
        ("ended", _, _) => lang.t("chat-status-ended"),
        _ => String::new(),
    }
}

/// A chat with its messages.
pub fn view_json(v: &ChatView) -> Value {
    let mut out = chat_json(&v.chat, v.position);
    out["messages"] = Value::Array(v.messages.iter().map(message_json).collect());
    out
}
