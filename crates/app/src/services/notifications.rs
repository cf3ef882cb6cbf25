//! Notifications of the signed-in account: list with type and sender filters, show, dismiss,
//! clear. Rendered in one pass per page (one query for all senders).
//!
//! The types about a status carry it, rendered for the notified account; one whose status
//! is gone (or not visible to them) is left out, as clients expect a status there.

use std::collections::HashMap;

use crate::api_types::notification::Notification;
use crate::api_types::{Account, Status};
use crate::db::Exec;
use crate::db::repo::notifications::{self, NotificationRow, Query};
use crate::db::repo::statuses;
use crate::domain::page::{Cursor, Page};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::moderation::notification_members;
use crate::services::present;
use crate::services::statuses::render::{RenderOptions, render_statuses};
use crate::state::AppState;

use super::graph::collections::records_in_order;

/// Upstream's `Notification::TYPES`.
pub const TYPES: &[&str] = &[
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "admin.sign_up",
    "admin.report",
    "severed_relationships",
    "moderation_warning",
    "quote",
    "quoted_update",
];

/// The types a request asks for: `types[]` (or all) among the known ones, minus `exclude_types[]`.
pub fn requested_types(types: &[String], exclude: &[String]) -> Vec<String> {
    let base: Vec<&str> = if types.is_empty() {
        TYPES.to_vec()
    } else {
        TYPES
            .iter()
            .copied()
            .filter(|t| types.iter().any(|x| x == t))
            .collect()
    };
    base.into_iter()
        .filter(|t| !exclude.iter().any(|x| x == t))
        .map(str::to_owned)
        .collect()
}

/// The types whose notification carries `status` (upstream's `Notification#target_status`).
pub const STATUS_TYPES: &[&str] = &[
    "mention",
    "status",
    "reblog",
    "favourite",
    "poll",
    "update",
    "quote",
    "quoted_update",
];

/// The statuses of `rows`, rendered for `me`, by id.
async fn statuses_of(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    rows: &[NotificationRow],
) -> ApiResult<HashMap<i64, Status>> {
    let mut ids: Vec<i64> = rows
        .iter()
        .filter(|r| STATUS_TYPES.contains(&r.kind.as_str()))
        .filter_map(|r| r.status_id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    ids.sort_unstable();
    ids.dedup();
    let found = statuses::find_many(ex, &ids).await?;
    let opts = RenderOptions {
        base_url: base,
        viewer: Some(me),
        source_requested: false,
    };
    let rendered = render_statuses(ex, opts, &found).await?;
    Ok(rendered
        .into_iter()
        .filter_map(|s| s.id.parse().ok().map(|id| (id, s)))
        .collect())
}

async fn render(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    rows: &[NotificationRow],
) -> ApiResult<Vec<Notification>> {
    let statuses = statuses_of(ex, base, me, rows).await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.from_account_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let records = records_in_order(ex, &ids).await?;
    let rendered = present::render_accounts(ex, base, &records).await?;
    let by_id: HashMap<i64, Account> = records.iter().map(|r| r.account.id).zip(rendered).collect();
    let of_kind = |kind: &str, pick: fn(&NotificationRow) -> Option<i64>| -> Vec<i64> {
        rows.iter()
            .filter(|r| r.kind == kind)
            .filter_map(pick)
            .collect()
    };
    let members = notification_members::load(
        ex,
        base,
        of_kind("admin.report", |r| r.report_id),
        of_kind("moderation_warning", |r| r.account_warning_id),
    )
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let status = if STATUS_TYPES.contains(&r.kind.as_str()) {
                Some(statuses.get(&r.status_id?)?.clone())
            } else {
                None
            };
            by_id.get(&r.from_account_id).map(|account| Notification {
                id: r.id.to_string(),
                kind: r.kind.clone(),
                created_at: time::iso8601(r.created_at),
                group_key: format!("ungrouped-{}", r.id),
                account: account.clone(),
                status,
                report: (r.kind == "admin.report")
                    .then(|| r.report_id.and_then(|id| members.reports.get(&id).cloned())),
                moderation_warning: (r.kind == "moderation_warning").then(|| {
                    r.account_warning_id
                        .and_then(|id| members.warnings.get(&id).cloned())
                }),
            })
        })
        .collect())
}

/// Which notifications a list request asks for: `types` (see [`requested_types`]) and, when
/// given, only those from one account.
#[derive(Debug, Clone, Default)]
pub struct NotificationFilter {
    pub types: Vec<String>,
    pub from_account_id: Option<i64>,
}

/// A page of `me`'s notifications, paged by notification id.
pub async fn list(
    state: &AppState,
    me: i64,
    filter: &NotificationFilter,
    cursor: &Cursor,
) -> ApiResult<Page<Notification>> {
    let query = Query {
        types: filter.types.clone(),
        from_account_id: filter.from_account_id,
        cursor: *cursor,
    };
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let rows = notifications::page(&mut ex, me, &query).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let items = render(&mut ex, &state.base_url(), me, &rows).await?;
    Ok(Page::new(items, &ids, cursor))
}

/// One notification of `me`'s (404 when not theirs or from a suspended account).
pub async fn show(state: &AppState, me: i64, id: i64) -> ApiResult<Notification> {
    let mut conn = state.db().conn().await?;
    render_one(&mut conn.exec(), &state.base_url(), me, id).await
}

/// [`show`] on the caller's connection (the streaming publisher's).
pub async fn render_one(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    id: i64,
) -> ApiResult<Notification> {
    let row = notifications::find(ex, me, id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    render(ex, base, me, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

pub async fn dismiss(state: &AppState, me: i64, id: i64) -> ApiResult<()> {
    let mut conn = state.db().conn().await?;
    if notifications::delete(&mut conn.exec(), me, id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

pub async fn clear(state: &AppState, me: i64) -> ApiResult<()> {
    let mut conn = state.db().conn().await?;
    notifications::clear(&mut conn.exec(), me).await?;
    Ok(())
}
