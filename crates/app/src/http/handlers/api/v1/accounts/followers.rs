//! `GET /api/v1/accounts/:id/followers`, and the paged-response helper the graph lists share.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;

use crate::db::repo::follows::Side;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadAccounts;
use crate::http::json_body::{json_array, rendered_json};
use crate::http::middleware::api::public_cache;
use crate::http::pagination::{Page, PrevCursor, link_header};
use crate::services::graph::collections::{self, AccountPage, PageArgs};
use crate::state::AppState;

/// Accounts lists: 40 by default, at most 80.
pub const DEFAULT_LIMIT: usize = 40;
pub const MAX_LIMIT: usize = 80;

pub fn page_args(params: &Params) -> PageArgs {
    let page = Page::from_params(params, DEFAULT_LIMIT, MAX_LIMIT);
    PageArgs {
        max_id: page.max_id,
        since_id: page.since_id,
        limit: page.limit,
    }
}

/// Only the raw `limit` is carried into the links, as upstream.
pub fn carried_limit(params: &Params) -> Vec<(String, String)> {
    params
        .str("limit")
        .map(|l| ("limit".to_owned(), l))
        .into_iter()
        .collect()
}

/// JSON of the page with its Link header (`next` = max_id when the page is full, `prev` =
/// since_id when it is non-empty).
pub fn paged<T: Serialize>(
    url: &str,
    params: &Params,
    limit: usize,
    page: AccountPage<T>,
) -> Response {
    let full = page.items.len() == limit;
    with_link(
        url,
        params,
        full,
        page.first,
        page.last,
        Json(page.items).into_response(),
    )
}

/// [`paged`] for items already rendered to JSON.
pub fn paged_rendered(
    url: &str,
    params: &Params,
    limit: usize,
    page: AccountPage<Bytes>,
) -> Response {
    let full = page.items.len() == limit;
    let body = rendered_json(json_array(&page.items));
    with_link(url, params, full, page.first, page.last, body)
}

fn with_link(
    url: &str,
    params: &Params,
    full: bool,
    first: Option<i64>,
    last: Option<i64>,
    mut response: Response,
) -> Response {
    let link = link_header(
        url,
        &carried_limit(params),
        first,
        last,
        full,
        PrevCursor::SinceId,
    );
    if let Some(link) = link {
        response.headers_mut().insert(LINK, link);
    }
    response
}

pub async fn follow_collection(
    state: &AppState,
    auth: &MaybeUser<ReadAccounts>,
    id: &str,
    side: Side,
    params: &Params,
) -> ApiResult<Response> {
    let id = parse_id(id).ok_or(ApiError::NotFound)?;
    let args = page_args(params);
    let base = state.base_url();
    let page = collections::follow_page(state, side, id, auth.account_id(), args).await?;
    let segment = if side == Side::Followers {
        "followers"
    } else {
        "following"
    };
    let url = format!("{base}/api/v1/accounts/{id}/{segment}");
    let mut response = paged_rendered(&url, params, args.limit, page);
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}

pub async fn followers(
    State(state): State<AppState>,
    auth: MaybeUser<ReadAccounts>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Response> {
    follow_collection(&state, &auth, &id, Side::Followers, &params).await
}
