//! `GET /.well-known/webfinger?resource=…`

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::services::federation::documents;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<WebfingerQuery>,
) -> ApiResult<Response> {
    let jrd = documents::webfinger(&state, q.resource.as_deref()).await?;
    let body = serde_json::to_vec(&jrd).map_err(crate::error::ApiError::internal)?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jrd+json; charset=utf-8"),
    );
    // Upstream caches answers for three days.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=259200, public"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(res)
}
