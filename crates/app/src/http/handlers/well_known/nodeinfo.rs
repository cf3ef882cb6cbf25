//! `GET /.well-known/nodeinfo` and `GET /nodeinfo/2.0`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiResult;
use crate::services::federation::documents;
use crate::state::AppState;

pub async fn discovery(State(state): State<AppState>) -> Response {
    Json(woolly_activitypub::nodeinfo::discovery(&state.base_url())).into_response()
}

pub async fn show(State(state): State<AppState>) -> ApiResult<Response> {
    let mut res = Json(documents::nodeinfo(&state).await?).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"",
        ),
    );
    Ok(res)
}
