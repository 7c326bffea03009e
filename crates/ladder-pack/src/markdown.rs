//! Teacher Markdown to safe HTML.
//!
//! Pack content is untrusted, so rendering is allow-list only: raw HTML in the Markdown is
//! dropped, links are reduced to their text (a pack has nothing to link to, and the app never
//! navigates away), images are kept only when they point into the pack's `media/` folder, and
//! the result goes through `ammonia` with a short list of tags and attributes (no scripts, event
//! handlers, styles or remote URLs). Inline maths `$...$` becomes
//! `<span class="math">TeX</span>` and display maths `$$...$$` becomes
//! `<span class="math math-display">TeX</span>`, with the TeX escaped, for KaTeX to typeset in
//! the front end.
//!
//! ```
//! let html = ladder_pack::render_markdown("Take $\\frac{3}{8}$ <script>alert(1)</script>");
//! assert_eq!(html, "<p>Take <span class=\"math\">\\frac{3}{8}</span> alert(1)</p>\n");
//! ```

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::source::path_problem;

fn options() -> Options {
    Options::ENABLE_MATH | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Whether `url` names a file of the pack's `media/` folder (a safe relative path).
pub fn is_media_path(url: &str) -> bool {
    url.strip_prefix("media/").is_some_and(|r| !r.is_empty()) && path_problem(url).is_none()
}

/// The destinations of every image in `markdown`, as written.
pub fn image_sources(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, options())
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.into_string()),
            _ => None,
        })
        .collect()
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders pack Markdown to sanitised HTML (see the module docs for what survives).
///
/// Image `src` attributes keep the pack-relative path (`media/pie.svg`); the caller maps them to
/// data URLs or app URLs.
pub fn render_markdown(markdown: &str) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    // Inside an image that is not kept: its alt text is collected and emitted as plain text.
    let mut dropped_image: Option<String> = None;
    for event in Parser::new_ext(markdown, options()) {
        if let Some(alt) = dropped_image.as_mut() {
            match event {
                Event::End(TagEnd::Image) => {
                    let alt = dropped_image.take().unwrap_or_default();
                    events.push(Event::Text(CowStr::from(alt)));
                }
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    alt.push_str(&t)
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => {}
            Event::Start(Tag::Image { ref dest_url, .. }) if !is_media_path(dest_url) => {
                dropped_image = Some(String::new());
            }
            Event::InlineMath(tex) => events.push(Event::Html(CowStr::from(format!(
                "<span class=\"math\">{}</span>",
                escape_html(&tex)
            )))),
            Event::DisplayMath(tex) => events.push(Event::Html(CowStr::from(format!(
                "<span class=\"math math-display\">{}</span>",
                escape_html(&tex)
            )))),
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer().clean(&html).to_string()
}

fn sanitizer() -> ammonia::Builder<'static> {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "img",
        "span",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "sup",
        "sub",
    ]
    .into_iter()
    .collect();
    let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    attributes.insert("img", ["src", "alt", "title"].into_iter().collect());
    attributes.insert("ol", ["start"].into_iter().collect());
    let mut classes: HashMap<&str, HashSet<&str>> = HashMap::new();
    classes.insert("span", ["math", "math-display"].into_iter().collect());
    let mut b = ammonia::Builder::empty();
    b.tags(tags)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .tag_attributes(attributes)
        .generic_attributes(HashSet::new())
        .allowed_classes(classes)
        .url_schemes(HashSet::new())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if !is_media_path(value) => None,
            _ => Some(value.into()),
        });
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markdown_survives() {
        let html = render_markdown("A **fraction** names *equal* parts.\n\n- one\n- two\n");
        assert_eq!(
            html,
            "<p>A <strong>fraction</strong> names <em>equal</em> parts.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        );
    }

    #[test]
    fn maths_is_kept_escaped_for_katex() {
        let html = render_markdown("So $a<b$ and $\\frac{3}{8}$.\n\n$$x^2 & y$$");
        assert!(html.contains("<span class=\"math\">a&lt;b</span>"), "{html}");
        assert!(html.contains("<span class=\"math\">\\frac{3}{8}</span>"), "{html}");
        assert!(html.contains("<span class=\"math math-display\">x^2 &amp; y</span>"), "{html}");
    }

    #[test]
    fn media_images_are_kept_and_others_become_text() {
        let html = render_markdown("![a pie](media/pie-3-8.svg) ![x](https://evil.example/x.png)");
        assert!(html.contains("<img src=\"media/pie-3-8.svg\" alt=\"a pie\">"), "{html}");
        assert!(!html.contains("evil"), "{html}");
        assert!(html.contains(" x"), "alt text of the dropped image is kept: {html}");
        for bad in [
            "![a](media/../../etc/passwd)",
            "![a](/media/x.png)",
            "![a](//evil.example/media/x.png)",
            "![a](javascript:alert(1))",
            "![a](data:image/svg+xml;base64,PHN2Zz4=)",
        ] {
            let html = render_markdown(bad);
            assert!(!html.contains("<img"), "{bad} gave {html}");
        }
    }

    #[test]
    fn hostile_html_is_removed() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">click</a>",
            "[click](javascript:alert(1))",
            "[site](https://evil.example)",
            "<https://evil.example>",
            "<style>body{display:none}</style>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div style=\"position:fixed\" onclick=\"x()\">hi</div>",
            "<svg><script>alert(1)</script></svg>",
            "$</span><script>alert(1)</script>$",
            "<span class=\"math\" onmouseover=\"x()\">m</span>",
            "| a | b |\n|:--|--:|\n| 1 | 2 |",
        ];
        for md in cases {
            let html = render_markdown(md);
            let lower = html.to_lowercase();
            for banned in [
                "<script",
                "onerror",
                "onclick",
                "onmouseover",
                "javascript:",
                "<a ",
                "href",
                "style=",
                "<iframe",
                "<svg",
                "src=\"http",
                "src=\"//",
            ] {
                assert!(!lower.contains(banned), "{md:?} rendered {html:?}");
            }
        }
        assert_eq!(render_markdown("[site](https://evil.example)"), "<p>site</p>\n");
        // An autolink stays visible as text, but is no longer a link.
        assert_eq!(render_markdown("<https://evil.example>"), "<p>https://evil.example</p>\n");
    }

    #[test]
    fn image_sources_are_listed() {
        assert_eq!(
            image_sources("x ![a](media/a.svg) and ![b](media/b.png \"t\") [not](media/c.svg)"),
            vec!["media/a.svg".to_owned(), "media/b.png".to_owned()]
        );
    }
}
