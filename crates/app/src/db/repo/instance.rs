//! The counts the instance endpoints show: full passes over users and statuses, so callers
//! keep the result (`services::instance_stats`).

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_one, fetch_optional, fetch_scalars};

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

/// The last stored counts and when they were taken: (users, statuses, domains, counted_at).
pub async fn stored_counts(ex: &mut Exec<'_>) -> Result<Option<(i64, i64, i64, i64)>, sqlx::Error> {
    let sql = "SELECT user_count, status_count, domain_count, counted_at FROM instance_counts WHERE id = 1";
    fetch_optional(ex, sql, &args![]).await
}

/// Keeps counts taken at `counted_at` unless newer ones are stored already.
pub async fn store_counts(
    ex: &mut Exec<'_>,
    (users, statuses, domains): (i64, i64, i64),
    counted_at: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO instance_counts (id, user_count, status_count, domain_count, counted_at) \
               VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET \
               user_count = excluded.user_count, status_count = excluded.status_count, \
               domain_count = excluded.domain_count, counted_at = excluded.counted_at \
               WHERE instance_counts.counted_at < excluded.counted_at";
    execute(ex, sql, &args![users, statuses, domains, counted_at])
        .await
        .map(|_| ())
}
