//! Reading multipart uploads: a body over the upload limit (`router::MAX_UPLOAD_BYTES`)
//! answers 413, whichever read notices it (the next part, or a part's bytes or text);
//! any other malformed body answers 400, as upstream.

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::StatusCode;

use crate::error::ApiError;

fn bad_request() -> ApiError {
    ApiError::BadRequest("Bad Request".into())
}

/// An error while reading parts.
pub fn read_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        bad_request()
    }
}

/// The body could not be opened as multipart (no boundary, ...).
pub fn rejection(e: MultipartRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        bad_request()
    }
}
