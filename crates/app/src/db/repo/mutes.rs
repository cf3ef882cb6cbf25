//! `mutes`. A mute whose `expires_at` has passed no longer applies: every query treats
//! `expires_at <= now` as not muted, and [`purge_expired`] deletes such rows lazily.

use sqlx::FromRow;

use crate::db::Exec;
use crate::on;

#[derive(Debug, Clone, FromRow)]
pub struct MuteRow {
    pub id: i64,
    pub target_account_id: i64,
    pub hide_notifications: bool,
    pub expires_at: Option<i64>,
}

/// Creates the mute or updates its notifications flag and expiry.
pub async fn upsert(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    target_account_id: i64,
    hide_notifications: bool,
    expires_at: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO mutes (id, account_id, target_account_id, hide_notifications, expires_at, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, target_account_id) \
               DO UPDATE SET hide_notifications = excluded.hide_notifications, expires_at = excluded.expires_at";
    on!(ex, c => sqlx::query(sql)
        .bind(id)
        .bind(account_id)
        .bind(target_account_id)
        .bind(hide_notifications)
        .bind(expires_at)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(
    ex: &mut Exec<'_>,
    account_id: i64,
    target_account_id: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM mutes WHERE account_id = $1 AND target_account_id = $2";
    let n = on!(ex, c => sqlx::query(sql)
        .bind(account_id)
        .bind(target_account_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Deletes every mute that has expired at `now` (through the partial `expires_at` index).
pub async fn purge_expired(ex: &mut Exec<'_>, now: i64) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM mutes WHERE expires_at IS NOT NULL AND expires_at <= $1";
    on!(ex, c => sqlx::query(sql).bind(now).execute(c).await.map(|r| r.rows_affected()))
}

/// The active mute of `account_id` on `target_account_id`, if any.
pub async fn find_active(
    ex: &mut Exec<'_>,
    account_id: i64,
    target_account_id: i64,
    now: i64,
) -> Result<Option<MuteRow>, sqlx::Error> {
    let sql = "SELECT id, target_account_id, hide_notifications, expires_at FROM mutes \
               WHERE account_id = $1 AND target_account_id = $2 AND (expires_at IS NULL OR expires_at > $3)";
    on!(ex, c => sqlx::query_as(sql)
        .bind(account_id)
        .bind(target_account_id)
        .bind(now)
        .fetch_optional(c)
        .await)
}

/// A page of active mutes of `account_id`, newest mute first, through `(account_id, id)`;
/// suspended and deleted targets skipped.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    max_id: Option<i64>,
    since_id: Option<i64>,
    limit: i64,
    now: i64,
) -> Result<Vec<MuteRow>, sqlx::Error> {
    let sql = "SELECT m.id, m.target_account_id, m.hide_notifications, m.expires_at FROM mutes m \
               JOIN accounts a ON a.id = m.target_account_id \
               WHERE m.account_id = $1 AND m.id < $2 AND m.id > $3 \
               AND (m.expires_at IS NULL OR m.expires_at > $5) \
               AND a.suspended_at IS NULL AND a.deleted_at IS NULL ORDER BY m.id DESC LIMIT $4";
    on!(ex, c => sqlx::query_as(sql)
        .bind(account_id)
        .bind(max_id.unwrap_or(i64::MAX))
        .bind(since_id.unwrap_or(i64::MIN))
        .bind(limit)
        .bind(now)
        .fetch_all(c)
        .await)
}
