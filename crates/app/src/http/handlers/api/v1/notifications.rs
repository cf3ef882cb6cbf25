//! `GET /api/v1/notifications`, `GET /api/v1/notifications/:id`,
//! `POST /api/v1/notifications/clear`, `POST /api/v1/notifications/:id/dismiss`

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};

use crate::api_types::notification::Notification;
use crate::db::repo::notifications::Query;
use crate::domain::ids::parse_id;
use crate::domain::page::Cursor;
use crate::domain::params::ruby_to_i;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{ReadNotifications, WriteNotifications};
use crate::http::pagination::{Page, PrevCursor, link_header};
use crate::services::notifications::{self, requested_types};
use crate::state::AppState;

const DEFAULT_LIMIT: usize = 40;
const MAX_LIMIT: usize = 80;

/// `limit`, `account_id`, `types[]`, `exclude_types[]` go into the links.
fn carried(params: &Params) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for key in ["limit", "account_id"] {
        if let Some(v) = params.str(key) {
            out.push((key.to_owned(), v));
        }
    }
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
    let page = Page::from_params(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let query = Query {
        types: requested_types(&params.list("types"), &params.list("exclude_types")),
        from_account_id: params.present("account_id").map(|a| ruby_to_i(&a)),
        cursor: Cursor {
            max_id: page.max_id,
            since_id: page.since_id,
            min_id: page.min_id,
            limit: page.limit,
        },
    };
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let list = notifications::list(&mut conn.exec(), &base, auth.account_id(), &query).await?;
    // upstream links `next` for any non-empty page
    let link = link_header(
        &format!("{base}/api/v1/notifications"),
        &carried(&params),
        list.first,
        list.last,
        true,
        PrevCursor::MinId,
    );
    let mut response = Json(list.items).into_response();
    if let Some(link) = link {
        response.headers_mut().insert(LINK, link);
    }
    Ok(response)
}

pub async fn show(
    State(state): State<AppState>,
    auth: User<ReadNotifications>,
    Path(id): Path<String>,
) -> ApiResult<Json<Notification>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let mut conn = state.db().conn().await?;
    Ok(Json(
        notifications::show(&mut conn.exec(), &state.base_url(), auth.account_id(), id).await?,
    ))
}

pub async fn clear(
    State(state): State<AppState>,
    auth: User<WriteNotifications>,
) -> ApiResult<Json<serde_json::Value>> {
    let mut conn = state.db().conn().await?;
    notifications::clear(&mut conn.exec(), auth.account_id()).await?;
    Ok(Json(serde_json::json!({})))
}

pub async fn dismiss(
    State(state): State<AppState>,
    auth: User<WriteNotifications>,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let mut conn = state.db().conn().await?;
    notifications::dismiss(&mut conn.exec(), auth.account_id(), id).await?;
    Ok(Json(serde_json::json!({})))
}
