//! Who a request's access token stands for, in one statement: the token, its user and the
//! user's account record (with role). Every authenticated request starts here, so it is one
//! round trip to the database instead of three.

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};

use crate::db::repo::accounts::{AccountRecord, SELECT_RECORD_COLUMNS, record_columns_in_order};
use crate::db::repo::oauth::TokenRow;
use crate::db::repo::users::UserRow;
use crate::db::sqlite_reads::{Columns, query_optional};
use crate::db::{Db, Exec};
use crate::on;

/// A stored token with its user and account, when it has them.
#[derive(Debug, Clone)]
pub struct ViewerRow {
    pub token: TokenRow,
    pub user: Option<UserRow>,
    pub account: Option<AccountRecord>,
}

/// The token's columns as `t_*`, the token user's as `uu_*`; the account record's are the
/// unprefixed ones every account lookup reads.
const TOKEN_COLUMNS: &[&str] = &[
    "id",
    "application_id",
    "resource_owner_id",
    "scopes",
    "grant_id",
    "revoked_at",
    "last_used_at",
    "created_at",
];

const USER_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "email",
    "unconfirmed_email",
    "encrypted_password",
    "role_id",
    "locale",
    "time_zone",
    "confirmed_at",
    "confirmation_token_digest",
    "confirmation_sent_at",
    "reset_password_token_digest",
    "reset_password_sent_at",
    "approved",
    "disabled",
    "sign_up_ip",
    "created_by_application_id",
    "invite_id",
    "setting_default_privacy",
    "setting_default_sensitive",
    "setting_default_language",
    "setting_default_quote_policy",
    "setting_noindex",
    "age_verified_at",
    "current_sign_in_at",
    "last_sign_in_at",
    "created_at",
    "updated_at",
];

