//! `account_domain_blocks`: the domains a user blocks, and the rows a new block cleans up.

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, owner_page_args};
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
    fetch_all(ex, sql, &owner_page_args(account_id, cursor)).await
}

/// The follow graph between `account_id` and the accounts of one domain.
#[derive(Debug, Default)]
pub struct DomainGraph {
    /// Accounts of the domain that `account_id` follows.
    pub followed: Vec<i64>,
    /// Accounts of the domain that follow `account_id`.
    pub followers: Vec<i64>,
    /// Accounts of the domain with a pending request to `account_id`.
    pub requesters: Vec<i64>,
}

/// [`DomainGraph`] in one statement.
pub async fn graph_with(
    ex: &mut Exec<'_>,
    account_id: i64,
    domain: &str,
) -> Result<DomainGraph, sqlx::Error> {
    let part = |kind: &str, table: &str, own: &str, other: &str| {
        format!(
            "SELECT '{kind}', f.{other} FROM {table} f JOIN accounts a ON a.id = f.{other} \
             WHERE f.{own} = $1 AND a.domain = $2"
        )
    };
    let sql = [
        part("followed", "follows", "account_id", "target_account_id"),
        part("follower", "follows", "target_account_id", "account_id"),
        part(
            "requester",
            "follow_requests",
            "target_account_id",
            "account_id",
        ),
    ]
    .join(" UNION ALL ");
    let rows: Vec<(String, i64)> = fetch_all(ex, &sql, &args![account_id, domain]).await?;
    let mut graph = DomainGraph::default();
    for (kind, id) in rows {
        match kind.as_str() {
            "followed" => graph.followed.push(id),
            "follower" => graph.followers.push(id),
            _ => graph.requesters.push(id),
        }
    }
    Ok(graph)
}

/// Deletes `account_id`'s notifications from accounts of `domain`.
pub async fn clear_notifications(
    ex: &mut Exec<'_>,
    account_id: i64,
    domain: &str,
) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM notifications WHERE account_id = $1 \
               AND from_account_id IN (SELECT id FROM accounts WHERE domain = $2)";
    execute(ex, sql, &args![account_id, domain]).await?;
    Ok(())
}
