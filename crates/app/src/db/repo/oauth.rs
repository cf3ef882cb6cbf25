//! OAuth applications, authorization codes (grants) and access tokens. Secrets are stored
//! as SHA-256 digests only.

use std::sync::LazyLock;

use sqlx::FromRow;

use crate::db::Exec;
use crate::db::query::{args, execute, fetch_all, fetch_optional};
use crate::db::row::db_row;

#[derive(Debug, Clone, FromRow)]
pub struct AppRow {
    pub id: i64,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uri: String,
    pub scopes: String,
    pub client_id: String,
    pub client_secret_digest: String,
    pub superapp: bool,
    pub created_at: i64,
}

impl AppRow {
    pub fn redirect_uris(&self) -> Vec<String> {
        self.redirect_uri
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    }
}

const APP_COLUMNS: &str = "id, name, website, redirect_uri, scopes, client_id, client_secret_digest, superapp, created_at";

pub async fn insert_app(ex: &mut Exec<'_>, app: &AppRow) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO oauth_applications (id, name, website, redirect_uri, scopes, client_id, client_secret_digest, superapp, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
    execute(
        ex,
        sql,
        &args![
            app.id,
            &app.name,
            &app.website,
            &app.redirect_uri,
            &app.scopes,
            &app.client_id,
            &app.client_secret_digest,
            app.superapp,
            app.created_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn find_app(ex: &mut Exec<'_>, id: i64) -> Result<Option<AppRow>, sqlx::Error> {
    let sql = format!("SELECT {APP_COLUMNS} FROM oauth_applications WHERE id = $1");
    fetch_optional(ex, &sql, &args![id]).await
}

pub async fn find_app_by_client_id(
    ex: &mut Exec<'_>,
    client_id: &str,
) -> Result<Option<AppRow>, sqlx::Error> {
    let sql = format!("SELECT {APP_COLUMNS} FROM oauth_applications WHERE client_id = $1");
    fetch_optional(ex, &sql, &args![client_id]).await
}

db_row! {
pub struct TokenRow {
    pub id: i64,
    pub application_id: Option<i64>,
    pub resource_owner_id: Option<i64>,
    pub scopes: String,
    pub grant_id: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
}
}

pub struct NewToken<'a> {
    pub id: i64,
    pub digest: &'a str,
    pub application_id: Option<i64>,
    pub resource_owner_id: Option<i64>,
    pub scopes: &'a str,
    pub grant_id: Option<i64>,
    pub now: i64,
}

pub async fn insert_token(ex: &mut Exec<'_>, t: &NewToken<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO oauth_access_tokens (id, token_digest, application_id, resource_owner_id, scopes, grant_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)";
    execute(
        ex,
        sql,
        &args![
            t.id,
            t.digest,
            t.application_id,
            t.resource_owner_id,
            t.scopes,
            t.grant_id,
            t.now
        ],
    )
    .await?;
    Ok(())
}

pub async fn find_token(ex: &mut Exec<'_>, digest: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {} FROM oauth_access_tokens t WHERE t.token_digest = $1",
            TokenRow::select_list("t")
        )
    });
    fetch_optional(ex, &SQL, &args![digest]).await
}

pub async fn revoke_token(ex: &mut Exec<'_>, id: i64, now: i64) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE oauth_access_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        &args![now, id],
    )
    .await?;
    Ok(())
}

pub async fn revoke_tokens_of_grant(
    ex: &mut Exec<'_>,
    grant_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE oauth_access_tokens SET revoked_at = $1 WHERE grant_id = $2 AND revoked_at IS NULL",
        &args![now, grant_id],
    )
    .await?;
    Ok(())
}

pub async fn revoke_tokens_of_user(
    ex: &mut Exec<'_>,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE oauth_access_tokens SET revoked_at = $1 WHERE resource_owner_id = $2 AND revoked_at IS NULL";
    execute(ex, sql, &args![now, user_id]).await?;
    Ok(())
}

pub async fn touch_token(
    ex: &mut Exec<'_>,
    id: i64,
    ip: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE oauth_access_tokens SET last_used_at = $1, last_used_ip = $2 WHERE id = $3",
        &args![now, ip, id],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub application_id: i64,
    pub resource_owner_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

pub struct NewGrant<'a> {
    pub id: i64,
    pub digest: &'a str,
    pub application_id: i64,
    pub resource_owner_id: i64,
    pub redirect_uri: &'a str,
    pub scopes: &'a str,
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
    pub expires_at: i64,
    pub now: i64,
}

pub async fn insert_grant(ex: &mut Exec<'_>, g: &NewGrant<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO oauth_access_grants (id, token_digest, application_id, resource_owner_id, redirect_uri, scopes, \
         code_challenge, code_challenge_method, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    execute(
        ex,
        sql,
        &args![
            g.id,
            g.digest,
            g.application_id,
            g.resource_owner_id,
            g.redirect_uri,
            g.scopes,
            g.code_challenge,
            g.code_challenge_method,
            g.expires_at,
            g.now
        ],
    )
    .await?;
    Ok(())
}

pub async fn find_grant(ex: &mut Exec<'_>, digest: &str) -> Result<Option<GrantRow>, sqlx::Error> {
    let sql = "SELECT id, application_id, resource_owner_id, redirect_uri, scopes, code_challenge, code_challenge_method, \
         expires_at, revoked_at FROM oauth_access_grants WHERE token_digest = $1";
    fetch_optional(ex, sql, &args![digest]).await
}

/// Marks a grant used; false if it already was (a replayed code).
pub async fn revoke_grant(ex: &mut Exec<'_>, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = execute(
        ex,
        "UPDATE oauth_access_grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        &args![now, id],
    )
    .await?;
    Ok(done == 1)
}

/// A live app token (client_credentials: no user, no grant) and its digest.
#[derive(Debug, Clone, FromRow)]
pub struct AppTokenRow {
    pub id: i64,
    pub token_digest: String,
    pub scopes: String,
    pub created_at: i64,
}

/// The app's newest live tokens without a user or grant (at most `limit`), newest first.
pub async fn live_app_tokens(
    ex: &mut Exec<'_>,
    application_id: i64,
    limit: i64,
) -> Result<Vec<AppTokenRow>, sqlx::Error> {
    fetch_all(
        ex,
        "SELECT id, token_digest, scopes, created_at FROM oauth_access_tokens \
         WHERE application_id = $1 AND resource_owner_id IS NULL AND grant_id IS NULL \
         AND revoked_at IS NULL ORDER BY id DESC LIMIT $2",
        &args![application_id, limit],
    )
    .await
}

/// The scopes of a user's live tokens for an app (at most 100), to skip a repeated consent.
pub async fn active_token_scopes(
    ex: &mut Exec<'_>,
    application_id: i64,
    user_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT scopes FROM oauth_access_tokens WHERE resource_owner_id = $1 AND application_id = $2 \
         AND revoked_at IS NULL ORDER BY id DESC LIMIT 100";
    let rows: Vec<(String,)> = fetch_all(ex, sql, &args![user_id, application_id]).await?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}
