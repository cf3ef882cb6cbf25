//! `POST /api/v1/accounts/:id/follow` and `/unfollow`, with upstream's error order, limits,
//! request-vs-follow choice and optimistic answer.

use crate::api_types::Relationship;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::blocks;
use crate::db::repo::follows::{self, FollowKind, FollowRow};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::ratelimit::{Hit, throttles};
use crate::services::federation;
use crate::services::present::unavailable;
use crate::services::relationships::{self, Optimistic};
use crate::services::retry::once_on_conflict;
use crate::services::streaming::Outbox;
use crate::state::AppState;

use super::{action_target, sever, withdraw_request};
use crate::domain::languages;

/// `MAX_FOLLOWS_THRESHOLD` and `MAX_FOLLOWS_RATIO` of upstream's follow limit validator.
pub const MAX_FOLLOWS_THRESHOLD: i64 = 7500;
const MAX_FOLLOWS_RATIO: f64 = 1.1;

/// The params of a follow; `None` means not given.
#[derive(Debug, Clone, Default)]
pub struct FollowOptions {
    pub reblogs: Option<bool>,
    pub notify: Option<bool>,
    /// `Some(None)`: given but empty (all languages).
    pub languages: Option<Option<Vec<String>>>,
}

/// The result of a follow: the Relationship and the follows-family hit (for headers).
pub struct Followed {
    pub relationship: Relationship,
    pub family: Option<Hit>,
}

/// The limiter key of the follows family for an account.
pub fn rate_key(account_id: i64) -> String {
    format!("{}:{account_id}", throttles::FOLLOWS.name)
}

