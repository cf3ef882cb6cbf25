//! Media processing and storage live in the `woolly-media` crate; re-exported here.
//! Processing is CPU-heavy: call it on `spawn_blocking`.

pub use woolly_media::image_processing::*;
pub use woolly_media::storage::*;
