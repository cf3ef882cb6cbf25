//! `user_roles`.

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_optional};

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
    let sql = "SELECT * FROM user_roles WHERE id = $1";
    fetch_optional(ex, sql, &args![id]).await
}

pub async fn find_by_name(ex: &mut Exec<'_>, name: &str) -> Result<Option<RoleRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT * FROM user_roles WHERE LOWER(name) = LOWER($1) AND id <> -99",
        &args![name],
    )
    .await
}

pub async fn all(ex: &mut Exec<'_>) -> Result<Vec<RoleRow>, sqlx::Error> {
    fetch_all(
        ex,
        "SELECT * FROM user_roles ORDER BY position, id",
        &args![],
    )
    .await
}

/// The everyone role's own bits (the role is seeded; a missing row means none).
pub async fn everyone_permissions(ex: &mut Exec<'_>) -> Result<i64, sqlx::Error> {
    let row: Option<(i64,)> = fetch_optional(
        ex,
        "SELECT permissions FROM user_roles WHERE id = -99",
        &args![],
    )
    .await?;
    Ok(row.map_or(0, |r| r.0))
}

pub async fn insert(ex: &mut Exec<'_>, role: &RoleRow) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO user_roles (id, name, color, position, permissions, highlighted, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    execute(
        ex,
        sql,
        &args![
            role.id,
            &role.name,
            &role.color,
            role.position,
            role.permissions,
            role.highlighted,
            role.created_at,
            role.updated_at
        ],
    )
    .await?;
    Ok(())
}
