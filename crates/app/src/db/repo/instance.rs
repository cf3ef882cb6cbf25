//! The counts the instance endpoints show: full passes over users and statuses, so callers
//! keep the result (`services::instance_stats`).

use crate::db::Exec;
use crate::on;

/// (confirmed, approved, unsuspended local users; local undeleted statuses; known domains).
pub async fn counts(ex: &mut Exec<'_>) -> Result<(i64, i64, i64), sqlx::Error> {
    let users: (i64,) = on!(ex, c => sqlx::query_as(
        "SELECT COUNT(*) FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.confirmed_at IS NOT NULL AND u.approved = TRUE AND a.suspended_at IS NULL",
    ).fetch_one(c).await)?;
    let statuses: (i64,) = on!(ex, c => sqlx::query_as(
        "SELECT COUNT(*) FROM statuses s JOIN accounts a ON a.id = s.account_id WHERE a.domain IS NULL AND s.deleted_at IS NULL",
    ).fetch_one(c).await)?;
    let domains: (i64,) = on!(ex, c => sqlx::query_as(
        "SELECT COUNT(DISTINCT domain) FROM accounts WHERE domain IS NOT NULL",
    ).fetch_one(c).await)?;
    Ok((users.0, statuses.0, domains.0))
}

/// The domains of every remote account this server knows, sorted.
pub async fn peer_domains(ex: &mut Exec<'_>) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT DISTINCT domain FROM accounts WHERE domain IS NOT NULL ORDER BY domain";
    let rows: Vec<(String,)> = on!(ex, c => sqlx::query_as(sql).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The last stored counts and when they were taken: (users, statuses, domains, counted_at).
pub async fn stored_counts(ex: &mut Exec<'_>) -> Result<Option<(i64, i64, i64, i64)>, sqlx::Error> {
    let sql = "SELECT user_count, status_count, domain_count, counted_at FROM instance_counts WHERE id = 1";
    on!(ex, c => sqlx::query_as(sql).fetch_optional(c).await)
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
    on!(ex, c => sqlx::query(sql).bind(users).bind(statuses).bind(domains).bind(counted_at).execute(c).await.map(|_| ()))
}
