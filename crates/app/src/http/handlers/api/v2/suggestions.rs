//! `GET /api/v2/suggestions` (`limit`, `offset`)

use axum::Json;
use axum::extract::State;

use crate::api_types::suggestion::Suggestion;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::handlers::api::v1::suggestions::page_params;
use crate::services::suggestions;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadAccounts>,
    params: Params,
) -> ApiResult<Json<Vec<Suggestion>>> {
    let (limit, offset) = page_params(&params);
    Ok(Json(
        suggestions::get(&state, auth.account_id(), limit, offset).await?,
    ))
}
