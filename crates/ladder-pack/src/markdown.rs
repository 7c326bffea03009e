//! Teacher Markdown to safe HTML.
//!
//! Pack content is untrusted, so rendering is allow-list only: raw HTML in the Markdown is
//! dropped, links are reduced to their text (a pack has nothing to link to, and the app never
//! navigates away), images are kept only when they point into the pack's `media/` folder, and
//! the result goes through `ammonia` with a short list of tags and attributes (no scripts, event
//! handlers, styles or remote URLs). Elements nested deeper than [`MAX_NESTING`] are flattened
//! into their ancestor, so rendering stays linear in the input's size. Inline maths `$...$` becomes
//! `<span class="math">TeX</span>` and display maths `$$...$$` becomes
//! `<span class="math math-display">TeX</span>`, with the TeX escaped, for KaTeX to typeset in
//! the front end.
//!
//! ```
//! let html = ladder_pack::render_markdown("Take $\\frac{3}{8}$ <script>alert(1)</script>");
//! assert_eq!(html, "<p>Take <span class=\"math\">\\frac{3}{8}</span> </p>\n");
//! ```

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::msg::Msg;
use crate::source::path_problem;

fn options() -> Options {
    Options::ENABLE_MATH | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Whether `url` names a file of the pack's `media/` folder (a safe relative path).
pub fn is_media_path(url: &str) -> bool {
    url.strip_prefix("media/").is_some_and(|r| !r.is_empty()) && path_problem(url).is_none()
}

/// The image types the app shows, by file extension (any case), with their MIME types.
pub const IMAGE_TYPES: [(&str, &str); 6] = [
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
];

/// The MIME type of an image file the app shows, by extension; `None` for anything else.
pub fn image_mime(path: &str) -> Option<&'static str> {
    let ext = std::path::Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    IMAGE_TYPES.iter().find(|(e, _)| *e == ext).map(|(_, mime)| *mime)
}

/// What the validator needs of one Markdown string, from one parse.
#[derive(Debug, Default, PartialEq)]
pub struct MarkdownCheck {
    /// The destinations of every image, as written.
    pub images: Vec<String>,
    /// Aligned with `images`: where each image starts in the Markdown (a byte offset), so a
    /// report can name its line inside a long text.
    pub image_at: Vec<usize>,
    /// What a learner would not see as the author meant: `(true, msg)` for an error (text
    /// that looks like an image but is not read as one, so the learner sees `![...](...)` as
    /// text), `(false, msg)` for a warning (raw HTML, which is dropped).
    pub problems: Vec<(bool, Msg)>,
    /// Aligned with `problems`: where each was found in the Markdown, when one place says it.
    pub problem_at: Vec<Option<usize>>,
}

