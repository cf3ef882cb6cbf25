//! `GET /api/v1/accounts?id[]=…`

use axum::Json;
use axum::extract::State;

use crate::api_types::Account;
use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::services::graph::lookup;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    _auth: MaybeUser<ReadAccounts>,
    params: Params,
) -> ApiResult<Json<Vec<Account>>> {
    let ids = params.list("id");
    Ok(Json(lookup::by_ids(&state, &ids).await?))
}
