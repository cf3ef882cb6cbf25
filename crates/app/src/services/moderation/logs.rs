//! Our audit-trail API (`GET /api/v1/admin/action_logs`, not in upstream): every moderation
//! change with who made it, newest first.

use std::collections::HashMap;

use crate::api_types::{Account, ActionLog};
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::action_logs;
use crate::domain::admin_filters::LogFilter;
use crate::domain::page::{Cursor, Page};
use crate::domain::{permissions, time};
use crate::error::ApiResult;
use crate::services::moderation::accounts::Actor;
use crate::services::moderation::render;
use crate::state::AppState;

pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &LogFilter,
    cursor: &Cursor,
) -> ApiResult<Page<ActionLog>> {
    actor.require(permissions::VIEW_AUDIT_LOG)?;
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let rows = action_logs::list(&mut ex, filter, cursor).await?;
    let mut actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.account_id).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let records = accounts::find_many(&mut ex, &actor_ids).await?;
    let refs: Vec<&AccountRecord> = records.iter().collect();
    let by_id: HashMap<i64, Account> =
        render::rest_accounts(&mut ex, &state.base_url(), &refs).await?;
    let items = rows
        .iter()
        .map(|r| ActionLog {
            id: r.id.to_string(),
            action: r.action.clone(),
            target_type: r.target_type.clone(),
            target_id: r.target_id.to_string(),
            target_account_id: r.target_account_id.map(|i| i.to_string()),
            human_identifier: r.human_identifier.clone(),
            text: r.text.clone(),
            created_at: time::iso8601(r.created_at),
            account: r.account_id.and_then(|i| by_id.get(&i).cloned()),
        })
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    Ok(Page::new(items, &ids, cursor))
}
