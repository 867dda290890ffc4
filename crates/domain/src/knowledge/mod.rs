//! The knowledge base (KB-1): articles in five languages with a visibility, written in Markdown
//! that is rendered to safe HTML (`markdown`), and found by stemmed full-text search whose
//! ranking is one function for both databases (`search`).

pub mod markdown;
pub mod search;

use crate::Tier;

/// Who may read an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// Enterprise and partner users (and the operator's staff).
    Enterprise,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Public,
        Visibility::SignedIn,
        Visibility::Enterprise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::SignedIn => "signed_in",
            Visibility::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The widest visibility a reader reaches: nobody signed in reads public articles; a
    /// signed-in person also signed-in ones; enterprise, partner and staff everything.
    pub fn reach(tier: Option<Tier>) -> Visibility {
        match tier {
            None => Visibility::Public,
            Some(Tier::Enterprise | Tier::Partner | Tier::Staff) => Visibility::Enterprise,
            Some(Tier::Basic | Tier::Limited) => Visibility::SignedIn,
        }
    }

    /// The visibilities up to this one, for a reader who reaches it.
    pub fn up_to(self) -> Vec<&'static str> {
        Visibility::ALL
            .into_iter()
            .filter(|v| *v <= self)
            .map(Visibility::as_str)
            .collect()
    }
}

/// Whether an article is out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStatus {
    Draft,
    Published,
}

impl ArticleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleStatus> {
        match s {
            "draft" => Some(ArticleStatus::Draft),
            "published" => Some(ArticleStatus::Published),
            _ => None,
        }
    }
}

/// The five languages of articles (I18N-1), by the short code articles carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    En,
    Nl,
    Fr,
    Nb,
    Sv,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::En,
        Language::Nl,
        Language::Fr,
        Language::Nb,
        Language::Sv,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Nl => "nl",
            Language::Fr => "fr",
            Language::Nb => "nb",
            Language::Sv => "sv",
        }
    }

    /// `en`, or a locale tag that starts with it (`nl-NL`).
    pub fn parse(s: &str) -> Option<Language> {
        let short = s.split(['-', '_']).next().unwrap_or_default();
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(short))
    }

    /// PostgreSQL's text search configuration for the language.
    pub fn pg_config(self) -> &'static str {
        match self {
            Language::En => "english",
            Language::Nl => "dutch",
            Language::Fr => "french",
            Language::Nb => "norwegian",
            Language::Sv => "swedish",
        }
    }
}

/// The longest title and Markdown body an article may have.
pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reader_reaches_their_visibilities() {
        assert_eq!(Visibility::reach(None).up_to(), ["public"]);
        assert_eq!(
            Visibility::reach(Some(Tier::Basic)).up_to(),
            ["public", "signed_in"]
        );
        assert_eq!(
            Visibility::reach(Some(Tier::Limited)).up_to(),
            ["public", "signed_in"]
        );
        for tier in [Tier::Enterprise, Tier::Partner, Tier::Staff] {
            assert_eq!(
                Visibility::reach(Some(tier)).up_to(),
                ["public", "signed_in", "enterprise"]
            );
        }
    }

    #[test]
    fn languages_and_states_parse() {
        assert_eq!(Language::parse("nl-NL"), Some(Language::Nl));
        assert_eq!(Language::parse("SV"), Some(Language::Sv));
        assert_eq!(Language::parse("de"), None);
        assert_eq!(Language::parse(""), None);
        assert_eq!(
            ArticleStatus::parse("published"),
            Some(ArticleStatus::Published)
        );
        assert_eq!(ArticleStatus::parse("gone"), None);
        assert_eq!(Visibility::parse("partner"), None);
    }
}
