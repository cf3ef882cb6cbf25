//! Plain text → HTML, following upstream `TextFormatter` and Rails' `simple_format`.

use crate::extract::{EntityKind, entities, extract_hashtags};
use crate::{RenderContext, Rendered, escape_html, push_escaped};

/// Options mirroring `TextFormatter`'s `with_rel_me` / `with_domains`.
#[derive(Clone, Copy)]
struct Options {
    rel_me: bool,
    with_domains: bool,
}

/// Ruby's `String#strip` (ASCII whitespace and NUL). Upstream strips status
/// text and profile notes/field values before they are stored.
fn ruby_strip(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, '\0' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' '))
}

/// ActiveSupport `String#blank?`: empty or only Unicode whitespace.
fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// Plain text (a note, a status) → Mastodon HTML: paragraphs split on blank lines ("\n\n+") as <p>…</p>,
/// single newlines as <br />, HTML-escaped text, links auto-linked, mentions, hashtags.
pub fn render_text(text: &str, ctx: &RenderContext) -> Rendered {
    let text = ruby_strip(text);
    if is_blank(text) {
        return Rendered::default();
    }
    let opts = Options {
        rel_me: false,
        with_domains: false,
    };
    let (html, mentions) = rewrite(text, ctx, opts);
    Rendered {
        html: simple_format(&html),
        mentions,
        hashtags: extract_hashtags(text),
    }
}

/// A profile field value → HTML: escaped, links auto-linked with rel="nofollow noopener me" (Mastodon adds "me"),
/// mentions and hashtags as in render_text, but NO <p> wrapping and no <br />.
pub fn render_field_value(text: &str, ctx: &RenderContext) -> String {
    let text = ruby_strip(text);
    if is_blank(text) {
        return String::new();
    }
    let opts = Options {
        rel_me: true,
        with_domains: true,
    };
    rewrite(text, ctx, opts).0
}

/// `TextFormatter#rewrite`: escape the text between entities, render entities.
fn rewrite(
    text: &str,
    ctx: &RenderContext,
    opts: Options,
) -> (String, Vec<(String, Option<String>)>) {
    let mut html = String::with_capacity(text.len() * 2);
    let mut mentions: Vec<(String, Option<String>)> = Vec::new();
    let mut last = 0;
    for entity in entities(text) {
        push_escaped(&mut html, &text[last..entity.range.start]);
        let raw = &text[entity.range.clone()];
        match entity.kind {
            EntityKind::Url => push_link(&mut html, raw, opts.rel_me),
            EntityKind::Hashtag(name) => push_hashtag(&mut html, name, ctx.local_domain),
            EntityKind::Mention { username, domain } => {
                push_mention(&mut html, raw, username, domain, ctx, opts, &mut mentions)
            }
        }
        last = entity.range.end;
    }
    push_escaped(&mut html, &text[last..]);
    (html, mentions)
}

/// `TextFormatter.shortened_link`.
fn push_link(html: &mut String, url: &str, rel_me: bool) {
    // URL_PREFIX_REGEX = \A(https?://(www\.)?|xmpp:) — case-sensitive.
    let prefix_len = [
        "https://www.",
        "http://www.",
        "https://",
        "http://",
        "xmpp:",
    ]
    .iter()
    .find(|p| url.starts_with(*p))
    .map_or(0, |p| p.len());
    let (prefix, rest) = url.split_at(prefix_len);
    let split = rest.char_indices().nth(30).map_or(rest.len(), |(i, _)| i);
    let (mut display, mut suffix) = rest.split_at(split);
    let mut cutoff = !suffix.is_empty();
    if suffix.chars().count() == 1 {
        // upstream reverts the truncation when only one character would be hidden
        display = rest;
        suffix = "";
        cutoff = false;
    }
    let rel = if rel_me {
        "nofollow noopener me"
    } else {
        "nofollow noopener"
    };
    html.push_str("<a href=\"");
    push_escaped(html, url);
    html.push_str("\" target=\"_blank\" rel=\"");
    html.push_str(rel);
    html.push_str("\" translate=\"no\"><span class=\"invisible\">");
    push_escaped(html, prefix);
    html.push_str("</span><span class=\"");
    html.push_str(if cutoff { "ellipsis" } else { "" });
    html.push_str("\">");
    push_escaped(html, display);
    html.push_str("</span><span class=\"invisible\">");
    push_escaped(html, suffix);
    html.push_str("</span></a>");
}

/// `TextFormatter#link_to_hashtag`; the URL is Rails' `tag_url(hashtag)`.
fn push_hashtag(html: &mut String, name: &str, local_domain: &str) {
    let url = format!("https://{local_domain}/tags/{}", escape_path_segment(name));
    html.push_str("<a href=\"");
    push_escaped(html, &url);
    html.push_str("\" class=\"mention hashtag\" rel=\"tag\">#<span>");
    push_escaped(html, name);
    html.push_str("</span></a>");
}

/// Rails' route segment escaping: keep unreserved, sub-delims, ':' and '@'.
fn escape_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `TextFormatter#link_to_mention`.
fn push_mention(
    html: &mut String,
    raw: &str,
    username: &str,
    domain: Option<&str>,
    ctx: &RenderContext,
    opts: Options,
    mentions: &mut Vec<(String, Option<String>)>,
) {
    let domain = domain.filter(|d| !d.eq_ignore_ascii_case(ctx.local_domain));
    let Some(target) = (ctx.resolve_mention)(username, domain) else {
        html.push_str(&escape_html(raw));
        return;
    };
    let display = match domain {
        // `with_domains` shows `pretty_acct`, i.e. user@domain for remote accounts
        Some(d) if opts.with_domains => format!("{}@{d}", target.username),
        _ => target.username,
    };
    html.push_str("<span class=\"h-card\" translate=\"no\"><a href=\"");
    push_escaped(html, &target.url);
    html.push_str("\" class=\"u-url mention\">@<span>");
    push_escaped(html, &display);
    html.push_str("</span></a></span>");

    let seen = mentions.iter().any(|(u, d)| {
        u.eq_ignore_ascii_case(username)
            && match (d.as_deref(), domain) {
                (None, None) => true,
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => false,
            }
    });
    if !seen {
        mentions.push((username.to_owned(), domain.map(str::to_owned)));
    }
}

/// Rails `simple_format(html, {}, sanitize: false).delete("\n")`.
fn simple_format(html: &str) -> String {
    let normalized = html.replace("\r\n", "\n").replace('\r', "\n");
    let paragraphs = split_paragraphs(&normalized);
    if paragraphs.is_empty() {
        return "<p></p>".to_owned();
    }
    let mut out = String::with_capacity(normalized.len() + 16 * paragraphs.len());
    for para in paragraphs {
        out.push_str("<p>");
        // gsub(/([^\n]\n)(?=[^\n])/, '\1<br />'); a paragraph holds no "\n\n",
        // so every newline except a leading or trailing one becomes <br />.
        let last = para.len().saturating_sub(1);
        for (i, c) in para.char_indices() {
            if c == '\n' {
                if i > 0 && i < last {
                    out.push_str("<br />");
                }
            } else {
                out.push(c);
            }
        }
        out.push_str("</p>");
    }
    out
}

/// Ruby `str.split(/\n\n+/)`: leading empty pieces kept, trailing ones dropped.
fn split_paragraphs(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            parts.push(&s[start..i]);
            let mut j = i;
            while bytes.get(j) == Some(&b'\n') {
                j += 1;
            }
            start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    parts.push(&s[start..]);
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}
