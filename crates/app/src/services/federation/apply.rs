//! Applying a verified inbound activity (run by the worker from the queue), as upstream's
//! `ActivityPub::Activity::*` handlers do for accounts: Follow, Accept, Reject, Undo of
//! Follow/Block, Block, Update of the actor, Delete of the actor. Anything else is ignored.
//! The inbox checked that `actor` signed the request; each handler checks that what the
//! activity is about belongs to that actor.

use serde_json::Value;
use woolly_activitypub::activity::Incoming;
use woolly_activitypub::actor::RemoteActor;
use woolly_activitypub::note::NOTE_TYPES;

use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRow};
use crate::db::repo::federation as repo;
use crate::db::repo::follows::{self, FollowKind, FollowRow};
use crate::db::repo::{blocks, mutes, notifications};
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::federation::{notes, outbound, remote};
use crate::services::graph::{sever, withdraw_request};
use crate::services::streaming::Outbox;
use crate::state::AppState;

/// Applies the activity `doc` sent by the remote account `actor_id`.
pub async fn apply(state: &AppState, actor_id: i64, doc: &Value) -> ApiResult<()> {
    let Ok(a) = Incoming::parse(doc) else {
        return Ok(());
    };
    // A remote account suspended here may still undo and delete, nothing else.
    let suspended_here = {
        let mut conn = state.db().conn().await?;
        accounts::find(&mut conn.exec(), actor_id)
            .await?
            .is_none_or(|r| {
                r.account.suspended_at.is_some()
                    && r.account.suspension_origin.as_deref() == Some("local")
            })
    };
    if suspended_here && !matches!(a.kind.as_str(), "Undo" | "Delete") {
        return Ok(());
    }
    match (a.kind.as_str(), a.object_kind()) {
        ("Follow", _) => follow(state, actor_id, &a).await,
        ("Accept", _) => answered(state, actor_id, &a, true).await,
        ("Reject", _) => answered(state, actor_id, &a, false).await,
        ("Undo", Some("Follow")) => undo_follow(state, actor_id, &a).await,
        ("Undo", Some("Block")) => undo_block(state, actor_id, &a).await,
        ("Block", _) => block(state, actor_id, &a).await,
        ("Update", Some(kind)) if woolly_activitypub::actor::ACTOR_TYPES.contains(&kind) => {
            update(state, actor_id, &a).await
        }
        ("Move", _) => super::moves::inbound(state, actor_id, &a, doc).await,
        ("Delete", _) if a.object_id().as_deref() == Some(a.actor.as_str()) => {
            delete(state, actor_id).await
        }
        ("Create", Some(kind)) if NOTE_TYPES.contains(&kind) => {
            notes::create(state, actor_id, &a).await
        }
        ("Announce", _) => notes::announce(state, actor_id, &a, doc).await,
        ("Update", Some(kind)) if NOTE_TYPES.contains(&kind) => {
            notes::update(state, actor_id, &a).await
        }
        ("Delete", _) | ("Undo", Some("Announce")) => notes::delete(state, actor_id, &a).await,
        _ => Ok(()),
    }
}

/// The local account an actor URI names.
async fn local_by_uri(ex: &mut Exec<'_>, uri: Option<String>) -> ApiResult<Option<AccountRow>> {
    let Some(uri) = uri else { return Ok(None) };
    let Some(id) = repo::account_by_uri(ex, &uri).await? else {
        return Ok(None);
    };
    Ok(accounts::find(ex, id)
        .await?
        .map(|r| r.account)
        .filter(|a| a.domain.is_none()))
}

/// The local target of the activity an Undo from `actor_id` withdraws, when that activity
/// was the sender's own (no one undoes another's follow or block).
async fn undone_target(
    ex: &mut Exec<'_>,
    actor_id: i64,
    a: &Incoming,
) -> ApiResult<Option<AccountRow>> {
    let Some(me) = account(ex, actor_id).await? else {
        return Ok(None);
    };
    if a.object_actor().as_deref() != Some(me.uri.as_str()) {
        return Ok(None);
    }
    local_by_uri(ex, a.object_object()).await
}

async fn account(ex: &mut Exec<'_>, id: i64) -> ApiResult<Option<AccountRow>> {
    Ok(accounts::find(ex, id).await?.map(|r| r.account))
}

