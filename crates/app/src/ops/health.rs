//! `GET /health`: 200 `OK` while the database answers, 503 while it does not, recovering by
//! itself. Load balancers poll it often and benchmarks use it as the ceiling, so the
//! database is pinged at most once per [`RECHECK_AFTER`] (by the request that finds the last
//! answer old); every other request reads the last answer from memory.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use crate::db::Db;
use crate::domain::time;

/// How old the last answer may be before a request asks the database again.
pub const RECHECK_AFTER_MS: i64 = 1000;
/// How long a ping may take before the database counts as unreachable.
pub const PING_WITHIN: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct DbHealth {
    ok: AtomicBool,
    /// When the last ping was started (ms); 0: never.
    checked_at: AtomicI64,
}

impl Default for DbHealth {
    fn default() -> Self {
        Self {
            ok: AtomicBool::new(true),
            checked_at: AtomicI64::new(0),
        }
    }
}

impl DbHealth {
    /// Whether the database answered: pinged now if the last answer is old (one request at
    /// a time does; the others take the last answer).
    pub async fn check(&self, db: &Db) -> bool {
        let now = time::now();
        let last = self.checked_at.load(Ordering::Acquire);
        if now - last >= RECHECK_AFTER_MS
            && self
                .checked_at
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            let answered = matches!(
                tokio::time::timeout(PING_WITHIN, crate::db::ping(db)).await,
                Ok(Ok(()))
            );
            if answered != self.ok.swap(answered, Ordering::AcqRel) {
                if answered {
                    tracing::info!("the database answers again");
                } else {
                    tracing::error!("the database does not answer: /health reports 503");
                }
            }
        }
        self.ok.load(Ordering::Acquire)
    }
}
