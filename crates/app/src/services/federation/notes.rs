//! Inbound statuses (upstream's `ActivityPub::Activity::{Create,Announce,Delete,Update}` for
//! notes), stored as statuses rows of the remote author so the account's statuses list shows
//! them: Create(Note), Announce (a reblog; the original fetched from its own origin when it
//! is not known), Delete of a note or reblog (by its author only), Undo(Announce), and
//! Update(Note). A note is taken only from its own origin: an embedded object whose id is on
//! another host than its actor is refused (Create) or fetched from where its id points
//! (Announce). The same id twice changes nothing (`statuses.uri` is unique).

use serde_json::Value;
use woolly_activitypub::activity::{Incoming, same_origin};
use woolly_activitypub::note::{RemoteNote, audience, visibility_of};

use crate::db::Exec;
use crate::db::repo::federation as repo;
use crate::db::repo::remote_statuses::{self as store, RemoteEdit, RemoteMedia};
use crate::db::repo::statuses::{self, Counter, NewStatus, StatusRow};
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::federation::{client, keys, remote};
use crate::services::statuses::{DIRECT, UNLISTED, actions};
use crate::state::AppState;

/// Upstream's visibility enum value of a wire name.
fn visibility_value(name: &str) -> i64 {
    match name {
        "public" => 0,
        "unlisted" => 1,
        "private" => 2,
        "limited" => 4,
        _ => DIRECT,
    }
}

/// Upstream's media type of an attachment's MIME type.
fn media_type(mime: Option<&str>) -> i64 {
    match mime.unwrap_or_default().split('/').next() {
        Some("image") if mime == Some("image/gif") => 1,
        Some("image") => 0,
        Some("video") => 2,
        Some("audio") => 4,
        _ => 3,
    }
}

