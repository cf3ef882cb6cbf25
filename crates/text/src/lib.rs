//! Woolly text rendering: plain text → Mastodon-compatible HTML.
//!
//! Mirrors upstream Mastodon 4.x `TextFormatter` (statuses, profile notes,
//! profile field values), `NoteLengthValidator`, the `Extractor` hashtag and
//! mention grammar, and the `MASTODON_STRICT` sanitiser config for remote HTML.

mod extract;
mod format;
mod note_length;
mod sanitize;

pub use extract::extract_hashtags;
pub use format::{render_field_value, render_text};
pub use note_length::{RAW_CAP_FACTOR, note_length, within_raw_cap};
pub use sanitize::sanitize_remote_html;

/// A mention that was resolved against known accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionTarget {
    pub url: String,
    pub username: String,
}

pub struct RenderContext<'a> {
    /// Local domain, e.g. "example.com"; used for hashtag URLs https://{domain}/tags/{tag}
    pub local_domain: &'a str,
    /// Resolves "@user" (domain None) or "@user@domain" to a known account; None = leave as plain text.
    pub resolve_mention: &'a dyn Fn(&str, Option<&str>) -> Option<MentionTarget>,
}

/// Result of [`render_text`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// The rendered HTML.
    pub html: String,
    /// Resolved mentions as `(username as typed, domain)`; the domain is `None`
    /// for local accounts (including `@user@local_domain`). Deduplicated
    /// case-insensitively, in order of first appearance.
    pub mentions: Vec<(String, Option<String>)>,
    /// Normalised hashtag names (see [`extract_hashtags`]).
    pub hashtags: Vec<String>,
}

/// Escape a plain string for HTML (a field value stored without rendered HTML).
///
/// Same character set as Ruby's `ERB::Util.h`: `& < > " '`.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}
