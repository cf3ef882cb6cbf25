//! Unavailable domains (`services/federation/availability.rs`): the UTC days on which
//! deliveries to a domain failed, and the domains marked unavailable.

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_scalars};

/// Records a failure of `domain` on `day`; returns on how many distinct days it has failed.
pub async fn record_failure(ex: &mut Exec<'_>, domain: &str, day: i64) -> Result<i64, sqlx::Error> {
    let sql = "INSERT INTO delivery_failure_days (domain, day) VALUES ($1, $2) \
               ON CONFLICT (domain, day) DO NOTHING";
    execute(ex, sql, &args![domain, day]).await?;
    let sql = "SELECT COUNT(*) FROM delivery_failure_days WHERE domain = $1";
    let n: Vec<i64> = fetch_scalars(ex, sql, &args![domain]).await?;
    Ok(n.into_iter().next().unwrap_or(0))
}

pub async fn mark_unavailable(
    ex: &mut Exec<'_>,
    domain: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO unavailable_domains (domain, created_at) VALUES ($1, $2) \
               ON CONFLICT (domain) DO NOTHING";
    execute(ex, sql, &args![domain, now]).await?;
    Ok(())
}

/// Forgets the failures of `domain` and makes it available; true when it was unavailable.
pub async fn reset(ex: &mut Exec<'_>, domain: &str) -> Result<bool, sqlx::Error> {
    execute(
        ex,
        "DELETE FROM delivery_failure_days WHERE domain = $1",
        &args![domain],
    )
    .await?;
    let n = execute(
        ex,
        "DELETE FROM unavailable_domains WHERE domain = $1",
        &args![domain],
    )
    .await?;
    Ok(n > 0)
}

/// Whether anything is recorded for `domain` (a cheap check before a reset's writes).
pub async fn any_recorded(ex: &mut Exec<'_>, domain: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT 1 FROM delivery_failure_days WHERE domain = $1 \
               UNION ALL SELECT 1 FROM unavailable_domains WHERE domain = $1";
    let hits: Vec<i32> = fetch_scalars(ex, sql, &args![domain]).await?;
    Ok(!hits.is_empty())
}

pub async fn is_unavailable(ex: &mut Exec<'_>, domain: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT domain FROM unavailable_domains WHERE domain = $1";
    let hits: Vec<String> = fetch_scalars(ex, sql, &args![domain]).await?;
    Ok(!hits.is_empty())
}

/// Every domain with failures recorded: (domain, distinct failure days, unavailable since).
pub type DomainState = (String, i64, Option<i64>);

pub async fn all(ex: &mut Exec<'_>) -> Result<Vec<DomainState>, sqlx::Error> {
    let sql = "SELECT d.domain, COUNT(f.day), MAX(u.created_at) FROM \
               (SELECT domain FROM delivery_failure_days UNION SELECT domain FROM unavailable_domains) d \
               LEFT JOIN delivery_failure_days f ON f.domain = d.domain \
               LEFT JOIN unavailable_domains u ON u.domain = d.domain \
               GROUP BY d.domain ORDER BY d.domain";
    fetch_all(ex, sql, &[]).await
}
