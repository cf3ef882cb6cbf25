//! Federation services: the documents Woolly serves (WebFinger, actors, collections,
//! NodeInfo), the inbox (verify, queue, apply), what Woolly sends (queued deliveries and the
//! worker that makes them), remote accounts (fetch, store, resolve) and signing keys. The
//! protocol itself (JSON-LD shapes, signatures) is the `woolly-activitypub` crate's; every
//! request to another server goes through `federation::fetch` (SSRF rules, slots, limits).

pub mod apply;
pub mod availability;
pub mod client;
pub mod collections;
pub mod documents;
pub mod inbox;
pub mod keys;
pub mod moves;
pub mod note_doc;
pub mod notes;
pub mod outbound;
pub mod remote;
pub mod resolve;
pub mod worker;

use crate::db::Exec;
use crate::db::repo::accounts::AccountRow;
use crate::db::repo::federation as repo;
use crate::db::repo::follows::FollowKind;
use crate::error::ApiResult;

/// The id of the Follow `from → to` (a follow, else a pending request), when stored.
pub async fn follow_uri_of(ex: &mut Exec<'_>, from: i64, to: i64) -> ApiResult<Option<String>> {
    if let Some(uri) = repo::follow_uri(ex, FollowKind::Follow, from, to).await? {
        return Ok(Some(uri));
    }
    Ok(repo::follow_uri(ex, FollowKind::Request, from, to).await?)
}

/// [`follow_uri_of`] `me → target` when the target is remote (what an Undo must name).
pub async fn remote_follow_uri(
    ex: &mut Exec<'_>,
    target: &AccountRow,
    me: i64,
    target_id: i64,
) -> ApiResult<Option<String>> {
    if target.domain.is_none() {
        return Ok(None);
    }
    follow_uri_of(ex, me, target_id).await
}
