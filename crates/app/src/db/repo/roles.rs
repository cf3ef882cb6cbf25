//! `user_roles`.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::on;

#[derive(Debug, Clone, FromRow)]
pub struct RoleRow {
    pub id: i64,
    pub name: String,
    pub color: String,
    pub position: i64,
    pub permissions: i64,
    pub highlighted: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<RoleRow>, sqlx::Error> {
    on!(ex, c => sqlx::query_as("SELECT * FROM user_roles WHERE id = $1").bind(id).fetch_optional(c).await)
}

pub async fn find_by_name(ex: &mut Exec<'_>, name: &str) -> Result<Option<RoleRow>, sqlx::Error> {
    on!(ex, c => sqlx::query_as("SELECT * FROM user_roles WHERE LOWER(name) = LOWER($1) AND id <> -99")
        .bind(name)
        .fetch_optional(c)
        .await)
}

pub async fn all(ex: &mut Exec<'_>) -> Result<Vec<RoleRow>, sqlx::Error> {
    on!(ex, c => sqlx::query_as("SELECT * FROM user_roles ORDER BY position, id").fetch_all(c).await)
}

/// The everyone role's own bits (the role is seeded; a missing row means none).
pub async fn everyone_permissions(ex: &mut Exec<'_>) -> Result<i64, sqlx::Error> {
    let row: Option<(i64,)> = on!(ex, c => sqlx::query_as("SELECT permissions FROM user_roles WHERE id = -99")
        .fetch_optional(c)
        .await)?;
    Ok(row.map_or(0, |r| r.0))
}

pub async fn insert(ex: &mut Exec<'_>, role: &RoleRow) -> Result<(), sqlx::Error> {
    on!(ex, c => sqlx::query(
        "INSERT INTO user_roles (id, name, color, position, permissions, highlighted, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(role.id)
    .bind(&role.name)
    .bind(&role.color)
    .bind(role.position)
    .bind(role.permissions)
    .bind(role.highlighted)
    .bind(role.created_at)
    .bind(role.updated_at)
    .execute(c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}
