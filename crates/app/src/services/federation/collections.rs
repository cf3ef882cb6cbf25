//! An actor's collections and its statuses as other servers read them, as upstream serves
//! them: the outbox (`OrderedCollection` with `first`/`last`, `?page=true` pages of
//! Create/Announce paged by `max_id`/`min_id`, 20 a page), followers/following (`totalItems`
//! and numbered pages of 12 actor ids; the size only when the account hides its
//! collections), featured (the pinned statuses as `Note`s), and each public or unlisted
//! status as a `Note` at its `uri`.

use std::collections::HashMap;

use serde_json::Value;
use woolly_activitypub::collection::{OrderedCollection, OrderedCollectionPage};
use woolly_activitypub::note;

use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRow};
use crate::db::repo::remote_statuses;
use crate::db::repo::statuses::{self, AccountFilter, Audience, StatusRow};
use crate::domain::page::Cursor;
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::federation::documents::local_account;
use crate::services::federation::note_doc::{notes, status_uri};
use crate::services::statuses::{UNLISTED, actions::PIN_LIMIT, visibility_name};
use crate::state::AppState;

/// Upstream's `OutboxesController::LIMIT`.
const OUTBOX_PAGE: usize = 20;
/// Upstream's `FOLLOW_PER_PAGE`.
const FOLLOW_PAGE: i64 = 12;

/// Either kind of collection document.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Collection {
    Whole(OrderedCollection),
    Page(OrderedCollectionPage),
}

/// The public statuses of an account (public and unlisted, as an anonymous reader sees
/// them), newest first.
async fn public_statuses(
    ex: &mut Exec<'_>,
    account_id: i64,
    pinned: bool,
    cursor: Cursor,
) -> ApiResult<Vec<StatusRow>> {
    let filter = AccountFilter {
        account_id,
        audience: Audience::Anonymous,
        pinned,
        only_media: false,
        exclude_replies: false,
        exclude_reblogs: false,
        exclude_direct: true,
        tag_id: None,
        cursor,
        now: time::now(),
    };
    Ok(statuses::account_page(ex, &filter).await?)
}

/// The Create (originals) or Announce (reblogs) of each status, in order.
async fn activities(
    ex: &mut Exec<'_>,
    base_url: &str,
    a: &AccountRow,
    rows: &[StatusRow],
) -> ApiResult<Vec<Value>> {
    let originals: Vec<StatusRow> = rows
        .iter()
        .filter(|s| s.reblog_of_id.is_none())
        .cloned()
        .collect();
    let mut notes_by_id: HashMap<i64, Value> = originals
        .iter()
        .map(|s| s.id)
        .zip(notes(ex, base_url, a, &originals).await?)
        .collect();
    let reblogged: Vec<i64> = rows.iter().filter_map(|s| s.reblog_of_id).collect();
    let reblogged = statuses::find_many(ex, &reblogged).await?;
    let mut authors: Vec<i64> = reblogged.iter().map(|s| s.account_id).collect();
    authors.sort_unstable();
    authors.dedup();
    let authors: HashMap<i64, AccountRow> = accounts::find_many(ex, &authors)
        .await?
        .into_iter()
        .map(|r| (r.account.id, r.account))
        .collect();
    let reblogged: HashMap<i64, (String, String)> = reblogged
        .iter()
        .filter_map(|s| {
            let author = authors.get(&s.account_id)?;
            let uri = match (&author.domain, &s.uri) {
                (Some(_), Some(uri)) => uri.clone(),
                _ => status_uri(author, s.id),
            };
            Some((s.id, (uri, author.uri.clone())))
        })
        .collect();
    let followers = format!("{}/followers", a.uri);
    let mut out = Vec::with_capacity(rows.len());
    for s in rows {
        match s.reblog_of_id {
            None => {
                if let Some(n) = notes_by_id.remove(&s.id) {
                    out.push(note::create(n));
                }
            }
            Some(original) => {
                let Some((object, author)) = reblogged.get(&original) else {
                    continue;
                };
                let vis = visibility_name(s.visibility);
                out.push(note::announce(
                    &status_uri(a, s.id),
                    &a.uri,
                    &time::iso8601(s.created_at),
                    note::to_of(vis, &followers, &[]),
                    note::cc_of(vis, &followers, &[], Some(author)),
                    object,
                ));
            }
        }
    }
    Ok(out)
}

/// The query of an outbox request.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboxQuery {
    pub page: bool,
    pub max_id: Option<i64>,
    pub min_id: Option<i64>,
    pub since_id: Option<i64>,
}

