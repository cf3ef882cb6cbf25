//! The language codes a follow's `languages[]` may hold: upstream's supported locales
//! (ISO 639-1, its regional variants, and the ISO 639-3 codes Mastodon lists).

const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

const REGIONAL_AND_639_3: &[&str] = &[
    "es-AR", "es-MX", "pt-BR", "pt-PT", "sr-Latn", "zh-CN", "zh-HK", "zh-TW", "zh-YUE", "ast",
    "chr", "ckb", "cnr", "csb", "gsw", "jbo", "kab", "ldn", "lfn", "moh", "nds", "pdc", "sco",
    "sma", "smj", "szl", "tok", "vai", "xal", "zba", "zgh",
];

/// Every supported code, in upstream's order (ISO 639-1, then the rest).
pub fn all() -> impl Iterator<Item = &'static str> {
    ISO_639_1.iter().chain(REGIONAL_AND_639_3).copied()
}

/// The English name of a supported code (`es-AR`: `Spanish (Argentina)`).
pub fn english_name(code: &str) -> Option<String> {
    let (base, region) = match code.split_once('-') {
        Some((b, r)) => (b, Some(r)),
        None => (code, None),
    };
    let language = match base.len() {
        2 => isolang::Language::from_639_1(base),
        _ => isolang::Language::from_639_3(base),
    };
    // `bh` is a collective ISO 639-1 code with no ISO 639-3 entry, so the table lacks it.
    let name = match (language, base) {
        (Some(l), _) => l.to_name(),
        (None, "bh") => "Bihari",
        (None, _) => return None,
    };
    let region = region.map(|r| match r {
        "AR" => "Argentina",
        "MX" => "Mexico",
        "BR" => "Brazil",
        "PT" => "Portugal",
        "Latn" => "Latin script",
        "CN" => "China",
        "HK" => "Hong Kong",
        "TW" => "Taiwan",
        "YUE" => "Cantonese",
        other => other,
    });
    Some(match region {
        Some(r) => format!("{name} ({r})"),
        None => name.to_owned(),
    })
}

/// Whether `code` is a supported language code (exact, case-sensitive as upstream's keys).
pub fn supported(code: &str) -> bool {
    ISO_639_1.contains(&code) || REGIONAL_AND_639_3.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_codes() {
        assert!(supported("en"));
        assert!(supported("pt-BR"));
        assert!(supported("tok"));
        assert!(!supported("xx"));
        assert!(!supported(""));
    }
}
