//! `markers`: a user's reading position per timeline.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::rows::fetch_in;
use crate::db::query::{args, execute};

#[derive(Debug, Clone, FromRow)]
pub struct MarkerRow {
    pub timeline: String,
    pub last_read_id: i64,
    pub lock_version: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "timeline, last_read_id, lock_version, updated_at";

/// The user's markers of the given timelines.
pub async fn of_user(
    ex: &mut Exec<'_>,
    user_id: i64,
    timelines: &[&str],
) -> Result<Vec<MarkerRow>, sqlx::Error> {
    let sql =
        format!("SELECT {COLUMNS} FROM markers WHERE user_id = $1 AND timeline IN ({{list}})");
    fetch_in(ex, &sql, args![user_id], timelines).await
}

/// Creates the marker, or moves it: a change of `last_read_id` bumps `lock_version` and
/// `updated_at`; the same position again changes nothing (as a Rails save without changes).
pub async fn upsert(
    ex: &mut Exec<'_>,
    id: i64,
    user_id: i64,
    timeline: &str,
    last_read_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO markers (id, user_id, timeline, last_read_id, lock_version, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, 0, $5, $5) \
               ON CONFLICT (user_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, \
               lock_version = markers.lock_version + 1, updated_at = excluded.updated_at \
               WHERE markers.last_read_id <> excluded.last_read_id";
    execute(ex, sql, &args![id, user_id, timeline, last_read_id, now]).await?;
    Ok(())
}
