//! Profile fields (`fields_attributes`): upstream's rules for blank pairs, the limit of 4,
//! missing labels, and keeping `verified_at` for unchanged values.

use crate::domain::text::within_raw_cap;
use crate::error::Validation;
use crate::services::present::StoredField;

pub const MAX_FIELDS: usize = 4;
/// Names and values are stored as sent and cut to this when rendered.
pub const FIELD_TEXT_LIMIT: usize = 255;

/// A field as sent: name and value, already stripped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInput {
    pub name: String,
    pub value: String,
}

/// Drops pairs whose name and value are both blank.
pub fn present_pairs(pairs: Vec<(String, String)>) -> Vec<FieldInput> {
    pairs
        .into_iter()
        .map(|(n, v)| FieldInput {
            name: n.trim().to_owned(),
            value: v.trim().to_owned(),
        })
        .filter(|f| !(f.name.is_empty() && f.value.is_empty()))
        .collect()
}

pub fn validate(v: &mut Validation, fields: &[FieldInput]) {
    // Only the first FIELD_TEXT_LIMIT characters are ever rendered; far longer input is
    // refused rather than stored.
    let oversized = |s: &str| !within_raw_cap(s, FIELD_TEXT_LIMIT);
    if fields
        .iter()
        .any(|f| oversized(&f.name) || oversized(&f.value))
    {
        v.add(
            "fields",
            "Fields",
            "too_long",
            &format!("is too long (maximum is {FIELD_TEXT_LIMIT} characters)"),
        );
    }
    if fields.len() > MAX_FIELDS {
        v.add(
            "fields",
            "Fields",
            "too_long",
            &format!("is too long (maximum is {MAX_FIELDS} characters)"),
        );
    }
    if fields
        .iter()
        .any(|f| f.name.is_empty() && !f.value.is_empty())
    {
        v.add(
            "fields",
            "Fields",
            "fields_with_values_missing_labels",
            "contains values with missing labels",
        );
    }
}

/// The stored form, keeping `verified_at` of an old field with the same value; `value_html`
/// comes from `render` (the value cut to the render limit).
pub fn merge(old: &[StoredField], new: &[FieldInput], rendered: Vec<String>) -> Vec<StoredField> {
    new.iter()
        .zip(rendered)
        .map(|(f, value_html)| StoredField {
            name: f.name.clone(),
            value: f.value.clone(),
            value_html,
            verified_at: old
                .iter()
                .find(|o| o.value == f.value)
                .and_then(|o| o.verified_at),
        })
        .collect()
}

pub fn cut(s: &str) -> String {
    s.chars().take(FIELD_TEXT_LIMIT).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(n: &str, v: &str) -> (String, String) {
        (n.into(), v.into())
    }

    #[test]
    fn blank_pairs_drop_and_limits_apply() {
        let f = present_pairs(vec![pair(" a ", "b"), pair("", " "), pair("c", "")]);
        assert_eq!(f.len(), 2);
        let mut v = Validation::new();
        validate(&mut v, &f);
        assert!(v.is_empty());
        let f = present_pairs(vec![pair("", "orphan")]);
        validate(&mut v, &f);
        assert!(v.has("fields"));
    }

    #[test]
    fn verified_at_survives_unchanged_values() {
        let old = vec![StoredField {
            name: "web".into(),
            value: "https://x.example".into(),
            value_html: String::new(),
            verified_at: Some(5),
        }];
        let new = present_pairs(vec![pair("site", "https://x.example"), pair("b", "c")]);
        let merged = merge(&old, &new, vec![String::new(), String::new()]);
        assert_eq!(merged[0].verified_at, Some(5));
        assert_eq!(merged[1].verified_at, None);
    }
}
