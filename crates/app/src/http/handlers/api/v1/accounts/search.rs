//! `GET /api/v1/accounts/search`

use axum::Json;
use axum::extract::State;

use crate::api_types::Account;
use crate::domain::params::{limit, ruby_to_i};
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::services::search::{self, SearchQuery};
use crate::state::AppState;

use super::followers::{DEFAULT_LIMIT, MAX_LIMIT};

pub async fn search(
    State(state): State<AppState>,
    auth: User<ReadAccounts>,
    params: Params,
) -> ApiResult<Json<Vec<Account>>> {
    let query = SearchQuery {
        q: params.str("q").unwrap_or_default(),
        limit: limit(params.str("limit").as_deref(), DEFAULT_LIMIT, MAX_LIMIT),
        offset: params.str("offset").map_or(0, |o| ruby_to_i(&o)),
        resolve: params.bool("resolve").unwrap_or(false),
        following: params.bool("following").unwrap_or(false),
    };
    let found = search::search(&state, auth.account_id(), &query).await?;
    Ok(Json(found))
}