/// Reads `markdown` once for [`MarkdownCheck`].
pub fn check_markdown(markdown: &str) -> MarkdownCheck {
    let mut out = Vec::new();
    let mut at = Vec::new();
    let mut images = Vec::new();
    let mut image_at = Vec::new();
    let mut text = String::new();
    let mut html: Vec<String> = Vec::new();
    let mut html_at = None;
    let mut in_image = 0usize;
    // The outermost open image and its description so far, and where it starts.
    let mut alt: Option<(String, String)> = None;
    let mut alt_at = 0;
    // The `<span lang>`s open in the current block, with where each starts.
    let mut open_spans: Vec<(String, usize)> = Vec::new();
    // The first link written `[text](target)` (or by reference), and where: said once.
    let mut link: Option<(String, usize)> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if let Event::End(
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item,
        ) = event
        {
            // The sanitiser closes a span left open here: the rest of the block was read in
            // its language. Said once, at the first such span.
            if let Some((lang, start)) = open_spans.drain(..).next() {
                out.push((false, Msg::SpanNotClosed { lang }));
                at.push(Some(start));
            }
        }
        match event {
            // An autolink (`<https://...>`) shows its address as its text: nothing is lost.
            Event::Start(Tag::Link { link_type, dest_url, .. })
                if link.is_none() && !matches!(link_type, LinkType::Autolink | LinkType::Email) =>
            {
                link = Some((dest_url.into_string(), range.start));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                if in_image == 0 {
                    alt = Some((dest_url.to_string(), String::new()));
                    alt_at = range.start;
                }
                images.push(dest_url.into_string());
                image_at.push(range.start);
                in_image += 1;
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                // Only a picture of the pack: one from elsewhere is an error of its own.
                let bare = |(src, said): &(String, String)| {
                    said.trim().is_empty() && src.starts_with("media/")
                };
                if in_image == 0 {
                    if let Some((src, _)) = alt.take().filter(bare) {
                        out.push((false, Msg::ImageWithoutAlt { src }));
                        at.push(Some(alt_at));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t)
                if in_image > 0 =>
            {
                if let Some((_, said)) = alt.as_mut() {
                    said.push_str(&t);
                }
            }
            Event::Text(t) if in_image == 0 => text.push_str(&t),
            Event::End(TagEnd::Paragraph) | Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::InlineHtml(h) => match (kept_inline_tag(&h), span_language(&h)) {
                (Some(_), Some(Ok(lang))) => open_spans.push((lang, range.start)),
                (Some(kept), _) => {
                    if kept == "</span>" {
                        open_spans.pop();
                    }
                }
                // A span whose `lang` is not a language tag: its own warning, with the tag to
                // write.
                (None, Some(Err(value))) => {
                    let suggestion = crate::analyze::suggested_language_tag(&value);
                    out.push((false, Msg::NotLanguageTag { value, suggestion }));
                    at.push(Some(range.start));
                }
                (None, _) => note_html(&mut html, &mut html_at, &h, range.start),
            },
            Event::Html(h) => note_html(&mut html, &mut html_at, &h, range.start),
            _ => {}
        }
    }
    if let Some(start) = text.find("![") {
        if text[start..].contains("](") {
            // Up to the `)` that ends the path, as the teacher wrote it (the text after it was
            // read without its HTML tags, and is not what the file says).
            let line = text[start..].split('\n').next().unwrap_or("");
            let end = line.find("](").and_then(|at| line[at..].find(')').map(|e| at + e + 1));
            let shown: String = line[..end.unwrap_or(line.len())].chars().take(60).collect();
            let shown = shown.trim_end();
            out.push((true, Msg::NotReadAsImage { shown: shown.to_owned() }));
            at.push(markdown.find(shown));
        }
    }
    if !html.is_empty() {
        out.push((false, Msg::RawHtml { tags: html }));
        at.push(html_at);
    }
    if let Some((target, start)) = link {
        // A hostile target cannot make the message long.
        let target: String = target.chars().take(80).collect();
        out.push((false, Msg::LinkNotFollowed { target }));
        at.push(Some(start));
    }
    for (open, close) in latex_delimiters(markdown) {
        out.push((false, Msg::MathsDelimiters { open: open.into(), close: close.into() }));
        at.push(markdown.find(open));
    }
    MarkdownCheck { images, image_at, problems: out, problem_at: at }
}

/// Notes the element that the dropped HTML `fragment` at byte `at` opens or closes, once per
/// element name, and where the first dropped HTML starts.
fn note_html(names: &mut Vec<String>, first_at: &mut Option<usize>, fragment: &str, at: usize) {
    if let Some(tag) = html_tag_name(fragment).filter(|t| !names.contains(t)) {
        names.push(tag);
        first_at.get_or_insert(at);
    }
}

/// The LaTeX maths delimiters used in `markdown` outside `$...$`, `\(`...`\)` and
/// `\[`...`\]` (each pair once): Markdown reads `\(` as an escaped `(`, so the TeX between
/// them reaches learners as written.
fn latex_delimiters(markdown: &str) -> Vec<(&'static str, &'static str)> {
    let mut found = Vec::new();
    for (open, close) in [("\\(", "\\)"), ("\\[", "\\]")] {
        let bytes = markdown.as_bytes();
        // Found once: a close after an open is all that is asked (linear in the text).
        let Some(last_close) = markdown.rfind(close) else {
            continue;
        };
        let (mut i, mut in_maths) = (0, false);
        while i < bytes.len() {
            match bytes[i] {
                b'$' => {
                    in_maths = !in_maths;
                    i += if bytes.get(i + 1) == Some(&b'$') { 2 } else { 1 };
                }
                b'\\' => {
                    let opens = !in_maths && markdown.get(i..).is_some_and(|r| r.starts_with(open));
                    if opens && last_close > i {
                        found.push((open, close));
                        break;
                    }
                    i += 2;
                }
                _ => i += 1,
            }
        }
    }
    found
}

/// The lowercase name of the element an HTML fragment opens or closes (`<img src=..>` is `img`).
fn html_tag_name(fragment: &str) -> Option<String> {
    let rest = fragment.trim_start().strip_prefix('<')?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// The destinations of every image in `markdown`, as written.
pub fn image_sources(markdown: &str) -> Vec<String> {
    check_markdown(markdown).images
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
    let mut cap = DepthCap::default();
    // Inside an image that is not kept: its alt text is collected and emitted as plain text.
    // A dropped image's alt text so far, and how many images are open inside it (CommonMark
    // lets an image's description hold images: `![a ![b](x)](y)`).
    let mut dropped_image: Option<(String, usize)> = None;
    // Inside an inline `<script>` or `<style>` element: its content is dropped with its tags
    // (ammonia does so for block HTML; inline, the text between the tags arrives as text).
    let mut dropped_element: Option<String> = None;
    for event in Parser::new_ext(markdown, options()) {
        if let Some(name) = &dropped_element {
            match &event {
                // Structure passes (an unclosed element ends with its paragraph).
                Event::Start(_) => {}
                Event::End(end) => {
                    if matches!(
                        end,
                        TagEnd::Paragraph
                            | TagEnd::Heading(_)
                            | TagEnd::Item
                            | TagEnd::TableCell
                            | TagEnd::BlockQuote(_)
                    ) {
                        dropped_element = None;
                    }
                }
                Event::InlineHtml(h) => {
                    let closing = h.trim_start().starts_with("</");
                    if closing && html_tag_name(h).as_deref() == Some(name.as_str()) {
                        dropped_element = None;
                    }
                    continue;
                }
                _ => continue,
            }
        }
        if let Some((alt, inner)) = dropped_image.as_mut() {
            match event {
                Event::Start(Tag::Image { .. }) => *inner += 1,
                Event::End(TagEnd::Image) if *inner > 0 => *inner -= 1,
                Event::End(TagEnd::Image) => {
                    let (alt, _) = dropped_image.take().unwrap_or_default();
                    cap.push(&mut events, Event::Text(CowStr::from(alt)));
                }
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    alt.push_str(&t)
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::InlineHtml(h) if kept_inline_tag(&h).is_some() => {
                let tag = kept_inline_tag(&h).unwrap_or_default();
                cap.push(&mut events, Event::InlineHtml(CowStr::from(tag)));
            }
            Event::InlineHtml(h) => {
                let opening = !h.trim_start().starts_with("</");
                if let Some(name) =
                    html_tag_name(&h).filter(|n| opening && RAW_TEXT.contains(&n.as_str()))
                {
                    if !h.trim_end().ends_with("/>") {
                        dropped_element = Some(name);
                    }
                }
            }
            Event::Html(_) => {}
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => {}
            Event::Start(Tag::Image { ref dest_url, .. }) if !is_media_path(dest_url) => {
                dropped_image = Some((String::new(), 0));
            }
            // The HTML writer percent-encodes a space or an accented letter but leaves `%` as it
            // is; written as `%25` here, the sanitiser's decoding gives back the path exactly as
            // the pack wrote it, which is the path the validator checked (`media/50%25.svg` is
            // the file of that name, not `media/50%.svg`).
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = CowStr::from(dest_url.replace('%', "%25"));
                cap.push(&mut events, Event::Start(Tag::Image { link_type, dest_url, title, id }))
            }
            Event::InlineMath(tex) => cap.push(
                &mut events,
                Event::Html(CowStr::from(format!(
                    "<span class=\"math\">{}</span>",
                    escape_html(&tex)
                ))),
            ),
            Event::DisplayMath(tex) => cap.push(
                &mut events,
                Event::Html(CowStr::from(format!(
                    "<span class=\"math math-display\">{}</span>",
                    escape_html(&tex)
                ))),
            ),
            other => cap.push(&mut events, other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer().clean(&html).to_string()
}

/// The deepest nesting of Markdown elements a rendering keeps (quotes in lists in quotes ...):
/// deeper elements are dropped and their content joins the element at this depth. Real
/// content nests a handful of levels; without a bound, one hostile prompt of nested `>` made
/// the sanitiser's tree builder (quadratic in depth) run for hours.
pub const MAX_NESTING: usize = 32;

/// Passes structure on up to [`MAX_NESTING`] levels deep; deeper elements are left out (a
/// line break stands for a block's end, so words do not run together).
#[derive(Default)]
struct DepthCap {
    /// One entry per open element: whether its start was passed on.
    open: Vec<bool>,
    kept: usize,
}

impl DepthCap {
    fn push<'a>(&mut self, events: &mut Vec<Event<'a>>, event: Event<'a>) {
        match event {
            Event::Start(_) => {
                let keep = self.kept < MAX_NESTING;
                self.open.push(keep);
                if keep {
                    self.kept += 1;
                    events.push(event);
                }
            }
            Event::End(end) => match self.open.pop() {
                // An end without a start (none is passed on: it would close an ancestor's level).
                None => {}
                Some(true) => {
                    self.kept = self.kept.saturating_sub(1);
                    events.push(event);
                }
                Some(false)
                    if !matches!(
                        end,
                        TagEnd::Emphasis
                            | TagEnd::Strong
                            | TagEnd::Strikethrough
                            | TagEnd::Superscript
                            | TagEnd::Subscript
                            | TagEnd::Link
                            | TagEnd::Image
                    ) =>
                {
                    events.push(Event::SoftBreak)
                }
                Some(false) => {}
            },
            other => events.push(other),
        }
    }
}

/// Elements whose content is not text for the reader, dropped with their tags.
const RAW_TEXT: [&str; 2] = ["script", "style"];

/// Inline HTML elements kept, as bare tags without attributes, where Markdown has no way to
/// write them: `2<sup>3</sup>`, `H<sub>2</sub>O`, a line break `<br>`. (Dropped, `2<sup>3</sup>`
/// read "23" and changed the question.) And `<span lang="es">` for words in another language
/// than the rest, with that one attribute ([`span_language`]).
const KEPT_INLINE: [&str; 4] = ["sup", "sub", "br", "span"];

/// The bare form of a kept inline tag (`<sup>`, `</sup>`, `<br>`, `<span lang="es">`), or
/// `None` for any other.
fn kept_inline_tag(h: &str) -> Option<String> {
    let name = html_tag_name(h).filter(|n| KEPT_INLINE.contains(&n.as_str()))?;
    let closing = h.trim_start().starts_with("</");
    Some(match (closing, name.as_str()) {
        (_, "br") => "<br>".to_owned(),
        (true, _) => format!("</{name}>"),
        (false, "span") => match span_language(h) {
            Some(Ok(tag)) => format!("<span lang=\"{tag}\">"),
            _ => return None,
        },
        (false, _) => format!("<{name}>"),
    })
}

/// The language an opening `<span lang="...">` names, when `lang` is its only attribute:
/// `Ok` with a language tag, `Err` with what was written instead; `None` for any other span.
fn span_language(h: &str) -> Option<std::result::Result<String, String>> {
    // HTML's names in any case (`<SPAN LANG="es">`), the attribute after a space.
    let h = h.trim();
    if !h.get(..5)?.eq_ignore_ascii_case("<span") {
        return None;
    }
    let rest = h[5..].strip_suffix('>')?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest).trim();
    let (name, value) = rest.split_once('=')?;
    if !name.trim_end().eq_ignore_ascii_case("lang") {
        return None;
    }
    let value = value.trim_start();
    let quote = value.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let (tag, after) = value[1..].split_once(quote)?;
    if !after.trim().is_empty() {
        return None;
    }
    Some(if crate::analyze::is_language_tag(tag) {
        Ok(tag.to_owned())
    } else {
        Err(tag.to_owned())
    })
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
    attributes.insert("span", ["lang"].into_iter().collect());
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
            // The file's own path, as the pack lists it (the HTML writer percent-encodes a
            // space or an accented letter): the app maps it to the file as it is.
            ("img", "src") => {
                let path = percent_decoded(value);
                is_media_path(&path).then(|| path.into())
            }
            ("span", "lang") => crate::analyze::is_language_tag(value).then(|| value.into()),
            _ => Some(value.into()),
        });
    b
}

/// `value` with its `%XX` escapes decoded, when they decode to UTF-8 (else `value` as it is).
fn percent_decoded(value: &str) -> String {
    percent_decode(value).unwrap_or_else(|| value.to_owned())
}

/// Decodes `%XX` escapes (a media path in an image's `src`, or in the app's `ladder-media:`
/// address); `None` for a broken escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An image whose file name has a space, an accented letter or `&` keeps that name in
    /// `src` (the HTML writer had percent-encoded it, and the app, which maps `src` to the pack's
    /// file, then showed no picture); a decoded path is checked as any other.
    #[test]
    fn superscripts_subscripts_and_line_breaks_written_in_html_are_kept() {
        // `2<sup>3</sup>` reached learners as "23", and `<br>` ran two lines into one word.
        let html = render_markdown("What is 2<sup>3</sup>? H<sub>2</sub>O.<br>Line two");
        assert!(html.contains("2<sup>3</sup>"), "{html}");
        assert!(html.contains("H<sub>2</sub>O"), "{html}");
        assert!(html.contains("<br>Line two") || html.contains("<br />Line two"), "{html}");
        // Only the bare tags: an attribute does not come through.
        let html = render_markdown("x<sup onclick=\"alert(1)\" style=\"color:red\">2</sup>");
        assert!(html.contains("x<sup>2</sup>"), "{html}");
        assert!(!html.contains("onclick") && !html.contains("style"), "{html}");
        // Not warned about as HTML that learners lose; other tags still are.
        let check = check_markdown("2<sup>3</sup> and H<sub>2</sub>O<br>next");
        assert!(check.problems.is_empty(), "{:?}", check.problems);
        let check = check_markdown("2<b>3</b>");
        assert!(!check.problems.is_empty());
    }

    /// Words in another language than the rest, marked `<span lang="es">Hola</span>`, keep
    /// their language, so a screen reader says them with that language's sounds (a Spanish
    /// word read with English rules is hard to recognise); the tag must be a language tag and
    /// the only attribute.
    /// A span left open reads the rest of its paragraph in its language (the sanitiser closes
    /// it there): a teacher who forgot `</span>` is told, at the span.
    #[test]
    fn a_span_left_open_is_reported() {
        let check = check_markdown("Say <span lang='es'>hola and then goodbye.\n\nNext.");
        assert_eq!(check.problems, [(false, Msg::SpanNotClosed { lang: "es".into() })]);
        assert_eq!(check.problem_at, [Some(4)]);
        let two = check_markdown("<span lang='es'>uno</span> and <span lang=\"es\">dos.");
        assert_eq!(two.problems, [(false, Msg::SpanNotClosed { lang: "es".into() })]);
        assert_eq!(two.problem_at, [Some(31)]);
        for closed in [
            "Say <span lang='es'>hola</span>.",
            "Say <span lang='es'>**hola**\nand adiós</span> twice.",
            "| <span lang='es'>uno</span> | one |\n|---|---|\n| <span lang='es'>dos</span> | two |\n",
            "- <span lang='es'>uno</span>\n- two",
            "## <span lang='es'>Tú</span> or <span lang='es'>usted</span>?",
        ] {
            assert!(check_markdown(closed).problems.is_empty(), "{closed}");
        }
    }

    /// An empty `lang` was reported as "`` is not a BCP 47 language tag": it is said to be
    /// empty, with the tags to write.
    #[test]
    fn an_empty_span_language_is_called_empty() {
        let check = check_markdown("Say <span lang=''>hola</span>.");
        let [(false, msg)] = &check.problems[..] else { panic!("{:?}", check.problems) };
        assert_eq!(
            msg.render(crate::msg::Lang::En),
            "the language tag is empty: write one such as \"en\" or \"es-MX\""
        );
        assert_eq!(
            msg.render(crate::msg::Lang::Es),
            "la etiqueta de idioma está vacía: escribe una como \"es\" o \"es-MX\""
        );
    }

    #[test]
    fn a_span_naming_the_language_of_its_words_is_kept() {
        let html = render_markdown("Say <span lang=\"es\">**buenos días**</span> before lunch.");
        assert!(
            html.contains("Say <span lang=\"es\"><strong>buenos días</strong></span> before"),
            "{html}"
        );
        let html = render_markdown("<span lang='es-MX'>ahorita</span>");
        assert!(html.contains("<span lang=\"es-MX\">ahorita</span>"), "{html}");
        // HTML's names in any case; the attribute must be one.
        let html = render_markdown("<SPAN LANG=\"es\">hola</SPAN>");
        assert!(html.contains("<span lang=\"es\">hola</span>"), "{html}");
        assert!(!render_markdown("<spanlang=\"es\">hola</span>").contains("<span"));
        assert!(check_markdown("Say <span lang=\"es\">hola</span>.").problems.is_empty());
        // Not a language tag: the words are kept, the span is not, and the teacher is told.
        let html = render_markdown("<span lang=\"spanish\">hola</span>");
        assert!(!html.contains("<span") && html.contains("hola"), "{html}");
        assert_eq!(
            check_markdown("<span lang=\"spanish\">hola</span>").problems,
            vec![(
                false,
                Msg::NotLanguageTag { value: "spanish".into(), suggestion: Some("es".into()) }
            )]
        );
        // Any other attribute: not kept, and warned about as other raw HTML is.
        for md in [
            "<span lang=\"es\" onclick=\"alert(1)\">hola</span>",
            "<span style=\"color:red\">hola</span>",
            "<span>hola</span>",
        ] {
            let html = render_markdown(md);
            assert!(!html.contains("<span") && !html.contains("onclick"), "{md}: {html}");
            let check = check_markdown(md);
            assert!(
                matches!(&check.problems[..], [(false, Msg::RawHtml { .. })]),
                "{md}: {:?}",
                check.problems
            );
        }
    }

    #[test]
    fn image_paths_keep_the_file_name_as_the_pack_lists_it() {
        for (md, src) in [
            ("![a](<media/bar 1-2.svg>)", "media/bar 1-2.svg"),
            ("![b](media/café.svg)", "media/café.svg"),
            ("![c](media/a&b.svg)", "media/a&amp;b.svg"),
            ("![d](media/a(1).svg)", "media/a(1).svg"),
            // The name as written: `%` is part of it (the validator looks for this file).
            ("![e](media/50%25.svg)", "media/50%25.svg"),
            ("![f](media/caf%C3%A9.svg)", "media/caf%C3%A9.svg"),
        ] {
            let html = render_markdown(md);
            assert!(html.contains(&format!("src=\"{src}\"")), "{md} gave {html}");
        }
        // An escape the pack wrote is part of the name, never decoded into a path step.
        let html = render_markdown("![x](media/%2e%2e/secret.svg)");
        assert!(html.contains("src=\"media/%2e%2e/secret.svg\""), "{html}");
        // The sanitiser checks what it decodes: an attribute that decodes out of media/ goes.
        let clean = sanitizer().clean("<img src=\"media/%2e%2e/x.svg\"><img src=\"%2e%2e/x.svg\">");
        assert!(!clean.to_string().contains("src="), "{clean}");
        assert_eq!(percent_decoded("media/50%.svg"), "media/50%.svg");
        assert_eq!(percent_decoded("media/%FF.svg"), "media/%FF.svg", "not UTF-8: as it is");
    }

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
    fn script_and_style_content_is_not_shown_as_text() {
        let html = render_markdown(
            "Type 0.75. <script>alert(\"hi\")</script> <STYLE>p { color: red }</STYLE> **bold**",
        );
        assert_eq!(html, "<p>Type 0.75.   <strong>bold</strong></p>\n");
        // Other inline tags go, their text stays; an unclosed script ends with its paragraph.
        assert_eq!(render_markdown("<b>half</b>"), "<p>half</p>\n");
        assert_eq!(render_markdown("a <script>x\n\nnext"), "<p>a </p>\n<p>next</p>\n");
    }

    #[test]
    fn problems_a_learner_would_see_are_found() {
        assert!(check_markdown("Plain $\\frac{1}{2}$ and ![ok](media/a.svg).").problems.is_empty());
        assert!(check_markdown("![ok](<media/my picture.svg>)").problems.is_empty());
        let spaced = check_markdown("See ![spaced](media/bar 1-2.svg) here").problems;
        assert_eq!(spaced.len(), 1);
        assert!(spaced[0].0, "an error");
        let text = spaced[0].1.render(crate::Lang::En);
        assert!(text.contains("![spaced](media/bar 1-2.svg)"), "{text}");
        let raw = check_markdown("<img src=\"media/a.svg\"> and <script>x</script>").problems;
        assert_eq!(raw.len(), 1);
        assert!(!raw[0].0, "a warning");
        let text = raw[0].1.render(crate::Lang::En);
        assert!(text.contains("<img>, <script>"), "{text}");
        assert_eq!(image_mime("media/A.SVG"), Some("image/svg+xml"));
        assert_eq!(image_mime("media/scan.bmp"), None);
        assert_eq!(image_mime("media/photo.heic"), None);
    }

    /// The deepest nesting of elements in `html` (void elements do not nest).
    fn element_depth(html: &str) -> usize {
        let (mut depth, mut deepest) = (0usize, 0usize);
        for tag in html.split('<').skip(1) {
            let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if tag.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else if !name.is_empty() && !["img", "br", "hr"].contains(&name.as_str()) {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
        deepest
    }

    /// Found by the security tester: the sanitiser's HTML tree builder is quadratic in the
    /// nesting depth, so one prompt of 16,000 `>` took 16 s to render and 1 MiB of them
    /// (a valid pack) froze the app for hours when the item was shown.
    #[test]
    fn deep_nesting_is_flattened_and_fast() {
        let started = std::time::Instant::now();
        for md in [
            ">".repeat(200_000) + " deep",
            "1. ".repeat(100_000) + "deep",
            "- ".repeat(100_000) + "deep",
            "> - ".repeat(50_000) + "deep",
            "*".repeat(100_000) + "deep" + &"*".repeat(100_000),
            "> | a |\n> |---|\n> | deep |\n".repeat(1000),
            (0..3000).map(|i| format!("{}- deep\n", "  ".repeat(i))).collect(),
            // Images inside a dropped image's description: their ends gave levels back.
            ">".repeat(64) + " deep " + &"![![![![x](a)](b)](c)](d)".repeat(2000),
            ">".repeat(64) + " deep " + &"![![x](media/a.svg)](b)".repeat(2000),
        ] {
            let html = render_markdown(&md);
            assert!(html.contains("deep"), "{}", &html[..html.len().min(200)]);
            let depth = element_depth(&html);
            assert!(depth <= MAX_NESTING, "{depth} levels from {:?}", &md[..40]);
        }
        // Generous for a debug build: it took over a minute before the fix.
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
        // Ordinary nesting is untouched.
        assert_eq!(
            render_markdown("> - a\n>   - **b**"),
            "<blockquote>\n<ul>\n<li>a\n<ul>\n<li><strong>b</strong></li>\n</ul>\n</li>\n</ul>\n</blockquote>\n"
        );
    }

    #[test]
    fn image_sources_are_listed() {
        assert_eq!(
            image_sources("x ![a](media/a.svg) and ![b](media/b.png \"t\") [not](media/c.svg)"),
            vec!["media/a.svg".to_owned(), "media/b.png".to_owned()]
        );
    }
}
