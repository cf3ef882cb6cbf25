//! Media uploads (`POST /api/v2/media`, `/api/v1/media`), their updates and the
//! `MediaAttachment` entity.

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::api_types::MediaAttachment;
use crate::db::repo::media_attachments::{self, MediaRow, NewMedia};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::media::{ImageError, ProcessedImage, process_attachment_image};
use crate::services::image_jobs;
use crate::services::present::Presenter;
use crate::state::AppState;

/// Upstream `MediaAttachment::MAX_DESCRIPTION_LENGTH`.
pub const MAX_DESCRIPTION_LENGTH: usize = 1500;

/// An uploaded file and the text fields of the form.
#[derive(Debug, Clone, Default)]
pub struct MediaInput {
    pub file: Option<Bytes>,
    pub description: Option<String>,
    pub focus: Option<String>,
}

fn invalid(message: &str) -> ApiError {
    ApiError::Unprocessable(format!("Validation failed: {message}"))
}

fn check_description(description: Option<&str>) -> ApiResult<()> {
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_LENGTH) {
        return Err(invalid(
            "Description is too long (maximum is 1500 characters)",
        ));
    }
    Ok(())
}

fn image_error(e: &ImageError) -> ApiError {
    match e {
        ImageError::UnsupportedType => invalid("File content type is invalid"),
        ImageError::TooLarge => invalid("File file size must be less than 16 MB"),
        ImageError::DimensionsTooLarge | ImageError::Corrupt => {
            invalid("File could not be processed")
        }
    }
}

/// `"x,y"` → `{x, y}` as upstream's `focus=` (Ruby `to_f` on each part).
fn parse_focus(focus: &str) -> Option<Value> {
    if focus.trim().is_empty() {
        return None;
    }
    let mut parts = focus.split(',').map(|p| ruby_to_f(p.trim()));
    let x = parts.next().unwrap_or(0.0);
    let y = parts.next().unwrap_or(0.0);
    Some(json!({"x": x, "y": y}))
}

/// Ruby's `String#to_f`: the longest leading float, else 0.
fn ruby_to_f(s: &str) -> f64 {
    let mut end = 0;
    for (i, _) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if s[..i].parse::<f64>().is_ok() {
            end = i;
        }
    }
    s[..end].parse().unwrap_or(0.0)
}

fn geometry(img: &ProcessedImage) -> Value {
    let aspect = if img.height == 0 {
        0.0
    } else {
        f64::from(img.width) / f64::from(img.height)
    };
    json!({
        "width": img.width,
        "height": img.height,
        "size": format!("{}x{}", img.width, img.height),
        "aspect": aspect,
    })
}

fn random_name() -> ApiResult<String> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(ApiError::internal)?;
    Ok(hex::encode(b))
}

/// Processes, stores and records an image attachment of `account_id`.
pub async fn upload(
    state: &AppState,
    account_id: i64,
    input: MediaInput,
) -> ApiResult<MediaAttachment> {
    let file = input.file.ok_or_else(|| invalid("File can't be blank"))?;
    check_description(input.description.as_deref())?;
    let processed = image_jobs::run(move || process_attachment_image(&file))
        .await?
        .map_err(|e| image_error(&e))?;
    let id = state.next_id();
    let name = random_name()?;
    let file_key = format!(
        "media_attachments/files/{id}/original/{name}.{}",
        processed.original.extension
    );
    let preview_key = format!(
        "media_attachments/files/{id}/small/{name}.{}",
        processed.small.extension
    );
    let mut meta = Map::new();
    meta.insert("original".into(), geometry(&processed.original));
    meta.insert("small".into(), geometry(&processed.small));
    if let Some(focus) = input.focus.as_deref().and_then(parse_focus) {
        meta.insert("focus".into(), focus);
    }
    let meta = Value::Object(meta).to_string();
    let content_type = processed.original.content_type;
    let media = state.media();
    media
        .put(&file_key, processed.original.bytes, content_type)
        .await
        .map_err(ApiError::internal)?;
    if let Err(e) = media
        .put(
            &preview_key,
            processed.small.bytes,
            processed.small.content_type,
        )
        .await
    {
        delete_keys(state, vec![file_key]).await;
        return Err(ApiError::internal(e));
    }
    let description = input.description.filter(|d| !d.is_empty());
    let row = NewMedia {
        id,
        account_id,
        file_key: &file_key,
        preview_key: &preview_key,
        content_type,
        description: description.as_deref(),
        blurhash: &processed.blurhash,
        meta: &meta,
        now: time::now(),
    };
    let saved = async {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        media_attachments::insert(&mut ex, &row).await?;
        media_attachments::find_own(&mut ex, account_id, id).await
    }
    .await;
    match saved {
        Ok(Some(m)) => Ok(rendered(state, &m)),
        Ok(None) => Err(ApiError::internal("media row vanished")),
        Err(e) => {
            delete_keys(state, vec![file_key, preview_key]).await;
            Err(e.into())
        }
    }
}

