//! `GET /api/v1/accounts/:id/statuses`

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};

use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::MaybeUser;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadStatuses;
use crate::http::middleware::api::public_cache;
use crate::http::pagination::{Page, PrevCursor, link_header};
use crate::services::statuses::account::{self, Query};
use crate::state::AppState;

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 40;

/// The params the Link header carries (upstream `pagination_params`), as given.
const CARRIED: [&str; 6] = [
    "limit",
    "only_media",
    "exclude_replies",
    "exclude_reblogs",
    "pinned",
    "tagged",
];

pub async fn statuses(
    State(state): State<AppState>,
    auth: MaybeUser<ReadStatuses>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Response> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let page = Page::from_params(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let flag = |k: &str| params.bool(k).unwrap_or(false);
    let query = Query {
        pinned: flag("pinned"),
        only_media: flag("only_media"),
        exclude_replies: flag("exclude_replies"),
        exclude_reblogs: flag("exclude_reblogs"),
        exclude_direct: flag("exclude_direct"),
        tagged: params.str("tagged"),
        max_id: page.max_id,
        since_id: page.since_id,
        min_id: page.min_id,
        limit: page.limit,
    };
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let result = account::page(&mut conn.exec(), &base, id, auth.account_id(), query).await?;
    drop(conn);
    let carried: Vec<(String, String)> = CARRIED
        .iter()
        .filter_map(|k| params.str(k).map(|v| ((*k).to_owned(), v)))
        .collect();
    let url = format!("{base}/api/v1/accounts/{id}/statuses");
    let full = result.items.len() == page.limit && page.limit > 0;
    let link = link_header(
        &url,
        &carried,
        result.first,
        result.last,
        full,
        PrevCursor::MinId,
    );
    let mut response = Json(result.items).into_response();
    if let Some(link) = link {
        response.headers_mut().insert(LINK, link);
    }
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
