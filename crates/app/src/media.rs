//! Media processing and storage live in the `woolly-media` crate; re-exported here.
//! Processing is CPU- and memory-heavy: call it through `services::image_jobs::run`.

pub use woolly_media::image_processing::*;
pub use woolly_media::storage::*;

/// An uploaded file as received (a multipart file part).
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: bytes::Bytes,
    pub content_type: Option<String>,
    pub filename: Option<String>,
}

/// Media on S3-compatible storage, as configured (`s3.*`, `WOOLLY_S3_*`).
pub mod s3 {
    use crate::config::S3Config;

    use super::{ObjectStoreMediaStorage, StorageError};

    pub fn storage(config: &S3Config) -> Result<ObjectStoreMediaStorage, StorageError> {
        woolly_media::s3::storage(&woolly_media::s3::S3Options {
            endpoint: config.endpoint.clone(),
            bucket: config.bucket.clone(),
            region: config.region.clone(),
            access_key_id: config.access_key_id.clone(),
            secret_access_key: config.secret_access_key.clone(),
        })
    }
}
