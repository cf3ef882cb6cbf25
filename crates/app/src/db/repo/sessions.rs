//! Browser sessions of the sign-in and consent pages (stored as digests).

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_optional};

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub expires_at: i64,
}

pub async fn insert(
    ex: &mut Exec<'_>,
    id: i64,
    digest: &str,
    user_id: i64,
    ip: Option<&str>,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO web_sessions (id, session_digest, user_id, ip, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    execute(ex, sql, &args![id, digest, user_id, ip, now, expires_at]).await?;
    Ok(())
}

pub async fn find(
    ex: &mut Exec<'_>,
    digest: &str,
    now: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    let sql = "SELECT id, user_id, expires_at FROM web_sessions WHERE session_digest = $1 AND expires_at > $2";
    fetch_optional(ex, sql, &args![digest, now]).await
}

pub async fn delete(ex: &mut Exec<'_>, digest: &str) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "DELETE FROM web_sessions WHERE session_digest = $1",
        &args![digest],
    )
    .await?;
    Ok(())
}
