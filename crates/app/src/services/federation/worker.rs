//! The federation worker: claims due jobs from `federation_jobs` and runs them: signed
//! deliveries, fan-outs of profile updates and deletions, and inbound activities. A failed
//! job comes back after an exponential backoff (30 s doubling, capped at a day: 16 attempts
//! span about a week, upstream's window) and is dropped, with its last error logged, after
//! that. Jobs are claimed with a lease, so a process that dies mid-job leaves it to another.

use std::time::Duration;

use serde_json::Value;
use woolly_activitypub::activity;

use crate::db::repo::accounts;
use crate::db::repo::federation::{self as repo, JobRow};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::domain_policy;
use crate::services::federation::{apply, availability, client, documents, keys, outbound};
use crate::state::AppState;

/// Attempts before a job is given up.
pub const MAX_ATTEMPTS: i32 = 16;
const BASE_DELAY_MS: i64 = 30_000;
const MAX_DELAY_MS: i64 = 24 * 60 * 60 * 1000;
/// How long a claimed job is hidden from other workers.
const LEASE_MS: i64 = 5 * 60 * 1000;
const BATCH: i64 = 16;
/// How often an idle worker looks for due jobs (it is also woken when jobs are queued).
const POLL: Duration = Duration::from_secs(2);
/// A wake comes from inside the queuing transaction, before its commit: when the next look
/// finds nothing, the worker looks again after these pauses rather than sleeping a whole
/// [`POLL`] (on PostgreSQL every delivery waited 2 s for its poll otherwise).
const AFTER_WAKE: [Duration; 4] = [
    Duration::from_millis(5),
    Duration::from_millis(20),
    Duration::from_millis(60),
    Duration::from_millis(200),
];

/// The delay before attempt `attempts + 1`, with the default first delay.
pub fn backoff_ms(attempts: i32) -> i64 {
    backoff_from(BASE_DELAY_MS, attempts)
}

/// The delay before attempt `attempts + 1` when the first retry waits `base_ms`
/// (`delivery_retry_base_ms`; tests shorten it).
pub fn backoff_from(base_ms: i64, attempts: i32) -> i64 {
    let shift = u32::try_from(attempts.clamp(0, 20)).unwrap_or(0);
    base_ms.saturating_mul(1_i64 << shift).min(MAX_DELAY_MS)
}

/// Runs the worker until the process stops.
pub async fn run(state: AppState) {
    let mut stopping = state.stopping();
    loop {
        match run_due(&state).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "federation worker"),
        }
        tokio::select! {
            () = state.federation_woken() => {}
            () = tokio::time::sleep(POLL) => continue,
            _ = stopping.changed() => return,
        }
        for pause in AFTER_WAKE {
            match run_due(&state).await {
                Ok(n) if n > 0 => break,
                Ok(_) => tokio::time::sleep(pause).await,
                Err(error) => {
                    tracing::warn!(%error, "federation worker");
                    break;
                }
            }
        }
    }
}

/// Claims and runs one batch of due jobs; returns how many ran. Tests call it directly.
pub async fn run_due(state: &AppState) -> ApiResult<usize> {
    let jobs = {
        let mut tx = state.db().begin().await?;
        let jobs = repo::claim(&mut tx.exec(), time::now(), LEASE_MS, BATCH).await?;
        tx.commit().await?;
        jobs
    };
    let n = jobs.len();
    for job in jobs {
        let outcome = run_one(state, &job).await;
        let mut tx = state.db().begin().await?;
        match outcome {
            Ok(()) => repo::finish(&mut tx.exec(), job.id).await?,
            Err(error) if job.attempts + 1 >= MAX_ATTEMPTS => {
                tracing::warn!(%error, kind = %job.kind, target = ?job.target_url, "federation job given up");
                repo::finish(&mut tx.exec(), job.id).await?;
            }
            Err(error) => {
                tracing::info!(%error, kind = %job.kind, target = ?job.target_url, attempts = job.attempts + 1, "federation job failed; will retry");
                let base =
                    i64::try_from(state.config().delivery_retry_base_ms).unwrap_or(BASE_DELAY_MS);
                let at = time::now() + backoff_from(base, job.attempts);
                repo::retry_at(&mut tx.exec(), job.id, at, &error).await?;
            }
        }
        tx.commit().await?;
    }
    Ok(n)
}

