//! `GET /api/v1/notifications`, `GET /api/v1/notifications/:id`,
//! `POST /api/v1/notifications/clear`, `POST /api/v1/notifications/:id/dismiss`

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use crate::api_types::notification::Notification;
use crate::domain::params::ruby_to_i;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{ReadNotifications, WriteNotifications};
use crate::http::pagination::{self, LinkTo, PrevCursor};
use crate::services::notifications::{self, NotificationFilter, requested_types};
use crate::state::AppState;

const DEFAULT_LIMIT: usize = 40;
const MAX_LIMIT: usize = 80;

/// `limit`, `account_id`, `types[]`, `exclude_types[]` go into the links.
fn carried(params: &Params) -> Vec<(String, String)> {
    let mut out = pagination::carried(params, &["limit", "account_id"]);
    for key in ["types", "exclude_types"] {
        for v in params.list(key) {
            out.push((format!("{key}[]"), v));
        }
    }
    out
}

pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadNotifications>,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let filter = NotificationFilter {
        types: requested_types(&params.list("types"), &params.list("exclude_types")),
        from_account_id: params.present("account_id").map(|a| ruby_to_i(&a)),
    };
    let mut page = notifications::list(&state, auth.account_id(), &filter, &cursor).await?;
    // upstream links `next` for any non-empty page
    page.full = true;
    let links = LinkTo {
        url: format!("{}/api/v1/notifications", state.base_url()),
        carried: carried(&params),
        prev: PrevCursor::MinId,
    };
    Ok(pagination::json_page(page, &links))
}

pub async fn show(
    State(state): State<AppState>,
    auth: User<ReadNotifications>,
    PathId(id): PathId,
) -> ApiResult<Json<Notification>> {
    Ok(Json(
        notifications::show(&state, auth.account_id(), id).await?,
    ))
}

pub async fn clear(
    State(state): State<AppState>,
    auth: User<WriteNotifications>,
) -> ApiResult<Json<serde_json::Value>> {
    notifications::clear(&state, auth.account_id()).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn dismiss(
    State(state): State<AppState>,
    auth: User<WriteNotifications>,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    notifications::dismiss(&state, auth.account_id(), id).await?;
    Ok(Json(serde_json::json!({})))
}
