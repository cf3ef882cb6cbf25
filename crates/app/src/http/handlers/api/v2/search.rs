//! `GET /api/v2/search` (a token optional; with one, scopes `read` or `read:search`).

use axum::Json;
use axum::extract::State;

use crate::api_types::search::SearchResults;
use crate::domain::params::{limit, ruby_to_i};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadSearch;
use crate::services::search_v2::{self, SearchParams, SearchType};
use crate::state::AppState;

/// Upstream's `RESULTS_LIMIT`; `limit` goes up to twice it.
const DEFAULT_LIMIT: usize = 20;

pub async fn index(
    State(state): State<AppState>,
    auth: MaybeUser<ReadSearch>,
    params: Params,
) -> ApiResult<Json<SearchResults>> {
    let q = params
        .present("q")
        .ok_or_else(|| ApiError::BadRequest("param is missing or the value is empty: q".into()))?;
    let viewer = auth.account_id();
    if viewer.is_none() {
        if params.present("offset").is_some() {
            return Err(ApiError::Unauthorized(
                "Search queries pagination is not supported without authentication",
            ));
        }
        if params.bool("resolve").unwrap_or(false) {
            return Err(ApiError::Unauthorized(
                "Search queries that resolve remote resources are not supported without authentication",
            ));
        }
    }
    let raw_limit = params.str("limit");
    let offset = params.str("offset").map_or(0, |o| ruby_to_i(&o));
    if offset < 0 || raw_limit.as_deref().is_some_and(|l| ruby_to_i(l) < 0) {
        return Err(ApiError::BadRequest(
            "Pagination values for `offset` and `limit` must be positive".into(),
        ));
    }
    let search = SearchParams {
        q,
        kind: SearchType::parse(params.str("type").as_deref()),
        limit: limit(raw_limit.as_deref(), DEFAULT_LIMIT, DEFAULT_LIMIT * 2),
        offset,
        resolve: params.bool("resolve").unwrap_or(false),
        following: params.bool("following").unwrap_or(false),
    };
    Ok(Json(search_v2::search(&state, viewer, &search).await?))
}
