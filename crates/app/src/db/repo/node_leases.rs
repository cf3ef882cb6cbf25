//! Node-id leases (`services::node_lease`): one row per node id held by a live process.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_optional};

#[derive(Debug, Clone, FromRow)]
pub struct LeaseRow {
    pub node_id: i64,
    pub holder: String,
    pub expires_at: i64,
}

/// Takes `node_id` for `holder` unless another holder's lease is still live; true when taken.
/// One statement, so two processes racing for a free id cannot both win.
pub async fn try_take(
    ex: &mut Exec<'_>,
    node_id: i64,
    holder: &str,
    now: i64,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO node_leases (node_id, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (node_id) DO UPDATE SET holder = excluded.holder, \
         acquired_at = excluded.acquired_at, expires_at = excluded.expires_at \
         WHERE node_leases.expires_at <= $3 OR node_leases.holder = excluded.holder";
    let taken = execute(ex, sql, &args![node_id, holder, now, expires_at]).await?;
    Ok(taken == 1)
}

/// Moves the lease from `previous` (a holder known dead) to `holder`; false when it changed
/// hands meanwhile.
pub async fn take_over(
    ex: &mut Exec<'_>,
    node_id: i64,
    previous: &str,
    holder: &str,
    now: i64,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let moved = execute(
        ex,
        "UPDATE node_leases SET holder = $3, acquired_at = $4, expires_at = $5 \
         WHERE node_id = $1 AND holder = $2",
        &args![node_id, previous, holder, now, expires_at],
    )
    .await?;
    Ok(moved == 1)
}

/// Extends `holder`'s lease; false when it no longer holds it (it expired and was taken).
pub async fn renew(
    ex: &mut Exec<'_>,
    node_id: i64,
    holder: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let renewed = execute(
        ex,
        "UPDATE node_leases SET expires_at = $3 WHERE node_id = $1 AND holder = $2",
        &args![node_id, holder, expires_at],
    )
    .await?;
    Ok(renewed == 1)
}

pub async fn release(ex: &mut Exec<'_>, node_id: i64, holder: &str) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "DELETE FROM node_leases WHERE node_id = $1 AND holder = $2",
        &args![node_id, holder],
    )
    .await?;
    Ok(())
}

pub async fn find(ex: &mut Exec<'_>, node_id: i64) -> Result<Option<LeaseRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT node_id, holder, expires_at FROM node_leases WHERE node_id = $1",
        &args![node_id],
    )
    .await
}
