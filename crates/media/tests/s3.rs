//! The S3 backend against a real S3-protocol server on loopback (`.ci/run` starts moto's
//! server and creates the bucket): `TEST_S3_ENDPOINT` and `TEST_S3_BUCKET`.

use woolly_media::s3::{S3Options, storage};
use woolly_media::storage::{MediaStorage, StorageError};
use woolly_testkit_macros::needs_env;

fn options() -> Option<S3Options> {
    let endpoint = std::env::var("TEST_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty());
    let bucket = std::env::var("TEST_S3_BUCKET")
        .ok()
        .filter(|b| !b.is_empty());
    match (endpoint, bucket) {
        (Some(endpoint), Some(bucket)) => Some(S3Options {
            endpoint,
            bucket,
            region: "us-east-1".into(),
            access_key_id: "test".into(),
            secret_access_key: "test".into(),
        }),
        _ => {
            eprintln!("skipped: TEST_S3_ENDPOINT and TEST_S3_BUCKET are not set");
            None
        }
    }
}

fn unique_key() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("accounts/avatars/{nanos}/original/abc_DEF-1.png")
}

#[needs_env("TEST_S3_ENDPOINT")]
#[tokio::test]
async fn files_round_trip_through_the_bucket() {
    let Some(options) = options() else { return };
    let s3 = storage(&options).unwrap();
    let key = unique_key();
    assert_eq!(s3.get(&key).await.unwrap(), None);
    s3.put(&key, b"png bytes".to_vec(), "image/png")
        .await
        .unwrap();
    let (bytes, content_type) = s3.get(&key).await.unwrap().unwrap();
    assert_eq!(bytes, b"png bytes");
    assert_eq!(content_type, "image/png");
    s3.put(&key, b"replaced".to_vec(), "image/png")
        .await
        .unwrap();
    assert_eq!(s3.get(&key).await.unwrap().unwrap().0, b"replaced");
    s3.delete(&key).await.unwrap();
    assert_eq!(s3.get(&key).await.unwrap(), None);
    // Deleting what is gone is not an error (purges may run twice).
    s3.delete(&key).await.unwrap();
}

#[needs_env("TEST_S3_ENDPOINT")]
#[tokio::test]
async fn keys_are_checked_before_the_bucket_is_asked() {
    let Some(options) = options() else { return };
    let s3 = storage(&options).unwrap();
    for key in ["../x.png", "a//b.png", "/etc/passwd"] {
        assert_eq!(s3.get(key).await, Err(StorageError::InvalidKey), "{key}");
    }
}

#[needs_env("TEST_S3_ENDPOINT")]
#[tokio::test]
async fn a_missing_bucket_is_an_error_not_a_missing_file() {
    let Some(mut options) = options() else { return };
    options.bucket = "no-such-bucket-woolly".into();
    let s3 = storage(&options).unwrap();
    assert!(matches!(
        s3.put(&unique_key(), vec![1], "image/png").await,
        Err(StorageError::Backend(_))
    ));
}
