//! Upstream `NoteLengthValidator#countable_text` + grapheme counting.

use unicode_segmentation::UnicodeSegmentation;

use crate::extract::{mention_matches, url_ranges};

/// How much longer than its counted limit a text may be as sent: URLs count as 23 characters
/// whatever their length, so without a cap on the raw text a "500-character" note could be
/// megabytes (stored, then sent with every account it renders).
pub const RAW_CAP_FACTOR: usize = 10;

/// True when `text` has at most `RAW_CAP_FACTOR` times `counted_max` characters. Checked
/// before counting, so an oversized text is refused without being parsed for URLs.
pub fn within_raw_cap(text: &str, counted_max: usize) -> bool {
    let cap = counted_max.saturating_mul(RAW_CAP_FACTOR);
    // Bytes bound characters from above: most texts are decided without counting.
    text.len() <= cap || text.chars().count() <= cap
}

/// `StatusLengthValidator::URL_PLACEHOLDER`: every URL counts as 23 characters.
const URL_PLACEHOLDER: &str = "xxxxxxxxxxxxxxxxxxxxxxx";

/// Upstream's note length: grapheme clusters after replacing each URL with 23 chars
/// and reducing "@user@domain" mentions to "@user".
///
/// Like upstream's `gsub(FetchLinkCardService::URL_PATTERN, ...)`, the
/// character preceding a URL (e.g. the space before it) is part of the match
/// and is replaced together with the URL.
pub fn note_length(text: &str) -> usize {
    let without_urls = replace_urls(text);
    let countable = reduce_mentions(&without_urls);
    countable.graphemes(true).count()
}

fn replace_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in url_ranges(text) {
        // url_ranges only returns URLs whose preceding char is a valid one
        let start = text[..range.start]
            .chars()
            .next_back()
            .map_or(range.start, |c| range.start - c.len_utf8());
        if start < last {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(URL_PLACEHOLDER);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

fn reduce_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in mention_matches(text) {
        out.push_str(&text[last..m.range.start]);
        out.push('@');
        out.push_str(&text[m.username]);
        last = m.range.end;
    }
    out.push_str(&text[last..]);
    out
}
