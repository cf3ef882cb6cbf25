//! `POST /api/v1/media` (same as v2), `GET` and `PUT /api/v1/media/:id` (own attachments).

use axum::Json;
use axum::extract::{Path, State};

use crate::api_types::MediaAttachment;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::scopes::WriteMedia;
use crate::http::handlers::api::v2::media::MediaForm;
use crate::services::media_attachments;
use crate::state::AppState;

pub use crate::http::handlers::api::v2::media::create;

pub async fn show(
    State(state): State<AppState>,
    auth: User<WriteMedia>,
    Path(id): Path<String>,
) -> ApiResult<Json<MediaAttachment>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        media_attachments::find_own(&state, auth.account_id(), id).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    auth: User<WriteMedia>,
    Path(id): Path<String>,
    MediaForm(input): MediaForm,
) -> ApiResult<Json<MediaAttachment>> {
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(
        media_attachments::update(&state, auth.account_id(), id, input).await?,
    ))
}
