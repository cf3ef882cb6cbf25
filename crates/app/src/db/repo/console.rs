//! Reads only the moderation console needs beyond the moderation repos.

use crate::db::Exec;
use crate::on;

/// `(account_id, sign_up_ip, current_sign_in_at)` of the users of `account_ids`.
pub async fn sign_up_facts(
    ex: &mut Exec<'_>,
    account_ids: &[i64],
) -> Result<Vec<(i64, Option<String>, Option<i64>)>, sqlx::Error> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=account_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT account_id, sign_up_ip, current_sign_in_at FROM users WHERE account_id IN ({})",
        placeholders.join(",")
    );
    on!(ex, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        for id in account_ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })
}
