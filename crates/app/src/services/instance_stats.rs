//! Counts shown by the instance endpoints.

use crate::error::ApiResult;
use crate::on;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Default)]
pub struct InstanceStats {
    pub user_count: i64,
    pub status_count: i64,
    pub domain_count: i64,
}

pub async fn load(state: &AppState) -> ApiResult<InstanceStats> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let users: (i64,) = on!(&mut ex, c => sqlx::query_as(
        "SELECT COUNT(*) FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.confirmed_at IS NOT NULL AND u.approved = TRUE AND a.suspended_at IS NULL",
    ).fetch_one(c).await)?;
    let statuses: (i64,) = on!(&mut ex, c => sqlx::query_as(
        "SELECT COUNT(*) FROM statuses s JOIN accounts a ON a.id = s.account_id WHERE a.domain IS NULL AND s.deleted_at IS NULL",
    ).fetch_one(c).await)?;
    let domains: (i64,) = on!(&mut ex, c => sqlx::query_as(
        "SELECT COUNT(DISTINCT domain) FROM accounts WHERE domain IS NOT NULL",
    ).fetch_one(c).await)?;
    Ok(InstanceStats {
        user_count: users.0,
        status_count: statuses.0,
        domain_count: domains.0,
    })
}