fn published(s: Option<&str>) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s?)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// A local status named by its uri (`{base}/users/:username/statuses/:id`), if any.
async fn local_status(
    state: &AppState,
    ex: &mut Exec<'_>,
    uri: &str,
) -> ApiResult<Option<StatusRow>> {
    let base = format!("{}/users/", state.base_url());
    let Some(rest) = uri.strip_prefix(&base) else {
        return Ok(None);
    };
    let Some(id) = rest
        .split_once("/statuses/")
        .and_then(|(_, id)| id.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    Ok(statuses::find(ex, id).await?)
}

/// A stored status by uri: local (derived uri) or remote (stored uri).
async fn known(state: &AppState, ex: &mut Exec<'_>, uri: &str) -> ApiResult<Option<StatusRow>> {
    if let Some(s) = local_status(state, ex, uri).await? {
        return Ok(Some(s));
    }
    Ok(store::find_by_uri(ex, uri).await?)
}

/// Upstream's `related_to_local_activity?`: a local account follows the sender, or the note
/// addresses a local account or answers a local status.
async fn related(
    state: &AppState,
    ex: &mut Exec<'_>,
    actor_id: i64,
    targets: &[&str],
) -> ApiResult<bool> {
    if store::followed_locally(ex, actor_id).await? {
        return Ok(true);
    }
    let base = format!("{}/users/", state.base_url());
    Ok(targets.iter().any(|t| t.starts_with(&base)))
}

/// Stores a note of `author_id` (already checked to be its own, from its origin); the id of
/// its row, new or existing.
async fn store_note(state: &AppState, author_id: i64, n: &RemoteNote) -> ApiResult<Option<i64>> {
    let content = woolly_text::sanitize_remote_html(&n.content);
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if let Some(s) = store::find_by_uri(&mut ex, &n.id).await? {
        return Ok(Some(s.id));
    }
    let followers = repo::remote_actor(&mut ex, author_id)
        .await?
        .and_then(|r| r.followers_url);
    let visibility = visibility_value(n.visibility(followers.as_deref()));
    let thread = match &n.in_reply_to {
        Some(uri) => known(state, &mut ex, uri).await?,
        None => None,
    };
    let id = state.next_id();
    let inserted = statuses::insert(
        &mut ex,
        &NewStatus {
            id,
            account_id: author_id,
            uri: Some(&n.id),
            url: n.url.as_deref(),
            text: "",
            content_html: &content,
            spoiler_text: &n.summary,
            visibility,
            sensitive: n.sensitive,
            language: n.language.as_deref(),
            in_reply_to_id: thread.as_ref().map(|t| t.id),
            in_reply_to_account_id: thread.as_ref().map(|t| t.account_id),
            reblog_of_id: None,
            application_id: None,
            has_media: !n.attachments.is_empty(),
            created_at: published(n.published.as_deref()).unwrap_or(now),
            now,
        },
    )
    .await?;
    if !inserted {
        return Ok(store::find_by_uri(&mut ex, &n.id).await?.map(|s| s.id));
    }
    for m in &n.attachments {
        store::insert_media(
            &mut ex,
            &RemoteMedia {
                id: state.next_id(),
                account_id: author_id,
                status_id: id,
                media_type: media_type(m.media_type.as_deref()),
                content_type: m.media_type.as_deref(),
                remote_url: &m.url,
                description: m.name.as_deref(),
                blurhash: m.blurhash.as_deref(),
                now,
            },
        )
        .await?;
    }
    if visibility != DIRECT {
        statuses::bump_account(&mut ex, author_id, 1, now).await?;
        if let Some(t) = &thread
            && visibility <= UNLISTED
        {
            statuses::bump_counter(&mut ex, t.id, Counter::Replies, 1).await?;
        }
    }
    tx.commit().await?;
    Ok(Some(id))
}

/// Fetches the note at `uri` from its origin (signed by the instance actor): it must name
/// itself there, and its author must live on the same origin.
async fn fetch_note(state: &AppState, uri: &str) -> ApiResult<Option<(i64, RemoteNote)>> {
    let signer = keys::instance_signer(state).await?;
    let doc = match client::get_activity(state, uri, Some(&signer)).await {
        Ok(doc) => doc,
        Err(e) => {
            tracing::info!(error = %e, %uri, "fetching a note failed");
            return Ok(None);
        }
    };
    let Some(n) = RemoteNote::parse(&doc) else {
        return Ok(None);
    };
    let Some(author) = n.attributed_to.clone() else {
        return Ok(None);
    };
    if !same_origin(&n.id, uri) || !same_origin(&author, &n.id) {
        return Ok(None);
    }
    let author_id = remote::resolve(state, &author, false).await?;
    Ok(Some((author_id, n)))
}

/// `Create` of a note by its author.
pub async fn create(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let Some(n) = RemoteNote::parse(&a.object) else {
        return Ok(());
    };
    // The note speaks for the sender only, from the sender's origin.
    if !same_origin(&n.id, &a.actor) || n.attributed_to.as_deref() != Some(a.actor.as_str()) {
        return Ok(());
    }
    {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        let mut targets: Vec<&str> = n.to.iter().chain(&n.cc).map(String::as_str).collect();
        targets.extend(n.in_reply_to.as_deref());
        if !related(state, &mut ex, actor_id, &targets).await? {
            return Ok(());
        }
    }
    store_note(state, actor_id, &n).await?;
    Ok(())
}

/// `Announce` (a reblog) of a public or unlisted status.
pub async fn announce(state: &AppState, actor_id: i64, a: &Incoming, doc: &Value) -> ApiResult<()> {
    let Some(object) = a.object_id() else {
        return Ok(());
    };
    let original = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        if store::find_by_uri(&mut ex, &a.id).await?.is_some() {
            return Ok(());
        }
        let local = local_status(state, &mut ex, &object).await?;
        let reblogs_local = local.is_some();
        let original = match local {
            Some(s) => Some(s),
            None => store::find_by_uri(&mut ex, &object).await?,
        };
        if !reblogs_local && !store::followed_locally(&mut ex, actor_id).await? {
            return Ok(());
        }
        original
    };
    let original = match original {
        Some(s) => s,
        None => {
            // Embedded from the sender's own origin, else fetched from where its id points.
            let embedded = RemoteNote::parse(&a.object).filter(|n| {
                same_origin(&n.id, &a.actor) && n.attributed_to.as_deref() == Some(a.actor.as_str())
            });
            let (author_id, n) = match embedded {
                Some(n) => (actor_id, n),
                None => match fetch_note(state, &object).await? {
                    Some(found) => found,
                    None => return Ok(()),
                },
            };
            let Some(id) = store_note(state, author_id, &n).await? else {
                return Ok(());
            };
            let mut conn = state.db().conn().await?;
            match statuses::find(&mut conn.exec(), id).await? {
                Some(s) => s,
                None => return Ok(()),
            }
        }
    };
    if original.visibility > UNLISTED || original.reblog_of_id.is_some() {
        return Ok(());
    }
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let followers = repo::remote_actor(&mut ex, actor_id)
        .await?
        .and_then(|r| r.followers_url);
    let to = audience(doc.get("to"));
    let cc = audience(doc.get("cc"));
    let visibility = visibility_value(visibility_of(&to, &cc, followers.as_deref(), None));
    let inserted = statuses::insert(
        &mut ex,
        &NewStatus {
            id: state.next_id(),
            account_id: actor_id,
            uri: Some(&a.id),
            url: None,
            text: "",
            content_html: "",
            spoiler_text: "",
            visibility,
            sensitive: false,
            language: None,
            in_reply_to_id: None,
            in_reply_to_account_id: None,
            reblog_of_id: Some(original.id),
            application_id: None,
            has_media: false,
            created_at: published(doc.get("published").and_then(Value::as_str)).unwrap_or(now),
            now,
        },
    )
    .await?;
    if inserted {
        statuses::bump_account(&mut ex, actor_id, 1, now).await?;
        statuses::bump_counter(&mut ex, original.id, Counter::Reblogs, 1).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// `Delete` of a note (or `Undo` of an Announce): removed with its reblogs when the sender
/// wrote it; anyone else's Delete changes nothing.
pub async fn delete(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let Some(uri) = a.object_id() else {
        return Ok(());
    };
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let Some(s) = store::find_by_uri(&mut ex, &uri)
        .await?
        .filter(|s| s.account_id == actor_id)
    else {
        return Ok(());
    };
    for (id, _, _) in statuses::reblogs_of(&mut ex, s.id).await? {
        if let Some(r) = statuses::find(&mut ex, id).await? {
            actions::remove(&mut ex, &r, now).await?;
        }
    }
    crate::db::repo::media_attachments::delete_of_status(&mut ex, s.id).await?;
    actions::remove(&mut ex, &s, now).await?;
    tx.commit().await?;
    Ok(())
}

/// `Update` of a note by its author: content, summary, sensitivity, language.
pub async fn update(state: &AppState, actor_id: i64, a: &Incoming) -> ApiResult<()> {
    let Some(n) = RemoteNote::parse(&a.object) else {
        return Ok(());
    };
    if !same_origin(&n.id, &a.actor) {
        return Ok(());
    }
    let content = woolly_text::sanitize_remote_html(&n.content);
    let edited = a
        .object
        .get("updated")
        .and_then(Value::as_str)
        .and_then(|u| published(Some(u)))
        .unwrap_or_else(time::now);
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if let Some(s) = store::find_by_uri(&mut ex, &n.id)
        .await?
        .filter(|s| s.account_id == actor_id)
    {
        store::update(
            &mut ex,
            s.id,
            &RemoteEdit {
                content_html: &content,
                spoiler_text: &n.summary,
                sensitive: n.sensitive,
                language: n.language.as_deref(),
                edited_at: edited,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
