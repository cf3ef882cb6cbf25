//! Remote accounts: fetched from their actor documents on demand, stored as account rows
//! with a domain, refreshed when stale (after a day, as upstream) or when an Update arrives.

use serde_json::Value;
use woolly_activitypub::activity::same_origin;
use woolly_activitypub::actor::RemoteActor;
use woolly_activitypub::collection::total_items;

use crate::db::Exec;
use crate::db::repo::accounts::{self, NewAccount};
use crate::db::repo::federation::{self as repo, RemoteActorRow, RemoteProfile};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::domain_policy;
use crate::services::federation::client::{self, RemoteError};
use crate::services::federation::keys;
use crate::services::present::StoredField;
use crate::state::AppState;

/// Upstream refreshes a remote account whose document is older than a day.
const STALE_MS: i64 = 24 * 60 * 60 * 1000;

/// The domain of an actor URI as `acct` shows it: the host, with the port when not default.
pub fn domain_of(uri: &str) -> Option<String> {
    let u = url::Url::parse(uri).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// Fetches the actor at `uri` (signed by the instance actor) and checks that the document
/// is an actor that lives where it was fetched from.
pub async fn fetch(state: &AppState, uri: &str) -> Result<RemoteActor, RemoteError> {
    let signer = keys::instance_signer(state)
        .await
        .map_err(|e| RemoteError::Sign(e.to_string()))?;
    let doc = client::get_activity(state, uri, Some(&signer)).await?;
    let actor = RemoteActor::parse(&doc).map_err(|e| RemoteError::Json(e.to_string()))?;
    if !same_origin(&actor.id, uri) {
        return Err(RemoteError::Json("actor id from another origin".into()));
    }
    if let Some(key) = &actor.public_key
        && (key.owner != actor.id || !same_origin(&key.id, &actor.id))
    {
        return Err(RemoteError::Json("key not owned by the actor".into()));
    }
    Ok(actor)
}

/// `totalItems` of a collection; None on any failure (counters are best effort).
async fn count(state: &AppState, url: Option<&str>) -> Option<i64> {
    let url = url?;
    let signer = keys::instance_signer(state).await.ok()?;
    let doc: Value = client::get_activity(state, url, Some(&signer)).await.ok()?;
    total_items(&doc)
}

/// The profile fields of an actor as stored (sanitised HTML; at most 16).
fn fields_json(actor: &RemoteActor) -> ApiResult<String> {
    let fields: Vec<StoredField> = actor
        .fields
        .iter()
        .take(16)
        .map(|(name, value)| StoredField {
            name: name.clone(),
            value: woolly_text::sanitize_remote_html(value),
            value_html: woolly_text::sanitize_remote_html(value),
            verified_at: None,
        })
        .collect();
    serde_json::to_string(&fields).map_err(ApiError::internal)
}

/// The id of the account row of `actor`, inserted when it is new (then `true`).
async fn account_row(
    state: &AppState,
    ex: &mut Exec<'_>,
    actor: &RemoteActor,
    domain: &str,
    now: i64,
) -> ApiResult<(i64, bool)> {
    if let Some(id) = repo::account_by_uri(ex, &actor.id).await? {
        return Ok((id, false));
    }
    let id = state.next_id();
    accounts::insert(
        ex,
        &NewAccount {
            id,
            username: &actor.preferred_username,
            domain: Some(domain),
            display_name: &actor.name,
            uri: &actor.id,
            url: actor.url.as_deref(),
            locked: actor.manually_approves_followers,
            discoverable: actor.discoverable,
            indexable: actor.indexable,
            now,
        },
    )
    .await?;
    Ok((id, true))
}

/// Stores (or updates) the account an actor document describes; returns its id.
pub async fn store(state: &AppState, actor: &RemoteActor) -> ApiResult<i64> {
    let domain = domain_of(&actor.id).ok_or(ApiError::NotFound)?;
    if domain.eq_ignore_ascii_case(&state.config().domain) {
        return Err(ApiError::NotFound);
    }
    let followers = count(state, actor.followers.as_deref()).await;
    let following = count(state, actor.following.as_deref()).await;
    let statuses = count(state, actor.outbox.as_deref()).await;
    let note_html = woolly_text::sanitize_remote_html(&actor.summary);
    let fields_json = fields_json(actor)?;
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let (id, new) = account_row(state, &mut ex, actor, &domain, now).await?;
    // a domain block limits new accounts and keeps the images of its accounts out
    let rule = domain_policy::rule_for(&mut ex, &domain).await?;
    let media = !rule.as_ref().is_some_and(|r| r.reject_media);
    let profile = RemoteProfile {
        display_name: &actor.name,
        note_html: &note_html,
        fields_json: &fields_json,
        url: actor.url.as_deref(),
        actor_type: &actor.kind,
        locked: actor.manually_approves_followers,
        discoverable: actor.discoverable,
        indexable: actor.indexable,
        memorial: actor.memorial,
        avatar_remote_url: actor.icon.as_deref().filter(|_| media),
        header_remote_url: actor.image.as_deref().filter(|_| media),
        followers_count: followers,
        following_count: following,
        statuses_count: statuses,
        suspended: actor.suspended,
        now,
    };
    repo::update_remote_profile(&mut ex, id, &profile).await?;
    if new {
        domain_policy::mark_new(&mut ex, id, rule.as_ref()).await?;
    }
    // `movedTo`: the account it moved to when known here (a Move fetches it), none when absent.
    let moved_to = match &actor.moved_to {
        Some(uri) => repo::account_by_uri(&mut ex, uri)
            .await?
            .filter(|t| *t != id),
        None => None,
    };
    if moved_to.is_some() || actor.moved_to.is_none() {
        crate::db::repo::account_migration::set_moved_to(&mut ex, id, moved_to, now).await?;
    }
    repo::upsert_remote_actor(
        &mut ex,
        &RemoteActorRow {
            account_id: id,
            inbox_url: actor.inbox.clone(),
            shared_inbox_url: actor.shared_inbox.clone(),
            outbox_url: actor.outbox.clone(),
            followers_url: actor.followers.clone(),
            following_url: actor.following.clone(),
            featured_url: actor.featured.clone(),
            fetched_at: now,
        },
    )
    .await?;
    if let Some(key) = &actor.public_key {
        repo::upsert_remote_key(&mut ex, id, &key.id, &key.pem, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The account of an actor URI: stored and fresh, or fetched now. `refresh` forces a fetch
/// (a key that no longer verifies).
pub async fn resolve(state: &AppState, uri: &str, refresh: bool) -> ApiResult<i64> {
    let known = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        match repo::account_by_uri(&mut ex, uri).await? {
            Some(id) => Some((id, repo::remote_actor(&mut ex, id).await?)),
            None => None,
        }
    };
    if let Some((id, row)) = &known {
        let fresh = row
            .as_ref()
            .is_some_and(|r| time::now() - r.fetched_at < STALE_MS);
        if fresh && !refresh {
            return Ok(*id);
        }
    }
    // nothing is fetched from a refused domain; what is known stays known
    if domain_policy::refused_url_now(state, uri).await? {
        return known.map(|(id, _)| id).ok_or(ApiError::NotFound);
    }
    match fetch(state, uri).await {
        Ok(actor) => store(state, &actor).await,
        // A stale but known account still answers when its server does not.
        Err(e) => match known {
            Some((id, Some(_))) if !refresh => Ok(id),
            _ => Err(client::unreachable(&e)),
        },
    }
}
