//! Parameter casting as Rails does it.

/// Rails boolean casting: false for `false`, `0`, `f`, `off` (any case); None for absent or
/// empty; true otherwise.
pub fn cast_bool(value: Option<&str>) -> Option<bool> {
    let v = value?.trim();
    if v.is_empty() {
        return None;
    }
    let lower = v.to_ascii_lowercase();
    Some(!matches!(lower.as_str(), "false" | "0" | "f" | "off"))
}

/// A JSON value cast as Rails casts a boolean parameter.
pub fn cast_json_bool(value: &serde_json::Value) -> Option<bool> {
    match value {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::Null => None,
        serde_json::Value::Number(n) => Some(n.as_f64() != Some(0.0)),
        serde_json::Value::String(s) => cast_bool(Some(s)),
        _ => Some(true),
    }
}

/// Upstream's limit rule: absent → default; else `min(abs(to_i(limit)), max)`; `abc` → 0.
pub fn limit(value: Option<&str>, default: usize, max: usize) -> usize {
    match value {
        None => default,
        Some(v) => {
            let n = ruby_to_i(v).unsigned_abs();
            usize::try_from(n).unwrap_or(max).min(max)
        }
    }
}

/// Ruby's `String#to_i`: leading whitespace, optional sign, leading digits; else 0.
pub fn ruby_to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let n = digits
        .parse::<i64>()
        .unwrap_or(if digits.is_empty() { 0 } else { i64::MAX });
    if neg { -n } else { n }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn booleans_as_rails() {
        assert_eq!(cast_bool(Some("false")), Some(false));
        assert_eq!(cast_bool(Some("OFF")), Some(false));
        assert_eq!(cast_bool(Some("0")), Some(false));
        assert_eq!(cast_bool(Some("")), None);
        assert_eq!(cast_bool(None), None);
        assert_eq!(cast_bool(Some("yes")), Some(true));
        assert_eq!(cast_bool(Some("1")), Some(true));
    }

    #[test]
    fn limits_as_upstream() {
        assert_eq!(limit(None, 40, 80), 40);
        assert_eq!(limit(Some("abc"), 40, 80), 0);
        assert_eq!(limit(Some("-5"), 40, 80), 5);
        assert_eq!(limit(Some("500"), 40, 80), 80);
        assert_eq!(limit(Some("12abc"), 40, 80), 12);
    }

    proptest! {
        #[test]
        fn limit_never_exceeds_max(s in ".*") {
            prop_assert!(limit(Some(&s), 40, 80) <= 80);
        }
    }
}
