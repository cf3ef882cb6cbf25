//! The instance counts of this process (`services::instance_stats` fills and refreshes them):
//! derived and approximate, so they are kept for minutes whatever is committed meanwhile.

use std::sync::atomic::AtomicBool;

use tokio::sync::Mutex;

/// Counts shown by the instance endpoints.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstanceStats {
    pub user_count: i64,
    pub status_count: i64,
    pub domain_count: i64,
}

/// The last counts of this process and when they were taken (ms), and whether a refresh is
/// running.
#[derive(Default)]
pub struct StatsCache {
    pub(crate) last: Mutex<Option<(i64, InstanceStats)>>,
    pub(crate) refreshing: AtomicBool,
}
