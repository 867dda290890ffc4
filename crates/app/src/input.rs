//! Reading what callers send, the same way for every caller: NUL characters dropped (PostgreSQL
//! text cannot hold one, SQLite can, and no person types one) and lenient form values.

use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// Removes every NUL from `text`.
pub fn without_nul(text: &str) -> Cow<'_, str> {
    if text.contains('\0') {
        Cow::Owned(text.replace('\0', ""))
    } else {
        Cow::Borrowed(text)
    }
}

/// A checkbox in a form (`on`, `true`, `1`) or a JSON boolean.
pub fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<B>::deserialize(d)? {
        Some(B::Bool(b)) => b,
        Some(B::Text(t)) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
        None => false,
    })
}

/// An optional number from a form, where an empty select sends `""`.
pub fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        Num(i64),
        Text(String),
    }
    Ok(match Option::<N>::deserialize(d)? {
        Some(N::Num(n)) => Some(n),
        Some(N::Text(t)) => t.trim().parse().ok(),
        None => None,
    })
}

/// A list of strings from JSON (`["a", "b"]`) or a form's text area (`"a\nb"`, one string).
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum L {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Option::<L>::deserialize(d)? {
        Some(L::List(items)) => items,
        Some(L::Text(text)) => vec![text],
        None => Vec::new(),
    })
}
