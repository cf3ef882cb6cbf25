//! `GET /api/v1/admin/action_logs` — Woolly's own audit-trail API (not in upstream).
//!
//! Needs a token with `admin:read` and the `view_audit_log` permission (403
//! `This action is not allowed` otherwise; no token = the nobody role). Filters:
//! `account_id` (the acting staff account), `target_account_id`, `action` (e.g. `suspend`,
//! `unsuspend`, `resolve`). Paginated by id (`max_id`, `since_id`, `min_id`, `limit` 100,
//! max 200), newest first, with Link headers (`next` = max_id, `prev` = min_id). Each entry:
//! `{id, action, target_type, target_id, target_account_id, human_identifier, text,
//! created_at, account}` where `account` is the acting staff member's Account or null.
//! See docs/admin-action-logs.md.

use axum::extract::State;
use axum::response::Response;

use super::{actor, links};
use crate::domain::admin_filters::LogFilter;
use crate::domain::params::ruby_to_i;
use crate::error::ApiResult;
use crate::http::extract::Admin;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::AdminRead;
use crate::http::pagination::{self, carried};
use crate::services::moderation::logs;
use crate::state::AppState;

const CARRIED: &[&str] = &["account_id", "target_account_id", "action", "limit"];

pub async fn index(
    State(state): State<AppState>,
    admin: Admin<AdminRead>,
    params: Params,
) -> ApiResult<Response> {
    let filter = LogFilter {
        account_id: params.present("account_id").map(|v| ruby_to_i(&v)),
        target_account_id: params.present("target_account_id").map(|v| ruby_to_i(&v)),
        action: params.present("action").map(|v| v.trim().to_owned()),
    };
    let cursor = pagination::cursor(&params, 100, 200);
    let page = logs::list(&state, &actor(&admin), &filter, &cursor).await?;
    let url = format!("{}/api/v1/admin/action_logs", state.base_url());
    Ok(pagination::json_page(
        page,
        &links(url, carried(&params, CARRIED)),
    ))
}
