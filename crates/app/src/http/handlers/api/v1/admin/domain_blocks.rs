//! `/api/v1/admin/domain_blocks` and `/api/v1/admin/domain_allows`: server-wide domain
//! moderation, as upstream's controllers. Scopes `admin:read` / `admin:read:domain_blocks`
//! (`…:domain_allows`) to read, `admin:write` / `admin:write:domain_blocks` to change;
//! permission `manage_federation`. Lists: newest first, 100 by default, at most 500, with
//! a Link header (`next` by `max_id`, `prev` by `min_id`). See docs/FEDERATION.md.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{actor, empty, links};
use crate::api_types::domain_block::{AdminDomainAllow, AdminDomainBlock};
use crate::error::ApiResult;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::{
    AdminReadDomainAllows, AdminReadDomainBlocks, AdminWriteDomainAllows, AdminWriteDomainBlocks,
};
use crate::http::extract::{Admin, PathId};
use crate::http::pagination::{self, carried};
use crate::services::domain_blocks::{self as service, BlockInput, Created};
use crate::state::AppState;

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 500;

fn input(params: &Params) -> BlockInput {
    BlockInput {
        domain: params.str("domain"),
        severity: params.str("severity"),
        reject_media: params.bool("reject_media"),
        reject_reports: params.bool("reject_reports"),
        private_comment: params.str("private_comment"),
        public_comment: params.str("public_comment"),
        obfuscate: params.bool("obfuscate"),
    }
}

/// `GET /api/v1/admin/domain_blocks`
pub async fn index(
    State(state): State<AppState>,
    admin: Admin<AdminReadDomainBlocks>,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = service::list(&state, &actor(&admin), &cursor).await?;
    let url = format!("{}/api/v1/admin/domain_blocks", state.base_url());
    Ok(pagination::json_page(
        page,
        &links(url, carried(&params, &["limit"])),
    ))
}

/// `GET /api/v1/admin/domain_blocks/:id`
pub async fn show(
    State(state): State<AppState>,
    admin: Admin<AdminReadDomainBlocks>,
    PathId(id): PathId,
) -> ApiResult<Json<AdminDomainBlock>> {
    Ok(Json(service::show(&state, &actor(&admin), id).await?))
}

/// `POST /api/v1/admin/domain_blocks`: 422 with `existing_domain_block` when a block of the
/// domain (or a parent) already limits it as much.
pub async fn create(
    State(state): State<AppState>,
    admin: Admin<AdminWriteDomainBlocks>,
    params: Params,
) -> ApiResult<Response> {
    Ok(
        match service::create(&state, &actor(&admin), &input(&params)).await? {
            Created::Block(b) => Json(b).into_response(),
            Created::Existing(e) => (StatusCode::UNPROCESSABLE_ENTITY, Json(e)).into_response(),
        },
    )
}

/// `PUT /api/v1/admin/domain_blocks/:id`
pub async fn update(
    State(state): State<AppState>,
    admin: Admin<AdminWriteDomainBlocks>,
    PathId(id): PathId,
    params: Params,
) -> ApiResult<Json<AdminDomainBlock>> {
    let mut changes = input(&params);
    changes.domain = None;
    Ok(Json(
        service::update(&state, &actor(&admin), id, &changes).await?,
    ))
}

/// `DELETE /api/v1/admin/domain_blocks/:id`
pub async fn destroy(
    State(state): State<AppState>,
    admin: Admin<AdminWriteDomainBlocks>,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    service::destroy(&state, &actor(&admin), id).await?;
    Ok(empty())
}

/// `GET /api/v1/admin/domain_allows`
pub async fn allows_index(
    State(state): State<AppState>,
    admin: Admin<AdminReadDomainAllows>,
    params: Params,
) -> ApiResult<Response> {
    let cursor = pagination::cursor(&params, DEFAULT_LIMIT, MAX_LIMIT);
    let page = service::list_allows(&state, &actor(&admin), &cursor).await?;
    let url = format!("{}/api/v1/admin/domain_allows", state.base_url());
    Ok(pagination::json_page(
        page,
        &links(url, carried(&params, &["limit"])),
    ))
}

/// `GET /api/v1/admin/domain_allows/:id`
pub async fn allows_show(
    State(state): State<AppState>,
    admin: Admin<AdminReadDomainAllows>,
    PathId(id): PathId,
) -> ApiResult<Json<AdminDomainAllow>> {
    Ok(Json(service::show_allow(&state, &actor(&admin), id).await?))
}

/// `POST /api/v1/admin/domain_allows`
pub async fn allows_create(
    State(state): State<AppState>,
    admin: Admin<AdminWriteDomainAllows>,
    params: Params,
) -> ApiResult<Json<AdminDomainAllow>> {
    let domain = params.str("domain");
    Ok(Json(
        service::create_allow(&state, &actor(&admin), domain.as_deref()).await?,
    ))
}

/// `DELETE /api/v1/admin/domain_allows/:id`
pub async fn allows_destroy(
    State(state): State<AppState>,
    admin: Admin<AdminWriteDomainAllows>,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    service::destroy_allow(&state, &actor(&admin), id).await?;
    Ok(empty())
}
