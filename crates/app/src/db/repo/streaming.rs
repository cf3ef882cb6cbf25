//! The audiences of streaming events: local followers, lists and mentioned accounts.

use crate::db::Exec;
use crate::db::on;

/// `(follower id, show_reblogs)` of the local accounts following `account_id`.
pub async fn local_followers(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Vec<(i64, bool)>, sqlx::Error> {
    let sql = "SELECT f.account_id, f.show_reblogs FROM follows f \
               JOIN accounts a ON a.id = f.account_id \
               WHERE f.target_account_id = $1 AND a.domain IS NULL";
    on!(ex, c => sqlx::query_as(sql).bind(account_id).fetch_all(c).await)
}

/// `(list id, owner id)` of the lists that contain `member`.
pub async fn lists_with_member(
    ex: &mut Exec<'_>,
    member: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = "SELECT l.id, l.account_id FROM lists l \
               JOIN list_accounts la ON la.list_id = l.id WHERE la.account_id = $1";
    on!(ex, c => sqlx::query_as(sql).bind(member).fetch_all(c).await)
}

/// The local accounts mentioned by `status_id`.
pub async fn mentioned_local(ex: &mut Exec<'_>, status_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT m.account_id FROM mentions m JOIN accounts a ON a.id = m.account_id \
               WHERE m.status_id = $1 AND a.domain IS NULL";
    let rows: Vec<(i64,)> = on!(ex, c => sqlx::query_as(sql).bind(status_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
