//! At most one link check per account in this process: a newer save supersedes the older
//! check, whose fetches still waiting for a slot give up at once (fetches already sent finish
//! within their timeouts; cutting them off would free their slot before the socket closes).
//! So repeated saves cannot pile up fetches, and only the newest save's result is stored.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use tokio::sync::watch;

#[derive(Default)]
pub struct VerifyJobs {
    inner: Mutex<Jobs>,
}

#[derive(Default)]
struct Jobs {
    next: u64,
    /// The current check of each account and the switch that tells it it was superseded.
    current: HashMap<i64, (u64, watch::Sender<bool>)>,
}

/// One started check: its number and its "superseded" signal.
pub struct Job {
    pub id: u64,
    superseded: watch::Receiver<bool>,
}

impl Job {
    /// Completes once a newer check for the account has started.
    pub async fn superseded(&self) {
        let mut rx = self.superseded.clone();
        // An error means the sender is gone: the job was forgotten, nothing left to wait for.
        let _ = rx.wait_for(|s| *s).await;
    }

    pub fn is_superseded(&self) -> bool {
        *self.superseded.borrow()
    }
}

impl VerifyJobs {
    /// Starts a new check for the account, superseding the one it replaces.
    pub fn start(&self, account_id: i64) -> Job {
        let (tx, rx) = watch::channel(false);
        let mut jobs = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        jobs.next += 1;
        let id = jobs.next;
        if let Some((_, older)) = jobs.current.insert(account_id, (id, tx)) {
            older.send_replace(true);
        }
        Job { id, superseded: rx }
    }

    /// Forgets the account's check if it is still `job`.
    pub fn finished(&self, account_id: i64, job: &Job) {
        let mut jobs = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if jobs
            .current
            .get(&account_id)
            .is_some_and(|(id, _)| *id == job.id)
        {
            jobs.current.remove(&account_id);
        }
    }

    /// Accounts with a check running.
    pub fn running(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .current
            .len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_newer_job_supersedes_the_older_one() {
        let jobs = VerifyJobs::default();
        let first = jobs.start(7);
        let other = jobs.start(8);
        assert!(!first.is_superseded());
        let second = jobs.start(7);
        assert!(first.is_superseded());
        assert!(!second.is_superseded() && !other.is_superseded());
        let waited = tokio::time::timeout(Duration::from_secs(1), first.superseded()).await;
        assert!(waited.is_ok());
        // the older job ending does not forget the newer one
        jobs.finished(7, &first);
        assert_eq!(jobs.running(), 2);
        jobs.finished(7, &second);
        jobs.finished(8, &other);
        assert_eq!(jobs.running(), 0);
        // a finished (forgotten) job is not superseded by that
        assert!(!second.is_superseded());
    }
}
