//! `GET /api/v1/accounts/familiar_followers`

use axum::Json;
use axum::extract::State;

use crate::api_types::familiar_followers::FamiliarFollowers;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadFollows;
use crate::services::graph::lookup;
use crate::state::AppState;

pub async fn familiar_followers(
    State(state): State<AppState>,
    auth: User<ReadFollows>,
    params: Params,
) -> ApiResult<Json<Vec<FamiliarFollowers>>> {
    let ids = params.list("id");
    let list = lookup::familiar_followers(&state, auth.account_id(), &ids).await?;
    Ok(Json(list))
}
