//! The profile directory (`GET /api/v1/directory`).

use crate::api_types::Account;
use crate::db::repo::directory::{self, DirectoryQuery};
use crate::error::ApiResult;
use crate::services::graph::collections::records_in_order;
use crate::services::present;
use crate::state::AppState;

pub async fn page(state: &AppState, q: DirectoryQuery) -> ApiResult<Vec<Account>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let ids = directory::page(&mut ex, q).await?;
    let records = records_in_order(&mut ex, &ids).await?;
    present::render_accounts(&mut ex, &state.base_url(), &records).await
}
