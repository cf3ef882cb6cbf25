//! `/api/v1/statuses…`: post, show, delete; reblogs and pins in their own files.

pub mod pin;
pub mod reblog;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use crate::api_types::Status;
use crate::db::repo::statuses::StatusRow;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{ReadStatuses, WriteStatuses};
use crate::http::extract::{MaybeUser, User};
use crate::http::middleware::api::set_rate_limit_headers;
use crate::ratelimit::Hit;
use crate::services::statuses::create::{self, NewPost, PostError};
use crate::services::statuses::render::{RenderOptions, render_status};
use crate::services::statuses::{actions, find_visible};
use crate::state::AppState;

/// Renders a status for `viewer`.
pub async fn rendered(state: &AppState, viewer: Option<i64>, row: &StatusRow) -> ApiResult<Status> {
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let opts = RenderOptions {
        base_url: &base,
        viewer,
        source_requested: false,
    };
    render_status(&mut conn.exec(), opts, row).await
}

/// The status as JSON, with the statuses family's rate-limit headers when they are tighter.
pub fn with_family(
    status: Status,
    family: Option<Hit>,
    throttle: Option<Extension<Hit>>,
) -> Response {
    let mut response = Json(status).into_response();
    if let Some(family) = family
        && throttle.is_none_or(|Extension(t)| family.remaining() <= t.remaining())
    {
        set_rate_limit_headers(response.headers_mut(), &family);
    }
    response
}

/// `POST /api/v1/statuses`
pub async fn create(
    State(state): State<AppState>,
    auth: User<WriteStatuses>,
    throttle: Option<Extension<Hit>>,
    params: Params,
) -> ApiResult<Response> {
    let post = NewPost {
        status: params.str("status"),
        visibility: params.str("visibility"),
        in_reply_to_id: params.str("in_reply_to_id"),
        media_ids: params.list("media_ids"),
        sensitive: params.bool("sensitive"),
        spoiler_text: params.str("spoiler_text"),
        language: params.str("language"),
        application_id: auth.viewer.token.application_id,
    };
    let (row, family) = match create::create(&state, auth.record(), auth.user(), post).await {
        Ok(done) => done,
        Err(PostError::ReplyNotFound) => {
            let body = serde_json::json!({"error": PostError::REPLY_NOT_FOUND});
            return Ok((StatusCode::NOT_FOUND, Json(body)).into_response());
        }
        Err(PostError::Api(e)) => return Err(e),
    };
    let status = rendered(&state, Some(auth.account_id()), &row).await?;
    Ok(with_family(status, family, throttle))
}

/// `GET /api/v1/statuses/:id`
pub async fn show(
    State(state): State<AppState>,
    auth: MaybeUser<ReadStatuses>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let viewer = auth.account_id();
    let row = {
        let mut conn = state.db().conn().await?;
        find_visible(&mut conn.exec(), viewer, id).await?.0
    };
    let mut response = Json(rendered(&state, viewer, &row).await?).into_response();
    if auth.viewer.is_none() {
        crate::http::middleware::api::public_cache(response.headers_mut());
    }
    Ok(response)
}

/// `DELETE /api/v1/statuses/:id`: answers the deleted status with its `text`.
pub async fn destroy(
    State(state): State<AppState>,
    auth: User<WriteStatuses>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Status>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    let delete_media = params.bool("delete_media").unwrap_or(false);
    Ok(Json(
        actions::delete(&state, auth.account_id(), id, delete_media).await?,
    ))
}
