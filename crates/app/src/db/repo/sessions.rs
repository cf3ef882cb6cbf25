//! Browser sessions of the sign-in and consent pages (stored as digests).

use sqlx::FromRow;

use crate::db::Exec;
use crate::on;

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
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
    on!(ex, c => sqlx::query(
        "INSERT INTO web_sessions (id, session_digest, user_id, ip, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(digest)
    .bind(user_id)
    .bind(ip)
    .bind(now)
    .bind(expires_at)
    .execute(c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(
    ex: &mut Exec<'_>,
    digest: &str,
    now: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    on!(ex, c => sqlx::query_as(
        "SELECT id, user_id, created_at, expires_at FROM web_sessions WHERE session_digest = $1 AND expires_at > $2",
    )
    .bind(digest)
    .bind(now)
    .fetch_optional(c)
    .await)
}

pub async fn delete(ex: &mut Exec<'_>, digest: &str) -> Result<(), sqlx::Error> {
    on!(ex, c => sqlx::query("DELETE FROM web_sessions WHERE session_digest = $1").bind(digest).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
