//! Finding articles (KB-1). Words are cut, stop words dropped and the rest stemmed with the
//! Snowball stemmer of the article's language — the same algorithms and stop word lists as
//! PostgreSQL's text search configurations, so SQLite's FTS5 index (fed these stems) and
//! PostgreSQL's `tsvector` match the same articles. The database finds candidates; `score`
//! orders them the same way on both, and `snippet` quotes the body with the matches marked.

use super::Language;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Query words kept at most (a typed description is cut here).
pub const QUERY_TERMS_MAX: usize = 12;
/// A word longer than this is not a word anyone searches for.
const WORD_MAX: usize = 64;
/// Words a snippet quotes.
const SNIPPET_WORDS: usize = 28;

fn stop_words(lang: Language) -> &'static HashSet<&'static str> {
    static SETS: [OnceLock<HashSet<&'static str>>; 5] = [const { OnceLock::new() }; 5];
    let (i, text) = match lang {
        Language::En => (0, include_str!("stop/english.stop")),
        Language::Nl => (1, include_str!("stop/dutch.stop")),
        Language::Fr => (2, include_str!("stop/french.stop")),
        Language::Nb => (3, include_str!("stop/norwegian.stop")),
        Language::Sv => (4, include_str!("stop/swedish.stop")),
    };
    SETS[i].get_or_init(|| {
        text.lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect()
    })
}

fn stemmer(lang: Language) -> Stemmer {
    Stemmer::create(match lang {
        Language::En => Algorithm::English,
        Language::Nl => Algorithm::Dutch,
        Language::Fr => Algorithm::French,
        Language::Nb => Algorithm::Norwegian,
        Language::Sv => Algorithm::Swedish,
    })
}

/// The words of a text with their byte ranges: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| match (c.is_alphanumeric(), start) {
            (true, None) => {
                start = Some(i);
                None
            }
            (false, Some(s)) => {
                start = None;
                Some((s, i))
            }
            _ => None,
        })
}

/// The stem of one word, or `None` for a stop word or an overlong one.
fn stem_of(lang: Language, stemmer: &Stemmer, word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.len() > WORD_MAX || stop_words(lang).contains(lower.as_str()) {
        return None;
    }
    Some(stemmer.stem(&lower).into_owned())
}

/// The stems of a text, in order: what the SQLite index holds and `score` counts.
pub fn index_text(lang: Language, text: &str) -> String {
    let stemmer = stemmer(lang);
    let mut out = String::with_capacity(text.len());
    for (s, e) in words(text) {
        if let Some(stem) = stem_of(lang, &stemmer, &text[s..e]) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&stem);
        }
    }
    out
}

/// The distinct stems of a query, at most `QUERY_TERMS_MAX`.
pub fn query_terms(lang: Language, query: &str) -> Vec<String> {
    let stemmer = stemmer(lang);
    let mut terms: Vec<String> = Vec::new();
    for (s, e) in words(query) {
        if let Some(stem) = stem_of(lang, &stemmer, &query[s..e])
            && !terms.contains(&stem)
        {
            terms.push(stem);
            if terms.len() == QUERY_TERMS_MAX {
                break;
            }
        }
    }
    terms
}

/// The words of a query, one group a language (their stems differ): every term of one group
/// (`all`), or any term of any group.
fn query_text(
    groups: &[Vec<String>],
    all: bool,
    quote: fn(&str) -> String,
    and: &str,
    or: &str,
) -> String {
    match all {
        true => {
            let mut parts: Vec<String> = Vec::new();
            for group in groups.iter().filter(|g| !g.is_empty()) {
                let part = format!(
                    "({})",
                    group.iter().map(|t| quote(t)).collect::<Vec<_>>().join(and)
                );
                if !parts.contains(&part) {
                    parts.push(part);
                }
            }
            parts.join(or)
        }
        false => {
            let mut terms: Vec<String> = Vec::new();
            for t in groups.iter().flatten().map(|t| quote(t)) {
                if !terms.contains(&t) {
                    terms.push(t);
                }
            }
            terms.join(or)
        }
    }
}

/// The query for FTS5.
pub fn fts5_query(groups: &[Vec<String>], all: bool) -> String {
    query_text(
        groups,
        all,
        |t| format!("\"{}\"", t.replace('"', "")),
        " AND ",
        " OR ",
    )
}

/// The query as a PostgreSQL `tsquery` for the `simple` configuration (the terms are stems
/// already).
pub fn tsquery(groups: &[Vec<String>], all: bool) -> String {
    query_text(
        groups,
        all,
        |t| format!("'{}'", t.replace(['\'', '\\'], "")),
        " & ",
        " | ",
    )
}

/// How well an article answers the terms, from its indexed title and body: more distinct terms
/// first (always: an article with every term ranks above one without), then terms in the
/// title, then in the body, a long body counting a little less.
pub fn score(terms: &[String], title_index: &str, body_index: &str) -> f64 {
    let count = |text: &str, term: &str| text.split(' ').filter(|w| *w == term).count() as f64;
    let body_words = body_index.split(' ').count() as f64;
    let mut matched = 0.0;
    let mut weight = 0.0;
    for term in terms {
        let in_title = count(title_index, term);
        let in_body = count(body_index, term);
        if in_title + in_body > 0.0 {
            matched += 1.0;
        }
        weight += 3.0 * in_title.min(3.0) + (1.0 + in_body).ln();
    }
    // `weight` stays under 13 a term, so a thousand a distinct term dominates it.
    matched * 1_000.0 + weight / (1.0 + body_words / 1000.0)
}

