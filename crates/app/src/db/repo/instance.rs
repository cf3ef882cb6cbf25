//! The counts the instance endpoints show: full passes over users and statuses, so callers
//! keep the result (`services::instance_stats`).

use crate::db::Exec;
use crate::db::query::{args, fetch_one, fetch_scalars};

/// (confirmed, approved, unsuspended local users; local undeleted statuses; known domains).
pub async fn counts(ex: &mut Exec<'_>) -> Result<(i64, i64, i64), sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.confirmed_at IS NOT NULL AND u.approved = TRUE AND a.suspended_at IS NULL";
    let users: (i64,) = fetch_one(ex, sql, &args![]).await?;
    let sql = "SELECT COUNT(*) FROM statuses s JOIN accounts a ON a.id = s.account_id WHERE a.domain IS NULL AND s.deleted_at IS NULL";
    let statuses: (i64,) = fetch_one(ex, sql, &args![]).await?;
    let domains: (i64,) = fetch_one(
        ex,
        "SELECT COUNT(DISTINCT domain) FROM accounts WHERE domain IS NOT NULL",
        &args![],
    )
    .await?;
    Ok((users.0, statuses.0, domains.0))
}

/// The domains of every remote account this server knows, sorted.
pub async fn peer_domains(ex: &mut Exec<'_>) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT DISTINCT domain FROM accounts WHERE domain IS NOT NULL ORDER BY domain";
    fetch_scalars(ex, sql, &args![]).await
}