/// `GET /users/:username/outbox`.
pub async fn outbox(state: &AppState, username: &str, q: OutboxQuery) -> ApiResult<Collection> {
    let r = local_account(state, username).await?;
    let a = &r.account;
    let id = format!("{}/outbox", a.uri);
    if !q.page {
        let mut c = OrderedCollection::summary(
            id.clone(),
            a.statuses_count,
            Some(format!("{id}?page=true")),
        );
        c.last = Some(format!("{id}?min_id=0&page=true"));
        return Ok(Collection::Whole(c));
    }
    let cursor = Cursor {
        max_id: q.max_id,
        since_id: q.since_id,
        min_id: q.min_id,
        limit: OUTBOX_PAGE,
    };
    let base = state.base_url();
    let (rows, items) = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        let rows = if a.suspended_at.is_some() {
            Vec::new()
        } else {
            public_statuses(&mut ex, a.id, false, cursor).await?
        };
        let items = activities(&mut ex, &base, a, &rows).await?;
        (rows, items)
    };
    // upstream's page_params: page, max_id, min_id (sorted as Rails writes a query)
    let mut params: Vec<String> = Vec::new();
    if let Some(max) = q.max_id {
        params.push(format!("max_id={max}"));
    }
    if let Some(min) = q.min_id {
        params.push(format!("min_id={min}"));
    }
    params.push("page=true".into());
    let mut page =
        OrderedCollectionPage::new(format!("{id}?{}", params.join("&")), id.clone(), items);
    page.context = note::note_context();
    page.next = (rows.len() == OUTBOX_PAGE)
        .then(|| {
            rows.last()
                .map(|s| format!("{id}?max_id={}&page=true", s.id))
        })
        .flatten();
    page.prev = rows
        .first()
        .map(|s| format!("{id}?min_id={}&page=true", s.id));
    Ok(Collection::Page(page))
}

/// `GET /users/:username/{followers,following}` (`page` a page number, as upstream).
pub async fn graph(
    state: &AppState,
    username: &str,
    followers: bool,
    page: Option<&str>,
) -> ApiResult<Collection> {
    let r = local_account(state, username).await?;
    let a = &r.account;
    let id = format!(
        "{}/{}",
        a.uri,
        if followers { "followers" } else { "following" }
    );
    let total = if followers {
        a.followers_count
    } else {
        a.following_count
    };
    let hidden = a.hide_collections == Some(true);
    let Some(page) = page.filter(|p| !p.is_empty()) else {
        let first = (!hidden).then(|| format!("{id}?page=1"));
        return Ok(Collection::Whole(OrderedCollection::summary(
            id, total, first,
        )));
    };
    if hidden {
        return Err(ApiError::not_allowed());
    }
    // Kaminari reads a page as Ruby's to_i does, and takes anything below 1 as 1.
    let n = crate::domain::params::ruby_to_i(page).max(1);
    let mut items = {
        let mut conn = state.db().conn().await?;
        let offset = (n - 1).saturating_mul(FOLLOW_PAGE);
        remote_statuses::graph_page(&mut conn.exec(), a.id, followers, offset, FOLLOW_PAGE + 1)
            .await?
    };
    let more = items.len() > usize::try_from(FOLLOW_PAGE).unwrap_or(usize::MAX);
    items.truncate(usize::try_from(FOLLOW_PAGE).unwrap_or(usize::MAX));
    let items = items.into_iter().map(Value::String).collect();
    let mut p = OrderedCollectionPage::new(format!("{id}?page={page}"), id.clone(), items);
    p.total_items = Some(total);
    p.next = more.then(|| format!("{id}?page={}", n + 1));
    p.prev = (n > 1).then(|| format!("{id}?page={}", n - 1));
    Ok(Collection::Page(p))
}

/// `GET /users/:username/collections/featured`: the pinned public statuses as `Note`s.
pub async fn featured(state: &AppState, username: &str) -> ApiResult<OrderedCollection> {
    let r = local_account(state, username).await?;
    let a = &r.account;
    let base = state.base_url();
    let items = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        let limit = usize::try_from(PIN_LIMIT).unwrap_or(5);
        let rows = public_statuses(&mut ex, a.id, true, Cursor::first(limit)).await?;
        notes(&mut ex, &base, a, &rows).await?
    };
    let mut c = OrderedCollection::inline(format!("{}/collections/featured", a.uri), items);
    c.context = note::note_context();
    Ok(c)
}

/// `GET /users/:username/statuses/:id` as ActivityPub: the `Note` of a public or unlisted
/// status of that account (404 otherwise; reblogs are not notes).
pub async fn note_document(state: &AppState, username: &str, id: i64) -> ApiResult<Value> {
    let r = local_account(state, username).await?;
    let a = &r.account;
    if a.suspended_at.is_some() {
        return Err(ApiError::NotFound);
    }
    let base = state.base_url();
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let s = statuses::find(&mut ex, id)
        .await?
        .filter(|s| s.account_id == a.id && s.visibility <= UNLISTED && s.reblog_of_id.is_none())
        .ok_or(ApiError::NotFound)?;
    let n = notes(&mut ex, &base, a, std::slice::from_ref(&s))
        .await?
        .pop()
        .ok_or(ApiError::NotFound)?;
    Ok(note::with_context(n))
}
