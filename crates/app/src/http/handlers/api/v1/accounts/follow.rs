//! `POST /api/v1/accounts/:id/follow`

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::FollowOrWriteFollows;
use crate::http::middleware::api::set_rate_limit_headers;
use crate::ratelimit::Hit;
use crate::services::graph::follow::{self, FollowOptions};
use crate::state::AppState;

/// `languages[]`: given when the key is present; blank values dropped, none left = all.
fn languages(params: &Params) -> Option<Option<Vec<String>>> {
    if !params.has("languages") {
        return None;
    }
    let list: Vec<String> = params
        .list("languages")
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect();
    Some((!list.is_empty()).then_some(list))
}

pub async fn follow(
    State(state): State<AppState>,
    auth: User<FollowOrWriteFollows>,
    PathId(id): PathId,
    throttle: Option<Extension<Hit>>,
    params: Params,
) -> ApiResult<Response> {
    let opts = FollowOptions {
        reblogs: params.bool("reblogs"),
        notify: params.bool("notify"),
        languages: languages(&params),
    };
    let done = follow::follow(&state, auth.record(), id, opts).await?;
    let mut response = Json(done.relationship).into_response();
    // The follows family overrides the throttle headers when it is at least as tight.
    if let Some(family) = done.family
        && throttle.is_none_or(|Extension(t)| family.remaining() <= t.remaining())
    {
        set_rate_limit_headers(response.headers_mut(), &family);
    }
    Ok(response)
}
