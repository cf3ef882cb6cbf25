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
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::moderation::notification_members;
use crate::services::present;
use crate::services::statuses::render::{RenderOptions, render_statuses};

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

/// A page of notifications and the ids of its first and last.
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub first: Option<i64>,
    pub last: Option<i64>,
}

pub async fn list(
    ex: &mut Exec<'_>,
    base: &str,
    me: i64,
    q: &Query,
) -> ApiResult<NotificationPage> {
    let rows = notifications::page(ex, me, q).await?;
    Ok(NotificationPage {
        items: render(ex, base, me, &rows).await?,
        first: rows.first().map(|r| r.id),
        last: rows.last().map(|r| r.id),
    })
}

/// One notification (404 when not yours or from a suspended account).
pub async fn show(ex: &mut Exec<'_>, base: &str, me: i64, id: i64) -> ApiResult<Notification> {
    let row = notifications::find(ex, me, id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    render(ex, base, me, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

pub async fn dismiss(ex: &mut Exec<'_>, me: i64, id: i64) -> ApiResult<()> {
    if notifications::delete(ex, me, id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

pub async fn clear(ex: &mut Exec<'_>, me: i64) -> ApiResult<()> {
    notifications::clear(ex, me).await?;
    Ok(())
}
