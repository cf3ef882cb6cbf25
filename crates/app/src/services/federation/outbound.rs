//! What Woolly sends, queued in the caller's transaction (so a rolled-back action sends
//! nothing and a committed one survives a restart): one `deliver` job per inbox, or a
//! fan-out job (`update_actor`, `delete_actor`) that the worker expands into one delivery per
//! distinct (shared) inbox of the account's remote followers when it runs.

use serde_json::Value;
use woolly_activitypub::activity;

use crate::db::Exec;
use crate::db::repo::accounts::AccountRow;
use crate::db::repo::federation::{self as repo, NewJob};
use crate::db::repo::follows::FollowKind;
use crate::domain::time;
use crate::error::ApiResult;
use crate::state::AppState;

pub const DELIVER: &str = "deliver";
pub const INBOX: &str = "inbox";
pub const UPDATE_ACTOR: &str = "update_actor";
pub const DELETE_ACTOR: &str = "delete_actor";

/// Queues one signed POST of `activity` to `inbox` on behalf of `from`.
pub async fn deliver(
    state: &AppState,
    ex: &mut Exec<'_>,
    from: i64,
    inbox: &str,
    activity: &Value,
) -> ApiResult<()> {
    // nothing is queued for a refused (suspended or, in limited mode, not allowed) domain
    if crate::services::domain_policy::refused_url(state, ex, inbox).await? {
        return Ok(());
    }
    let payload = activity.to_string();
    repo::enqueue(
        ex,
        &NewJob {
            id: state.next_id(),
            kind: DELIVER,
            account_id: Some(from),
            target_url: Some(inbox),
            payload: &payload,
            run_at: time::now(),
        },
    )
    .await?;
    state.federation_wake();
    Ok(())
}

/// The inbox of a remote account (its own, for activities addressed to it alone).
async fn inbox_of(ex: &mut Exec<'_>, account_id: i64) -> ApiResult<Option<String>> {
    Ok(repo::remote_actor(ex, account_id)
        .await?
        .map(|r| r.inbox_url))
}

fn new_id(state: &AppState, actor: &AccountRow, what: &str) -> String {
    format!("{}#{what}/{}", actor.uri, state.next_id())
}

/// Follow of a remote account (the request stays pending until its Accept).
pub async fn follow(
    state: &AppState,
    ex: &mut Exec<'_>,
    me: &AccountRow,
    target: &AccountRow,
) -> ApiResult<()> {
    let Some(inbox) = inbox_of(ex, target.id).await? else {
        return Ok(());
    };
    let id = new_id(state, me, "follows");
    repo::set_follow_uri(ex, FollowKind::Request, me.id, target.id, &id).await?;
    deliver(
        state,
        ex,
        me.id,
        &inbox,
        &activity::follow(&id, &me.uri, &target.uri),
    )
    .await
}

/// The Follow `from → to` as it was sent (its stored id, or a rebuilt one).
fn follow_doc(uri: Option<String>, from: &AccountRow, to: &AccountRow) -> Value {
    let id = uri.unwrap_or_else(|| format!("{}#follows/{}", from.uri, to.id));
    activity::follow(&id, &from.uri, &to.uri)
}

/// Undo of my follow (or request) of a remote account; `uri` is the Follow's id when known.
pub async fn undo_follow(
    state: &AppState,
    ex: &mut Exec<'_>,
    me: &AccountRow,
    target: &AccountRow,
    uri: Option<String>,
) -> ApiResult<()> {
    let Some(inbox) = inbox_of(ex, target.id).await? else {
        return Ok(());
    };
    let undo = activity::undo(
        &new_id(state, me, "follows-undo"),
        &me.uri,
        follow_doc(uri, me, target),
    );
    deliver(state, ex, me.id, &inbox, &undo).await
}

/// Accept (or Reject) of a remote account's follow of `me`.
pub async fn answer_follow(
    state: &AppState,
    ex: &mut Exec<'_>,
    me: &AccountRow,
    follower: &AccountRow,
    uri: Option<String>,
    accept: bool,
) -> ApiResult<()> {
    let Some(inbox) = inbox_of(ex, follower.id).await? else {
        return Ok(());
    };
    let follow = follow_doc(uri, follower, me);
    let doc = if accept {
        activity::accept(&new_id(state, me, "accepts"), &me.uri, follow)
    } else {
        activity::reject(&new_id(state, me, "rejects"), &me.uri, follow)
    };
    deliver(state, ex, me.id, &inbox, &doc).await
}

/// Block (or Undo of it) of a remote account.
pub async fn block(
    state: &AppState,
    ex: &mut Exec<'_>,
    me: &AccountRow,
    target: &AccountRow,
    undo: bool,
) -> ApiResult<()> {
    let Some(inbox) = inbox_of(ex, target.id).await? else {
        return Ok(());
    };
    let id = format!("{}#blocks/{}", me.uri, target.id);
    let block = activity::block(&id, &me.uri, &target.uri);
    let doc = if undo {
        activity::undo(&new_id(state, me, "blocks-undo"), &me.uri, block)
    } else {
        block
    };
    deliver(state, ex, me.id, &inbox, &doc).await
}

/// Queues the account's Update (profile changes) or Delete (deletion, suspension) to its
/// remote followers; the worker renders the document and fans out when it runs.
pub async fn broadcast(
    state: &AppState,
    ex: &mut Exec<'_>,
    account_id: i64,
    kind: &str,
) -> ApiResult<()> {
    repo::enqueue(
        ex,
        &NewJob {
            id: state.next_id(),
            kind,
            account_id: Some(account_id),
            target_url: None,
            payload: "{}",
            run_at: time::now(),
        },
    )
    .await?;
    state.federation_wake();
    Ok(())
}

/// Delete of a local account to the inboxes of its remote followers, queued before its
/// follows are purged (the fan-out cannot read them afterwards).
pub async fn delete_actor(
    state: &AppState,
    ex: &mut Exec<'_>,
    account: &AccountRow,
) -> ApiResult<()> {
    if account.domain.is_some() {
        return Ok(());
    }
    let doc = activity::delete_actor(&new_id(state, account, "delete"), &account.uri);
    for inbox in repo::follower_inboxes(ex, account.id).await? {
        deliver(state, ex, account.id, &inbox, &doc).await?;
    }
    Ok(())
}

/// Update of a local account's actor to its remote followers (profile, suspension).
pub async fn update_actor(
    state: &AppState,
    ex: &mut Exec<'_>,
    account: &AccountRow,
) -> ApiResult<()> {
    if account.domain.is_some() {
        return Ok(());
    }
    broadcast(state, ex, account.id, UPDATE_ACTOR).await
}

/// A remote account suspended here: each of its follows of a local account is answered with
/// a Reject and deleted, as upstream's `reject_remote_follows!` (it would otherwise keep
/// receiving their posts). Not reversible, as upstream.
pub async fn reject_follows_of(
    state: &AppState,
    ex: &mut Exec<'_>,
    account: &AccountRow,
) -> ApiResult<()> {
    if account.domain.is_none() {
        return Ok(());
    }
    for target_id in repo::local_followed_by(ex, account.id).await? {
        let Some(target) = crate::db::repo::accounts::find(ex, target_id).await? else {
            continue;
        };
        let uri = crate::services::federation::follow_uri_of(ex, account.id, target_id).await?;
        answer_follow(state, ex, &target.account, account, uri, false).await?;
        crate::services::graph::sever(ex, account.id, target_id).await?;
    }
    Ok(())
}
