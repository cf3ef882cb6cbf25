//! `GET /api/v1/accounts/:id/statuses` (upstream `AccountStatusesFilter`).

use crate::api_types::Status;
use crate::db::Exec;
use crate::db::repo::statuses::{self, AccountFilter, Audience};
use crate::db::repo::tags;
use crate::domain::page::Cursor;
use crate::domain::text::extract_hashtags;
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::accounts as account_service;
use crate::services::present::unavailable;

use super::render::{RenderOptions, render_statuses};

/// The filters and cursors of one request.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub pinned: bool,
    pub only_media: bool,
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
    pub exclude_direct: bool,
    pub tagged: Option<String>,
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    pub limit: usize,
}

/// A rendered page and the ids its Link header needs.
#[derive(Debug, Default)]
pub struct StatusPage {
    pub items: Vec<Status>,
    pub first: Option<i64>,
    pub last: Option<i64>,
}

/// The normalised tag name of `tagged` (`#Foo` and `foo` alike).
fn tag_name(tagged: &str) -> Option<String> {
    let raw = tagged.trim().trim_start_matches('#');
    extract_hashtags(&format!("#{raw}")).into_iter().next()
}

pub async fn page(
    ex: &mut Exec<'_>,
    base_url: &str,
    account_id: i64,
    viewer: Option<i64>,
    q: Query,
) -> ApiResult<StatusPage> {
    let target = account_service::find_for_api(ex, account_id).await?;
    if unavailable(&target.account) || q.limit == 0 {
        return Ok(StatusPage::default());
    }
    let audience = match viewer {
        None => Audience::Anonymous,
        Some(v) if v == account_id => Audience::Author,
        Some(v) => {
            let facts = statuses::facts(ex, v, account_id).await?;
            if facts.blocked_by_author {
                return Ok(StatusPage::default());
            }
            Audience::Other {
                viewer: v,
                follower: facts.following,
            }
        }
    };
    let tag_id = match q.tagged.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => match tag_name(t) {
            Some(name) => match tags::find_by_name(ex, &name).await? {
                Some(id) => Some(id),
                None => return Ok(StatusPage::default()),
            },
            None => return Ok(StatusPage::default()),
        },
        None => None,
    };
    let filter = AccountFilter {
        account_id,
        audience,
        pinned: q.pinned,
        only_media: q.only_media,
        exclude_replies: q.exclude_replies,
        exclude_reblogs: q.exclude_reblogs,
        exclude_direct: q.exclude_direct,
        tag_id,
        cursor: Cursor {
            max_id: q.max_id,
            since_id: q.since_id,
            min_id: q.min_id,
            limit: q.limit,
        },
        now: time::now(),
    };
    let rows = statuses::account_page(ex, &filter).await?;
    let opts = RenderOptions {
        base_url,
        viewer,
        source_requested: false,
    };
    Ok(StatusPage {
        first: rows.first().map(|s| s.id),
        last: rows.last().map(|s| s.id),
        items: render_statuses(ex, opts, &rows).await?,
    })
}