/// Runs every job that is due, and what they queue, until none is left (tests).
pub async fn drain(state: &AppState) -> ApiResult<()> {
    while run_due(state).await? > 0 {}
    Ok(())
}

async fn run_one(state: &AppState, job: &JobRow) -> Result<(), String> {
    let result = match job.kind.as_str() {
        outbound::DELIVER => deliver(state, job).await,
        outbound::INBOX => inbound(state, job).await,
        outbound::UPDATE_ACTOR | outbound::DELETE_ACTOR => fan_out(state, job).await,
        other => Err(ApiError::internal(format!("unknown job kind {other}"))),
    };
    result.map_err(|e| match e {
        ApiError::Internal(s) => s,
        other => other.to_string(),
    })
}

async fn local_uri(state: &AppState, account_id: i64) -> ApiResult<(String, String)> {
    let mut conn = state.db().conn().await?;
    let r = accounts::find(&mut conn.exec(), account_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((r.account.uri, r.account.username))
}

async fn deliver(state: &AppState, job: &JobRow) -> ApiResult<()> {
    let from = job.account_id.ok_or(ApiError::NotFound)?;
    let inbox = job.target_url.as_deref().ok_or(ApiError::NotFound)?;
    // queued before its domain was blocked, or to a domain unavailable since: dropped
    if domain_policy::refused_url_now(state, inbox).await? {
        return Ok(());
    }
    if !availability::available(state, inbox).await? {
        tracing::info!(%inbox, "delivery dropped: the domain is unavailable");
        return Ok(());
    }
    let (uri, _) = local_uri(state, from).await?;
    let signer = keys::local_signer(state, from, &uri).await?;
    match client::post_activity(state, inbox, job.payload.as_bytes(), &signer).await {
        Ok(()) => availability::reset(state, inbox).await,
        // an answer that no retry changes: done, as upstream (the server is there)
        Err(client::RemoteError::Status(s)) if availability::answered(s) => {
            tracing::info!(%inbox, status = s, "delivery refused; not retried");
            availability::reset(state, inbox).await
        }
        Err(e) => {
            availability::track_failure(state, inbox).await?;
            Err(e.into())
        }
    }
}

async fn inbound(state: &AppState, job: &JobRow) -> ApiResult<()> {
    let actor = job.account_id.ok_or(ApiError::NotFound)?;
    if domain_policy::refused_account(state, actor).await? {
        return Ok(());
    }
    let doc: Value = serde_json::from_str(&job.payload).map_err(ApiError::internal)?;
    apply::apply(state, actor, &doc).await
}

/// Renders the Update (or Delete) now and queues one delivery per distinct inbox.
async fn fan_out(state: &AppState, job: &JobRow) -> ApiResult<()> {
    let account_id = job.account_id.ok_or(ApiError::NotFound)?;
    let (uri, username) = local_uri(state, account_id).await?;
    let id = format!("{uri}#{}/{}", job.kind, state.next_id());
    let doc = if job.kind == outbound::UPDATE_ACTOR {
        activity::update_actor(&id, documents::actor(state, &username).await?)
    } else {
        activity::delete_actor(&id, &uri)
    };
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    for inbox in repo::follower_inboxes(&mut ex, account_id).await? {
        outbound::deliver(state, &mut ex, account_id, &inbox, &doc).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The jobs in the queue: (kind, target, attempts, last error), due first.
pub async fn pending(
    state: &AppState,
) -> ApiResult<Vec<(String, Option<String>, i32, Option<String>)>> {
    let mut conn = state.db().conn().await?;
    Ok(repo::pending(&mut conn.exec()).await?)
}

/// Jobs in the queue: (all, due now), for the metrics.
pub async fn queue_depth(state: &AppState) -> ApiResult<(i64, i64)> {
    let mut conn = state.db().conn().await?;
    Ok(repo::queue_depth(&mut conn.exec(), time::now()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_day() {
        assert_eq!(backoff_ms(0), 30_000);
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(30), MAX_DELAY_MS);
        let total: i64 = (0..MAX_ATTEMPTS).map(backoff_ms).sum();
        assert!(
            total > 4 * MAX_DELAY_MS && total < 8 * MAX_DELAY_MS,
            "{total}"
        );
    }
}
