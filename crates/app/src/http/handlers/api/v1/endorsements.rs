//! `GET /api/v1/endorsements`: the accounts you feature (`limit=0`: all of them).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::pagination::{self, LinkTo};
use crate::services::graph::collections;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadAccounts>,
    params: Params,
) -> ApiResult<Response> {
    if params.str("limit").as_deref() == Some("0") {
        let all = collections::my_endorsements(&state, auth.account_id(), None).await?;
        return Ok(Json(all.items).into_response());
    }
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = collections::my_endorsements(&state, auth.account_id(), Some(&cursor)).await?;
    let url = format!("{}/api/v1/endorsements", state.base_url());
    Ok(pagination::json_page(page, &LinkTo::accounts(url, &params)))
}
