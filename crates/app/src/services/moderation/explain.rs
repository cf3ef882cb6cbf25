//! The query plan of an admin accounts list request, for operators and the benchmark report:
//! the same filter translation and SQL as `GET /api/v{1,2}/admin/accounts`, explained.

use crate::db::repo::{admin_accounts, explain};
use crate::domain::page::Cursor;
use crate::domain::permissions;
use crate::error::ApiResult;
use crate::services::moderation::accounts::ApiVersion;
use crate::services::moderation::filter::{self, RawParams};
use crate::services::moderation::roles_that_can;
use crate::state::AppState;

/// What `explain-accounts` prints: the statement and its plan.
#[derive(Debug, Clone)]
pub struct Explained {
    pub sql: String,
    pub plan: Vec<String>,
}

/// Parses a request's query string (`status=active&role_ids[]=3&limit=100`) as the API does.
pub fn parse_query(query: &str) -> (RawParams, Cursor) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut raw = RawParams::default();
    let mut page = Cursor::first(100);
    for (k, v) in pairs {
        let int = || crate::domain::params::ruby_to_i(&v);
        match k.as_str() {
            "role_ids[]" | "role_ids" => raw.role_ids.push(v),
            "max_id" => page.max_id = Some(int()),
            "since_id" => page.since_id = Some(int()),
            "min_id" => page.min_id = Some(int()),
            "limit" => page.limit = usize::try_from(int().unsigned_abs()).unwrap_or(0).min(200),
            _ => {
                raw.scalars.insert(k, v);
            }
        }
    }
    (raw, page)
}

pub async fn accounts_list(
    state: &AppState,
    version: ApiVersion,
    query: &str,
) -> ApiResult<Explained> {
    let (raw, page) = parse_query(query);
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let staff = roles_that_can(&mut ex, permissions::MANAGE_REPORTS).await?;
    let f = match version {
        ApiVersion::V1 => filter::v1(&raw, &staff)?,
        ApiVersion::V2 => filter::v2(&raw, &staff)?,
    };
    let filter_plan = admin_accounts::plan_for(&mut ex, &f).await?;
    let conds = admin_accounts::filter_conditions(&f, filter_plan, ex.backend());
    let (sql, args) = admin_accounts::page_query(conds, &page);
    let plan = explain::plan(&mut ex, &sql, &args).await?;
    Ok(Explained { sql, plan })
}
