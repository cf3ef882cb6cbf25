//! Entity extraction: URLs, hashtags and mentions, following upstream's
//! `Extractor` (app/lib/extractor.rb), `Tag::HASHTAG_RE` and `Account::MENTION_RE`.

use std::ops::Range;
use std::sync::LazyLock;

use linkify::{LinkFinder, LinkKind};
use regex::Regex;

/// Ruby/Onigmo `[[:word:]]` = Letter | Mark | Decimal_Number | Connector_Punctuation.
const WORD: &str = r"\p{L}\p{M}\p{Nd}\p{Pc}";
/// Ruby/Onigmo `[[:alpha:]]` = Letter | Mark.
const ALPHA: &str = r"\p{L}\p{M}";
/// `Tag::HASHTAG_SEPARATORS`.
const SEP: &str = "_\u{00B7}\u{30FB}\u{200C}";
/// Twitter-text `MAX_DOMAIN_LENGTH` used by upstream's mention extractor.
const MAX_DOMAIN_LENGTH: usize = 253;

/// Hashtag name (`HASHTAG_NAME_PAT`), anchored at the start of the haystack.
static HASHTAG_NAME_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let first = format!("[{WORD}_][{WORD}{SEP}]*[{ALPHA}{SEP}][{WORD}{SEP}]*[{WORD}_]");
    let last = format!("[{WORD}_]*[{ALPHA}][{WORD}_]*");
    Regex::new(&format!("^(?:{first}|{last})")).ok()
});

/// `Account::MENTION_RE` without its look-behind, anchored at an `@`.
static MENTION_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        "^@([a-zA-Z0-9_]+(?:[.-]+[a-zA-Z0-9_]+)*)(?:@([{WORD}]+(?:[.-]+[{WORD}]+)*))?"
    ))
    .ok()
});

static WORD_CHAR_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!("^[{WORD}]$")).ok());

/// Ruby `[[:alnum:]]` = Letter | Mark | Decimal_Number.
static ALNUM_CHAR_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{Nd}]$").ok());

fn char_matches(re: &LazyLock<Option<Regex>>, c: char) -> bool {
    let mut buf = [0u8; 4];
    re.as_ref()
        .is_some_and(|re| re.is_match(c.encode_utf8(&mut buf)))
}

pub(crate) fn is_word_char(c: char) -> bool {
    char_matches(&WORD_CHAR_RE, c)
}

fn is_alnum_char(c: char) -> bool {
    char_matches(&ALNUM_CHAR_RE, c)
}

/// One raw match of the mention grammar.
pub(crate) struct MentionMatch {
    /// Byte range of the whole `@user[@domain]`.
    pub range: Range<usize>,
    pub username: Range<usize>,
    pub domain: Option<Range<usize>>,
}