/// A quote of the body around the first match, HTML-escaped, each matching word in `<mark>`.
pub fn snippet(lang: Language, body: &str, terms: &[String]) -> String {
    let stemmer = stemmer(lang);
    let spans: Vec<(usize, usize)> = words(body).collect();
    let hit = |&(s, e): &(usize, usize)| {
        stem_of(lang, &stemmer, &body[s..e]).is_some_and(|stem| terms.contains(&stem))
    };
    let first = spans.iter().position(hit).unwrap_or(0);
    let from = first.saturating_sub(8);
    let to = (from + SNIPPET_WORDS).min(spans.len());
    let Some(&(start, _)) = spans.get(from) else {
        return String::new();
    };
    let end = spans[to - 1].1;
    let mut out = String::new();
    if from > 0 {
        out.push_str("… ");
    }
    let mut at = start;
    for span in &spans[from..to] {
        out.push_str(&escape(&body[at..span.0]));
        let word = escape(&body[span.0..span.1]);
        match hit(span) {
            true => out.push_str(&format!("<mark>{word}</mark>")),
            false => out.push_str(&word),
        }
        at = span.1;
    }
    if to < spans.len() {
        out.push_str(" …");
    }
    let _ = end;
    out
}

/// Text made safe to put in HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_stems_and_drops_its_stop_words() {
        assert_eq!(
            index_text(Language::En, "The fans are running noisily"),
            "fan run noisili"
        );
        assert_eq!(query_terms(Language::En, "fan FANS the fan"), ["fan"]);
        assert_eq!(
            index_text(Language::Nl, "De ventilatoren maken lawaai"),
            "ventilator mak lawaai"
        );
        assert_eq!(
            index_text(Language::Fr, "Les ventilateurs sont bruyants"),
            "le ventil brui",
            "as PostgreSQL's french"
        );
        assert_eq!(
            index_text(Language::Nb, "Viftene lager støy"),
            "vift lag støy"
        );
        assert_eq!(
            index_text(Language::Sv, "Fläktarna låter mycket"),
            "fläkt låt"
        );
    }

    #[test]
    fn queries_are_bounded_and_quoted() {
        let long = (0..50)
            .map(|i| format!("word{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(query_terms(Language::En, &long).len(), QUERY_TERMS_MAX);
        assert!(query_terms(Language::En, &"x".repeat(500)).is_empty());
        assert!(
            query_terms(Language::En, "\" OR ' | & ! ( ) * : NEAR")
                .iter()
                .all(|t| t.chars().all(char::is_alphanumeric))
        );
        let groups = vec![
            vec!["fan".to_owned(), "nois".to_owned()],
            vec!["fan".to_owned(), "noise".to_owned()],
            vec!["fan".to_owned(), "nois".to_owned()],
        ];
        assert_eq!(
            fts5_query(&groups, false),
            "\"fan\" OR \"nois\" OR \"noise\""
        );
        assert_eq!(
            fts5_query(&groups, true),
            "(\"fan\" AND \"nois\") OR (\"fan\" AND \"noise\")"
        );
        assert_eq!(tsquery(&groups, false), "'fan' | 'nois' | 'noise'");
        assert_eq!(
            tsquery(&groups, true),
            "('fan' & 'nois') | ('fan' & 'noise')"
        );
    }

    #[test]
    fn more_terms_then_the_title_rank_first() {
        let terms = query_terms(Language::En, "fan noise");
        let both = score(&terms, "laptop", "fan nois");
        let title = score(&terms, "fan", "clean it");
        let body = score(&terms, "laptop", "the fan");
        assert!(both > title && title > body, "{both} {title} {body}");
        let loud = score(&terms, "fan fan fan", &"fan ".repeat(500));
        assert!(
            score(&terms, "x", &format!("{} fan nois", "y ".repeat(5000))) > loud,
            "every term first"
        );
    }

    #[test]
    fn a_snippet_marks_the_matches_and_escapes_the_rest() {
        let body = "Before anything <b>else</b>: the fans spin loudly when the BIOS is old.";
        let s = snippet(Language::En, body, &query_terms(Language::En, "fan"));
        assert_eq!(
            s,
            "Before anything &lt;b&gt;else&lt;/b&gt;: the <mark>fans</mark> spin loudly when the BIOS is old"
        );
        let long = format!("{} fan {}", "word ".repeat(40), "tail ".repeat(40));
        let s = snippet(Language::En, &long, &["fan".to_owned()]);
        assert!(
            s.starts_with("… ") && s.ends_with(" …") && s.contains("<mark>fan</mark>"),
            "{s}"
        );
        assert_eq!(snippet(Language::En, "", &["fan".to_owned()]), "");
    }
}
