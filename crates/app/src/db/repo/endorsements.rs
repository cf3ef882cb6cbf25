//! `account_pins`: accounts featured (endorsed) on a profile.

use crate::db::Exec;
use crate::on;

/// Creates the endorsement unless it exists.
pub async fn insert(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    target_account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO account_pins (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (account_id, target_account_id) DO NOTHING";
    on!(ex, c => sqlx::query(sql)
        .bind(id)
        .bind(account_id)
        .bind(target_account_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(
    ex: &mut Exec<'_>,
    account_id: i64,
    target_account_id: i64,
) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM account_pins WHERE account_id = $1 AND target_account_id = $2";
    on!(ex, c => sqlx::query(sql)
        .bind(account_id)
        .bind(target_account_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A page of the accounts `account_id` endorses, by endorsed account id descending, through
/// the unique `(account_id, target_account_id)` index; suspended and deleted ones skipped.
/// `limit` None means all.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    max_id: Option<i64>,
    since_id: Option<i64>,
    limit: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT p.target_account_id FROM account_pins p JOIN accounts a ON a.id = p.target_account_id \
               WHERE p.account_id = $1 AND p.target_account_id < $2 AND p.target_account_id > $3 \
               AND a.suspended_at IS NULL AND a.deleted_at IS NULL \
               ORDER BY p.target_account_id DESC LIMIT $4";
    let rows: Vec<(i64,)> = on!(ex, c => sqlx::query_as(sql)
        .bind(account_id)
        .bind(max_id.unwrap_or(i64::MAX))
        .bind(since_id.unwrap_or(i64::MIN))
        .bind(limit.unwrap_or(i64::MAX))
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
