//! `GET /api/v1/accounts/lookup`

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::middleware::api::public_cache;
use crate::services::graph::lookup;
use crate::state::AppState;

pub async fn lookup(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    params: Params,
) -> ApiResult<Response> {
    let acct = params.str("acct");
    let account = lookup::lookup(&state, acct.as_deref()).await?;
    let mut response = Json(account).into_response();
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
