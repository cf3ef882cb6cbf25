//! Process-wide bound on image processing (avatars, headers, attachments). Decoding takes
//! CPU and up to about two decoded pictures of memory (`media::MAX_DECODE_BYTES` each), so
//! at most one job per core runs at a time; more wait in a bounded queue for a bounded
//! time and are then refused with 429 rather than piling up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{ApiError, ApiResult};

/// Jobs that may wait for a running one, per core.
pub const QUEUE_PER_CORE: usize = 8;
/// Longest wait for a free slot.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// A semaphore with a bounded queue and a bounded wait.
#[derive(Debug)]
pub struct ImageJobs {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
}

/// Counts a waiting job for as long as it waits (also when its request is dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl ImageJobs {
    pub fn new(running: usize, max_waiting: usize, max_wait: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(running.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
        }
    }

    async fn acquire(&self) -> ApiResult<OwnedSemaphorePermit> {
        if let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() {
            return Ok(permit);
        }
        let queued = self.waiting.fetch_add(1, Ordering::AcqRel) + 1;
        let _waiting = Waiting(&self.waiting);
        if queued > self.max_waiting {
            return Err(ApiError::TooManyRequests);
        }
        match tokio::time::timeout(self.max_wait, Arc::clone(&self.permits).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(closed)) => Err(ApiError::internal(closed)),
            Err(_elapsed) => Err(ApiError::TooManyRequests),
        }
    }

    /// Runs `job` on the blocking pool once a slot is free. The slot is held by the job
    /// itself, so a client that disconnects does not free it while the job still runs.
    pub async fn run<T, F>(&self, job: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = self.acquire().await?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(ApiError::internal)
    }
}

static JOBS: LazyLock<ImageJobs> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    ImageJobs::new(cores, cores * QUEUE_PER_CORE, MAX_WAIT)
});

/// Runs an image job under the process-wide bound.
pub async fn run<T, F>(job: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    JOBS.run(job).await
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    /// A job that runs until `release` is dropped or sent to.
    fn held(jobs: &Arc<ImageJobs>) -> (mpsc::Sender<()>, tokio::task::JoinHandle<ApiResult<()>>) {
        let (release, wait) = mpsc::channel::<()>();
        let jobs = Arc::clone(jobs);
        let handle = tokio::spawn(async move {
            jobs.run(move || {
                let _ = wait.recv();
            })
            .await
        });
        (release, handle)
    }

    async fn until(mut done: impl FnMut() -> bool) {
        for _ in 0..500 {
            if done() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("condition not reached");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_over_the_bound_wait_for_a_slot() {
        let jobs = Arc::new(ImageJobs::new(1, 4, Duration::from_secs(30)));
        let (release, first) = held(&jobs);
        until(|| jobs.permits.available_permits() == 0).await;
        let second = {
            let jobs = Arc::clone(&jobs);
            tokio::spawn(async move { jobs.run(|| 42).await })
        };
        until(|| jobs.waiting.load(Ordering::Acquire) == 1).await;
        assert!(!second.is_finished(), "ran beside the first job");
        drop(release);
        assert!(matches!(first.await, Ok(Ok(()))));
        assert!(matches!(second.await, Ok(Ok(42))));
        assert_eq!(jobs.waiting.load(Ordering::Acquire), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_or_a_long_wait_is_refused() {
        let jobs = Arc::new(ImageJobs::new(1, 1, Duration::from_millis(200)));
        let (release, first) = held(&jobs);
        until(|| jobs.permits.available_permits() == 0).await;
        let waiter = {
            let jobs = Arc::clone(&jobs);
            tokio::spawn(async move { jobs.run(|| ()).await })
        };
        until(|| jobs.waiting.load(Ordering::Acquire) == 1).await;
        // The queue holds one: the next is refused at once.
        assert!(matches!(
            jobs.run(|| ()).await,
            Err(ApiError::TooManyRequests)
        ));
        // The waiter gives up after the wait.
        assert!(matches!(waiter.await, Ok(Err(ApiError::TooManyRequests))));
        drop(release);
        assert!(matches!(first.await, Ok(Ok(()))));
        assert!(jobs.run(|| ()).await.is_ok());
    }
}
