//! Relationship entities between the viewer and other accounts, built from one batch of
//! graph facts (a fixed number of queries whatever the number of targets).

use std::sync::Arc;

use crate::api_types::Relationship;
use crate::cache::ByGeneration;
use crate::cache::by_generation::Weight;
use crate::db::Exec;
use crate::db::repo::follows::FollowRow;
use crate::db::repo::relationships::{self, GraphFacts, TargetCheck};
use crate::domain::params::ruby_to_i;
use crate::domain::time;
use crate::error::ApiResult;
use crate::state::AppState;

/// The optimistic `follow` answer: what a just-created follow claims before it exists.
#[derive(Debug, Clone)]
pub struct Optimistic {
    pub show_reblogs: bool,
    pub notify: bool,
    pub languages: Option<Vec<String>>,
}

pub fn languages_of(row: &FollowRow) -> Option<Vec<String>> {
    row.languages
        .as_deref()
        .and_then(|l| serde_json::from_str(l).ok())
}

fn build(facts: &GraphFacts, id: i64, domain: Option<&str>) -> Relationship {
    let follow = facts
        .following
        .get(&id)
        .or_else(|| facts.requested.get(&id));
    let mute = facts.muting.get(&id);
    Relationship {
        id: id.to_string(),
        following: facts.following.contains_key(&id),
        showing_reblogs: follow.is_some_and(|f| f.show_reblogs),
        notifying: follow.is_some_and(|f| f.notify),
        languages: follow.and_then(languages_of),
        followed_by: facts.followed_by.contains(&id),
        blocking: facts.blocking.contains(&id),
        blocked_by: facts.blocked_by.contains(&id),
        muting: mute.is_some(),
        muting_notifications: mute.is_some_and(|m| m.0),
        muting_expires_at: mute.and_then(|m| m.1).map(time::iso8601),
        requested: facts.requested.contains_key(&id),
        requested_by: facts.requested_by.contains(&id),
        domain_blocking: domain.is_some_and(|d| facts.domain_blocking.contains(d)),
        endorsed: facts.endorsed.contains(&id),
        note: facts.notes.get(&id).cloned().unwrap_or_default(),
    }
}

/// Relationships of `viewer` with each `(id, domain)` target, in the given order.
pub async fn many(
    ex: &mut Exec<'_>,
    viewer: i64,
    targets: &[(i64, Option<String>)],
) -> ApiResult<Vec<Relationship>> {
    let ids: Vec<i64> = targets.iter().map(|t| t.0).collect();
    let mut domains: Vec<String> = targets.iter().filter_map(|t| t.1.clone()).collect();
    domains.sort();
    domains.dedup();
    let facts = relationships::facts(ex, viewer, &ids, &domains, time::now()).await?;
    Ok(targets
        .iter()
        .map(|(id, d)| build(&facts, *id, d.as_deref()))
        .collect())
}

/// The relationship with one account.
pub async fn one(
    ex: &mut Exec<'_>,
    viewer: i64,
    target: i64,
    domain: Option<&str>,
) -> ApiResult<Relationship> {
    let mut list = many(ex, viewer, &[(target, domain.map(str::to_owned))]).await?;
    list.pop()
        .ok_or_else(|| crate::error::ApiError::internal("relationship missing"))
}

/// One relationship with the follow answer's optimism applied: `following` claimed,
/// `requested` denied, options from the stored follow or request.
pub async fn optimistic(
    ex: &mut Exec<'_>,
    viewer: i64,
    target: i64,
    domain: Option<&str>,
    claim: Option<Optimistic>,
) -> ApiResult<Relationship> {
    let mut r = one(ex, viewer, target, domain).await?;
    if let Some(c) = claim {
        r.following = true;
        r.requested = false;
        r.showing_reblogs = c.show_reblogs;
        r.notifying = c.notify;
        r.languages = c.languages;
    }
    Ok(r)
}

/// A `GET /api/v1/accounts/relationships` question: who asks about which (distinct, sorted)
/// ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    viewer: i64,
    with_suspended: bool,
    ids: Vec<i64>,
}

/// Its answer, and until when it holds without a commit: a mute with an end stops at that
/// end (milliseconds; None: until a commit).
#[derive(Debug)]
pub struct Page {
    relationships: Vec<Relationship>,
    until: Option<i64>,
}

/// Relationship pages per data generation (`state.relationships()`): asking again about the
/// same accounts reads nothing from the database until something is committed anywhere.
pub type RelationshipCache = ByGeneration<PageKey, Arc<Page>>;

/// A relationship's size in memory, roughly (its id and note are short texts).
const RELATIONSHIP_BYTES: u64 = 160;

impl Weight for PageKey {
    fn bytes(&self) -> u64 {
        (std::mem::size_of::<Self>() + self.ids.len() * 8) as u64
    }
}

impl Weight for Arc<Page> {
    fn bytes(&self) -> u64 {
        let notes: usize = self.relationships.iter().map(|r| r.note.len()).sum();
        self.relationships.len() as u64 * RELATIONSHIP_BYTES + notes as u64
    }
}

/// `GET /api/v1/accounts/relationships`: `id[]` (or `id`) cast to integers, duplicates
/// collapsed, unknown and deleted ones dropped, suspended ones unless `with_suspended`.
pub async fn lookup(
    state: &AppState,
    viewer: i64,
    raw_ids: &[String],
    with_suspended: bool,
) -> ApiResult<Vec<Relationship>> {
    let mut ids: Vec<i64> = raw_ids.iter().map(|s| ruby_to_i(s)).collect();
    ids.sort_unstable();
    ids.dedup();
    let key = PageKey {
        viewer,
        with_suspended,
        ids,
    };
    // Taken before the read: a commit racing the read leaves the page outdated at once.
    let read_at = state.db().data_generation();
    let now = time::now();
    if let Some(page) = state.relationships().get(&key, read_at)
        && page.until.is_none_or(|until| now < until)
    {
        return Ok(page.relationships.clone());
    }
    let mut out = Vec::new();
    let mut until: Option<i64> = None;
    let check = TargetCheck { with_suspended };
    // bounded IN lists: both drivers cap bound parameters
    for chunk in key.ids.chunks(CHUNK) {
        let facts =
            relationships::facts_of_existing_inline(state.db(), viewer, chunk, check, now).await?;
        for end in facts.muting.values().filter_map(|m| m.1) {
            until = Some(until.map_or(end, |u| u.min(end)));
        }
        out.extend(
            facts
                .targets
                .iter()
                .map(|(id, d)| build(&facts, *id, d.as_deref())),
        );
    }
    let page = Arc::new(Page {
        relationships: out.clone(),
        until,
    });
    state.relationships().keep(key, read_at, page);
    Ok(out)
}

/// Ids per query for requests that name arbitrarily many accounts.
pub const CHUNK: usize = 1000;
