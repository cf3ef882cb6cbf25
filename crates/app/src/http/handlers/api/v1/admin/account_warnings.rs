//! `/api/v1/admin/account_warnings…` — Woolly's own strikes API (not in upstream): the strikes
//! against an account and their withdrawal. Scopes `admin:read` / `admin:read:accounts` and
//! `admin:write` / `admin:write:accounts`; permission `manage_users`. Each item is upstream's
//! AccountWarning plus `overruled_at`. See docs/admin-action-logs.md.

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use super::{actor, links};
use crate::api_types::account_warning::AdminAccountWarning;
use crate::domain::ids::parse_id;
use crate::error::ApiResult;
use crate::http::extract::Admin;
use crate::http::extract::PathId;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{AdminReadAccounts, AdminWriteAccounts};
use crate::http::pagination::{self, carried};
use crate::services::moderation::strikes;
use crate::state::AppState;

const CARRIED: &[&str] = &["account_id", "limit"];

/// `GET /api/v1/admin/account_warnings?account_id=` (40 by default, at most 80).
pub async fn index(
    State(state): State<AppState>,
    admin: Admin<AdminReadAccounts>,
    params: Params,
) -> ApiResult<Response> {
    // a present but malformed id is an unknown account (404), as in a path
    let account_id = params
        .present("account_id")
        .map(|v| parse_id(&v).unwrap_or(0));
    let cursor = pagination::cursor(&params, 40, 80);
    let page = strikes::list(&state, &actor(&admin), account_id, &cursor).await?;
    let url = format!("{}/api/v1/admin/account_warnings", state.base_url());
    Ok(pagination::json_page(
        page,
        &links(url, carried(&params, CARRIED)),
    ))
}

/// `POST /api/v1/admin/account_warnings/:id/overrule`
pub async fn overrule(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    PathId(id): PathId,
) -> ApiResult<Json<AdminAccountWarning>> {
    Ok(Json(strikes::overrule(&state, &actor(&admin), id).await?))
}
