//! `users`, their known IPs and invite requests.

use sqlx::FromRow;

use crate::db::query::rows::fetch_in;
use crate::db::query::{Args, args, execute, fetch_optional};
use crate::db::row::db_row;
use crate::db::{Backend, Exec};

db_row! {
pub struct UserRow {
    pub id: i64,
    pub account_id: i64,
    pub email: String,
    pub unconfirmed_email: Option<String>,
    pub encrypted_password: String,
    pub role_id: Option<i64>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub confirmed_at: Option<i64>,
    pub confirmation_token_digest: Option<String>,
    pub confirmation_sent_at: Option<i64>,
    pub reset_password_token_digest: Option<String>,
    pub reset_password_sent_at: Option<i64>,
    pub approved: bool,
    pub disabled: bool,
    pub sign_up_ip: Option<String>,
    pub created_by_application_id: Option<i64>,
    pub invite_id: Option<i64>,
    pub setting_default_privacy: Option<String>,
    pub setting_default_sensitive: bool,
    pub setting_default_language: Option<String>,
    pub setting_default_quote_policy: String,
    pub setting_noindex: bool,
    pub age_verified_at: Option<i64>,
    pub current_sign_in_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}
}

impl UserRow {
    pub fn confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = "SELECT * FROM users WHERE id = $1";
    fetch_optional(ex, sql, &args![id]).await
}

pub async fn find_by_account(
    ex: &mut Exec<'_>,
    account_id: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT * FROM users WHERE account_id = $1",
        &args![account_id],
    )
    .await
}

pub async fn find_by_email(ex: &mut Exec<'_>, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT * FROM users WHERE email = $1",
        &args![email.trim().to_lowercase()],
    )
    .await
}

pub async fn email_taken(ex: &mut Exec<'_>, email: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        fetch_optional(ex, "SELECT id FROM users WHERE email = $1", &args![email]).await?;
    Ok(row.is_some())
}

pub struct NewUser<'a> {
    pub id: i64,
    pub account_id: i64,
    pub email: &'a str,
    pub encrypted_password: &'a str,
    pub role_id: Option<i64>,
    pub locale: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    pub confirmed_at: Option<i64>,
    pub confirmation_token_digest: Option<&'a str>,
    pub approved: bool,
    pub sign_up_ip: Option<&'a str>,
    pub created_by_application_id: Option<i64>,
    pub invite_id: Option<i64>,
    pub age_verified_at: Option<i64>,
    pub now: i64,
}

pub async fn insert(ex: &mut Exec<'_>, u: &NewUser<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO users (id, account_id, email, encrypted_password, role_id, locale, time_zone, \
        confirmed_at, confirmation_token_digest, confirmation_sent_at, approved, sign_up_ip, \
        created_by_application_id, invite_id, age_verified_at, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)";
    let sent_at = u.confirmation_token_digest.map(|_| u.now);
    execute(
        ex,
        sql,
        &args![
            u.id,
            u.account_id,
            u.email,
            u.encrypted_password,
            u.role_id,
            u.locale,
            u.time_zone,
            u.confirmed_at,
            u.confirmation_token_digest,
            sent_at,
            u.approved,
            u.sign_up_ip,
            u.created_by_application_id,
            u.invite_id,
            u.age_verified_at,
            u.now
        ],
    )
    .await?;
    Ok(())
}

pub async fn set_password(
    ex: &mut Exec<'_>,
    id: i64,
    hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE users SET encrypted_password = $1, updated_at = $2 WHERE id = $3",
        &args![hash, now, id],
    )
    .await?;
    Ok(())
}

pub async fn confirm(ex: &mut Exec<'_>, id: i64, now: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET confirmed_at = COALESCE(confirmed_at, $1), confirmation_token_digest = NULL, updated_at = $1 WHERE id = $2";
    execute(ex, sql, &args![now, id]).await?;
    Ok(())
}

pub async fn set_confirmation_token(
    ex: &mut Exec<'_>,
    id: i64,
    digest: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET confirmation_token_digest = $1, confirmation_sent_at = $2, updated_at = $2 WHERE id = $3";
    execute(ex, sql, &args![digest, now, id]).await?;
    Ok(())
}

pub async fn find_by_confirmation_digest(
    ex: &mut Exec<'_>,
    digest: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    fetch_optional(
        ex,
        "SELECT * FROM users WHERE confirmation_token_digest = $1",
        &args![digest],
    )
    .await
}

pub async fn set_approved(
    ex: &mut Exec<'_>,
    id: i64,
    approved: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE users SET approved = $1, updated_at = $2 WHERE id = $3",
        &args![approved, now, id],
    )
    .await?;
    Ok(())
}

pub async fn set_disabled(
    ex: &mut Exec<'_>,
    id: i64,
    disabled: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3",
        &args![disabled, now, id],
    )
    .await?;
    Ok(())
}

pub async fn set_role(
    ex: &mut Exec<'_>,
    id: i64,
    role_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "UPDATE users SET role_id = $1, updated_at = $2 WHERE id = $3",
        &args![role_id, now, id],
    )
    .await?;
    Ok(())
}

pub async fn record_sign_in(ex: &mut Exec<'_>, id: i64, now: i64) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET last_sign_in_at = current_sign_in_at, current_sign_in_at = $1 WHERE id = $2";
    execute(ex, sql, &args![now, id]).await?;
    Ok(())
}

/// Remembers that `user_id` used `ip` at `now` (one row per user and address).
pub async fn touch_ip(
    ex: &mut Exec<'_>,
    user_id: i64,
    ip: std::net::IpAddr,
    now: i64,
) -> Result<(), sqlx::Error> {
    let text = crate::domain::ip::display(ip);
    let key = crate::domain::ip::key(ip);
    // The account id rides along for the admin ip filter (migration 0017).
    let sql = match ex.backend() {
        Backend::Sqlite | Backend::Postgres => {
            "INSERT INTO user_ips (user_id, account_id, ip, ip_key, used_at) \
             SELECT u.id, u.account_id, $2, $3, $4 FROM users u WHERE u.id = $1 \
             ON CONFLICT (user_id, ip) DO UPDATE SET used_at = excluded.used_at"
        }
    };
    execute(ex, sql, &args![user_id, &text, &key, now]).await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct IpRow {
    pub user_id: i64,
    pub ip: String,
    pub used_at: i64,
}

pub async fn ips(ex: &mut Exec<'_>, user_ids: &[i64]) -> Result<Vec<IpRow>, sqlx::Error> {
    let sql =
        "SELECT user_id, ip, used_at FROM user_ips WHERE user_id IN ({list}) ORDER BY used_at DESC";
    fetch_in(ex, sql, Args::new(), user_ids).await
}

pub async fn insert_invite_request(
    ex: &mut Exec<'_>,
    id: i64,
    user_id: i64,
    text: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    execute(
        ex,
        "INSERT INTO user_invite_requests (id, user_id, text, created_at) VALUES ($1, $2, $3, $4)",
        &args![id, user_id, text, now],
    )
    .await?;
    Ok(())
}
