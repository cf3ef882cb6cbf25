//! Account migration across servers, as upstream Mastodon 4.x: the `Move` a local account
//! sends when it moves (to its remote followers' inboxes), the inbound `Move` of a remote
//! account (honoured only when the new account, fetched fresh, lists the old one in
//! `alsoKnownAs`), and what follows either (upstream's `MoveWorker`): the local followers of
//! the old account follow the new one, and local blocks and mutes of it carry over.

use serde_json::Value;
use woolly_activitypub::activity::{self, Incoming};
use woolly_activitypub::actor::id_of;

use crate::db::Exec;
use crate::db::repo::account_migration as repo;
use crate::db::repo::accounts::{self, AccountRow};
use crate::db::repo::federation as fed;
use crate::db::repo::follows::{self, FollowKind, FollowRow};
use crate::db::repo::{blocks, mutes};
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::federation::{outbound, remote};
use crate::services::graph::{blocks_and_mutes, notify_follow, sever};
use crate::services::retry::once_on_conflict;
use crate::services::streaming::Outbox;
use crate::state::AppState;

/// The account a move names as its target, as it is now.
#[derive(Debug, Clone)]
pub struct Target {
    pub account_id: i64,
    /// The actor URIs it says it is also known as.
    pub also_known_as: Vec<String>,
    /// Suspended or deleted (here or by its server): never a move's target.
    pub unavailable: bool,
}

/// The actor URIs a local account is also known as, and the URI of the account it moved to:
/// its actor's `alsoKnownAs` and `movedTo`.
pub async fn actor_links(
    ex: &mut Exec<'_>,
    account: &AccountRow,
) -> ApiResult<(Vec<String>, Option<String>)> {
    let aka = repo::aliases(ex, account.id).await?;
    let moved_to = match account.moved_to_account_id {
        Some(id) => accounts::find(ex, id).await?.map(|r| r.account.uri),
        None => None,
    };
    Ok((aka, moved_to))
}

/// The account at `uri`: a local one as stored, a remote one fetched fresh (its
/// `alsoKnownAs` must be as its server says now, as upstream's `FetchRemoteAccountService`).
/// None when it cannot be found.
pub async fn target(state: &AppState, uri: &str) -> ApiResult<Option<Target>> {
    let local = uri.starts_with(&format!("{}/", state.base_url()));
    if local {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        let Some(id) = fed::account_by_uri(&mut ex, uri).await? else {
            return Ok(None);
        };
        let Some(r) = accounts::find(&mut ex, id).await? else {
            return Ok(None);
        };
        if r.account.domain.is_some() {
            return Ok(None);
        }
        return Ok(Some(Target {
            account_id: id,
            also_known_as: repo::aliases(&mut ex, id).await?,
            unavailable: r.account.suspended_at.is_some() || r.account.deleted_at.is_some(),
        }));
    }
    let actor = match remote::fetch(state, uri).await {
        Ok(actor) => actor,
        Err(e) => {
            tracing::info!(error = %e, %uri, "move target not fetched");
            return Ok(None);
        }
    };
    let id = remote::store(state, &actor).await?;
    let suspended_here = {
        let mut conn = state.db().conn().await?;
        accounts::find(&mut conn.exec(), id)
            .await?
            .is_none_or(|r| r.account.suspended_at.is_some() || r.account.deleted_at.is_some())
    };
    Ok(Some(Target {
        account_id: id,
        also_known_as: actor.also_known_as,
        unavailable: actor.suspended || suspended_here,
    }))
}

/// Queues the `Move` of a local account to the (shared) inboxes of its remote followers, in
/// the caller's transaction (upstream's `MoveDistributionWorker`).
pub async fn send_move(
    state: &AppState,
    ex: &mut Exec<'_>,
    account: &AccountRow,
    target_uri: &str,
    migration_id: i64,
) -> ApiResult<()> {
    if account.domain.is_some() {
        return Ok(());
    }
    let id = format!("{}#moves/{migration_id}", account.uri);
    let doc = activity::move_actor(&id, &account.uri, target_uri);
    for inbox in fed::follower_inboxes(ex, account.id).await? {
        outbound::deliver(state, ex, account.id, &inbox, &doc).await?;
    }
    Ok(())
}

/// An inbound `Move` from the remote account `actor_id`: the object must be the sender, and
/// the target (fetched fresh) must list the sender in `alsoKnownAs` and be available. Then the
/// old account points at the new one and its local followers follow the new one.
pub async fn inbound(state: &AppState, actor_id: i64, a: &Incoming, doc: &Value) -> ApiResult<()> {
    if a.object_id().as_deref() != Some(a.actor.as_str()) {
        return Ok(());
    }
    let Some(target_uri) = doc.get("target").and_then(id_of) else {
        return Ok(());
    };
    let Some(t) = target(state, &target_uri).await? else {
        return Ok(());
    };
    if t.account_id == actor_id || t.unavailable || !t.also_known_as.contains(&a.actor) {
        tracing::info!(actor = %a.actor, target = %target_uri, "move refused");
        return Ok(());
    }
    {
        let mut tx = state.db().begin().await?;
        repo::set_moved_to(&mut tx.exec(), actor_id, Some(t.account_id), time::now()).await?;
        tx.commit().await?;
    }
    redirect(state, actor_id, t.account_id).await
}

