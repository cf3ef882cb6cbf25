//! `blocks`: who blocks whom.

use crate::db::sqlite_reads::query_rows;
use crate::db::{Db, Exec};
use crate::on;

/// Creates the block unless it exists.
pub async fn insert(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    target_account_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO blocks (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, $4) \
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
) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM blocks WHERE account_id = $1 AND target_account_id = $2";
    let n = on!(ex, c => sqlx::query(sql)
        .bind(account_id)
        .bind(target_account_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// True if either account blocks the other.
pub async fn either_way(ex: &mut Exec<'_>, a: i64, b: i64) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM blocks WHERE (account_id = $1 AND target_account_id = $2) \
               OR (account_id = $2 AND target_account_id = $1) LIMIT 1";
    let row: Option<(i64,)> =
        on!(ex, c => sqlx::query_as(sql).bind(a).bind(b).fetch_optional(c).await)?;
    Ok(row.is_some())
}

const EXISTS_SQL: &str = "SELECT id FROM blocks WHERE account_id = $1 AND target_account_id = $2";

/// True if `account_id` blocks `target_account_id`.
pub async fn exists(
    ex: &mut Exec<'_>,
    account_id: i64,
    target_account_id: i64,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = on!(ex, c => sqlx::query_as(EXISTS_SQL)
        .bind(account_id)
        .bind(target_account_id)
        .fetch_optional(c)
        .await)?;
    Ok(row.is_some())
}

/// [`exists`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn exists_in(
    db: &Db,
    account_id: i64,
    target_account_id: i64,
) -> Result<bool, sqlx::Error> {
    let Db::Sqlite(_, _, reads) = db else {
        return exists(&mut db.conn().await?.exec(), account_id, target_account_id).await;
    };
    let rows = reads.with(|c| {
        query_rows(c, EXISTS_SQL, &[&account_id, &target_account_id], |r| {
            r.take::<i64>()
        })
    })?;
    Ok(!rows.is_empty())
}

/// True if `account_id` blocks the domain.
pub async fn domain_blocked(
    ex: &mut Exec<'_>,
    account_id: i64,
    domain: &str,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM account_domain_blocks WHERE account_id = $1 AND domain = $2";
    let row: Option<(i64,)> = on!(ex, c => sqlx::query_as(sql)
        .bind(account_id)
        .bind(domain)
        .fetch_optional(c)
        .await)?;
    Ok(row.is_some())
}

/// A page of the accounts `account_id` blocks: (block id, target id), newest block first,
/// through `(account_id, id)`; suspended and deleted targets skipped.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    max_id: Option<i64>,
    since_id: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = "SELECT b.id, b.target_account_id FROM blocks b JOIN accounts a ON a.id = b.target_account_id \
               WHERE b.account_id = $1 AND b.id < $2 AND b.id > $3 \
               AND a.suspended_at IS NULL AND a.deleted_at IS NULL ORDER BY b.id DESC LIMIT $4";
    on!(ex, c => sqlx::query_as(sql)
        .bind(account_id)
        .bind(max_id.unwrap_or(i64::MAX))
        .bind(since_id.unwrap_or(i64::MIN))
        .bind(limit)
        .fetch_all(c)
        .await)
}
