//! Running a write transaction again after PostgreSQL rolled it back as a deadlock victim or
//! a serialization failure: the pair locks make these rare, and one more try answers the
//! client instead of a 500.

use std::future::Future;

use crate::error::ApiResult;

/// Runs `attempt`, and once more if it failed with a retryable conflict.
pub async fn once_on_conflict<T, F, Fut>(mut attempt: F) -> ApiResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ApiResult<T>>,
{
    match attempt().await {
        Err(e) if e.is_retryable() => {
            tracing::warn!(cause = %e, "transaction conflict; running it again");
            attempt().await
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn retries_a_conflict_once_and_nothing_else() {
        let calls = AtomicU32::new(0);
        let r: ApiResult<u32> = once_on_conflict(|| async {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            if n == 0 {
                Err(ApiError::Conflict("deadlock".into()))
            } else {
                Ok(n)
            }
        })
        .await;
        assert_eq!(r.ok(), Some(1));
        let calls = AtomicU32::new(0);
        let r: ApiResult<()> = once_on_conflict(|| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(ApiError::Conflict("deadlock".into()))
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        let calls = AtomicU32::new(0);
        let r: ApiResult<()> = once_on_conflict(|| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(ApiError::NotFound)
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
