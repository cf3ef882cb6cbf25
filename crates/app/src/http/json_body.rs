//! Responses whose JSON was rendered (and perhaps cached) before the handler saw it.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

/// A 200 with `json` as its body, typed as axum's `Json` types it.
pub fn rendered_json(json: Bytes) -> Response {
    let content_type = HeaderValue::from_static("application/json");
    ([(header::CONTENT_TYPE, content_type)], json).into_response()
}
