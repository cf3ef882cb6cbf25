//! `GET /api/v1/accounts/:id/statuses` (upstream `AccountStatusesFilter`).

use crate::api_types::Status;
use crate::db::repo::statuses::{self, AccountFilter, Audience};
use crate::db::repo::tags;
use crate::domain::page::{Cursor, Page};
use crate::domain::text::extract_hashtags;
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::accounts as account_service;
use crate::services::present::unavailable;
use crate::state::AppState;

use super::render::{RenderOptions, render_statuses};

/// The filters of one request.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub pinned: bool,
    pub only_media: bool,
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
    pub exclude_direct: bool,
    pub tagged: Option<String>,
}

/// The normalised tag name of `tagged` (`#Foo` and `foo` alike).
fn tag_name(tagged: &str) -> Option<String> {
    let raw = tagged.trim().trim_start_matches('#');
    extract_hashtags(&format!("#{raw}")).into_iter().next()
}

/// The statuses of `account_id` that `viewer` may see, newest first.
pub async fn page(
    state: &AppState,
    account_id: i64,
    viewer: Option<i64>,
    q: &Query,
    cursor: &Cursor,
) -> ApiResult<Page<Status>> {
    let mut conn = state.db().conn().await?;
    let ex = &mut conn.exec();
    let target = account_service::find_undeleted(ex, account_id).await?;
    if unavailable(&target.account) || cursor.limit == 0 {
        return Ok(Page::default());
    }
    let audience = match viewer {
        None => Audience::Anonymous,
        Some(v) if v == account_id => Audience::Author,
        Some(v) => {
            let facts = statuses::facts(ex, v, account_id).await?;
            if facts.blocked_by_author {
                return Ok(Page::default());
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
                None => return Ok(Page::default()),
            },
            None => return Ok(Page::default()),
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
        cursor: *cursor,
        now: time::now(),
    };
    let rows = statuses::account_page(ex, &filter).await?;
    let base_url = state.base_url();
    let opts = RenderOptions {
        base_url: &base_url,
        viewer,
        source_requested: false,
    };
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let items = render_statuses(ex, opts, &rows).await?;
    Ok(Page::new(items, &ids, cursor))
}
