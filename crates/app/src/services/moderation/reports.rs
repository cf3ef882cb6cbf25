//! Reports: filing one (`POST /api/v1/reports`) and the admin reports API, with staff
//! notifications and audit entries.

use std::collections::HashMap;

use crate::api_types::{AdminAccount, AdminReport, Report, Status};
use crate::db::Exec;
use crate::db::repo::accounts;
use crate::db::repo::reports::{self, ReportRow};
use crate::db::repo::statuses;
use crate::domain::admin_filters::ReportFilter;
use crate::domain::page::{Cursor, Page};
use crate::domain::{permissions, time};
use crate::error::{ApiError, ApiResult};
use crate::ratelimit::throttles;
use crate::services::moderation::accounts::Actor;
use crate::services::moderation::action::report_target;
use crate::services::moderation::{audit, notify_staff, render};
use crate::services::present;
use crate::services::statuses::render::{RenderOptions, render_statuses};
use crate::state::AppState;

pub const CATEGORIES: &[&str] = &["other", "spam", "legal", "violation"];
pub const COMMENT_LIMIT: usize = 1000;

/// What a reporter sends.
#[derive(Debug, Clone, Default)]
pub struct NewReport {
    pub account_id: Option<i64>,
    pub status_ids: Vec<i64>,
    pub comment: String,
    pub forward: bool,
    pub category: Option<String>,
    pub rule_ids: Vec<String>,
}

fn ids_json(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

fn status_ids(json: &str) -> Vec<i64> {
    serde_json::from_str::<Vec<i64>>(json).unwrap_or_default()
}

fn ids_of(json: &str) -> Vec<String> {
    status_ids(json).iter().map(ToString::to_string).collect()
}

/// The reported statuses of `rows` that still exist, rendered in one batch (id → Status).
async fn reported_statuses(
    ex: &mut Exec<'_>,
    base_url: &str,
    rows: &[ReportRow],
) -> ApiResult<HashMap<i64, Status>> {
    let mut ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| status_ids(&r.status_ids))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = statuses::find_many(ex, &ids).await?;
    let opts = RenderOptions {
        base_url,
        viewer: None,
        source_requested: false,
    };
    let rendered = render_statuses(ex, opts, &found).await?;
    // keyed by each entity's own id: a status whose author is gone is left out
    Ok(rendered
        .into_iter()
        .filter_map(|s| s.id.parse::<i64>().ok().map(|id| (id, s)))
        .collect())
}

/// Counts a report against the reports throttle; 429 past it.
async fn hit_throttle(state: &AppState, reporter: i64) -> ApiResult<()> {
    let hit = state
        .limiter()
        .hit(
            &format!("{}:{reporter}", throttles::REPORTS.name),
            throttles::REPORTS.limit,
            throttles::REPORTS.period_secs,
            time::now(),
        )
        .await
        .map_err(ApiError::internal)?;
    if hit.exceeded() {
        return Err(ApiError::TooManyRequests);
    }
    Ok(())
}

/// The report's category (`violation` when rules are given, else the asked one or `other`),
/// after upstream's validations of the comment, category and rules.
fn checked_category(req: &NewReport) -> ApiResult<String> {
    let category = if req.rule_ids.is_empty() {
        req.category
            .clone()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "other".into())
    } else {
        "violation".into()
    };
    let mut errors = Vec::new();
    if req.comment.chars().count() > COMMENT_LIMIT {
        errors.push(format!(
            "Comment is too long (maximum is {COMMENT_LIMIT} characters)"
        ));
    }
    if !CATEGORIES.contains(&category.as_str()) {
        errors.push("Category is not included in the list".to_owned());
    }
    if !req.rule_ids.is_empty() {
        // No server rules are defined, so any rule id is unknown.
        errors.push("Rule ids does not reference valid rules".to_owned());
    }
    if errors.is_empty() {
        Ok(category)
    } else {
        Err(ApiError::Unprocessable(format!(
            "Validation failed: {}",
            errors.join(", ")
        )))
    }
}

