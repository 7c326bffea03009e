//! Hostile teacher Markdown (docs/security.md, "Teacher content"): whatever a pack writes, the
//! rendered HTML holds only allow-listed elements and attributes, images only from the pack's
//! `media/` folder (no scheme, no `..`), and no link, script, style, event handler or `srcset`.
//! Checked on a catalogue of known sanitiser bypasses and on random mixtures of them.

use proptest::prelude::*;

const TAGS: [&str; 28] = [
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
];

/// Reads `html` as a browser would (tags, attribute names and values) and checks the
/// allow-list; the message names what broke it.
fn check_allow_list(md: &str, html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let body = rest.trim_start_matches('/');
        let end = body.find('>').ok_or_else(|| format!("{md:?}: unclosed tag in {html:?}"))?;
        let tag = &body[..end];
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if !TAGS.contains(&name.as_str()) {
            return Err(format!("{md:?}: element <{name}> in {html:?}"));
        }
        if closing {
            continue;
        }
        // Attributes are written by the sanitiser as name="value", values escaped.
        let mut attrs = tag[name.len()..].trim();
        while !attrs.is_empty() {
            let eq = attrs.find("=\"").ok_or_else(|| format!("{md:?}: odd attribute {attrs:?}"))?;
            let attr = attrs[..eq].trim();
            let after = &attrs[eq + 2..];
            let close = after.find('"').ok_or_else(|| format!("{md:?}: unclosed value"))?;
            let value = &after[..close];
            let ok = match (name.as_str(), attr) {
                ("img", "src") => {
                    value.starts_with("media/")
                        && !value.contains(':')
                        && !value.split('/').any(|c| c == "..")
                }
                ("img", "alt" | "title") => !value.contains(['<', '>', '"']),
                ("ol", "start") => value.chars().all(|c| c.is_ascii_digit()),
                ("span", "class") => value == "math" || value == "math math-display",
                _ => false,
            };
            if !ok {
                return Err(format!("{md:?}: <{name} {attr}=\"{value}\"> in {html:?}"));
            }
            attrs = after[close + 1..].trim_start();
        }
    }
    Ok(())
}

/// Known bypasses of HTML sanitisers and Markdown renderers.
const CATALOGUE: &[&str] = &[
    "<script>alert(1)</script>",
    "<ScRiPt >alert(1)</sCrIpT >",
    "<script\n>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"media/a.svg\" onerror=\"alert(1)\">",
    "<img src=\"media/a.svg\" srcset=\"https://evil.example/x 1x\">",
    "<img srcset='https://evil.example/x.png 1x' src='media/a.png'>",
    "![x](media/a.svg\"onerror=\"alert(1))",
    "![x\" onerror=\"alert(1)](media/a.svg)",
    "![x](media/a.svg 'title\" onerror=x')",
    "![a](media/x.svg){onerror=alert(1)}",
    "![a](media/x.svg?x=<script>)",
    "![a](media/&#46;&#46;/x.svg)",
    "![a](media/..%2f..%2fx.svg)",
    "![a](media\\..\\x.svg)",
    "![a](/etc/passwd)",
    "![a](file:///etc/passwd)",
    "![a](//evil.example/media/x.png)",
    "![a](https://evil.example/media/x.png)",
    "![a](data:image/svg+xml,<svg/onload=alert(1)>)",
    "![a](DATA:image/png;base64,AAAA)",
    "![a][r]\n\n[r]: data:image/svg+xml,<svg/onload=alert(1)>",
    "![a][r]\n\n[r]: javascript:alert(1)",
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](java&#x09;script:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](\u{0}javascript:alert(1))",
    "[a]( javascript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](VBScript:msgbox(1))",
    "[a](data:text/html,<script>alert(1)</script>)",
    "[a](https://evil.example)",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "[a][r]\n\n[r]: https://evil.example \"t\"",
    "<https://evil.example/x>",
    "<javascript:alert(1)>",
    "<mailto:a@b.c>",
    "www.evil.example https://evil.example a@b.c",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=x>y</a>",
    "<!-- --><script>alert(1)</script> -->",
    "<!-- <img src=x onerror=alert(1)> -->",
    "x <!-- a --!><img src=x onerror=alert(1)>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<svg><foreignObject><iframe src=x></iframe></foreignObject></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x'><image href='1' onerror='alert(1)'/></svg>#x\"/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>@import 'https://evil.example'</style>",
    "<style>body{background:url(https://evil.example)}</style>",
    "<p style=\"background:url(https://evil.example/x)\">x</p>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=x></object><embed src=x>",
    "<form action=x><input formaction=javascript:alert(1)><button>x</button></form>",
    "<details open ontoggle=alert(1)>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<title><img src=x onerror=alert(1)></title>",
    "<template><img src=x onerror=alert(1)></template>",
    "<span class=\"math\" onmouseover=\"x()\">m</span>",
    "<span class=\"math\">\\href{javascript:alert(1)}{x}</span>",
    "$</span><script>alert(1)</script>$",
    "$$</span><img src=x onerror=alert(1)>$$",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "| <img src=x onerror=alert(1)> | b |\n|--|--|\n| 1 | 2 |",
    "| [x](javascript:alert(1)) | ![a](https://evil.example/x.png) |\n|--|--|\n| 1 | 2 |",
    "> <script>alert(1)</script>\n> ![a](javascript:alert(1))",
    "- [ ] <img src=x onerror=alert(1)>",
    "99999999999. big start",
    "1234567. start",
];

#[test]
fn catalogue_renders_only_the_allow_list() {
    for md in CATALOGUE {
        let html = ladder_pack::render_markdown(md);
        if let Err(e) = check_allow_list(md, &html) {
            panic!("{e}");
        }
    }
    // What a learner should still see survives.
    assert_eq!(ladder_pack::render_markdown("[a](javascript:alert(1))"), "<p>a</p>\n");
    assert!(ladder_pack::render_markdown("![x](media/a.svg)").contains("src=\"media/a.svg\""));
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(CATALOGUE).prop_map(str::to_owned),
        proptest::sample::select(vec![
            "<",
            ">",
            "\"",
            "'",
            "`",
            "$",
            "$$",
            "*",
            "_",
            "[",
            "]",
            "(",
            ")",
            "!",
            "\n",
            "\n\n",
            "> ",
            "- ",
            "1. ",
            "|",
            "|-|",
            "&",
            "&#",
            ";",
            "media/a.svg",
            "javascript:",
            "<!--",
            "-->",
            "<img ",
            " src=",
            " onerror=",
            "<svg",
            "<script>",
            "</script>",
            "\\",
            " ",
        ])
        .prop_map(str::to_owned),
        "[ -~\\n]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random mixtures of hostile fragments and Markdown syntax never escape the allow-list.
    #[test]
    fn mixtures_render_only_the_allow_list(parts in proptest::collection::vec(fragment(), 1..12)) {
        let md = parts.concat();
        let html = ladder_pack::render_markdown(&md);
        if let Err(e) = check_allow_list(&md, &html) {
            return Err(TestCaseError::fail(e));
        }
    }
}
