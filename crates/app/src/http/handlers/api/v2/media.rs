//! `POST /api/v2/media` (and the v1 alias): an image upload, processed synchronously; and
//! the form extractor both media endpoints share (multipart, form or JSON).

use axum::Json;
use axum::extract::{FromRequest, Request, State};

use crate::api_types::MediaAttachment;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::form::Form;
use crate::http::extract::scopes::WriteMedia;
use crate::services::media_attachments::{self, MediaInput};
use crate::state::AppState;

/// The parameters of a media request and its `file` part, if any.
#[derive(Debug, Default)]
pub struct MediaForm(pub MediaInput);

impl FromRequest<AppState> for MediaForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let mut form = Form::from_request(req, state).await?;
        Ok(Self(MediaInput {
            file: form.files.remove("file").map(|f| f.bytes),
            description: form.params.str("description"),
            focus: form.params.str("focus"),
        }))
    }
}

/// `POST /api/v2/media`: 200 with the processed attachment.
pub async fn create(
    State(state): State<AppState>,
    auth: User<WriteMedia>,
    MediaForm(input): MediaForm,
) -> ApiResult<Json<MediaAttachment>> {
    Ok(Json(
        media_attachments::upload(&state, auth.account_id(), input).await?,
    ))
}
