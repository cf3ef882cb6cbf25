//! Responses whose JSON was rendered (and perhaps cached) before the handler saw it.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

/// A 200 with `json` as its body, typed as axum's `Json` types it.
pub fn rendered_json(json: Bytes) -> Response {
    let content_type = HeaderValue::from_static("application/json");
    ([(header::CONTENT_TYPE, content_type)], json).into_response()
}

/// A JSON array of already-rendered JSON values.
pub fn json_array(items: &[Bytes]) -> Bytes {
    let len = items.iter().map(Bytes::len).sum::<usize>() + items.len() + 2;
    let mut array = Vec::with_capacity(len);
    array.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            array.push(b',');
        }
        array.extend_from_slice(item);
    }
    array.push(b']');
    Bytes::from(array)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_array_joins_its_items() {
        let items = [Bytes::from_static(b"{\"a\":1}"), Bytes::from_static(b"2")];
        assert_eq!(&json_array(&items)[..], b"[{\"a\":1},2]");
        assert_eq!(&json_array(&items[..1])[..], b"[{\"a\":1}]");
        assert_eq!(&json_array(&[])[..], b"[]");
    }
}
