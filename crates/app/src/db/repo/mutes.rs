//! `mutes`. A mute whose `expires_at` has passed no longer applies: every query treats
//! `expires_at <= now` as not muted, and [`purge_expired`] deletes such rows lazily.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_optional, owner_page_args};
use crate::db::repo::pairs::{self, MUTES, pair_fns};
use crate::domain::page::Cursor;

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
    let extra = [
        ("hide_notifications", hide_notifications.into()),
        ("expires_at", expires_at.into()),
    ];
    let row = (id, account_id, target_account_id);
    pairs::upsert(ex, MUTES, row, now, &extra).await
}

pair_fns!(MUTES, i64; delete -> bool);

/// Deletes every mute that has expired at `now` (through the partial `expires_at` index).
pub async fn purge_expired(ex: &mut Exec<'_>, now: i64) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM mutes WHERE expires_at IS NOT NULL AND expires_at <= $1";
    execute(ex, sql, &args![now]).await
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
    fetch_optional(ex, sql, &args![account_id, target_account_id, now]).await
}

/// A page of active mutes of `account_id`, newest mute first, through `(account_id, id)`;
/// suspended and deleted targets skipped.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    cursor: &Cursor,
    now: i64,
) -> Result<Vec<MuteRow>, sqlx::Error> {
    let sql = "SELECT m.id, m.target_account_id, m.hide_notifications, m.expires_at FROM mutes m \
               JOIN accounts a ON a.id = m.target_account_id \
               WHERE m.account_id = $1 AND m.id < $2 AND m.id > $3 \
               AND (m.expires_at IS NULL OR m.expires_at > $5) \
               AND a.suspended_at IS NULL AND a.deleted_at IS NULL ORDER BY m.id DESC LIMIT $4";
    let args = owner_page_args(account_id, cursor).with(now);
    fetch_all(ex, sql, &args).await
}
