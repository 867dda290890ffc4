//! Live chat (CHAT-1): a chat waits in its queue until an engineer takes it, runs, and ends;
//! its transcript stays on the account and can become a case.

use chrono::{DateTime, Utc};

/// Where a chat is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatStatus {
    /// In its queue, no engineer yet.
    Waiting,
    /// An engineer took it.
    Active,
    /// Over; the transcript is kept.
    Ended,
}

impl ChatStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatStatus::Waiting => "waiting",
            ChatStatus::Active => "active",
            ChatStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<ChatStatus> {
        match s {
            "waiting" => Some(ChatStatus::Waiting),
            "active" => Some(ChatStatus::Active),
            "ended" => Some(ChatStatus::Ended),
            _ => None,
        }
    }
}

/// The longest message, subject, and the most messages a chat holds.
pub const MESSAGE_MAX: usize = 4_000;
pub const SUBJECT_MAX: usize = 200;
pub const MESSAGES_MAX: i64 = 2_000;

/// One line of a transcript: when, who, what.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub at: DateTime<Utc>,
    pub who: &'a str,
    pub text: &'a str,
}

/// The transcript as plain text, the file a case from the chat carries: a heading, then a line
/// per message with its UTC time and its author.
pub fn transcript(heading: &str, lines: &[Line<'_>]) -> String {
    let mut out = format!("{heading}\n\n");
    for line in lines {
        out.push_str(&format!(
            "[{}] {}: {}\n",
            line.at.format("%Y-%m-%d %H:%M:%S UTC"),
            line.who,
            line.text.replace('\n', "\n    ")
        ));
    }
    out
}

/// A message as sent: trimmed, not empty, not too long.
pub fn message(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    match (text.is_empty(), text.chars().count() > MESSAGE_MAX) {
        (true, _) => Err("required"),
        (_, true) => Err("too_long"),
        _ => Ok(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_transcript_has_a_line_per_message() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 1, 9, 30, 0)
            .single()
            .expect("time");
        let lines = [
            Line {
                at,
                who: "Wim",
                text: "The fan is loud",
            },
            Line {
                at,
                who: "Support",
                text: "Which model?\nAnd since when?",
            },
        ];
        assert_eq!(
            transcript("Chat 7", &lines),
            "Chat 7\n\n[2026-12-01 09:30:00 UTC] Wim: The fan is loud\n[2026-12-01 09:30:00 UTC] Support: Which model?\n    And since when?\n"
        );
    }

    #[test]
    fn messages_are_bounded() {
        assert_eq!(message("  hi "), Ok("hi".to_owned()));
        assert_eq!(message(" \n "), Err("required"));
        assert_eq!(message(&"x".repeat(MESSAGE_MAX + 1)), Err("too_long"));
        assert_eq!(ChatStatus::parse("active"), Some(ChatStatus::Active));
        assert_eq!(ChatStatus::parse("gone"), None);
    }
}
