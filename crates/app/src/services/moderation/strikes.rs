//! Strikes (`account_warnings`) for staff, beyond upstream: the strikes against an account
//! (`GET /api/v1/admin/account_warnings`) and their withdrawal (`POST
//! /api/v1/admin/account_warnings/:id/overrule`). Overruling only marks the strike; the
//! account-level effect has its own undo (unsilence, unsensitive, enable, unsuspend).
//! See docs/admin-action-logs.md.

use std::collections::HashMap;

use crate::api_types::Account;
use crate::api_types::account_warning::{AccountWarning, AdminAccountWarning, action_name};
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::warnings::{self, WarningRow};
use crate::domain::page::{Cursor, Page};
use crate::domain::{acct, permissions, time};
use crate::error::{ApiError, ApiResult};
use crate::services::moderation::accounts::{Actor, load};
use crate::services::moderation::action::target_position;
use crate::services::moderation::{Target, audit, render};
use crate::state::AppState;

/// AccountWarning entities of `rows`, in that order, with their target accounts loaded in one
/// batch (a strike whose target is missing is left out).
pub async fn render_warnings(
    ex: &mut Exec<'_>,
    base_url: &str,
    rows: Vec<WarningRow>,
) -> ApiResult<Vec<(WarningRow, AccountWarning)>> {
    let mut target_ids: Vec<i64> = rows.iter().map(|w| w.target_account_id).collect();
    target_ids.sort_unstable();
    target_ids.dedup();
    let records = accounts::find_many(ex, &target_ids).await?;
    let refs: Vec<&AccountRecord> = records.iter().collect();
    let targets: HashMap<i64, Account> = render::rest_accounts(ex, base_url, &refs).await?;
    Ok(rows
        .into_iter()
        .filter_map(|w| {
            let target_account = targets.get(&w.target_account_id)?.clone();
            let status_ids = w.status_ids.as_deref().map(|json| {
                serde_json::from_str::<Vec<i64>>(json)
                    .unwrap_or_default()
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            });
            let entity = AccountWarning {
                id: w.id.to_string(),
                action: action_name(w.action).to_owned(),
                text: w.text.clone(),
                status_ids,
                created_at: time::iso8601(w.created_at),
                target_account,
                appeal: None,
            };
            Some((w, entity))
        })
        .collect())
}

fn admin_entity((row, warning): (WarningRow, AccountWarning)) -> AdminAccountWarning {
    AdminAccountWarning {
        warning,
        overruled_at: row.overruled_at.map(time::iso8601),
    }
}

/// `GET /api/v1/admin/account_warnings?account_id=`: permission, then the account (404).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    account_id: Option<i64>,
    cursor: &Cursor,
) -> ApiResult<Page<AdminAccountWarning>> {
    actor.require(permissions::MANAGE_USERS)?;
    let account_id = account_id.ok_or_else(|| {
        ApiError::BadRequest("param is missing or the value is empty: account_id".into())
    })?;
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    load(&mut ex, account_id).await?;
    let rows = warnings::page_for_target(&mut ex, account_id, cursor).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let rendered = render_warnings(&mut ex, &state.base_url(), rows).await?;
    let items = rendered.into_iter().map(admin_entity).collect();
    Ok(Page::new(items, &ids, cursor))
}

/// `POST /api/v1/admin/account_warnings/:id/overrule`: 404, permission, role position; sets
/// `overruled_at` and writes an `overrule` entry once (a repeated call changes nothing).
pub async fn overrule(state: &AppState, actor: &Actor, id: i64) -> ApiResult<AdminAccountWarning> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let strike = warnings::find(&mut ex, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    actor.require(permissions::MANAGE_USERS)?;
    let target = load(&mut ex, strike.target_account_id).await?;
    let position = match target.user_id {
        Some(_) => Some(target_position(&mut ex, &target).await?),
        None => None,
    };
    if !actor.standing.overrides(position) {
        return Err(ApiError::not_allowed());
    }
    if warnings::overrule(&mut ex, id, time::now()).await? {
        let t = Target {
            kind: "AccountWarning",
            id,
            account_id: Some(target.account.id),
            human: acct::acct(&target.account.username, target.account.domain.as_deref()),
        };
        audit(
            &mut ex,
            state,
            actor.account_id,
            "overrule",
            &t,
            &strike.text,
        )
        .await?;
    }
    let row = warnings::find(&mut ex, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    let mut conn = state.db().conn().await?;
    render_warnings(&mut conn.exec(), &state.base_url(), vec![row])
        .await?
        .into_iter()
        .next()
        .map(admin_entity)
        .ok_or(ApiError::NotFound)
}
