//! One-time email codes (ACC-1, ACC-6): six digits, 15 minutes, five wrong tries burn the code,
//! a new one at most once a minute.

use chrono::{DateTime, Duration, Utc};

pub const CODE_LIFETIME_MINUTES: i64 = 15;
pub const MAX_WRONG_TRIES: i64 = 5;
pub const RESEND_INTERVAL_SECONDS: i64 = 60;

/// The state of a stored code, as the store reads it.
#[derive(Debug, Clone)]
pub struct StoredCode {
    pub code_hash: String,
    pub expires_at: DateTime<Utc>,
    pub wrong_tries: i64,
    pub sent_at: DateTime<Utc>,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    /// Wrong digits; the store records one more wrong try.
    Wrong,
    Expired,
    /// Too many wrong tries (or already used): the code is dead; ask for a new one.
    Burnt,
}

impl CodeCheck {
    pub fn error_code(self) -> &'static str {
        match self {
            CodeCheck::Accepted => "ok",
            CodeCheck::Wrong => "invalid_code",
            CodeCheck::Expired => "code_expired",
            CodeCheck::Burnt => "code_burnt",
        }
    }
}

/// Whether `given_hash` (the hash of what the user typed) opens `stored` at `now`.
pub fn check(stored: &StoredCode, given_hash: &str, now: DateTime<Utc>) -> CodeCheck {
    if stored.used || stored.wrong_tries >= MAX_WRONG_TRIES {
        CodeCheck::Burnt
    } else if now >= stored.expires_at {
        CodeCheck::Expired
    } else if constant_time_eq(stored.code_hash.as_bytes(), given_hash.as_bytes()) {
        CodeCheck::Accepted
    } else {
        CodeCheck::Wrong
    }
}

/// Seconds the user must still wait before another code may be sent, if any.
pub fn resend_wait(last_sent: DateTime<Utc>, now: DateTime<Utc>) -> Option<i64> {
    let next = last_sent + Duration::seconds(RESEND_INTERVAL_SECONDS);
    (now < next).then(|| (next - now).num_seconds().max(1))
}

pub fn expiry_from(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::minutes(CODE_LIFETIME_MINUTES)
}

/// Only digits, exactly six of them, after removing spaces people paste in.
pub fn normalise(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(now: DateTime<Utc>) -> StoredCode {
        StoredCode {
            code_hash: "h1".into(),
            expires_at: expiry_from(now),
            wrong_tries: 0,
            sent_at: now,
            used: false,
        }
    }

    #[test]
    fn accepts_right_code_in_time() {
        let now = Utc::now();
        assert_eq!(
            check(&stored(now), "h1", now + Duration::minutes(14)),
            CodeCheck::Accepted
        );
    }

    #[test]
    fn wrong_expired_and_burnt() {
        let now = Utc::now();
        let mut code = stored(now);
        assert_eq!(check(&code, "h2", now), CodeCheck::Wrong);
        assert_eq!(
            check(&code, "h1", now + Duration::minutes(15)),
            CodeCheck::Expired
        );
        code.wrong_tries = MAX_WRONG_TRIES;
        assert_eq!(
            check(&code, "h1", now),
            CodeCheck::Burnt,
            "even the right code is refused once burnt"
        );
        code.wrong_tries = 0;
        code.used = true;
        assert_eq!(check(&code, "h1", now), CodeCheck::Burnt);
    }

    #[test]
    fn resend_throttle() {
        let now = Utc::now();
        assert_eq!(resend_wait(now, now + Duration::seconds(20)), Some(40));
        assert_eq!(resend_wait(now, now + Duration::seconds(60)), None);
    }

    #[test]
    fn normalises_input() {
        assert_eq!(normalise(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(normalise("12345"), None);
        assert_eq!(normalise("12345a"), None);
    }
}
