//! `account_notes`: private notes about other accounts.

use crate::db::Exec;
use crate::on;

/// Creates or replaces the note of `account_id` about `target_account_id`.
pub async fn upsert(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    target_account_id: i64,
    comment: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO account_notes (id, account_id, target_account_id, comment, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (account_id, target_account_id) \
               DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at";
    on!(ex, c => sqlx::query(sql)
        .bind(id)
        .bind(account_id)
        .bind(target_account_id)
        .bind(comment)
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
    let sql = "DELETE FROM account_notes WHERE account_id = $1 AND target_account_id = $2";
    on!(ex, c => sqlx::query(sql)
        .bind(account_id)
        .bind(target_account_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
