//! Counts shown by the instance endpoints. Counting every user and status takes a full pass
//! over the tables (most of a second at a million accounts), and clients fetch the instance
//! on every connect: like upstream's cached `user_count` and friends, each process keeps the
//! last counts for a while and refreshes them in the background. The last counts are also
//! stored in the database (`instance_counts`), so a process that starts, or another process
//! of the deployment, answers from them at once instead of counting first. A derived,
//! approximate value: losing it loses nothing.

use std::sync::atomic::Ordering;

pub use crate::cache::instance_stats::InstanceStats;
use crate::db::repo::instance;
use crate::domain::time;
use crate::error::ApiResult;
use crate::state::AppState;

/// Counts older than this are refreshed (in the background; the old ones are served).
pub const FRESH_FOR_MS: i64 = 10 * 60 * 1000;

pub async fn load(state: &AppState) -> ApiResult<InstanceStats> {
    let cache = state.instance_stats_cache();
    let mut last = cache.last.lock().await;
    match *last {
        Some((at, stats)) => {
            refresh_if_old(state, at);
            Ok(stats)
        }
        None => {
            // Cold: the stored counts if any (refreshed in the background when old), else
            // the first caller counts while the others wait for its answer.
            if let Some((at, stats)) = stored(state).await? {
                *last = Some((at, stats));
                refresh_if_old(state, at);
                return Ok(stats);
            }
            let stats = count(state).await?;
            *last = Some((time::now(), stats));
            Ok(stats)
        }
    }
}

/// Counts at start, holding the cache so that requests arriving meanwhile wait for these
/// counts instead of counting again. Stored counts of any age are served at once (old ones
/// are refreshed in the background): only a database never counted is counted first.
pub async fn warm(state: AppState) {
    let cache = state.instance_stats_cache();
    let mut last = cache.last.lock().await;
    if last.is_none() {
        match stored(&state).await {
            Ok(Some((at, stats))) => {
                *last = Some((at, stats));
                refresh_if_old(&state, at);
                return;
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "reading the stored instance stats failed"),
        }
        match count(&state).await {
            Ok(stats) => *last = Some((time::now(), stats)),
            Err(error) => tracing::warn!(%error, "counting instance stats failed"),
        }
    }
}

/// Starts a background [`refresh`] when counts taken at `at` are old and none is running.
fn refresh_if_old(state: &AppState, at: i64) {
    let cache = state.instance_stats_cache();
    if time::now() - at > FRESH_FOR_MS && !cache.refreshing.swap(true, Ordering::AcqRel) {
        tokio::spawn(refresh(state.clone()));
    }
}

/// Counts now and keeps the result; the kept counts are served meanwhile.
pub async fn refresh(state: AppState) {
    let cache = state.instance_stats_cache();
    match count(&state).await {
        Ok(stats) => *cache.last.lock().await = Some((time::now(), stats)),
        Err(error) => tracing::warn!(%error, "counting instance stats failed"),
    }
    cache.refreshing.store(false, Ordering::Release);
}

/// Counts now and stores the counts for the other processes and the next start (also after
/// a bulk import such as `woolly admin seed`).
pub async fn count(state: &AppState) -> ApiResult<InstanceStats> {
    let counted_at = time::now();
    let counts = {
        let mut conn = state.db().conn().await?;
        instance::counts(&mut conn.exec()).await?
    };
    let mut tx = state.db().begin().await?;
    instance::store_counts(&mut tx.exec(), counts, counted_at).await?;
    tx.commit().await?;
    let (user_count, status_count, domain_count) = counts;
    Ok(InstanceStats {
        user_count,
        status_count,
        domain_count,
    })
}

/// The counts stored by the last count of any process, and when they were taken.
async fn stored(state: &AppState) -> ApiResult<Option<(i64, InstanceStats)>> {
    let mut conn = state.db().conn().await?;
    let row = instance::stored_counts(&mut conn.exec()).await?;
    Ok(row.map(|(user_count, status_count, domain_count, at)| {
        (
            at,
            InstanceStats {
                user_count,
                status_count,
                domain_count,
            },
        )
    }))
}
