//! `GET /api/v1/directory` (`offset`, `limit`, `order=active|new`, `local`)

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::domain::params::{limit, ruby_to_i};
use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::AnyScope;
use crate::http::middleware::api::public_cache;
use crate::services::directory::{self, DirectoryRequest};
use crate::state::AppState;

pub async fn show(
    State(state): State<AppState>,
    auth: MaybeUser<AnyScope>,
    params: Params,
) -> ApiResult<Response> {
    let q = DirectoryRequest {
        // Any order but `new` (or none) is upstream's `by_recent_status`.
        newest: params.str("order").as_deref() == Some("new"),
        local_only: params.bool("local") == Some(true),
        viewer: auth.account_id(),
        // Rails casts the offset with `to_i`; a negative one would be a database error.
        offset: params.str("offset").map_or(0, |o| ruby_to_i(&o).max(0)),
        limit: limit(params.str("limit").as_deref(), DEFAULT_LIMIT, MAX_LIMIT),
    };
    let accounts = directory::page(&state, q).await?;
    let mut response = Json(accounts).into_response();
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