/// `text.scan(Account::MENTION_RE)`: every match, left to right, non-overlapping.
pub(crate) fn mention_matches(text: &str) -> Vec<MentionMatch> {
    let Some(re) = MENTION_RE.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cursor = 0;
    for (p, _) in text.match_indices('@') {
        if p < cursor {
            continue;
        }
        // (?<![=/[:word:]])
        if text[..p]
            .chars()
            .next_back()
            .is_some_and(|prev| prev == '=' || prev == '/' || is_word_char(prev))
        {
            continue;
        }
        let Some(caps) = re.captures(&text[p..]) else {
            continue;
        };
        let (Some(all), Some(user)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        out.push(MentionMatch {
            range: p..p + all.end(),
            username: p + user.start()..p + user.end(),
            domain: caps.get(2).map(|d| p + d.start()..p + d.end()),
        });
        cursor = p + all.end();
    }
    out
}

/// Twitter-text `end_mention_match`: a mention directly followed by an at
/// sign, a latin accented letter or "://" is not a mention.
fn is_end_mention_match(after: &str) -> bool {
    if after.starts_with("://") {
        return true;
    }
    after.chars().next().is_some_and(|c| {
        matches!(c,
            '@' | '\u{FF20}'
            | '\u{00C0}'..='\u{00D6}'
            | '\u{00D8}'..='\u{00F6}'
            | '\u{00F8}'..='\u{024F}'
            | '\u{0253}' | '\u{0254}' | '\u{0256}' | '\u{0257}' | '\u{0259}' | '\u{025B}'
            | '\u{0263}' | '\u{0268}' | '\u{026F}' | '\u{0272}' | '\u{0289}' | '\u{028B}'
            | '\u{02BB}'
            | '\u{0300}'..='\u{036F}'
            | '\u{1E00}'..='\u{1EFF}')
    })
}

/// `text.scan(Tag::HASHTAG_RE)` plus upstream's "#foohttp://" fix-up.
/// Returns (range including the '#', tag name as typed).
pub(crate) fn hashtag_matches(text: &str) -> Vec<(Range<usize>, &str)> {
    let Some(re) = HASHTAG_NAME_RE.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cursor = 0;
    for (p, _) in text.match_indices('#') {
        if p < cursor {
            continue;
        }
        // (?:^|[^/)\w]) — the preceding character is consumed by the match,
        // so it must not belong to the previous match. Ruby's \w is ASCII.
        if let Some(prev) = text[..p].chars().next_back() {
            let consumed = p - prev.len_utf8() < cursor;
            let bad = prev == '/' || prev == ')' || prev == '_' || prev.is_ascii_alphanumeric();
            if prev != '\n' && (consumed || bad) {
                continue;
            }
        }
        let start = p + 1;
        let Some(m) = re.find(&text[start..]) else {
            continue;
        };
        let end = start + m.end();
        cursor = end;
        let mut name = m.as_str();
        if text[end..].starts_with("://") {
            for suffix in ["https", "http"] {
                if name.len() > suffix.len() && name.ends_with(suffix) {
                    name = &name[..name.len() - suffix.len()];
                    break;
                }
            }
        }
        out.push((p..start + name.len(), name));
    }
    out
}

/// Twitter-text `valid_url_preceding_chars`: may `c` directly precede a URL?
pub(crate) fn valid_url_preceding(c: char) -> bool {
    let directional = matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let invalid = c.is_ascii_alphanumeric()
        || matches!(
            c,
            '@' | '\u{FF20}' | '$' | '#' | '\u{FF03}' | '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}'
        );
    directional || !invalid
}

/// http(s) URLs with an explicit scheme, as byte ranges.
pub(crate) fn url_ranges(text: &str) -> Vec<Range<usize>> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    finder.url_must_have_scheme(true);
    finder
        .links(text)
        .filter(|link| {
            let s = link.as_str().to_ascii_lowercase();
            let has_scheme = ["http://", "https://"]
                .iter()
                .any(|p| s.starts_with(p) && s.len() > p.len());
            let preceding_ok = text[..link.start()]
                .chars()
                .next_back()
                .is_none_or(valid_url_preceding);
            has_scheme && preceding_ok
        })
        .map(|link| link.start()..link.end())
        .collect()
}

pub(crate) enum EntityKind<'t> {
    Url,
    Hashtag(&'t str),
    Mention {
        username: &'t str,
        domain: Option<&'t str>,
    },
}

pub(crate) struct Entity<'t> {
    pub range: Range<usize>,
    pub kind: EntityKind<'t>,
}

/// `Extractor.extract_entities_with_indices`: URLs, hashtags and mentions,
/// sorted by start, with overlapping entities dropped.
pub(crate) fn entities(text: &str) -> Vec<Entity<'_>> {
    let mut all: Vec<Entity<'_>> = url_ranges(text)
        .into_iter()
        .map(|range| Entity {
            range,
            kind: EntityKind::Url,
        })
        .collect();
    all.extend(
        hashtag_matches(text)
            .into_iter()
            .map(|(range, name)| Entity {
                range,
                kind: EntityKind::Hashtag(name),
            }),
    );
    for m in mention_matches(text) {
        if is_end_mention_match(&text[m.range.end..]) {
            continue;
        }
        let domain = m.domain.map(|d| &text[d]);
        if domain.is_some_and(|d| d.chars().count() > MAX_DOMAIN_LENGTH) {
            continue;
        }
        all.push(Entity {
            range: m.range,
            kind: EntityKind::Mention {
                username: &text[m.username],
                domain,
            },
        });
    }
    all.sort_by_key(|e| e.range.start);
    let mut kept: Vec<Entity<'_>> = Vec::with_capacity(all.len());
    for e in all {
        if kept
            .last()
            .is_some_and(|prev| prev.range.end > e.range.start)
        {
            continue;
        }
        kept.push(e);
    }
    kept
}

/// Upstream `HashtagNormalizer` (partial): lowercase, then drop characters
/// outside `[[:alnum:]\u0E47-\u0E4E` + separators`]`.
pub(crate) fn normalize_hashtag(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|&c| SEP.contains(c) || ('\u{0E47}'..='\u{0E4E}').contains(&c) || is_alnum_char(c))
        .collect()
}

/// Extract hashtags (normalised lowercase names, without '#') from plain
/// text, using Mastodon's hashtag grammar. Deduplicated, in order of first
/// appearance. Like upstream's `Extractor.extract_hashtags`, this does not
/// drop hashtag-looking text that overlaps a URL.
pub fn extract_hashtags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, name) in hashtag_matches(text) {
        let normalized = normalize_hashtag(name);
        if !normalized.is_empty() && !out.contains(&normalized) {
            out.push(normalized);
        }
    }
    out
}
