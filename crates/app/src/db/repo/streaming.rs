//! The audiences of streaming events: local followers, lists and mentioned accounts.

use crate::db::Exec;
use crate::db::query::{args, fetch_all, fetch_scalars};

/// `(follower id, show_reblogs)` of the local accounts following `account_id`.
pub async fn local_followers(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Vec<(i64, bool)>, sqlx::Error> {
    let sql = "SELECT f.account_id, f.show_reblogs FROM follows f \
               JOIN accounts a ON a.id = f.account_id \
               WHERE f.target_account_id = $1 AND a.domain IS NULL";
    fetch_all(ex, sql, &args![account_id]).await
}

/// `(list id, owner id)` of the lists that contain `member`.
pub async fn lists_with_member(
    ex: &mut Exec<'_>,
    member: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = "SELECT l.id, l.account_id FROM lists l \
               JOIN list_accounts la ON la.list_id = l.id WHERE la.account_id = $1";
    fetch_all(ex, sql, &args![member]).await
}

/// The local accounts mentioned by `status_id`.
pub async fn mentioned_local(ex: &mut Exec<'_>, status_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT m.account_id FROM mentions m JOIN accounts a ON a.id = m.account_id \
               WHERE m.status_id = $1 AND a.domain IS NULL";
    fetch_scalars(ex, sql, &args![status_id]).await
}
