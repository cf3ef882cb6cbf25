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
use crate::db::repo::{endorsements, notifications};
use crate::error::{ApiError, ApiResult};
use crate::services::accounts;

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
