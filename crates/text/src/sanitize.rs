//! Remote HTML sanitising with upstream's `Sanitize::Config::MASTODON_STRICT`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use regex::Regex;

const ELEMENTS: &[&str] = &[
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
    "ruby",
    "rt",
    "rp",
];

/// `Sanitize::Config::LINK_PROTOCOLS`.
const LINK_PROTOCOLS: &[&str] = &[
    "http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini",
];

/// Sanitize's default `remove_contents` list (elements dropped with their content).
const REMOVE_CONTENTS: &[&str] = &[
    "iframe",
    "math",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "svg",
    "xmp",
];

/// h1–h6 are turned into `<p><strong>…</strong></p>` (UNSUPPORTED_ELEMENTS_TRANSFORMER).
static HEADING_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)<(/?)h[1-6](?:\s[^>]*)?>").ok());

/// Removed block elements are replaced by surrounding spaces (Sanitize's
/// default `whitespace_elements`).
static BLOCK_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)<(/?)(?:address|article|aside|dd|div|dl|dt|footer|header|hgroup|hr|nav|section)(?:\s[^>]*)?/?>",
    )
    .ok()
});

fn preprocess(html: &str) -> String {
    let html = match HEADING_RE.as_ref() {
        Some(re) => re.replace_all(html, |c: &regex::Captures| {
            if c.get(1).is_some_and(|m| !m.as_str().is_empty()) {
                "</strong></p>"
            } else {
                "<p><strong>"
            }
        }),
        None => Cow::Borrowed(html),
    };
    match BLOCK_RE.as_ref() {
        Some(re) => re
            .replace_all(&html, |c: &regex::Captures| {
                let tag = c.get(0).map_or("", |m| m.as_str());
                let closing = c.get(1).is_some_and(|m| !m.as_str().is_empty());
                let void = tag.get(1..3).is_some_and(|n| n.eq_ignore_ascii_case("hr"));
                match (closing, void) {
                    (_, true) => format!(" {tag} "),
                    (true, false) => format!("{tag} "),
                    (false, false) => format!(" {tag}"),
                }
            })
            .into_owned(),
        None => html.into_owned(),
    }
}

/// ALLOWED_CLASS_TRANSFORMER + TRANSLATE_TRANSFORMER.
fn filter_attribute<'v>(_element: &str, attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
    match attribute {
        "class" => {
            let kept: Vec<&str> = value
                .split(['\t', '\n', '\u{0C}', '\r', ' '])
                .filter(|c| {
                    ["h-", "p-", "u-", "dt-", "e-"]
                        .iter()
                        .any(|p| c.starts_with(p))
                        || matches!(
                            *c,
                            "mention" | "hashtag" | "ellipsis" | "invisible" | "quote-inline"
                        )
                })
                .collect();
            Some(Cow::Owned(kept.join(" ")))
        }
        "translate" => (value == "no").then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

fn builder() -> Builder<'static> {
    let mut b = Builder::empty();
    b.tags(ELEMENTS.iter().copied().collect())
        .clean_content_tags(REMOVE_CONTENTS.iter().copied().collect())
        .generic_attributes(HashSet::from(["lang"]))
        .add_tag_attributes("a", &["href", "class", "translate"])
        .add_tag_attributes("span", &["class", "translate"])
        .add_tag_attributes("ol", &["start", "reversed"])
        .add_tag_attributes("li", &["value"])
        .add_tag_attributes("p", &["class"])
        .url_schemes(LINK_PROTOCOLS.iter().copied().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("nofollow noopener"))
        .set_tag_attribute_value("a", "target", "_blank")
        .strip_comments(true)
        .attribute_filter(filter_attribute);
    b
}

static BUILDER: LazyLock<Builder<'static>> = LazyLock::new(builder);

/// Sanitise remote HTML with upstream's `MASTODON_STRICT` allow-list, forcing
/// rel="nofollow noopener" target="_blank" on links. Links whose href is
/// missing, relative or not one of http/https/dat/dweb/ipfs/ipns/ssb/gopher/
/// xmpp/magnet/gemini are replaced by their text (UNSUPPORTED_HREF_TRANSFORMER).
pub fn sanitize_remote_html(html: &str) -> String {
    let cleaned = BUILDER.clean(&preprocess(html)).to_string();
    unwrap_hrefless_links(&cleaned)
}

/// Replace every `<a …>…</a>` without an `href` by its text content.
/// Works on ammonia's serialisation: double-quoted attributes, escaped text,
/// no nested anchors.
fn unwrap_hrefless_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = find_anchor_open(rest) {
        out.push_str(&rest[..pos]);
        let tag_end = tag_end(rest, pos);
        let open_tag = &rest[pos..tag_end];
        let close = rest[tag_end..]
            .find("</a>")
            .map_or(rest.len(), |i| tag_end + i);
        let after = (close + 4).min(rest.len());
        if has_href(open_tag) {
            out.push_str(&rest[pos..after]);
        } else {
            push_text_content(&mut out, &rest[tag_end..close]);
        }
        rest = &rest[after..];
    }
    out.push_str(rest);
    out
}

fn find_anchor_open(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("<a") {
        let at = from + i;
        if matches!(s.as_bytes().get(at + 2), Some(b' ' | b'>')) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Index just past the '>' closing the tag starting at `start`.
fn tag_end(s: &str, start: usize) -> usize {
    let mut in_quote = false;
    for (i, b) in s.bytes().enumerate().skip(start) {
        match b {
            b'"' => in_quote = !in_quote,
            b'>' if !in_quote => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn has_href(open_tag: &str) -> bool {
    let mut in_quote = false;
    let bytes = open_tag.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quote = !in_quote,
            b' ' if !in_quote && open_tag[i + 1..].starts_with("href=") => return true,
            _ => {}
        }
    }
    false
}

fn push_text_content(out: &mut String, inner: &str) {
    let mut rest = inner;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let end = tag_end(rest, lt);
        rest = &rest[end..];
    }
    out.push_str(rest);
}
