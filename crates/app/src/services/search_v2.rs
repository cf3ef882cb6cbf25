//! `GET /api/v2/search`: accounts, hashtags and statuses for one query, as upstream's
//! `SearchService` answers without a full-text index.
//!
//! - `type` picks one kind; `offset` applies only together with it.
//! - accounts: the ranking of `GET /api/v1/accounts/search` (services/search.rs), skipped
//!   for `#tag` queries and for queries with both `@` and a space;
//! - hashtags: names starting with the query (without `#`), shortest first, an exact match
//!   moved to the front; skipped when the query has an `@`;
//! - statuses: upstream searches them only through Elasticsearch; here, as there without
//!   it, only a resolved URL finds one.
//! - with `resolve`, an `http(s)://` query is looked up as a URL instead: this server's
//!   account and status URLs resolve (no remote fetch yet: federation is not built).

use std::collections::{HashMap, HashSet};

use url::Url;

use crate::api_types::search::SearchResults;
use crate::api_types::tag::{Tag, TagHistory};
use crate::db::Exec;
use crate::db::repo::accounts;
use crate::db::repo::tags::{self, TagRow};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::search::{self, SearchQuery};
use crate::services::statuses::find_visible;
use crate::services::statuses::render::{RenderOptions, render_status};
use crate::services::{accounts as account_rules, present};
use crate::state::AppState;

use super::graph::collections::records_in_order;

/// Which kinds a search returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchType {
    All,
    Accounts,
    Hashtags,
    Statuses,
}

impl SearchType {
    /// `type=`; an unknown value searches nothing, as upstream's checks all fail.
    pub fn parse(value: Option<&str>) -> Option<Self> {
        match value {
            None | Some("") => Some(Self::All),
            Some("accounts") => Some(Self::Accounts),
            Some("hashtags") => Some(Self::Hashtags),
            Some("statuses") => Some(Self::Statuses),
            Some(_) => None,
        }
    }

    fn includes(self, kind: Self) -> bool {
        self == Self::All || self == kind
    }
}

#[derive(Debug, Clone)]
pub struct SearchParams {
    pub q: String,
    /// None: an unknown `type`.
    pub kind: Option<SearchType>,
    pub limit: usize,
    pub offset: i64,
    pub resolve: bool,
    pub following: bool,
}

/// Where the query's context comes from.
struct Context<'a> {
    pub base_url: &'a str,
    pub local_domain: &'a str,
    pub viewer: Option<i64>,
}

pub async fn search(
    state: &AppState,
    viewer: Option<i64>,
    p: &SearchParams,
) -> ApiResult<SearchResults> {
    let base_url = state.base_url();
    let cx = Context {
        base_url: &base_url,
        local_domain: &state.config().domain,
        viewer,
    };
    let mut conn = state.db().conn().await?;
    search_with(&mut conn.exec(), &cx, p).await
}

async fn search_with(
    ex: &mut Exec<'_>,
    cx: &Context<'_>,
    p: &SearchParams,
) -> ApiResult<SearchResults> {
    let mut results = SearchResults::default();
    // Curly and angle quotes count as straight ones, as upstream reads them.
    let q: String =
        p.q.trim()
            .chars()
            .map(|c| {
                if "“”„«»「」『』《》".contains(c) {
                    '"'
                } else {
                    c
                }
            })
            .collect();
    let Some(kind) = p.kind else {
        return Ok(results);
    };
    if q.is_empty() || p.limit == 0 {
        return Ok(results);
    }
    let offset = if kind == SearchType::All {
        0
    } else {
        p.offset.max(0)
    };
    if p.resolve && (q.starts_with("https://") || q.starts_with("http://")) {
        if offset == 0 {
            resolve_url(ex, cx, &q, kind, &mut results).await?;
        }
        return Ok(results);
    }
    let account_searchable = !(q.starts_with('#') || (q.contains('@') && q.contains(' ')));
    if kind.includes(SearchType::Accounts) && account_searchable {
        let sq = SearchQuery {
            q: q.clone(),
            limit: p.limit,
            offset,
            resolve: p.resolve,
            following: p.following,
        };
        // Anonymous searches rank as a viewer who follows no one (no account has id 0).
        let viewer = cx.viewer.unwrap_or(0);
        results.accounts =
            search::find_accounts(ex, cx.base_url, cx.local_domain, viewer, &sq).await?;
    }
    if kind.includes(SearchType::Hashtags) && !q.contains('@') {
        results.hashtags = hashtags(ex, cx, &q, p.limit, offset).await?;
    }
    Ok(results)
}

