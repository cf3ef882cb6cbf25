//! The ActivityPub endpoints other servers call: actors, their collections, inboxes.

pub mod actor;
pub mod collections;
pub mod inbox;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Does the request ask for an ActivityPub document (rather than a web page)?
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.contains("application/activity+json")
                || (v.contains("application/ld+json"))
                || v.contains("application/json")
        })
}

/// A JSON document with ActivityPub's media type.
pub fn activity_json(body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut res = bytes.into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/activity+json; charset=utf-8"),
            );
            res.headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Accept"));
            res
        }
        Err(e) => crate::error::ApiError::internal(e).into_response(),
    }
}
