//! Notifications of the signed-in account: list with type and sender filters, show, dismiss,
//! clear. Rendered in one pass per page (one query for all senders).
//!
//! Only notifications without a status are made so far (follow, follow_request and the
//! moderation types, whose `report` / `moderation_warning` members are rendered); a `status`
//! member will join the entity when statuses create notifications.

use std::collections::HashMap;

use crate::api_types::Account;
use crate::api_types::notification::Notification;
use crate::db::Exec;
use crate::db::repo::notifications::{self, NotificationRow, Query};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::moderation::notification_members;
use crate::services::present;

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

async fn render(
    ex: &mut Exec<'_>,
    base: &str,
    rows: &[NotificationRow],
) -> ApiResult<Vec<Notification>> {
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
            by_id.get(&r.from_account_id).map(|account| Notification {
                id: r.id.to_string(),
                kind: r.kind.clone(),
                created_at: time::iso8601(r.created_at),
                group_key: format!("ungrouped-{}", r.id),
                account: account.clone(),
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
        items: render(ex, base, &rows).await?,
        first: rows.first().map(|r| r.id),
        last: rows.last().map(|r| r.id),
    })
}

/// One notification (404 when not yours or from a suspended account).
pub async fn show(ex: &mut Exec<'_>, base: &str, me: i64, id: i64) -> ApiResult<Notification> {
    let row = notifications::find(ex, me, id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    render(ex, base, std::slice::from_ref(&row))
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
