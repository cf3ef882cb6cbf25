//! What the status visibility rules need to know about a viewer and an author.

use crate::db::Exec;
use crate::db::query::{args, fetch_one, fetch_optional};

/// Relationship facts between a signed-in viewer and an author.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// The viewer follows the author.
    pub following: bool,
    /// The author blocks the viewer, or blocks the viewer's domain.
    pub blocked_by_author: bool,
}

/// One indexed query: the follow `(viewer, author)` and the block `(author, viewer)` or the
/// author's block of the viewer's domain.
pub async fn facts(ex: &mut Exec<'_>, viewer: i64, author: i64) -> Result<Facts, sqlx::Error> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM follows f WHERE f.account_id = $1 AND f.target_account_id = $2), \
        (SELECT COUNT(*) FROM blocks b WHERE b.account_id = $2 AND b.target_account_id = $1) + \
        (SELECT COUNT(*) FROM accounts v JOIN account_domain_blocks d ON d.domain = v.domain \
           WHERE v.id = $1 AND d.account_id = $2)";
    let row: (i64, i64) = fetch_one(ex, sql, &args![viewer, author]).await?;
    Ok(Facts {
        following: row.0 > 0,
        blocked_by_author: row.1 > 0,
    })
}

/// True if the viewer excludes `author` from timelines: blocks it, is blocked by it, mutes it
/// (an expired mute is no mute) or blocks its domain.
pub async fn excluded(
    ex: &mut Exec<'_>,
    viewer: i64,
    author: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "SELECT CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT)",
        super::page::EXCLUDED_AUTHOR
    );
    let sql = sql
        .replace("{viewer}", "$1")
        .replace("{author}", "$2")
        .replace("{now}", "$3");
    let row: (i64,) = fetch_one(ex, &sql, &args![viewer, author, now]).await?;
    Ok(row.0 == 1)
}

/// True if `account_id` blocks `target`.
pub async fn blocks(ex: &mut Exec<'_>, account_id: i64, target: i64) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM blocks WHERE account_id = $1 AND target_account_id = $2";
    let row: Option<(i64,)> = fetch_optional(ex, sql, &args![account_id, target]).await?;
    Ok(row.is_some())
}
