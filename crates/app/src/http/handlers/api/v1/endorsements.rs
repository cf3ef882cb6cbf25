//! `GET /api/v1/endorsements`: the accounts you feature (`limit=0`: all of them).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::accounts::followers::{DEFAULT_LIMIT, MAX_LIMIT, paged};
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::pagination::Page;
use crate::services::graph::collections;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadAccounts>,
    params: Params,
) -> ApiResult<Response> {
    let unlimited = params.str("limit").as_deref() == Some("0");
    let page = Page::from_params(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let limit = (!unlimited).then_some(page.limit);
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let list = collections::endorsements_page(
        &mut conn.exec(),
        &base,
        auth.account_id(),
        page.max_id,
        page.since_id,
        limit,
    )
    .await?;
    if unlimited {
        return Ok(Json(list.items).into_response());
    }
    Ok(paged(
        &format!("{base}/api/v1/endorsements"),
        &params,
        page.limit,
        list,
    ))
}