/// A remote Follow of a local account: a follow (and Accept) at once, a request when the
/// account is locked, a Reject when it blocks the follower or is gone.
async fn follow(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let Some(target) = local_by_uri(&mut ex, a.object_id()).await? else {
        return Ok(());
    };
    accounts::lock_pair(&mut ex, actor_id, target.id).await?;
    let Some(me) = account(&mut ex, actor_id).await? else {
        return Ok(());
    };
    let now = time::now();
    let refused = target.suspended_at.is_some()
        || target.deleted_at.is_some()
        || blocks::either_way(&mut ex, actor_id, target.id).await?;
    if refused {
        outbound::answer_follow(state, &mut ex, &target, &me, Some(a.id.clone()), false).await?;
        tx.commit().await?;
        return Ok(());
    }
    let mut outbox = Outbox::default();
    if follows::find(&mut ex, FollowKind::Follow, actor_id, target.id)
        .await?
        .is_some()
    {
        // Already following: answer again (the first Accept may have been lost).
        repo::set_follow_uri(&mut ex, FollowKind::Follow, actor_id, target.id, &a.id).await?;
        outbound::answer_follow(state, &mut ex, &target, &me, Some(a.id.clone()), true).await?;
    } else {
        let kind = if target.locked {
            FollowKind::Request
        } else {
            FollowKind::Follow
        };
        let row = FollowRow {
            id: state.next_id(),
            account_id: actor_id,
            target_account_id: target.id,
            show_reblogs: true,
            notify: false,
            languages: None,
            created_at: now,
        };
        if follows::insert(&mut ex, kind, &row).await? {
            let muted = mutes::find_active(&mut ex, target.id, actor_id, now)
                .await?
                .is_some_and(|m| m.hide_notifications);
            if !muted {
                let name = if kind == FollowKind::Follow {
                    "follow"
                } else {
                    "follow_request"
                };
                let id = state.next_id();
                notifications::insert(&mut ex, id, target.id, actor_id, name, now).await?;
                outbox.notification(target.id, id);
            }
        }
        repo::set_follow_uri(&mut ex, kind, actor_id, target.id, &a.id).await?;
        if kind == FollowKind::Follow {
            outbound::answer_follow(state, &mut ex, &target, &me, Some(a.id.clone()), true).await?;
        }
    }
    tx.commit().await?;
    outbox.send(state);
    Ok(())
}

/// Accept or Reject of a Follow a local account sent to `actor_id`.
async fn answered(state: &AppState, actor_id: i64, a: &Incoming, accepted: bool) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    // The Follow is embedded (its actor is ours) or named by its id (our URI).
    let follower = match a.object_actor() {
        Some(uri) => local_by_uri(&mut ex, Some(uri)).await?,
        None => {
            let id = a.object_id().unwrap_or_default();
            let owner = id.split('#').next().map(str::to_owned);
            local_by_uri(&mut ex, owner).await?
        }
    };
    let Some(follower) = follower else {
        return Ok(());
    };
    // An embedded Follow must be of the sender.
    if let Some(object) = a.object_object()
        && account(&mut ex, actor_id)
            .await?
            .is_none_or(|r| r.uri != object)
    {
        return Ok(());
    }
    accounts::lock_pair(&mut ex, follower.id, actor_id).await?;
    let pending = follows::find(&mut ex, FollowKind::Request, follower.id, actor_id).await?;
    if accepted {
        if let Some(request) = pending {
            let uri = repo::follow_uri(&mut ex, FollowKind::Request, follower.id, actor_id).await?;
            withdraw_request(&mut ex, follower.id, actor_id).await?;
            let row = FollowRow {
                id: state.next_id(),
                created_at: time::now(),
                ..request
            };
            follows::insert(&mut ex, FollowKind::Follow, &row).await?;
            if let Some(uri) = uri {
                repo::set_follow_uri(&mut ex, FollowKind::Follow, follower.id, actor_id, &uri)
                    .await?;
            }
        }
    } else if !withdraw_request(&mut ex, follower.id, actor_id).await? {
        sever(&mut ex, follower.id, actor_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn undo_follow(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let Some(target) = undone_target(&mut ex, actor_id, a).await? else {
        return Ok(());
    };
    accounts::lock_pair(&mut ex, actor_id, target.id).await?;
    if !sever(&mut ex, actor_id, target.id).await? {
        withdraw_request(&mut ex, actor_id, target.id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A remote Block of a local account: the follows both ways end, as upstream.
async fn block(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let Some(target) = local_by_uri(&mut ex, a.object_id()).await? else {
        return Ok(());
    };
    accounts::lock_pair(&mut ex, actor_id, target.id).await?;
    sever(&mut ex, actor_id, target.id).await?;
    sever(&mut ex, target.id, actor_id).await?;
    withdraw_request(&mut ex, actor_id, target.id).await?;
    withdraw_request(&mut ex, target.id, actor_id).await?;
    blocks::insert(&mut ex, state.next_id(), actor_id, target.id, time::now()).await?;
    tx.commit().await?;
    Ok(())
}

async fn undo_block(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if let Some(target) = undone_target(&mut ex, actor_id, a).await? {
        blocks::delete(&mut ex, actor_id, target.id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Update of the sender's own actor document: stored as sent (its id must be the sender).
async fn update(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let Ok(actor) = RemoteActor::parse(&a.object) else {
        return Ok(());
    };
    if actor.id != a.actor {
        return Ok(());
    }
    let known = {
        let mut conn = state.db().conn().await?;
        repo::account_by_uri(&mut conn.exec(), &actor.id).await?
    };
    if known == Some(actor_id) {
        remote::store(state, &actor).await?;
    }
    Ok(())
}

/// Delete of the sender itself: its follows end and a tombstone remains.
async fn delete(state: &AppState, actor_id: i64) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    crate::db::repo::follows::sever_all(&mut ex, &[actor_id]).await?;
    repo::mark_deleted(&mut ex, actor_id, time::now()).await?;
    tx.commit().await?;
    Ok(())
}
