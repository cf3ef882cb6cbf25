//! `blocks`: who blocks whom.

use std::sync::OnceLock;

use crate::db::query::{args, fetch_all, fetch_optional, owner_page_args};
use crate::db::repo::pairs::{self, BLOCKS, DOMAIN_BLOCKS, pair_fns};
use crate::db::sqlite_reads::query_rows;
use crate::db::{Db, Exec};
use crate::domain::page::Cursor;

pair_fns!(BLOCKS, i64; insert, delete -> bool, exists);

/// True if either account blocks the other.
pub async fn either_way(ex: &mut Exec<'_>, a: i64, b: i64) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM blocks WHERE (account_id = $1 AND target_account_id = $2) \
               OR (account_id = $2 AND target_account_id = $1) LIMIT 1";
    let row: Option<(i64,)> = fetch_optional(ex, sql, &args![a, b]).await?;
    Ok(row.is_some())
}

/// [`exists`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn exists_inline(
    db: &Db,
    account_id: i64,
    target_account_id: i64,
) -> Result<bool, sqlx::Error> {
    let Db::Sqlite(_, _, reads) = db else {
        return exists(&mut db.conn().await?.exec(), account_id, target_account_id).await;
    };
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = SQL.get_or_init(|| pairs::exists_sql(BLOCKS));
    let rows = reads.with(|c| {
        query_rows(c, sql, &[&account_id, &target_account_id], |r| {
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
    pairs::exists(ex, DOMAIN_BLOCKS, account_id, domain).await
}

/// A page of the accounts `account_id` blocks: (block id, target id), newest block first,
/// through `(account_id, id)`; suspended and deleted targets skipped.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    cursor: &Cursor,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = "SELECT b.id, b.target_account_id FROM blocks b JOIN accounts a ON a.id = b.target_account_id \
               WHERE b.account_id = $1 AND b.id < $2 AND b.id > $3 \
               AND a.suspended_at IS NULL AND a.deleted_at IS NULL ORDER BY b.id DESC LIMIT $4";
    fetch_all(ex, sql, &owner_page_args(account_id, cursor)).await
}
