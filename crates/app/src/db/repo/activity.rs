//! The weekly counts of `GET /api/v1/instance/activity`: logins recorded as they happen,
//! statuses and registrations counted from their rows.

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all};

/// Counts `user_id` as active in the week starting at `week` (milliseconds).
pub async fn record_login(ex: &mut Exec<'_>, week: i64, user_id: i64) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO weekly_logins (week, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    execute(ex, sql, &args![week, user_id]).await?;
    Ok(())
}

/// `(week index since `since`, count)` for weeks of `week_ms` from `since` (milliseconds).
pub struct WeeklyCounts {
    pub statuses: Vec<(i64, i64)>,
    pub logins: Vec<(i64, i64)>,
    pub registrations: Vec<(i64, i64)>,
}

/// Local statuses (from `first_status_id`, the first id of `since`), local sign-ups and
/// active users per week since `since`.
pub async fn weekly_counts(
    ex: &mut Exec<'_>,
    since: i64,
    week_ms: i64,
    first_status_id: i64,
) -> Result<WeeklyCounts, sqlx::Error> {
    let statuses = "SELECT (s.created_at - $1) / $2 AS w, COUNT(*) FROM statuses s \
                    JOIN accounts a ON a.id = s.account_id \
                    WHERE s.id >= $3 AND a.domain IS NULL AND s.created_at >= $1 GROUP BY w";
    let registrations = "SELECT (u.created_at - $1) / $2 AS w, COUNT(*) FROM users u \
                         WHERE u.created_at >= $1 GROUP BY w";
    let logins = "SELECT (week - $1) / $2 AS w, COUNT(*) FROM weekly_logins \
                  WHERE week >= $1 GROUP BY w";
    let statuses: Vec<(i64, i64)> =
        fetch_all(ex, statuses, &args![since, week_ms, first_status_id]).await?;
    let registrations: Vec<(i64, i64)> =
        fetch_all(ex, registrations, &args![since, week_ms]).await?;
    let logins: Vec<(i64, i64)> = fetch_all(ex, logins, &args![since, week_ms]).await?;
    Ok(WeeklyCounts {
        statuses,
        logins,
        registrations,
    })
}
