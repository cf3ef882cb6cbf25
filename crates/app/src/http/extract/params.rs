//! Rails-style parameters (read from the request by `form.rs`), with nested
//! keys (`source[privacy]`, `fields_attributes[0][name]`, `id[]`) as Rack parses them.

use serde_json::{Map, Value};

use crate::domain::params::{cast_bool, cast_json_bool};

/// Text bodies (JSON, urlencoded, and the text parts of a multipart body together) above
/// this are refused before parsing (by `form.rs`); file parts have the router's upload limit.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Params(pub Map<String, Value>);

impl Params {
    pub fn from_query(query: &str) -> Self {
        let mut map = Map::new();
        merge_form(&mut map, query);
        Self(map)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// A scalar as a string (numbers and booleans stringified); None for absent, arrays, maps.
    pub fn str(&self, key: &str) -> Option<String> {
        scalar(self.0.get(key)?)
    }

    /// Non-blank scalar.
    pub fn present(&self, key: &str) -> Option<String> {
        self.str(key).filter(|s| !s.trim().is_empty())
    }

    /// Rails boolean casting; None when absent or empty.
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.0.get(key)? {
            Value::String(s) => cast_bool(Some(s)),
            other => cast_json_bool(other),
        }
    }

    /// `key[]=a&key[]=b`, a JSON array, or a single scalar `key=a`.
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.0.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(scalar).collect(),
            Some(Value::Object(map)) => map.values().filter_map(scalar).collect(),
            Some(v) => scalar(v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// A nested map (`source[...]`).
    pub fn map(&self, key: &str) -> Option<&Map<String, Value>> {
        self.0.get(key).and_then(Value::as_object)
    }
}

pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses `a[b][]=c` style keys into `map`.
pub fn merge_form(map: &mut Map<String, Value>, body: &str) {
    for (key, value) in url::form_urlencoded::parse(body.as_bytes()) {
        insert_path(map, &key, Value::String(value.into_owned()));
    }
}

fn split_key(key: &str) -> Vec<String> {
    let (head, rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    let mut parts = vec![head.to_owned()];
    let mut rest = rest;
    while let Some(stripped) = rest.strip_prefix('[') {
        match stripped.find(']') {
            Some(end) => {
                parts.push(stripped[..end].to_owned());
                rest = &stripped[end + 1..];
            }
            None => break,
        }
    }
    parts
}

/// Inserts a value at a bracketed path; bounded depth keeps hostile keys cheap.
pub fn insert_path(map: &mut Map<String, Value>, key: &str, value: Value) {
    let parts = split_key(key);
    if parts.len() > 8 || parts[0].is_empty() {
        return;
    }
    insert_parts(map, &parts, value);
}

fn insert_parts(map: &mut Map<String, Value>, parts: &[String], value: Value) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.insert(first.clone(), value);
        return;
    }
    if rest[0].is_empty() {
        // `key[]`: append to an array
        let entry = map
            .entry(first.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if !entry.is_array() {
            *entry = Value::Array(Vec::new());
        }
        if let Value::Array(items) = entry {
            if rest.len() == 1 {
                items.push(value);
            } else {
                // `key[][name]`: Rack starts a new hash unless the last one lacks this key
                let sub = &rest[1..];
                let need_new = match items.last() {
                    Some(Value::Object(m)) => m.contains_key(&sub[0]),
                    _ => true,
                };
                if need_new {
                    items.push(Value::Object(Map::new()));
                }
                if let Some(Value::Object(m)) = items.last_mut() {
                    insert_parts(m, sub, value);
                }
            }
        }
        return;
    }
    let entry = map
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    if let Value::Object(m) = entry {
        insert_parts(m, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rack_nesting() {
        let p = Params::from_query(
            "id[]=1&id[]=2&source[privacy]=private&fields_attributes[0][name]=a&fields_attributes[0][value]=b&x=1",
        );
        assert_eq!(p.list("id"), vec!["1", "2"]);
        assert_eq!(
            p.map("source")
                .and_then(|m| m.get("privacy"))
                .and_then(scalar),
            Some("private".into())
        );
        let fa = p
            .map("fields_attributes")
            .and_then(|m| m.get("0"))
            .and_then(Value::as_object);
        assert_eq!(
            fa.and_then(|m| m.get("value")).and_then(scalar),
            Some("b".into())
        );
        assert_eq!(p.str("x"), Some("1".into()));
    }

    #[test]
    fn array_of_hashes() {
        let p = Params::from_query("f[][name]=a&f[][value]=b&f[][name]=c&f[][value]=d");
        let items = p
            .get("f")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn hash_keys_keep_the_order_received() {
        let p = Params::from_query("f[1][name]=b&f[0][name]=a&f[10][name]=c");
        let keys: Vec<&str> = p
            .map("f")
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["1", "0", "10"]);
        let json: Value = serde_json::from_str(r#"{"f":{"1":{},"0":{}}}"#).unwrap_or_default();
        let keys: Vec<&str> = json["f"]
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, ["1", "0"]);
    }

    #[test]
    fn hostile_keys_are_ignored() {
        let p = Params::from_query("a[b][c][d][e][f][g][h][i][j]=1&[x]=2");
        assert!(p.0.is_empty());
    }
}
