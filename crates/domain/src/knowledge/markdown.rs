//! Articles are written in Markdown and shown as HTML in which no script survives: raw HTML in
//! the Markdown is shown as text, and a link or image keeps its address only when it is a web,
//! mail or relative address (never `javascript:`, `data:` or `vbscript:`).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// The article's HTML: safe to put in a page as it is.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, events);
    out
}

/// The article's words without markup: what search indexes and snippets quote.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps an address whose scheme is http, https or mailto, or that has none (relative, `#…`);
/// anything else becomes `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = cleaned
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto") => url,
        Some(_) => CowStr::Borrowed("#"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = render(
            "# Reset\n\nPress **Fn+F2**, then see [the guide](https://example.com/g).\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        );
        assert!(html.contains("<h1>Reset</h1>"), "{html}");
        assert!(html.contains("<strong>Fn+F2</strong>"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.com/g\">the guide</a>"),
            "{html}"
        );
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn no_script_survives() {
        let attacks = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<div onclick=\"alert(1)\">x</div>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click]( java\tscript:alert(1))",
            "[click](java&#115;cript:alert(1))",
            "[click](&#106;avascript:alert(1))",
            "![x](javascript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](vbscript:msgbox(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x]: javascript:alert(1)\n\n[y][x]",
            "<svg/onload=alert(1)>",
            "<iframe src=\"https://evil.test\"></iframe>",
            "`<script>`",
            "<style>body{display:none}</style>",
            "[x](https://ok.test \"title\\\" onmouseover=\\\"alert(1)\")",
        ];
        for attack in attacks {
            let html = render(attack).to_ascii_lowercase();
            for bad in [
                "<script",
                "<img src=x",
                "onerror=\"",
                "<div",
                "<a href=\"javascript",
                "<img src=\"javascript",
                "<a href=\"data:",
                "<a href=\"vbscript",
                "<svg",
                "<iframe",
                "<style",
                "\" onmouseover",
            ] {
                assert!(!html.contains(bad), "{attack} gave {html}");
            }
        }
        assert!(render("<b>bold</b>").contains("&lt;b&gt;bold&lt;/b&gt;"));
    }

    #[test]
    fn relative_mail_and_anchor_links_stay() {
        for (md, href) in [
            ("[a](/articles/3)", "/articles/3"),
            ("[a](#steps)", "#steps"),
            ("[a](mailto:help@vendor.test)", "mailto:help@vendor.test"),
            ("[a](guide?x=a:b)", "guide?x=a:b"),
        ] {
            assert!(
                render(md).contains(&format!("href=\"{href}\"")),
                "{md}: {}",
                render(md)
            );
        }
    }

    #[test]
    fn plain_text_drops_the_markup() {
        assert_eq!(
            plain_text("# Fan noise\n\nClean the **fan** with `air`.\n\n- one\n- two"),
            "Fan noise Clean the fan with air. one two"
        );
    }
}
