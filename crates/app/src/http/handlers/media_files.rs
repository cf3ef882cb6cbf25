//! `GET /system/{*key}`: files in media storage (avatars, headers, attachments), with the
//! content type of their extension and long cache headers; 404 for anything else. With
//! media on S3 and a public URL configured, a redirect to the file there instead.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::media::{StorageError, validate_key};
use crate::state::AppState;

pub async fn show(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    let public_url = &state.config().s3.public_url;
    if state.config().s3.enabled() && !public_url.is_empty() {
        return match validate_key(&key) {
            Ok(_) => Redirect::permanent(&format!("{public_url}/{key}")).into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        };
    }
    match state.media().get(&key).await {
        Ok(Some((bytes, content_type))) => (
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_owned(),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) | Err(StorageError::InvalidKey) => StatusCode::NOT_FOUND.into_response(),
        Err(StorageError::Backend(error)) => {
            tracing::error!(%error, %key, "reading a media file failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
