//! The words of a display name that account search matches by prefix (upstream's `simple`
//! full-text configuration: lower-cased runs of letters, digits and `_`).

/// More words than any local name holds (30 characters); remote names can be longer.
pub const MAX_WORDS: usize = 16;
/// Longer words are cut: a prefix search never needs more.
pub const MAX_WORD_CHARS: usize = 64;

/// Distinct lower-cased words of `display_name`, in order of first appearance.
pub fn words(display_name: &str) -> Vec<String> {
    let lower = display_name.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for w in lower.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
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
        assert_eq!(words("snake_case name"), ["snake_case", "name"]);
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
