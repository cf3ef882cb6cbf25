//! `/api/v1/statuses…`: post, show, delete; reblogs and pins in their own files.

pub mod pin;
pub mod reblog;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use crate::api_types::Status;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{ReadStatuses, WriteStatuses};
use crate::http::extract::{MaybeUser, User};
use crate::http::middleware::api::set_rate_limit_headers;
use crate::ratelimit::Hit;
use crate::services::statuses::create::{self, NewPost, PostError};
use crate::services::statuses::{self, actions};
use crate::state::AppState;

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
    let (status, family) = match create::create(&state, auth.record(), auth.user(), post).await {
        Ok(done) => done,
        Err(PostError::ReplyNotFound) => {
            let body = serde_json::json!({"error": PostError::REPLY_NOT_FOUND});
            return Ok((StatusCode::NOT_FOUND, Json(body)).into_response());
        }
        Err(PostError::Api(e)) => return Err(e),
    };
    Ok(with_family(status, family, throttle))
}

/// `GET /api/v1/statuses/:id`
pub async fn show(
    State(state): State<AppState>,
    auth: MaybeUser<ReadStatuses>,
    PathId(id): PathId,
) -> ApiResult<Response> {
    let status = statuses::show(&state, auth.account_id(), id).await?;
    let mut response = Json(status).into_response();
    if auth.viewer.is_none() {
        crate::http::middleware::api::public_cache(response.headers_mut());
    }
    Ok(response)
}

/// `DELETE /api/v1/statuses/:id`: answers the deleted status with its `text`.
pub async fn destroy(
    State(state): State<AppState>,
    auth: User<WriteStatuses>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Json<Status>> {
    let delete_media = params.bool("delete_media").unwrap_or(false);
    Ok(Json(
        actions::delete(&state, auth.account_id(), id, delete_media).await?,
    ))
}
