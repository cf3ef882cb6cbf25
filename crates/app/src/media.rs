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
