//! `POST /api/v2/media` (and the v1 alias): an image upload, processed synchronously; and
//! the form extractor both media endpoints share (multipart, form or JSON).

use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use crate::api_types::MediaAttachment;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::multipart as parts;
use crate::http::extract::params::{Params, insert_path, merge_form};
use crate::http::extract::scopes::WriteMedia;
use crate::services::media_attachments::{self, MediaInput};
use crate::services::present::Presenter;
use crate::state::AppState;

/// The parameters of a media request and its `file` part, if any.
#[derive(Debug, Default)]
pub struct MediaForm(pub MediaInput);

async fn read_multipart(req: Request, state: &AppState) -> Result<MediaInput, ApiError> {
    let mut map = Map::new();
    if let Some(q) = req.uri().query() {
        merge_form(&mut map, q);
    }
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(parts::rejection)?;
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(parts::read_error)? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if field.file_name().is_some() {
            let bytes = field.bytes().await.map_err(parts::read_error)?;
            if name == "file" {
                file = Some(bytes);
            }
        } else {
            let text = field.text().await.map_err(parts::read_error)?;
            insert_path(&mut map, &name, Value::String(text));
        }
    }
    let params = Params(map);
    Ok(MediaInput {
        file,
        description: params.str("description"),
        focus: params.str("focus"),
    })
}

impl FromRequest<AppState> for MediaForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
        if multipart {
            return Ok(Self(read_multipart(req, state).await?));
        }
        let params = Params::from_request(req, state).await?;
        Ok(Self(MediaInput {
            file: None,
            description: params.str("description"),
            focus: params.str("focus"),
        }))
    }
}

pub fn entity(
    state: &AppState,
    row: &crate::db::repo::media_attachments::MediaRow,
) -> MediaAttachment {
    let base = state.base_url();
    media_attachments::entity(&Presenter { base_url: &base }, row)
}

/// `POST /api/v2/media`: 200 with the processed attachment.
pub async fn create(
    State(state): State<AppState>,
    auth: User<WriteMedia>,
    MediaForm(input): MediaForm,
) -> ApiResult<Json<MediaAttachment>> {
    let row = media_attachments::upload(&state, auth.account_id(), input).await?;
    Ok(Json(entity(&state, &row)))
}
