//! `GET /.well-known/host-meta`: the XRD pointing at WebFinger.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> Response {
    let mut res = woolly_activitypub::webfinger::host_meta(&state.base_url()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xrd+xml; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=259200, public"),
    );
    res
}