/// Upstream's `MoveWorker`: each local follower of `source` follows `target` instead (with
/// the same options; a request where the target is remote, sent as a Follow, or locked and
/// the source local), and local blocks and mutes of `source` carry over to `target` unless
/// the account already blocks, mutes or follows it. Each follower is moved in its own
/// transaction; a failure is logged and the others still move.
pub async fn redirect(state: &AppState, source: i64, target: i64) -> ApiResult<()> {
    let now = time::now();
    let (follows_of, blockers, muters) = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        (
            repo::local_follows_of(&mut ex, source).await?,
            repo::local_blockers_of(&mut ex, source).await?,
            repo::local_muters_of(&mut ex, source, now).await?,
        )
    };
    for f in &follows_of {
        if let Err(error) = once_on_conflict(|| move_follow(state, f, source, target)).await {
            tracing::warn!(%error, follower = f.account_id, "moving a follow failed");
        }
    }
    for blocker in blockers {
        if blocker == target || carries_nothing(state, blocker, target, true).await? {
            continue;
        }
        if let Err(error) = blocks_and_mutes::block(state, blocker, target).await {
            tracing::warn!(%error, blocker, "carrying a block over failed");
        }
    }
    for (muter, hide) in muters {
        if muter == target || carries_nothing(state, muter, target, false).await? {
            continue;
        }
        if let Err(error) = blocks_and_mutes::mute(state, muter, target, hide, 0).await {
            tracing::warn!(%error, muter, "carrying a mute over failed");
        }
    }
    Ok(())
}

/// Upstream skips carrying a block (mute) over when the account already blocks (mutes) or
/// follows the new account.
async fn carries_nothing(state: &AppState, me: i64, target: i64, block: bool) -> ApiResult<bool> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let already = if block {
        blocks::exists(&mut ex, me, target).await?
    } else {
        mutes::find_active(&mut ex, me, target, time::now())
            .await?
            .is_some()
    };
    Ok(already
        || follows::find(&mut ex, FollowKind::Follow, me, target)
            .await?
            .is_some())
}

/// Upstream's `UnfollowFollowWorker` for one follower: follow the new account (unless
/// refused: a block either way), then unfollow the old one (an Undo when it is remote).
async fn move_follow(state: &AppState, f: &FollowRow, source: i64, target: i64) -> ApiResult<()> {
    let me = f.account_id;
    if me == target {
        return Ok(());
    }
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    accounts::lock_pair(&mut ex, me, target).await?;
    let (Some(follower), Some(new), Some(old)) = (
        accounts::find(&mut ex, me).await?,
        accounts::find(&mut ex, target).await?,
        accounts::find(&mut ex, source).await?,
    ) else {
        return Ok(());
    };
    let (follower, new, old) = (follower.account, new.account, old.account);
    if new.deleted_at.is_some() || blocks::either_way(&mut ex, me, target).await? {
        return Ok(());
    }
    let mut outbox = Outbox::default();
    follow_new(state, &mut ex, &follower, &new, &old, f, &mut outbox).await?;
    let uri = crate::services::federation::remote_follow_uri(&mut ex, &old, me, source).await?;
    if sever(&mut ex, me, source).await? && old.domain.is_some() {
        outbound::undo_follow(state, &mut ex, &follower, &old, uri).await?;
    }
    tx.commit().await?;
    outbox.send(state);
    Ok(())
}

/// The follow of `new` by `follower`, unless there is one (or a request) already: a follow
/// of a local account (upstream bypasses its lock when the move is of a remote account; a
/// local-to-local move rewrites the follow), a request and a Follow for a remote one.
async fn follow_new(
    state: &AppState,
    ex: &mut Exec<'_>,
    follower: &AccountRow,
    new: &AccountRow,
    old: &AccountRow,
    f: &FollowRow,
    outbox: &mut Outbox,
) -> ApiResult<()> {
    for kind in [FollowKind::Follow, FollowKind::Request] {
        if follows::find(ex, kind, follower.id, new.id)
            .await?
            .is_some()
        {
            return Ok(());
        }
    }
    let kind = if new.domain.is_some() || follower.silenced_at.is_some() {
        FollowKind::Request
    } else {
        FollowKind::Follow
    };
    let now = time::now();
    let row = FollowRow {
        id: state.next_id(),
        account_id: follower.id,
        target_account_id: new.id,
        created_at: now,
        ..f.clone()
    };
    if !follows::insert(ex, kind, &row).await? {
        return Ok(());
    }
    if new.domain.is_some() {
        return outbound::follow(state, ex, follower, new).await;
    }
    // A local-to-local move rewrites the follow without a notification, as upstream.
    if old.domain.is_some() {
        notify_follow(state, ex, kind, new.id, follower.id, now, outbox).await?;
    }
    Ok(())
}
