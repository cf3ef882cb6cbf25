//! The social graph: follows and follow requests, blocks, mutes, notes, endorsements, and
//! the collections built on them. Each write runs in one transaction that also keeps the
//! accounts' follower/following counters true.

pub mod blocks_and_mutes;
pub mod collections;
pub mod domain_blocks;
pub mod follow;
pub mod lookup;
pub mod notes_and_endorsements;
pub mod requests;

use crate::db::Exec;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::follows::{self, FollowKind};
use crate::db::repo::{endorsements, mutes, notifications};
use crate::error::{ApiError, ApiResult};
use crate::services::accounts;
use crate::services::streaming::Outbox;
use crate::state::AppState;

/// `:id` of the follow/unfollow/block/… routes: 404 when unknown, deleted, or a local account
/// whose user is pending approval or unconfirmed.
pub async fn action_target(ex: &mut Exec<'_>, id: i64) -> ApiResult<AccountRecord> {
    let record = accounts::find_undeleted(ex, id).await?;
    if accounts::visible_locally(&record) {
        Ok(record)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Deletes the follow `from → to` with what depends on it (the counters, `from`'s endorsement
/// of `to`, the follow notification). True if there was one.
pub async fn sever(ex: &mut Exec<'_>, from: i64, to: i64) -> ApiResult<bool> {
    if !follows::delete(ex, FollowKind::Follow, from, to).await? {
        return Ok(false);
    }
    endorsements::delete(ex, from, to).await?;
    notifications::delete_activity(ex, to, from, "follow").await?;
    Ok(true)
}

/// Deletes the pending request `from → to` and its notification. True if there was one.
pub async fn withdraw_request(ex: &mut Exec<'_>, from: i64, to: i64) -> ApiResult<bool> {
    if !follows::delete(ex, FollowKind::Request, from, to).await? {
        return Ok(false);
    }
    notifications::delete_activity(ex, to, from, "follow_request").await?;
    Ok(true)
}

/// The `follow` (or `follow_request`) notification of a new follow of the local account
/// `target` by `follower`, unless `target` mutes the follower's notifications.
pub async fn notify_follow(
    state: &AppState,
    ex: &mut Exec<'_>,
    kind: FollowKind,
    target: i64,
    follower: i64,
    now: i64,
    outbox: &mut Outbox,
) -> ApiResult<()> {
    let muted = mutes::find_active(ex, target, follower, now)
        .await?
        .is_some_and(|m| m.hide_notifications);
    if muted {
        return Ok(());
    }
    let name = match kind {
        FollowKind::Follow => "follow",
        FollowKind::Request => "follow_request",
    };
    let id = state.next_id();
    notifications::insert(ex, id, target, follower, name, now).await?;
    outbox.notification(target, id);
    Ok(())
}
