//! Avatar and header uploads: processing (on the blocking pool), storing under
//! `accounts/{avatars,headers}/<account id>/{original,static}/<random>.<ext>`, and removing
//! replaced files once the new keys are committed.

use crate::db::repo::accounts::AccountRow;
use crate::domain::secrets;
use crate::error::{ApiError, ApiResult, Validation};
use crate::media::{ImageError, ProcessedProfileImage, ProfileImageKind, process_profile_image};
use crate::services::image_jobs;
use crate::state::AppState;

pub use crate::media::Upload;

/// Which images a request replaces.
#[derive(Debug, Default)]
pub struct ImageChange {
    pub avatar: Option<Upload>,
    pub header: Option<Upload>,
}

impl ImageChange {
    pub fn take(avatar: &mut Option<Upload>, header: &mut Option<Upload>) -> Self {
        Self {
            avatar: avatar.take(),
            header: header.take(),
        }
    }
}

/// Processed images, ready to store.
#[derive(Debug, Default)]
pub struct Processed {
    pub avatar: Option<ProcessedProfileImage>,
    pub header: Option<ProcessedProfileImage>,
}

/// `(key, static key)` of a stored image; the static key only for animated GIFs.
pub type StoredKeys = (Option<String>, Option<String>);

/// Stored keys of the new images.
#[derive(Debug, Default, Clone)]
pub struct StoredImages {
    pub avatar: Option<StoredKeys>,
    pub header: Option<StoredKeys>,
}

/// The 422 entry for a refused image, on the `avatar`/`header` attribute.
fn refuse(v: &mut Validation, key: &str, label: &str, e: &ImageError) {
    let (code, description) = match e {
        ImageError::TooLarge => ("less_than", "must be less than 8 MB"),
        ImageError::UnsupportedType => ("invalid", "is invalid"),
        ImageError::DimensionsTooLarge => ("invalid", "has dimensions that are too large"),
        ImageError::Corrupt => ("invalid", "could not be processed"),
    };
    v.add(key, label, code, description);
}

async fn process_one(
    upload: Option<Upload>,
    kind: ProfileImageKind,
    v: &mut Validation,
) -> ApiResult<Option<ProcessedProfileImage>> {
    let Some(upload) = upload else {
        return Ok(None);
    };
    let (key, label) = match kind {
        ProfileImageKind::Avatar => ("avatar", "Avatar"),
        ProfileImageKind::Header => ("header", "Header"),
    };
    let bytes = upload.bytes;
    let result = image_jobs::run(move || process_profile_image(&bytes, kind)).await?;
    match result {
        Ok(image) => Ok(Some(image)),
        Err(e) => {
            refuse(v, key, label, &e);
            Ok(None)
        }
    }
}

/// Decodes, checks and resizes the uploads; refusals go into `v`.
pub async fn process(change: ImageChange, v: &mut Validation) -> ApiResult<Processed> {
    Ok(Processed {
        avatar: process_one(change.avatar, ProfileImageKind::Avatar, v).await?,
        header: process_one(change.header, ProfileImageKind::Header, v).await?,
    })
}

async fn put(
    state: &AppState,
    folder: &str,
    account_id: i64,
    style: &str,
    image: crate::media::ProcessedImage,
) -> ApiResult<String> {
    let name = secrets::random_token_len(12).map_err(ApiError::internal)?;
    let key = format!(
        "accounts/{folder}/{account_id}/{style}/{name}.{}",
        image.extension
    );
    state
        .media()
        .put(&key, image.bytes, image.content_type)
        .await
        .map_err(ApiError::internal)?;
    Ok(key)
}

async fn store_one(
    state: &AppState,
    folder: &str,
    account_id: i64,
    image: Option<ProcessedProfileImage>,
) -> ApiResult<Option<StoredKeys>> {
    let Some(image) = image else {
        return Ok(None);
    };
    let key = put(state, folder, account_id, "original", image.original).await?;
    let static_key = match image.static_variant {
        Some(s) => match put(state, folder, account_id, "static", s).await {
            Ok(k) => Some(k),
            Err(e) => {
                delete_keys(state, vec![key]).await;
                return Err(e);
            }
        },
        None => None,
    };
    Ok(Some((Some(key), static_key)))
}

/// Writes the processed images to media storage.
pub async fn store(state: &AppState, account_id: i64, p: Processed) -> ApiResult<StoredImages> {
    let avatar = store_one(state, "avatars", account_id, p.avatar).await?;
    let header = match store_one(state, "headers", account_id, p.header).await {
        Ok(h) => h,
        Err(e) => {
            delete_new(
                state,
                &StoredImages {
                    avatar,
                    header: None,
                },
            )
            .await;
            return Err(e);
        }
    };
    Ok(StoredImages { avatar, header })
}

fn keys_of(stored: &StoredImages) -> Vec<String> {
    [&stored.avatar, &stored.header]
        .into_iter()
        .flatten()
        .flat_map(|(k, s)| [k.clone(), s.clone()])
        .flatten()
        .collect()
}

/// After a commit: the files of the images that were replaced.
pub async fn delete_replaced(state: &AppState, old: &AccountRow, stored: &StoredImages) {
    let mut keys = Vec::new();
    if stored.avatar.is_some() {
        keys.extend(old.avatar_key.clone());
        keys.extend(old.avatar_static_key.clone());
    }
    if stored.header.is_some() {
        keys.extend(old.header_key.clone());
        keys.extend(old.header_static_key.clone());
    }
    delete_keys(state, keys).await;
}

/// After a failed write: the files stored for it.
pub async fn delete_new(state: &AppState, stored: &StoredImages) {
    delete_keys(state, keys_of(stored)).await;
}

/// Removes stored files; failures are logged (an orphan file is harmless).
pub async fn delete_keys(state: &AppState, keys: Vec<String>) {
    for key in keys {
        if let Err(error) = state.media().delete(&key).await {
            tracing::warn!(%error, %key, "deleting a media file failed");
        }
    }
}
