//! `GET /api/v1/accounts/relationships`

use axum::Json;
use axum::extract::State;

use crate::api_types::Relationship;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadFollows;
use crate::services::relationships;
use crate::state::AppState;

pub async fn relationships(
    State(state): State<AppState>,
    auth: User<ReadFollows>,
    params: Params,
) -> ApiResult<Json<Vec<Relationship>>> {
    let ids = params.list("id");
    let with_suspended = params.bool("with_suspended").unwrap_or(false);
    let list = relationships::lookup(&state, auth.account_id(), &ids, with_suspended).await?;
    Ok(Json(list))
}
