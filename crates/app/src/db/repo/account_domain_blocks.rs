//! `account_domain_blocks`: the domains a user blocks, and the rows a new block cleans up.

use crate::db::Exec;
use crate::db::on;
use crate::db::query::{args, fetch_all, id_bounds};
use crate::db::repo::pairs::{DOMAIN_BLOCKS, pair_fns};
use crate::domain::page::Cursor;

pair_fns!(DOMAIN_BLOCKS, &str; insert, delete -> ());

/// A page of `account_id`'s blocked domains: (block id, domain), newest first, through the
/// `(account_id, domain)` index's account prefix.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    cursor: &Cursor,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let sql = "SELECT id, domain FROM account_domain_blocks \
               WHERE account_id = $1 AND id < $2 AND id > $3 ORDER BY id DESC LIMIT $4";
    let (upper, lower) = id_bounds(cursor);
    fetch_all(
        ex,
        sql,
        &args![account_id, upper, lower, cursor.limit_i64()],
    )
    .await
}

/// Accounts of `domain` that `account_id` follows.
pub async fn followed_in(
    ex: &mut Exec<'_>,
    account_id: i64,
    domain: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    ids(
        ex,
        "SELECT f.target_account_id FROM follows f JOIN accounts a ON a.id = f.target_account_id \
             WHERE f.account_id = $1 AND a.domain = $2",
        account_id,
        domain,
    )
    .await
}

/// Accounts of `domain` that follow `account_id`.
pub async fn followers_in(
    ex: &mut Exec<'_>,
    account_id: i64,
    domain: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    ids(
        ex,
        "SELECT f.account_id FROM follows f JOIN accounts a ON a.id = f.account_id \
             WHERE f.target_account_id = $1 AND a.domain = $2",
        account_id,
        domain,
    )
    .await
}

/// Accounts of `domain` with a pending request to `account_id`.
pub async fn requesters_in(
    ex: &mut Exec<'_>,
    account_id: i64,
    domain: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    ids(
        ex,
        "SELECT f.account_id FROM follow_requests f JOIN accounts a ON a.id = f.account_id \
             WHERE f.target_account_id = $1 AND a.domain = $2",
        account_id,
        domain,
    )
    .await
}

async fn ids(
    ex: &mut Exec<'_>,
    sql: &'static str,
    account_id: i64,
    domain: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = on!(ex, c => sqlx::query_as(sql)
        .bind(account_id)
        .bind(domain)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Deletes `account_id`'s notifications from accounts of `domain`.
pub async fn clear_notifications(
    ex: &mut Exec<'_>,
    account_id: i64,
    domain: &str,
) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM notifications WHERE account_id = $1 \
               AND from_account_id IN (SELECT id FROM accounts WHERE domain = $2)";
    on!(ex, c => sqlx::query(sql)
        .bind(account_id)
        .bind(domain)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
