//! Reads only the moderation console needs beyond the moderation repos.

use crate::db::Exec;
use crate::db::query::Args;
use crate::db::query::rows::fetch_in;

/// `(account_id, sign_up_ip, current_sign_in_at)` of the users of `account_ids`.
pub async fn sign_up_facts(
    ex: &mut Exec<'_>,
    account_ids: &[i64],
) -> Result<Vec<(i64, Option<String>, Option<i64>)>, sqlx::Error> {
    let sql =
        "SELECT account_id, sign_up_ip, current_sign_in_at FROM users WHERE account_id IN ({list})";
    fetch_in(ex, sql, Args::new(), account_ids.iter().copied()).await
}
