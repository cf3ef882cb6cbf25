//! The profile directory (`GET /api/v1/directory`).

use crate::api_types::Account;
use crate::db::repo::directory::{self, DirectoryQuery};
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::graph::collections::records_in_order;
use crate::services::present;
use crate::state::AppState;

/// What one directory request asks for.
#[derive(Debug, Clone, Copy)]
pub struct DirectoryRequest {
    /// `order=new`: newest accounts first; else most recently posting first.
    pub newest: bool,
    pub local_only: bool,
    /// The signed-in viewer, whose blocks and mutes are left out.
    pub viewer: Option<i64>,
    pub offset: i64,
    pub limit: usize,
}

pub async fn page(state: &AppState, r: DirectoryRequest) -> ApiResult<Vec<Account>> {
    let q = DirectoryQuery {
        newest: r.newest,
        local_only: r.local_only,
        viewer: r.viewer,
        offset: r.offset,
        limit: i64::try_from(r.limit).unwrap_or(0),
        now: time::now(),
    };
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let ids = directory::page(&mut ex, q).await?;
    let records = records_in_order(&mut ex, &ids).await?;
    present::render_accounts(&mut ex, &state.base_url(), &records).await
}
