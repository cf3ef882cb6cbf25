//! Media on S3-compatible object storage (AWS S3, MinIO, Garage, Ceph, …) through
//! `object_store`'s AWS backend, behind the same [`MediaStorage`] as the local folder: every
//! process of a deployment reads and writes the same files.

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;

use crate::storage::{ObjectStoreMediaStorage, StorageError};

/// Where and as whom to store media.
#[derive(Debug, Clone, Default)]
pub struct S3Options {
    /// Empty: AWS's own endpoint for `region`.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// A [`MediaStorage`](crate::storage::MediaStorage) on the bucket. Nothing is contacted
/// yet: a wrong endpoint or key shows on the first upload or read.
pub fn storage(options: &S3Options) -> Result<ObjectStoreMediaStorage, StorageError> {
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&options.bucket)
        .with_region(if options.region.is_empty() {
            "us-east-1"
        } else {
            &options.region
        });
    if !options.endpoint.is_empty() {
        builder = builder
            .with_endpoint(&options.endpoint)
            // Self-hosted servers answer on a path per bucket, not a host name per bucket.
            .with_virtual_hosted_style_request(false)
            .with_allow_http(options.endpoint.starts_with("http://"));
    }
    if !options.access_key_id.is_empty() {
        builder = builder
            .with_access_key_id(&options.access_key_id)
            .with_secret_access_key(&options.secret_access_key);
    }
    let store = builder.build()?;
    Ok(ObjectStoreMediaStorage::new(Arc::new(store)))
}
