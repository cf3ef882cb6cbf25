//! Local statuses as ActivityPub: the `Note` each one is at its `uri` (upstream's
//! `NoteSerializer`), and the Create / Delete(Tombstone) queued to the author's remote
//! followers (their shared inboxes, once each) and the remote accounts it mentions when a
//! status is posted or deleted, in the transaction that posts or deletes it.

use std::collections::HashMap;

use serde_json::Value;
use woolly_activitypub::note::{self, NoteAttachment, NoteParts};

use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRow};
use crate::db::repo::federation as repo;
use crate::db::repo::statuses::{self, StatusRow};
use crate::db::repo::{media_attachments, tags};
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::federation::outbound;
use crate::services::present::Presenter;
use crate::services::statuses::{DIRECT, visibility_name};
use crate::state::AppState;

/// The `uri` of a local status (`/users/:username/statuses/:id`).
pub fn status_uri(author: &AccountRow, id: i64) -> String {
    format!("{}/statuses/{id}", author.uri)
}

/// The ActivityPub id of any status: a remote one's stored uri, a local one's derived uri.
fn uri_of(s: &StatusRow, author: &AccountRow) -> String {
    match (&author.domain, &s.uri) {
        (Some(_), Some(uri)) => uri.clone(),
        _ => status_uri(author, s.id),
    }
}

/// The local statuses `rows` of `author` (originals, not reblogs) as `Note`s, in order, in a
/// fixed number of queries.
pub async fn notes(
    ex: &mut Exec<'_>,
    base_url: &str,
    author: &AccountRow,
    rows: &[StatusRow],
) -> ApiResult<Vec<Value>> {
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let mention_pairs = statuses::mentions_of(ex, &ids).await?;
    let thread_ids: Vec<i64> = rows.iter().filter_map(|s| s.in_reply_to_id).collect();
    let threads: HashMap<i64, StatusRow> = statuses::find_many(ex, &thread_ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut account_ids: Vec<i64> = mention_pairs.iter().map(|m| m.1).collect();
    account_ids.extend(threads.values().map(|s| s.account_id));
    account_ids.sort_unstable();
    account_ids.dedup();
    let people: HashMap<i64, AccountRow> = accounts::find_many(ex, &account_ids)
        .await?
        .into_iter()
        .map(|r| (r.account.id, r.account))
        .collect();
    let mut mentions: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (sid, aid) in mention_pairs {
        if let Some(a) = people.get(&aid) {
            let acct = match &a.domain {
                Some(d) => format!("@{}@{d}", a.username),
                None => format!("@{}", a.username),
            };
            mentions.entry(sid).or_default().push((a.uri.clone(), acct));
        }
    }
    let mut hashtags: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (sid, name) in tags::of_statuses(ex, &ids).await? {
        let href = format!("{base_url}/tags/{name}");
        hashtags.entry(sid).or_default().push((href, name));
    }
    let p = Presenter { base_url };
    let mut media: HashMap<i64, Vec<NoteAttachment>> = HashMap::new();
    for m in media_attachments::of_statuses(ex, &ids).await? {
        let Some(sid) = m.status_id else { continue };
        let Some(url) = m
            .file_key
            .as_deref()
            .map(|k| p.media_url(k))
            .or_else(|| m.remote_url.clone())
        else {
            continue;
        };
        let meta: Value = serde_json::from_str(&m.meta).unwrap_or(Value::Null);
        media.entry(sid).or_default().push(NoteAttachment {
            media_type: m.content_type.clone(),
            url,
            name: m.description.clone(),
            blurhash: m.blurhash.clone(),
            width: meta["original"]["width"].as_i64(),
            height: meta["original"]["height"].as_i64(),
        });
    }
    let followers = format!("{}/followers", author.uri);
    let mut out = Vec::with_capacity(rows.len());
    for s in rows {
        let uri = status_uri(author, s.id);
        let url = format!("{base_url}/@{}/{}", author.username, s.id);
        let published = time::iso8601(s.created_at);
        let updated = s.edited_at.map(time::iso8601);
        let in_reply_to = s
            .in_reply_to_id
            .and_then(|id| threads.get(&id))
            .and_then(|t| people.get(&t.account_id).map(|a| uri_of(t, a)));
        out.push(note::note(&NoteParts {
            id: &uri,
            url: &url,
            actor: &author.uri,
            followers: &followers,
            content: &s.content_html,
            summary: (!s.spoiler_text.is_empty()).then_some(s.spoiler_text.as_str()),
            sensitive: s.sensitive || author.sensitized_at.is_some(),
            language: s.language.as_deref(),
            published: &published,
            updated: updated.as_deref(),
            in_reply_to: in_reply_to.as_deref(),
            visibility: visibility_name(s.visibility),
            mentions: mentions.remove(&s.id).unwrap_or_default(),
            hashtags: hashtags.remove(&s.id).unwrap_or_default(),
            attachments: media.remove(&s.id).unwrap_or_default(),
        }));
    }
    Ok(out)
}

/// Where a status goes: the distinct (shared) inboxes of the author's remote followers
/// (not for a direct status) and of the remote accounts it mentions.
async fn audience(ex: &mut Exec<'_>, s: &StatusRow) -> ApiResult<Vec<String>> {
    let mut inboxes = if s.visibility == DIRECT {
        Vec::new()
    } else {
        repo::follower_inboxes(ex, s.account_id).await?
    };
    for (_, account_id) in statuses::mentions_of(ex, &[s.id]).await? {
        if let Some(r) = repo::remote_actor(ex, account_id).await? {
            inboxes.push(r.shared_inbox_url.unwrap_or(r.inbox_url));
        }
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The author of `s` when it is a local account (only local statuses are sent).
async fn local_author(ex: &mut Exec<'_>, s: &StatusRow) -> ApiResult<Option<AccountRow>> {
    Ok(accounts::find(ex, s.account_id)
        .await?
        .map(|r| r.account)
        .filter(|a| a.domain.is_none()))
}

/// Queues the Create of a just-posted local status (not reblogs) to its audience.
pub async fn deliver_create(state: &AppState, ex: &mut Exec<'_>, s: &StatusRow) -> ApiResult<()> {
    if s.reblog_of_id.is_some() {
        return Ok(());
    }
    let Some(author) = local_author(ex, s).await? else {
        return Ok(());
    };
    let inboxes = audience(ex, s).await?;
    if inboxes.is_empty() {
        return Ok(());
    }
    let base = state.base_url();
    let Some(n) = notes(ex, &base, &author, std::slice::from_ref(s))
        .await?
        .pop()
    else {
        return Ok(());
    };
    let doc = note::with_context(note::create(n));
    for inbox in inboxes {
        outbound::deliver(state, ex, author.id, &inbox, &doc).await?;
    }
    Ok(())
}

/// Queues the Delete (a `Tombstone`) of a local status about to be removed.
pub async fn deliver_delete(state: &AppState, ex: &mut Exec<'_>, s: &StatusRow) -> ApiResult<()> {
    if s.reblog_of_id.is_some() {
        return Ok(());
    }
    let Some(author) = local_author(ex, s).await? else {
        return Ok(());
    };
    let doc = note::delete(&author.uri, &status_uri(&author, s.id));
    for inbox in audience(ex, s).await? {
        outbound::deliver(state, ex, author.id, &inbox, &doc).await?;
    }
    Ok(())
}
