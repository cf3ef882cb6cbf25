//! `POST /api/v1/media` (same as v2), `GET` and `PUT /api/v1/media/:id` (own attachments).

use axum::Json;
use axum::extract::State;

use crate::api_types::MediaAttachment;
use crate::error::ApiResult;
use crate::http::extract::PathId;
use crate::http::extract::User;
use crate::http::extract::scopes::WriteMedia;
use crate::http::handlers::api::v2::media::MediaForm;
use crate::services::media_attachments;
use crate::state::AppState;

pub use crate::http::handlers::api::v2::media::create;

pub async fn show(
    State(state): State<AppState>,
    auth: User<WriteMedia>,
    PathId(id): PathId,
) -> ApiResult<Json<MediaAttachment>> {
    Ok(Json(
        media_attachments::find_own(&state, auth.account_id(), id).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    auth: User<WriteMedia>,
    PathId(id): PathId,
    MediaForm(input): MediaForm,
) -> ApiResult<Json<MediaAttachment>> {
    Ok(Json(
        media_attachments::update(&state, auth.account_id(), id, input).await?,
    ))
}
