//! `/api/v1/admin/reports…` (upstream `Api::V1::Admin::ReportsController`).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{actor, links};
use crate::api_types::AdminReport;
use crate::domain::admin_filters::ReportFilter;
use crate::domain::ids::parse_id;
use crate::domain::params::ruby_to_i;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Admin;
use crate::http::extract::PathId;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{AdminReadReports, AdminWriteReports};
use crate::http::pagination::{self, carried};
use crate::services::moderation::reports::{self as svc, ReportOp};
use crate::state::AppState;

const CARRIED: &[&str] = &["resolved", "account_id", "target_account_id", "limit"];

/// Filters `resolved` (any value: resolved ones; absent: unresolved), `account_id`,
/// `target_account_id`; id pagination (100, max 200) with Link headers.
pub async fn index(
    State(state): State<AppState>,
    admin: Admin<AdminReadReports>,
    params: Params,
) -> ApiResult<Response> {
    let filter = ReportFilter {
        resolved: params.present("resolved").is_some(),
        account_id: params.present("account_id").map(|v| ruby_to_i(&v)),
        target_account_id: params.present("target_account_id").map(|v| ruby_to_i(&v)),
        // The API permits only the three keys above, as upstream's controller does.
        target_origin: None,
    };
    let cursor = pagination::cursor(&params, 100, 200);
    let page = svc::list(&state, &actor(&admin), &filter, &cursor).await?;
    let url = format!("{}/api/v1/admin/reports", state.base_url());
    Ok(pagination::json_page(
        page,
        &links(url, carried(&params, CARRIED)),
    ))
}

pub async fn show(
    State(state): State<AppState>,
    admin: Admin<AdminReadReports>,
    PathId(id): PathId,
) -> ApiResult<Json<AdminReport>> {
    Ok(Json(svc::show(&state, &actor(&admin), id).await?))
}

async fn op(
    state: &AppState,
    admin: &Admin<AdminWriteReports>,
    id: &str,
    op: ReportOp,
) -> ApiResult<Json<AdminReport>> {
    let id = parse_id(id).ok_or(ApiError::NotFound)?;
    Ok(Json(svc::apply(state, &actor(admin), id, op).await?))
}

pub async fn assign_to_self(
    State(state): State<AppState>,
    admin: Admin<AdminWriteReports>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminReport>> {
    op(&state, &admin, &id, ReportOp::AssignToSelf).await
}

pub async fn unassign(
    State(state): State<AppState>,
    admin: Admin<AdminWriteReports>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminReport>> {
    op(&state, &admin, &id, ReportOp::Unassign).await
}

pub async fn resolve(
    State(state): State<AppState>,
    admin: Admin<AdminWriteReports>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminReport>> {
    op(&state, &admin, &id, ReportOp::Resolve).await
}

pub async fn reopen(
    State(state): State<AppState>,
    admin: Admin<AdminWriteReports>,
    Path(id): Path<String>,
) -> ApiResult<Json<AdminReport>> {
    op(&state, &admin, &id, ReportOp::Reopen).await
}
