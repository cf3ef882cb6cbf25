//! Account migration: a local account's aliases (`account_aliases`, its actor's
//! `alsoKnownAs`), its moves (`account_migrations`, for the cooldown), its redirect
//! (`accounts.moved_to_account_id`), and the relationships a move carries over.

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_scalars};
use crate::db::repo::follows::FollowRow;

/// The URIs `account_id` is also known as, oldest first.
pub async fn aliases(ex: &mut Exec<'_>, account_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT uri FROM account_aliases WHERE account_id = $1 ORDER BY id";
    fetch_scalars(ex, sql, &args![account_id]).await
}

/// Replaces the aliases of `account_id` with `uris` (ids from `ids`, in order).
pub async fn replace_aliases(
    ex: &mut Exec<'_>,
    account_id: i64,
    uris: &[(i64, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "DELETE FROM account_aliases WHERE account_id = $1",
        &args![account_id],
    )
    .await?;
    for (id, uri) in uris {
        let sql = "INSERT INTO account_aliases (id, account_id, uri, created_at) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, uri) DO NOTHING";
        execute(ex, sql, &args![*id, account_id, uri.as_str(), now]).await?;
    }
    Ok(())
}

/// When `account_id` last moved, if ever.
pub async fn last_move_at(ex: &mut Exec<'_>, account_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let sql = "SELECT MAX(created_at) FROM account_migrations WHERE account_id = $1";
    let v: Vec<Option<i64>> = fetch_scalars(ex, sql, &args![account_id]).await?;
    Ok(v.into_iter().next().flatten())
}

/// A move of a local account, as recorded.
pub struct NewMigration<'a> {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub target_uri: &'a str,
    pub followers_count: i64,
    pub now: i64,
}

pub async fn insert_migration(ex: &mut Exec<'_>, m: &NewMigration<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO account_migrations (id, account_id, target_account_id, target_uri, \
               followers_count, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    let a = args![
        m.id,
        m.account_id,
        m.target_account_id,
        m.target_uri,
        m.followers_count,
        m.now
    ];
    execute(ex, sql, &a).await?;
    Ok(())
}

/// Points `account_id` at the account it moved to (None: it has not moved).
pub async fn set_moved_to(
    ex: &mut Exec<'_>,
    account_id: i64,
    target_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE accounts SET moved_to_account_id = $1, updated_at = $2 WHERE id = $3";
    execute(ex, sql, &args![target_id, now, account_id]).await?;
    Ok(())
}

/// The follows of `account_id` by local accounts (what a move redirects).
pub async fn local_follows_of(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Vec<FollowRow>, sqlx::Error> {
    let sql = "SELECT f.id, f.account_id, f.target_account_id, f.show_reblogs, f.notify, \
               f.languages, f.created_at FROM follows f JOIN accounts a ON a.id = f.account_id \
               WHERE f.target_account_id = $1 AND a.domain IS NULL ORDER BY f.id";
    fetch_all(ex, sql, &args![account_id]).await
}

/// The local accounts that block `account_id`.
pub async fn local_blockers_of(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT b.account_id FROM blocks b JOIN accounts a ON a.id = b.account_id \
               WHERE b.target_account_id = $1 AND a.domain IS NULL ORDER BY b.account_id";
    fetch_scalars(ex, sql, &args![account_id]).await
}

/// The local accounts that mute `account_id`, with whether they hide its notifications.
pub async fn local_muters_of(
    ex: &mut Exec<'_>,
    account_id: i64,
    now: i64,
) -> Result<Vec<(i64, bool)>, sqlx::Error> {
    let sql = "SELECT m.account_id, m.hide_notifications FROM mutes m \
               JOIN accounts a ON a.id = m.account_id WHERE m.target_account_id = $1 \
               AND a.domain IS NULL AND (m.expires_at IS NULL OR m.expires_at > $2) \
               ORDER BY m.account_id";
    fetch_all(ex, sql, &args![account_id, now]).await
}