async fn hashtags(
    ex: &mut Exec<'_>,
    cx: &Context<'_>,
    q: &str,
    limit: usize,
    offset: i64,
) -> ApiResult<Vec<Tag>> {
    let term = q.trim_start_matches('#').trim().to_lowercase();
    if term.is_empty() {
        return Ok(Vec::new());
    }
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut rows = tags::search_prefix(ex, &term, limit, offset).await?;
    if offset == 0
        && let Some(i) = rows.iter().position(|t| t.name.to_lowercase() == term)
    {
        let exact = rows.remove(i);
        rows.insert(0, exact);
    }
    render_tags(ex, cx, &rows).await
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const HISTORY_DAYS: i64 = 7;

/// Tags with their last seven days of use (today first), as upstream's `Tag#history`.
async fn render_tags(ex: &mut Exec<'_>, cx: &Context<'_>, rows: &[TagRow]) -> ApiResult<Vec<Tag>> {
    let today = time::now().div_euclid(DAY_MS) * DAY_MS;
    let since = today - (HISTORY_DAYS - 1) * DAY_MS;
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let mut days: HashMap<(i64, i64), (i64, HashSet<i64>)> = HashMap::new();
    for (tag, created_at, author) in tags::uses_since(ex, &ids, since).await? {
        let day = created_at.div_euclid(DAY_MS) * DAY_MS;
        let entry = days.entry((tag, day)).or_default();
        entry.0 += 1;
        entry.1.insert(author);
    }
    Ok(rows
        .iter()
        .map(|t| Tag {
            name: t.name.clone(),
            url: format!("{}/tags/{}", cx.base_url, t.name),
            history: (0..HISTORY_DAYS)
                .map(|i| {
                    let day = today - i * DAY_MS;
                    let (uses, authors) = days
                        .get(&(t.id, day))
                        .map_or((0, 0), |(n, a)| (*n, a.len()));
                    TagHistory {
                        day: (day / 1000).to_string(),
                        accounts: authors.to_string(),
                        uses: uses.to_string(),
                    }
                })
                .collect(),
            // Woolly has no followed tags yet, so a signed-in viewer follows none.
            following: cx.viewer.map(|_| false),
        })
        .collect())
}

/// What a URL of this server names.
enum LocalResource<'a> {
    Account(&'a str),
    Status(i64),
}

/// `/@user`, `/users/user`, `/@user/ID`, `/users/user/statuses/ID` on this server's domain.
fn local_resource<'a>(url: &'a Url, local_domain: &str) -> Option<LocalResource<'a>> {
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str()?),
        None => url.host_str()?.to_owned(),
    };
    if !host.eq_ignore_ascii_case(local_domain) {
        return None;
    }
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [handle] => handle.strip_prefix('@').map(LocalResource::Account),
        ["users", user] => Some(LocalResource::Account(user)),
        [handle, id] if handle.starts_with('@') => id.parse().ok().map(LocalResource::Status),
        ["users", _, "statuses", id] => id.parse().ok().map(LocalResource::Status),
        _ => None,
    }
}

async fn resolve_url(
    ex: &mut Exec<'_>,
    cx: &Context<'_>,
    q: &str,
    kind: SearchType,
    results: &mut SearchResults,
) -> ApiResult<()> {
    let Ok(url) = Url::parse(q) else {
        return Ok(());
    };
    match local_resource(&url, cx.local_domain) {
        Some(LocalResource::Account(username)) if kind.includes(SearchType::Accounts) => {
            let Some(record) = accounts::find_by_username(ex, username, None).await? else {
                return Ok(());
            };
            if !account_rules::visible_locally(&record) || record.account.suspended_at.is_some() {
                return Ok(());
            }
            let records = records_in_order(ex, &[record.account.id]).await?;
            results.accounts = present::render_accounts(ex, cx.base_url, &records).await?;
        }
        Some(LocalResource::Status(id)) if kind.includes(SearchType::Statuses) => {
            let (row, _) = match find_visible(ex, cx.viewer, id).await {
                Ok(found) => found,
                Err(ApiError::NotFound) => return Ok(()),
                Err(e) => return Err(e),
            };
            let opts = RenderOptions {
                base_url: cx.base_url,
                viewer: cx.viewer,
                source_requested: false,
            };
            results.statuses = vec![render_status(ex, opts, &row).await?];
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(u: &str) -> Option<String> {
        let url = Url::parse(u).ok()?;
        local_resource(&url, "woolly.test").map(|r| match r {
            LocalResource::Account(a) => format!("account {a}"),
            LocalResource::Status(id) => format!("status {id}"),
        })
    }

    #[test]
    fn local_urls_name_accounts_and_statuses() {
        assert_eq!(
            resource("https://woolly.test/@alice").as_deref(),
            Some("account alice")
        );
        assert_eq!(
            resource("https://woolly.test/users/alice").as_deref(),
            Some("account alice")
        );
        assert_eq!(
            resource("https://woolly.test/@alice/123").as_deref(),
            Some("status 123")
        );
        assert_eq!(
            resource("https://woolly.test/users/alice/statuses/123").as_deref(),
            Some("status 123")
        );
        assert_eq!(resource("https://elsewhere.test/@alice"), None);
        assert_eq!(resource("https://woolly.test/about"), None);
        assert_eq!(resource("https://woolly.test/@alice/abc"), None);
    }
}
