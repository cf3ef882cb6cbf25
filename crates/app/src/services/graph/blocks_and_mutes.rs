//! Blocks and mutes between accounts.

use crate::api_types::Relationship;
use crate::db::repo::follows::FollowKind;
use crate::db::repo::{accounts, blocks, endorsements, follows, mutes, notifications};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::relationships;
use crate::services::retry::once_on_conflict;
use crate::state::AppState;

use super::{action_target, sever};

/// Blocks `:id`: severs follows both ways, rejects its pending request to you, removes
/// endorsements both ways. Blocking yourself changes nothing.
pub async fn block(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    once_on_conflict(|| block_once(state, me, target_id)).await
}

async fn block_once(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts::lock_pair(&mut ex, me, target_id).await?;
    let target = action_target(&mut ex, target_id).await?;
    if target_id != me {
        let now = time::now();
        sever(&mut ex, me, target_id).await?;
        sever(&mut ex, target_id, me).await?;
        if follows::delete(&mut ex, FollowKind::Request, target_id, me).await? {
            notifications::delete_activity(&mut ex, me, target_id, "follow_request").await?;
        }
        endorsements::delete(&mut ex, me, target_id).await?;
        endorsements::delete(&mut ex, target_id, me).await?;
        blocks::insert(&mut ex, state.next_id(), me, target_id, now).await?;
    }
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn unblock(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    once_on_conflict(|| unblock_once(state, me, target_id)).await
}

async fn unblock_once(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts::lock_pair(&mut ex, me, target_id).await?;
    let target = action_target(&mut ex, target_id).await?;
    blocks::delete(&mut ex, me, target_id).await?;
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}

/// The longest mute with an end: 100 years. Past it, or below zero, the expiry would leave
/// the range a timestamp renders in (a wrapped 1970 or year +12020).
pub const MAX_MUTE_DURATION_SECS: i64 = 100 * 365 * 24 * 60 * 60;

/// Mutes `:id` (or updates the mute): `hide_notifications` defaults to true; a `duration` of
/// whole seconds other than 0 sets the expiry. Muting yourself changes nothing. Expired mutes
/// of everyone are purged on the way.
pub async fn mute(
    state: &AppState,
    me: i64,
    target_id: i64,
    hide_notifications: bool,
    duration_secs: i64,
) -> ApiResult<Relationship> {
    if !(0..=MAX_MUTE_DURATION_SECS).contains(&duration_secs) {
        return Err(ApiError::invalid(
            "duration",
            "Duration",
            "invalid",
            "is invalid",
        ));
    }
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let target = action_target(&mut ex, target_id).await?;
    let now = time::now();
    mutes::purge_expired(&mut ex, now).await?;
    if target_id != me {
        let expires_at =
            (duration_secs != 0).then(|| now.saturating_add(duration_secs.saturating_mul(1000)));
        mutes::upsert(
            &mut ex,
            state.next_id(),
            me,
            target_id,
            hide_notifications,
            expires_at,
            now,
        )
        .await?;
    }
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn unmute(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let target = action_target(&mut ex, target_id).await?;
    mutes::purge_expired(&mut ex, time::now()).await?;
    mutes::delete(&mut ex, me, target_id).await?;
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}