/// One of the caller's attachments not yet attached to a status (404 otherwise), as
/// upstream's `MediaController#set_media_attachment`.
pub async fn find_own(state: &AppState, account_id: i64, id: i64) -> ApiResult<MediaAttachment> {
    let mut conn = state.db().conn().await?;
    let row = media_attachments::find_own(&mut conn.exec(), account_id, id)
        .await?
        .filter(|m| m.status_id.is_none())
        .ok_or(ApiError::NotFound)?;
    Ok(rendered(state, &row))
}

/// `PUT /api/v1/media/:id`: description and focus.
pub async fn update(
    state: &AppState,
    account_id: i64,
    id: i64,
    input: MediaInput,
) -> ApiResult<MediaAttachment> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let row = media_attachments::find_own(&mut ex, account_id, id)
        .await?
        .filter(|m| m.status_id.is_none())
        .ok_or(ApiError::NotFound)?;
    check_description(input.description.as_deref())?;
    let description = match input.description {
        Some(d) => Some(d).filter(|d| !d.is_empty()),
        None => row.description.clone(),
    };
    let mut meta: Map<String, Value> = serde_json::from_str(&row.meta).unwrap_or_default();
    if let Some(focus) = input.focus.as_deref().and_then(parse_focus) {
        meta.insert("focus".into(), focus);
    }
    let meta = Value::Object(meta).to_string();
    media_attachments::update(&mut ex, id, description.as_deref(), &meta, time::now()).await?;
    let updated = media_attachments::find_own(&mut ex, account_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(rendered(state, &updated))
}

/// Removes stored files; failures are logged (an orphan file is harmless).
pub async fn delete_keys(state: &AppState, keys: Vec<String>) {
    for key in keys {
        if let Err(error) = state.media().delete(&key).await {
            tracing::warn!(%error, %key, "deleting a media file failed");
        }
    }
}

const TYPES: [&str; 5] = ["image", "gifv", "video", "unknown", "audio"];

fn rendered(state: &AppState, m: &MediaRow) -> MediaAttachment {
    entity(
        &Presenter {
            base_url: &state.base_url(),
        },
        m,
    )
}

/// The `MediaAttachment` entity of a row.
pub fn entity(p: &Presenter<'_>, m: &MediaRow) -> MediaAttachment {
    let kind = usize::try_from(m.media_type)
        .ok()
        .and_then(|i| TYPES.get(i))
        .copied()
        .unwrap_or("unknown");
    let url = m
        .file_key
        .as_deref()
        .map(|k| p.media_url(k))
        .or_else(|| m.remote_url.clone());
    let preview_url = m.preview_key.as_deref().map(|k| p.media_url(k));
    MediaAttachment {
        id: m.id.to_string(),
        kind: kind.into(),
        url,
        preview_url,
        remote_url: m.remote_url.clone(),
        preview_remote_url: None,
        text_url: None,
        meta: serde_json::from_str(&m.meta).unwrap_or_else(|_| json!({})),
        description: m.description.clone(),
        blurhash: m.blurhash.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_parses_like_ruby() {
        assert_eq!(
            parse_focus("0.5,-0.25"),
            Some(json!({"x": 0.5, "y": -0.25}))
        );
        assert_eq!(parse_focus("abc"), Some(json!({"x": 0.0, "y": 0.0})));
        assert_eq!(parse_focus(""), None);
        assert!((ruby_to_f("1.5xyz") - 1.5).abs() < f64::EPSILON);
    }
}