/// How many accounts `a` may follow: 7500, or more for accounts with many followers.
pub fn follow_limit(following: i64, followers: i64) -> i64 {
    if following < MAX_FOLLOWS_THRESHOLD {
        return MAX_FOLLOWS_THRESHOLD;
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let scaled = (followers as f64 * MAX_FOLLOWS_RATIO).round() as i64;
    MAX_FOLLOWS_THRESHOLD.max(scaled)
}

fn apply(row: &mut FollowRow, opts: &FollowOptions) {
    if let Some(r) = opts.reblogs {
        row.show_reblogs = r;
    }
    if let Some(n) = opts.notify {
        row.notify = n;
    }
    if let Some(l) = &opts.languages {
        row.languages = l.as_ref().and_then(|v| serde_json::to_string(v).ok());
    }
}

async fn check_allowed(
    ex: &mut Exec<'_>,
    me: &AccountRecord,
    target: &AccountRecord,
) -> ApiResult<()> {
    let t = &target.account;
    if t.moved_to_account_id.is_some() || blocks::either_way(ex, me.account.id, t.id).await? {
        return Err(ApiError::not_allowed());
    }
    if let Some(domain) = &t.domain
        && blocks::domain_blocked(ex, me.account.id, domain).await?
    {
        return Err(ApiError::not_allowed());
    }
    Ok(())
}

fn check_languages(opts: &FollowOptions) -> ApiResult<()> {
    if let Some(Some(list)) = &opts.languages
        && !list.iter().all(|l| languages::supported(l))
    {
        return Err(ApiError::Unprocessable(
            "Validation failed: Languages is invalid".into(),
        ));
    }
    Ok(())
}

pub async fn follow(
    state: &AppState,
    me: &AccountRecord,
    target_id: i64,
    opts: FollowOptions,
) -> ApiResult<Followed> {
    once_on_conflict(|| follow_once(state, me, target_id, &opts)).await
}

async fn follow_once(
    state: &AppState,
    me: &AccountRecord,
    target_id: i64,
    opts: &FollowOptions,
) -> ApiResult<Followed> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts::lock_pair(&mut ex, me.account.id, target_id).await?;
    let target = action_target(&mut ex, target_id).await?;
    let my_id = me.account.id;
    if target.account.id == my_id {
        return Err(ApiError::Forbidden(
            "Following your own account is not allowed".into(),
        ));
    }
    if unavailable(&target.account) {
        return Err(ApiError::NotFound);
    }
    check_allowed(&mut ex, me, &target).await?;
    check_languages(opts)?;
    let now = time::now();
    let mut family = None;
    let mut outbox = Outbox::default();
    let stored = if let Some(mut row) =
        follows::find(&mut ex, FollowKind::Follow, my_id, target_id).await?
    {
        apply(&mut row, opts);
        follows::update_options(&mut ex, FollowKind::Follow, &row).await?;
        row
    } else if let Some(mut row) =
        follows::find(&mut ex, FollowKind::Request, my_id, target_id).await?
    {
        apply(&mut row, opts);
        follows::update_options(&mut ex, FollowKind::Request, &row).await?;
        row
    } else {
        let fresh = accounts::find(&mut ex, my_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let (following, followers) = (fresh.account.following_count, fresh.account.followers_count);
        let limit = follow_limit(following, followers);
        if following >= limit {
            return Err(ApiError::Unprocessable(format!(
                "Validation failed: You cannot follow more than {limit} people"
            )));
        }
        family = hit_family(state, my_id, now).await?;
        create(state, &mut ex, me, &target, opts, now, &mut outbox).await?
    };
    let optimistic =
        (!target.account.locked && me.account.silenced_at.is_none()).then(|| Optimistic {
            show_reblogs: stored.show_reblogs,
            notify: stored.notify,
            languages: relationships::languages_of(&stored),
        });
    let relationship = relationships::optimistic(
        &mut ex,
        my_id,
        target_id,
        target.account.domain.as_deref(),
        optimistic,
    )
    .await?;
    tx.commit().await?;
    outbox.send(state);
    Ok(Followed {
        relationship,
        family,
    })
}

/// Counts a new follow against the 400/24 h family; 429 past it.
async fn hit_family(state: &AppState, account_id: i64, now: i64) -> ApiResult<Option<Hit>> {
    if !state.config().rate_limits {
        return Ok(None);
    }
    let t = throttles::FOLLOWS;
    let hit = state
        .limiter()
        .hit(&rate_key(account_id), t.limit, t.period_secs, now)
        .await
        .map_err(ApiError::internal)?;
    if hit.exceeded() {
        return Err(ApiError::TooManyRequests);
    }
    Ok(Some(hit))
}

/// A follow request when the target is locked, remote, or the follower silenced; else a
/// follow. The local target gets its notification unless it mutes the follower's notifications.
async fn create(
    state: &AppState,
    ex: &mut Exec<'_>,
    me: &AccountRecord,
    target: &AccountRecord,
    opts: &FollowOptions,
    now: i64,
    outbox: &mut Outbox,
) -> ApiResult<FollowRow> {
    let t = &target.account;
    let kind = if t.locked || t.domain.is_some() || me.account.silenced_at.is_some() {
        FollowKind::Request
    } else {
        FollowKind::Follow
    };
    let mut row = FollowRow {
        id: state.next_id(),
        account_id: me.account.id,
        target_account_id: t.id,
        show_reblogs: true,
        notify: false,
        languages: None,
        created_at: now,
    };
    apply(&mut row, opts);
    // A concurrent follow of the same pair that committed first made the row and its
    // notification; this request then answers from it like a repeated follow.
    let inserted = follows::insert(ex, kind, &row).await?;
    if inserted && t.domain.is_some() {
        federation::outbound::follow(state, ex, &me.account, t).await?;
    }
    if inserted && t.domain.is_none() {
        super::notify_follow(state, ex, kind, t.id, me.account.id, now, outbox).await?;
    }
    Ok(row)
}

/// Deletes the follow (or else the pending request); unfollowing yourself changes nothing.
pub async fn unfollow(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    once_on_conflict(|| unfollow_once(state, me, target_id)).await
}

async fn unfollow_once(state: &AppState, me: i64, target_id: i64) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts::lock_pair(&mut ex, me, target_id).await?;
    let target = action_target(&mut ex, target_id).await?;
    let uri = federation::remote_follow_uri(&mut ex, &target.account, me, target_id).await?;
    let undone = target_id != me
        && (sever(&mut ex, me, target_id).await?
            || withdraw_request(&mut ex, me, target_id).await?);
    if undone && target.account.domain.is_some() {
        let me_row = action_target(&mut ex, me).await?.account;
        federation::outbound::undo_follow(state, &mut ex, &me_row, &target.account, uri).await?;
    }
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}

/// Deletes the follow from `:id` to you.
pub async fn remove_from_followers(
    state: &AppState,
    me: i64,
    target_id: i64,
) -> ApiResult<Relationship> {
    once_on_conflict(|| remove_from_followers_once(state, me, target_id)).await
}

async fn remove_from_followers_once(
    state: &AppState,
    me: i64,
    target_id: i64,
) -> ApiResult<Relationship> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts::lock_pair(&mut ex, me, target_id).await?;
    let target = action_target(&mut ex, target_id).await?;
    let uri = federation::follow_uri_of(&mut ex, target_id, me).await?;
    if sever(&mut ex, target_id, me).await? && target.account.domain.is_some() {
        let me_row = action_target(&mut ex, me).await?.account;
        federation::outbound::answer_follow(state, &mut ex, &me_row, &target.account, uri, false)
            .await?;
    }
    let r = relationships::one(&mut ex, me, target_id, target.account.domain.as_deref()).await?;
    tx.commit().await?;
    Ok(r)
}
