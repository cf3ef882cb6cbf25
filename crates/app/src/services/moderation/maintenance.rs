//! Scheduled maintenance (upstream's `Scheduler::SuspendedUserCleanupScheduler` and the mute
//! expiry): purges accounts whose suspension's deletion request is older than
//! [`DELETION_GRACE_MS`] (the same purge as `DELETE /api/v1/admin/accounts/:id`) and deletes
//! expired mutes.
//!
//! Safe with any number of processes on one database: each purge runs in its own transaction
//! that first claims the request with a conditional `DELETE` (one claimer wins; the others
//! skip), and the mute sweep is an idempotent `DELETE … WHERE expires_at <= now`.

use std::time::Duration;

use crate::db::repo::{mutes, warnings};
use crate::error::ApiResult;
use crate::services::media_attachments;
use crate::services::moderation::accounts::{account_target, load};
use crate::services::moderation::audit;
use crate::state::AppState;

/// Upstream purges a suspended account's data 30 days after the suspension.
pub const DELETION_GRACE_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Accounts purged per run; the next run takes the rest.
const BATCH: i64 = 100;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    pub purged: Vec<i64>,
    pub expired_mutes: u64,
}

/// One maintenance run as of `now` (milliseconds; injectable for tests).
pub async fn run(state: &AppState, now: i64) -> ApiResult<Swept> {
    let cutoff = now - DELETION_GRACE_MS;
    let due = {
        let mut conn = state.db().conn().await?;
        warnings::deletion_requests_due(&mut conn.exec(), cutoff, BATCH).await?
    };
    let mut purged = Vec::new();
    for account_id in due {
        if purge_due(state, account_id, cutoff, now).await? {
            purged.push(account_id);
        }
    }
    let mut tx = state.db().begin().await?;
    let expired_mutes = mutes::purge_expired(&mut tx.exec(), now).await?;
    tx.commit().await?;
    Ok(Swept {
        purged,
        expired_mutes,
    })
}

/// Claims and purges one account in its own transaction; false when another process (or an
/// unsuspension) got there first.
async fn purge_due(state: &AppState, account_id: i64, cutoff: i64, now: i64) -> ApiResult<bool> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if !warnings::claim_deletion_request(&mut ex, account_id, cutoff).await? {
        return Ok(false);
    }
    let a = load(&mut ex, account_id).await?;
    audit(&mut ex, state, None, "destroy", &account_target(&a), "").await?;
    crate::services::federation::outbound::delete_actor(state, &mut ex, &a.account).await?;
    let keys = warnings::purge_account(&mut ex, account_id, now).await?;
    tx.commit().await?;
    media_attachments::delete_keys(state, keys).await;
    tracing::info!(
        account_id,
        "purged a suspended account after its grace period"
    );
    Ok(true)
}

/// Runs [`run`] every `every` (first after one period) until the task is aborted; errors are
/// logged and the next tick tries again.
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let start = tokio::time::Instant::now() + every;
        let mut ticks = tokio::time::interval_at(start, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match run(&state, crate::domain::time::now()).await {
                Ok(s) if !s.purged.is_empty() || s.expired_mutes > 0 => tracing::info!(
                    purged = s.purged.len(),
                    expired_mutes = s.expired_mutes,
                    "maintenance run"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "maintenance run failed"),
            }
        }
    })
}