fn prefixed(alias: &str, prefix: &str, columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| format!("{alias}.{c} AS {prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

const VIEWER_FROM: &str = "FROM oauth_access_tokens t \
     LEFT JOIN users uu ON uu.id = t.resource_owner_id \
     LEFT JOIN accounts a ON a.id = uu.account_id \
     LEFT JOIN users u ON u.account_id = a.id \
     LEFT JOIN user_roles r ON r.id = u.role_id \
     LEFT JOIN account_deletion_requests d ON d.account_id = a.id \
     WHERE t.token_digest = $1";

fn viewer_sql() -> String {
    format!(
        "SELECT {SELECT_RECORD_COLUMNS}, {}, {} {VIEWER_FROM}",
        prefixed("t", "t_", TOKEN_COLUMNS),
        prefixed("uu", "uu_", USER_COLUMNS),
    )
}

/// Decodes the prefixed token and user columns and the record, for either driver's rows.
macro_rules! viewer_from_row {
    ($row:ty) => {
        impl<'r> FromRow<'r, $row> for ViewerRow {
            fn from_row(row: &'r $row) -> Result<Self, sqlx::Error> {
                let token = TokenRow {
                    id: row.try_get("t_id")?,
                    application_id: row.try_get("t_application_id")?,
                    resource_owner_id: row.try_get("t_resource_owner_id")?,
                    scopes: row.try_get("t_scopes")?,
                    grant_id: row.try_get("t_grant_id")?,
                    revoked_at: row.try_get("t_revoked_at")?,
                    last_used_at: row.try_get("t_last_used_at")?,
                    created_at: row.try_get("t_created_at")?,
                };
                let user = match row.try_get::<Option<i64>, _>("uu_id")? {
                    None => None,
                    Some(id) => Some(UserRow {
                        id,
                        account_id: row.try_get("uu_account_id")?,
                        email: row.try_get("uu_email")?,
                        unconfirmed_email: row.try_get("uu_unconfirmed_email")?,
                        encrypted_password: row.try_get("uu_encrypted_password")?,
                        role_id: row.try_get("uu_role_id")?,
                        locale: row.try_get("uu_locale")?,
                        time_zone: row.try_get("uu_time_zone")?,
                        confirmed_at: row.try_get("uu_confirmed_at")?,
                        confirmation_token_digest: row.try_get("uu_confirmation_token_digest")?,
                        confirmation_sent_at: row.try_get("uu_confirmation_sent_at")?,
                        reset_password_token_digest: row
                            .try_get("uu_reset_password_token_digest")?,
                        reset_password_sent_at: row.try_get("uu_reset_password_sent_at")?,
                        approved: row.try_get("uu_approved")?,
                        disabled: row.try_get("uu_disabled")?,
                        sign_up_ip: row.try_get("uu_sign_up_ip")?,
                        created_by_application_id: row.try_get("uu_created_by_application_id")?,
                        invite_id: row.try_get("uu_invite_id")?,
                        setting_default_privacy: row.try_get("uu_setting_default_privacy")?,
                        setting_default_sensitive: row.try_get("uu_setting_default_sensitive")?,
                        setting_default_language: row.try_get("uu_setting_default_language")?,
                        setting_default_quote_policy: row
                            .try_get("uu_setting_default_quote_policy")?,
                        setting_noindex: row.try_get("uu_setting_noindex")?,
                        age_verified_at: row.try_get("uu_age_verified_at")?,
                        current_sign_in_at: row.try_get("uu_current_sign_in_at")?,
                        last_sign_in_at: row.try_get("uu_last_sign_in_at")?,
                        created_at: row.try_get("uu_created_at")?,
                        updated_at: row.try_get("uu_updated_at")?,
                    }),
                };
                let account = match row.try_get::<Option<i64>, _>("id")? {
                    None => None,
                    Some(_) => Some(AccountRecord::from_row(row)?),
                };
                Ok(Self {
                    token,
                    user,
                    account,
                })
            }
        }
    };
}

viewer_from_row!(SqliteRow);
viewer_from_row!(PgRow);

/// The token with this digest, its user and account.
pub async fn find(ex: &mut Exec<'_>, digest: &str) -> Result<Option<ViewerRow>, sqlx::Error> {
    let sql = viewer_sql();
    on!(ex, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(digest).fetch_optional(c).await)
}

/// The viewer statement for [`ViewerRow::from_columns`]: token, user, then the record, each
/// in field order.
fn viewer_sql_in_order() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let plain = |alias: &str, columns: &[&str]| {
            columns
                .iter()
                .map(|c| format!("{alias}.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "SELECT {}, {}, {} {VIEWER_FROM}",
            plain("t", TOKEN_COLUMNS),
            plain("uu", USER_COLUMNS),
            record_columns_in_order()
        )
    })
}

impl ViewerRow {
    fn from_columns(c: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        let token = TokenRow {
            id: c.take()?,
            application_id: c.take()?,
            resource_owner_id: c.take()?,
            scopes: c.take()?,
            grant_id: c.take()?,
            revoked_at: c.take()?,
            last_used_at: c.take()?,
            created_at: c.take()?,
        };
        if c.next_is_null()? {
            return Ok(Self {
                token,
                user: None,
                account: None,
            });
        }
        let user = UserRow {
            id: c.take()?,
            account_id: c.take()?,
            email: c.take()?,
            unconfirmed_email: c.take()?,
            encrypted_password: c.take()?,
            role_id: c.take()?,
            locale: c.take()?,
            time_zone: c.take()?,
            confirmed_at: c.take()?,
            confirmation_token_digest: c.take()?,
            confirmation_sent_at: c.take()?,
            reset_password_token_digest: c.take()?,
            reset_password_sent_at: c.take()?,
            approved: c.take()?,
            disabled: c.take()?,
            sign_up_ip: c.take()?,
            created_by_application_id: c.take()?,
            invite_id: c.take()?,
            setting_default_privacy: c.take()?,
            setting_default_sensitive: c.take()?,
            setting_default_language: c.take()?,
            setting_default_quote_policy: c.take()?,
            setting_noindex: c.take()?,
            age_verified_at: c.take()?,
            current_sign_in_at: c.take()?,
            last_sign_in_at: c.take()?,
            created_at: c.take()?,
            updated_at: c.take()?,
        };
        let account = if c.next_is_null()? {
            None
        } else {
            Some(AccountRecord::from_columns(c)?)
        };
        Ok(Self {
            token,
            user: Some(user),
            account,
        })
    }
}

/// [`find`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn find_in(db: &Db, digest: &str) -> Result<Option<ViewerRow>, sqlx::Error> {
    match db {
        Db::Sqlite(_, _, reads) => reads.with(|c| {
            query_optional(
                c,
                viewer_sql_in_order(),
                &[&digest],
                ViewerRow::from_columns,
            )
        }),
        Db::Pg(..) => find(&mut db.conn().await?.exec(), digest).await,
    }
}
