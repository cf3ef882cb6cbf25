//! Media storage behind an object-safe trait.
//!
//! [`ObjectStoreMediaStorage`] works with any `object_store` backend, so an
//! `AmazonS3` store can later replace the local file system without code changes;
//! [`LocalMediaStorage`] wraps it around `object_store::local::LocalFileSystem`.
//!
//! Writes are atomic: `LocalFileSystem::put_opts` writes to a staging file next to
//! the destination and then `rename`s it into place (S3 `PutObject` is atomic too).
//! The content type is derived from the key's extension on `get`, because the
//! local backend cannot store attributes.

use std::path::PathBuf;
use std::sync::Arc;

use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// Maximum key length in bytes (S3 allows 1024).
const MAX_KEY_LEN: usize = 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StorageError {
    #[error("invalid storage key")]
    InvalidKey,
    #[error("storage backend error: {0}")]
    Backend(String),
}

impl From<object_store::Error> for StorageError {
    fn from(err: object_store::Error) -> Self {
        Self::Backend(err.to_string())
    }
}

#[async_trait::async_trait]
pub trait MediaStorage: Send + Sync {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), StorageError>;
    async fn get(&self, key: &str) -> Result<Option<(Vec<u8>, String)>, StorageError>;
    /// Deleting a missing key is not an error.
    async fn delete(&self, key: &str) -> Result<(), StorageError>;
}

/// Validates a key like `accounts/avatars/<id>/original/<random>.png`: relative,
/// only `[A-Za-z0-9/_.-]`, no empty segments, no segment starting with `.`
/// (which also excludes `.` and `..`).
pub fn validate_key(key: &str) -> Result<Path, StorageError> {
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(StorageError::InvalidKey);
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '.' | '-');
    if !key.chars().all(allowed) {
        return Err(StorageError::InvalidKey);
    }
    if key
        .split('/')
        .any(|segment| segment.is_empty() || segment.starts_with('.'))
    {
        return Err(StorageError::InvalidKey);
    }
    Path::parse(key).map_err(|_| StorageError::InvalidKey)
}

/// Content type derived from the key's extension.
pub fn content_type_for_key(key: &str) -> &'static str {
    let extension = key
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        _ => "application/octet-stream",
    }
}

/// [`MediaStorage`] over any `object_store` backend.
#[derive(Debug, Clone)]
pub struct ObjectStoreMediaStorage {
    store: Arc<dyn ObjectStore>,
}

impl ObjectStoreMediaStorage {
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self { store }
    }
}

#[async_trait::async_trait]
impl MediaStorage for ObjectStoreMediaStorage {
    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        _content_type: &str,
    ) -> Result<(), StorageError> {
        let path = validate_key(key)?;
        self.store.put(&path, PutPayload::from(bytes)).await?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<(Vec<u8>, String)>, StorageError> {
        let path = validate_key(key)?;
        let result = match self.store.get(&path).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        let bytes = result.bytes().await?;
        Ok(Some((bytes.to_vec(), content_type_for_key(key).to_owned())))
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let path = validate_key(key)?;
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }
}

/// Media stored under a root folder on the local file system.
#[derive(Debug, Clone)]
pub struct LocalMediaStorage {
    inner: ObjectStoreMediaStorage,
}

impl LocalMediaStorage {
    /// Creates the root folder if needed.
    pub fn new(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        let store = LocalFileSystem::new_with_prefix(&root)
            .map_err(std::io::Error::other)?
            .with_automatic_cleanup(true);
        Ok(Self {
            inner: ObjectStoreMediaStorage::new(Arc::new(store)),
        })
    }
}

#[async_trait::async_trait]
impl MediaStorage for LocalMediaStorage {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), StorageError> {
        self.inner.put(key, bytes, content_type).await
    }

    async fn get(&self, key: &str) -> Result<Option<(Vec<u8>, String)>, StorageError> {
        self.inner.get(key).await
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.inner.delete(key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "accounts/avatars/000/000/001/original/abcDEF123_-.png";

    #[tokio::test]
    async fn roundtrip_in_tempdir() {
        let dir = tempfile::tempdir().unwrap();
        let storage: Arc<dyn MediaStorage> = Arc::new(LocalMediaStorage::new(dir.path()).unwrap());

        assert_eq!(storage.get(KEY).await.unwrap(), None);
        storage
            .put(KEY, b"png bytes".to_vec(), "image/png")
            .await
            .unwrap();
        assert!(dir.path().join(KEY).is_file());
        let (bytes, content_type) = storage.get(KEY).await.unwrap().unwrap();
        assert_eq!(bytes, b"png bytes");
        assert_eq!(content_type, "image/png");

        storage
            .put(KEY, b"replaced".to_vec(), "image/png")
            .await
            .unwrap();
        assert_eq!(storage.get(KEY).await.unwrap().unwrap().0, b"replaced");

        storage.delete(KEY).await.unwrap();
        assert_eq!(storage.get(KEY).await.unwrap(), None);
        assert!(!dir.path().join(KEY).exists());
        storage.delete(KEY).await.unwrap();
    }

    #[tokio::test]
    async fn rejects_invalid_keys() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalMediaStorage::new(dir.path().join("media")).unwrap();
        for key in [
            "",
            "/etc/passwd",
            "../escape.png",
            "a/../../b.png",
            "a/./b.png",
            "a//b.png",
            "a/b/",
            "a\\b.png",
            "a/b c.png",
            "a/b%2e.png",
            "a/é.png",
            "a/.hidden",
            "C:/x.png",
        ] {
            assert_eq!(
                storage.put(key, vec![1], "image/png").await,
                Err(StorageError::InvalidKey),
                "{key}"
            );
            assert_eq!(
                storage.get(key).await,
                Err(StorageError::InvalidKey),
                "{key}"
            );
            assert_eq!(
                storage.delete(key).await,
                Err(StorageError::InvalidKey),
                "{key}"
            );
        }
        assert!(validate_key(&"a".repeat(MAX_KEY_LEN + 1)).is_err());
        assert!(validate_key("media_attachments/files/1/small/x.jpeg").is_ok());
    }

    #[test]
    fn content_types_from_extension() {
        assert_eq!(content_type_for_key("a/b.JPG"), "image/jpeg");
        assert_eq!(content_type_for_key("a/b.webp"), "image/webp");
        assert_eq!(content_type_for_key("a/b.gif"), "image/gif");
        assert_eq!(content_type_for_key("a/b"), "application/octet-stream");
    }
}
