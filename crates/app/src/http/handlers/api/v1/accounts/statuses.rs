//! `GET /api/v1/accounts/:id/statuses`

use axum::extract::State;
use axum::response::Response;

use crate::error::ApiResult;
use crate::http::extract::MaybeUser;
use crate::http::extract::PathId;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::ReadStatuses;
use crate::http::middleware::api::public_cache;
use crate::http::pagination::{self, LinkTo, PrevCursor, carried};
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
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let flag = |k: &str| params.bool(k).unwrap_or(false);
    let query = Query {
        pinned: flag("pinned"),
        only_media: flag("only_media"),
        exclude_replies: flag("exclude_replies"),
        exclude_reblogs: flag("exclude_reblogs"),
        exclude_direct: flag("exclude_direct"),
        tagged: params.str("tagged"),
    };
    let page = account::page(&state, id, auth.account_id(), &query, &cursor).await?;
    let links = LinkTo {
        url: format!("{}/api/v1/accounts/{id}/statuses", state.base_url()),
        carried: carried(&params, &CARRIED),
        prev: PrevCursor::MinId,
    };
    let mut response = pagination::json_page(page, &links);
    if auth.viewer.is_none() {
        public_cache(response.headers_mut());
    }
    Ok(response)
}
