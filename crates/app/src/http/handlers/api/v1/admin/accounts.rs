//! `/api/v1/admin/accounts…` (mastodon-behaviour.md §3).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{actor, empty, links, raw};
use crate::api_types::AdminAccount;
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Admin;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{AdminReadAccounts, AdminWriteAccounts};
use crate::http::pagination;
use crate::services::moderation::accounts::{self as svc, ApiVersion, Op};
use crate::services::moderation::action::{self, ActionRequest};
use crate::state::AppState;

/// Admin lists: 100 by default, at most 200.
pub const LIMIT: (usize, usize) = (100, 200);

fn id_of(s: &str) -> ApiResult<i64> {
    parse_id(s).ok_or(ApiError::NotFound)
}

/// `GET /api/v1/admin/accounts` (v1 parameters and defaults).
pub async fn index(
    State(state): State<AppState>,
    admin: Admin<AdminReadAccounts>,
    params: Params,
) -> ApiResult<Response> {
    let url = format!("{}/api/v1/admin/accounts", state.base_url());
    accounts_list(&state, &admin, ApiVersion::V1, &params, url).await
}

/// The admin accounts list of either API version, answered with its Link header.
pub async fn accounts_list(
    state: &AppState,
    admin: &Admin<AdminReadAccounts>,
    version: ApiVersion,
    params: &Params,
    url: String,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(params, LIMIT.0, LIMIT.1);
    let raw = raw(params);
    let page = svc::list(state, &actor(admin), version, &raw, &cursor).await?;
    let carried = svc::carried_params(&raw, version);
    Ok(pagination::json_page(page, &links(url, carried)))
}

pub async fn show(
    State(state): State<AppState>,
    admin: Admin<AdminReadAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminAccount>> {
    Ok(Json(svc::show(&state, &actor(&admin), id_of(&id)?).await?))
}

async fn op(
    state: &AppState,
    admin: &Admin<AdminWriteAccounts>,
    id: &str,
    op: Op,
) -> ApiResult<Json<AdminAccount>> {
    Ok(Json(
        svc::apply(state, &actor(admin), id_of(id)?, op).await?,
    ))
}

pub async fn approve(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminAccount>> {
    op(&state, &admin, &id, Op::Approve).await
}

pub async fn enable(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminAccount>> {
    op(&state, &admin, &id, Op::Enable).await
}

pub async fn unsilence(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminAccount>> {
    op(&state, &admin, &id, Op::Unsilence).await
}

pub async fn unsensitive(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminAccount>> {
    op(&state, &admin, &id, Op::Unsensitive).await
}

pub async fn unsuspend(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminAccount>> {
    op(&state, &admin, &id, Op::Unsuspend).await
}

/// Responds `{}`: the user and account are gone.
pub async fn reject(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    svc::reject(&state, &actor(&admin), id_of(&id)?).await?;
    Ok(empty())
}

/// `DELETE /api/v1/admin/accounts/:id`
pub async fn destroy(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    svc::delete(&state, &actor(&admin), id_of(&id)?).await?;
    Ok(empty())
}

/// `POST /api/v1/admin/accounts/:id/action`
pub async fn action(
    State(state): State<AppState>,
    admin: Admin<AdminWriteAccounts>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<serde_json::Value>> {
    let req = ActionRequest {
        kind: params.str("type"),
        report_id: params
            .present("report_id")
            .map(|v| parse_id(&v).unwrap_or(0)),
        warning_preset_id: params
            .present("warning_preset_id")
            .map(|v| parse_id(&v).unwrap_or(0)),
        text: params.str("text"),
        send_email_notification: params.bool("send_email_notification").unwrap_or(true),
    };
    action::perform(&state, &actor(&admin), id_of(&id)?, req).await?;
    Ok(empty())
}