/// `POST /api/v1/reports` for `reporter` (the signed-in account).
pub async fn create(state: &AppState, reporter: i64, req: NewReport) -> ApiResult<Report> {
    hit_throttle(state, reporter).await?;
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let target_id = req.account_id.ok_or(ApiError::NotFound)?;
    let target = accounts::find(&mut ex, target_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut wanted = req.status_ids.clone();
    wanted.sort_unstable();
    wanted.dedup();
    let found = reports::statuses_of(&mut ex, target_id, &wanted).await?;
    if found.len() != wanted.len() {
        return Err(ApiError::NotFound);
    }
    let category = checked_category(&req)?;
    let now = time::now();
    let row = ReportRow {
        id: state.next_id(),
        account_id: reporter,
        target_account_id: target_id,
        status_ids: ids_json(&found),
        rule_ids: "[]".into(),
        comment: req.comment.clone(),
        forwarded: req.forward && target.account.domain.is_some(),
        category,
        action_taken_at: None,
        action_taken_by_account_id: None,
        assigned_account_id: None,
        created_at: now,
        updated_at: now,
    };
    reports::insert(&mut ex, &row).await?;
    if !reports::has_unresolved_sibling(&mut ex, target_id, row.id).await? {
        notify_staff(
            &mut ex,
            state,
            permissions::MANAGE_REPORTS,
            "admin.report",
            reporter,
            Some(row.id),
        )
        .await?;
    }
    let target_entity = present::render_account(&mut ex, &state.base_url(), &target).await?;
    tx.commit().await?;
    Ok(Report {
        id: row.id.to_string(),
        action_taken: false,
        action_taken_at: None,
        category: row.category,
        comment: row.comment,
        forwarded: row.forwarded,
        created_at: time::iso8601(now),
        status_ids: Some(ids_of(&row.status_ids)),
        rule_ids: None,
        target_account: target_entity,
    })
}

/// Admin::Report entities for `rows`, with all their accounts rendered in one batch.
pub async fn admin_reports(
    ex: &mut Exec<'_>,
    base_url: &str,
    rows: &[ReportRow],
) -> ApiResult<Vec<AdminReport>> {
    let mut ids: Vec<i64> = Vec::new();
    for r in rows {
        ids.push(r.account_id);
        ids.push(r.target_account_id);
        ids.extend(r.assigned_account_id);
        ids.extend(r.action_taken_by_account_id);
    }
    ids.sort_unstable();
    ids.dedup();
    let rendered: HashMap<String, AdminAccount> = render::admin_accounts(ex, base_url, &ids)
        .await?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let get = |id: i64| rendered.get(&id.to_string()).cloned();
    let statuses = reported_statuses(ex, base_url, rows).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (Some(account), Some(target_account)) = (get(r.account_id), get(r.target_account_id))
        else {
            continue;
        };
        out.push(AdminReport {
            id: r.id.to_string(),
            action_taken: r.action_taken_at.is_some(),
            action_taken_at: r.action_taken_at.map(time::iso8601),
            category: r.category.clone(),
            comment: r.comment.clone(),
            forwarded: r.forwarded,
            created_at: time::iso8601(r.created_at),
            updated_at: time::iso8601(r.updated_at),
            account,
            target_account,
            assigned_account: r.assigned_account_id.and_then(get),
            action_taken_by_account: r.action_taken_by_account_id.and_then(get),
            statuses: status_ids(&r.status_ids)
                .iter()
                .filter_map(|id| statuses.get(id).cloned())
                .collect(),
            rules: Vec::new(),
        });
    }
    Ok(out)
}

/// `GET /api/v1/admin/reports`
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &ReportFilter,
    cursor: &Cursor,
) -> ApiResult<Page<AdminReport>> {
    actor.require(permissions::MANAGE_REPORTS)?;
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let rows = reports::list(&mut ex, filter, cursor).await?;
    let items = admin_reports(&mut ex, &state.base_url(), &rows).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    Ok(Page::new(items, &ids, cursor))
}

/// `GET /api/v1/admin/reports/:id`
pub async fn show(state: &AppState, actor: &Actor, id: i64) -> ApiResult<AdminReport> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let row = reports::find(&mut ex, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    actor.require(permissions::MANAGE_REPORTS)?;
    one(&mut ex, &state.base_url(), row).await
}

async fn one(ex: &mut Exec<'_>, base_url: &str, row: ReportRow) -> ApiResult<AdminReport> {
    admin_reports(ex, base_url, &[row])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOp {
    AssignToSelf,
    Unassign,
    Resolve,
    Reopen,
}

/// assign_to_self / unassign / resolve / reopen, each with its audit entry.
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    id: i64,
    op: ReportOp,
) -> ApiResult<AdminReport> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let row = reports::find(&mut ex, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    actor.require(permissions::MANAGE_REPORTS)?;
    let now = time::now();
    let action = match op {
        ReportOp::AssignToSelf => {
            reports::set_assigned(&mut ex, id, actor.account_id, now).await?;
            "assigned_to_self"
        }
        ReportOp::Unassign => {
            reports::set_assigned(&mut ex, id, None, now).await?;
            "unassigned"
        }
        ReportOp::Resolve => {
            reports::set_resolved(&mut ex, id, actor.account_id, now).await?;
            "resolve"
        }
        ReportOp::Reopen => {
            reports::set_resolved(&mut ex, id, None, now).await?;
            "reopen"
        }
    };
    audit(
        &mut ex,
        state,
        actor.account_id,
        action,
        &report_target(&row),
        &row.comment,
    )
    .await?;
    let row = reports::find(&mut ex, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let entity = one(&mut ex, &state.base_url(), row).await?;
    tx.commit().await?;
    Ok(entity)
}
