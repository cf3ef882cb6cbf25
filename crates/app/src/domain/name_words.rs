//! The words of a display name or username that account search finds candidates by
//! (`account_name_words`): lower-cased runs of letters and digits, split on everything else
//! (`_`, `-`, `.`, `@` too). Every lexeme PostgreSQL's `simple` parser makes from a text
//! starts with one of these words, and so does every lexeme a query lexeme can be a prefix
//! of, so a prefix range over them finds every account the ranking can match
//! (`domain::search_rank`).

/// More words than any local name holds (30 characters); remote names can be longer.
pub const MAX_WORDS: usize = 32;
/// Longer words are cut: a prefix search never needs more.
pub const MAX_WORD_CHARS: usize = 64;

/// Distinct lower-cased words of `text`, in order of first appearance.
pub fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for w in lower.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let w: String = w.chars().take(MAX_WORD_CHARS).collect();
        if !out.contains(&w) {
            out.push(w);
            if out.len() == MAX_WORDS {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_on_punctuation_and_space() {
        assert_eq!(words("John Smith"), ["john", "smith"]);
        assert_eq!(
            words("Jean-Luc 🚀 Picard, Jr."),
            ["jean", "luc", "picard", "jr"]
        );
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(words("Ünïcode ÄND ünïcode"), ["ünïcode", "änd"]);
        assert_eq!(words("snake_case name"), ["snake", "case", "name"]);
        assert_eq!(words("bob@mastodon.social"), ["bob", "mastodon", "social"]);
    }

    proptest! {
        #[test]
        fn words_are_bounded_distinct_and_lower(name in ".{0,300}") {
            let ws = words(&name);
            prop_assert!(ws.len() <= MAX_WORDS);
            for (i, w) in ws.iter().enumerate() {
                prop_assert!(!w.is_empty() && w.chars().count() <= MAX_WORD_CHARS);
                prop_assert!(!ws[..i].contains(w));
                prop_assert_eq!(w.to_lowercase(), w.clone());
            }
        }
    }
}
