//! The `accounts` table, joined with the owning user and role where the API needs them.

use sqlx::FromRow;

use crate::db::query::rows::fetch_in;
use crate::db::query::{Args, args, execute, fetch_all, fetch_optional, fetch_scalars};
use std::sync::LazyLock;

use crate::db::row::db_row;
use crate::db::sqlite_reads::{query_optional, query_rows};
use crate::db::{Db, Exec};

db_row! {
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub domain: Option<String>,
    pub display_name: String,
    pub note: String,
    pub note_html: String,
    pub fields: String,
    pub attribution_domains: String,
    pub uri: String,
    pub url: Option<String>,
    pub actor_type: String,
    pub locked: bool,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub hide_collections: Option<bool>,
    pub show_media: bool,
    pub show_media_replies: bool,
    pub show_featured: bool,
    pub memorial: bool,
    pub avatar_key: Option<String>,
    pub avatar_static_key: Option<String>,
    pub avatar_description: String,
    pub header_key: Option<String>,
    pub header_static_key: Option<String>,
    pub header_description: String,
    pub avatar_remote_url: Option<String>,
    pub header_remote_url: Option<String>,
    pub moved_to_account_id: Option<i64>,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<i64>,
    pub silenced_at: Option<i64>,
    pub suspended_at: Option<i64>,
    pub suspension_origin: Option<String>,
    pub sensitized_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}
}

db_row! {
/// An account with what rendering it needs from its user and role (NULL for remote ones).
pub struct AccountRecord {
    ..account: AccountRow,
    pub user_id: Option<i64> = "u.id",
    pub user_approved: Option<bool> = "u.approved",
    pub user_confirmed_at: Option<i64> = "u.confirmed_at",
    pub user_disabled: Option<bool> = "u.disabled",
    pub user_noindex: Option<bool> = "u.setting_noindex",
    pub role_id: Option<i64> = "r.id",
    pub role_name: Option<String> = "r.name",
    pub role_color: Option<String> = "r.color",
    pub role_highlighted: Option<bool> = "r.highlighted",
    pub role_position: Option<i64> = "r.position",
    pub role_permissions: Option<i64> = "r.permissions",
    /// The everyone role's bits, so a viewer's standing needs no second query.
    pub everyone_permissions: Option<i64> = "(SELECT e.permissions FROM user_roles e WHERE e.id = -99)",
    pub deletion_requested: Option<i64> = "d.created_at",
}
}

/// The joins of [`AccountRecord::select_list`] over alias `a` of `accounts`: its user `u`,
/// role `r` and deletion request `d`.
pub const RECORD_JOINS: &str = "LEFT JOIN users u ON u.account_id = a.id \
    LEFT JOIN user_roles r ON r.id = u.role_id \
    LEFT JOIN account_deletion_requests d ON d.account_id = a.id";

/// The select of every account lookup, one text for both drivers and both read paths;
/// append a WHERE clause.
pub fn select_record() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {} FROM accounts a {RECORD_JOINS} ",
            AccountRecord::select_list("a")
        )
    });
    &SQL
}

/// One account by id (both read paths).
fn find_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| format!("{} WHERE a.id = $1", select_record()));
    &SQL
}

/// Accounts among a list of ids, the list as `{list}` (both read paths).
fn find_many_sql() -> &'static str {
    static SQL: LazyLock<String> =
        LazyLock::new(|| format!("{} WHERE a.id IN ({{list}})", select_record()));
    &SQL
}

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<AccountRecord>, sqlx::Error> {
    fetch_optional(ex, find_sql(), &args![id]).await
}

pub async fn find_many(ex: &mut Exec<'_>, ids: &[i64]) -> Result<Vec<AccountRecord>, sqlx::Error> {
    fetch_in(ex, find_many_sql(), Args::new(), ids).await
}

/// Case-insensitive lookup by username and domain (None = local).
pub async fn find_by_username(
    ex: &mut Exec<'_>,
    username: &str,
    domain: Option<&str>,
) -> Result<Option<AccountRecord>, sqlx::Error> {
    let lower = username.to_lowercase();
    match domain {
        None => {
            let sql = format!(
                "{} WHERE a.username_lower = $1 AND a.domain IS NULL",
                select_record()
            );
            fetch_optional(ex, &sql, &args![&lower]).await
        }
        Some(d) => {
            let sql = format!(
                "{} WHERE a.username_lower = $1 AND COALESCE(a.domain, '') = $2",
                select_record()
            );
            let d = d.to_lowercase();
            fetch_optional(ex, &sql, &args![&lower, &d]).await
        }
    }
}

/// What a new account needs; the rest takes column defaults.
pub struct NewAccount<'a> {
    pub id: i64,
    pub username: &'a str,
    pub domain: Option<&'a str>,
    pub display_name: &'a str,
    pub uri: &'a str,
    pub url: Option<&'a str>,
    pub locked: bool,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub now: i64,
}

pub async fn insert(ex: &mut Exec<'_>, a: &NewAccount<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO accounts (id, username, username_lower, domain, display_name, display_name_lower, \
        uri, url, locked, discoverable, indexable, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)";
    execute(
        ex,
        sql,
        &args![
            a.id,
            a.username,
            a.username.to_lowercase(),
            a.domain,
            a.display_name,
            a.display_name.to_lowercase(),
            a.uri,
            a.url,
            a.locked,
            a.discoverable,
            a.indexable,
            a.now
        ],
    )
    .await?;
    crate::db::repo::search::index_name(ex, a.id, a.display_name).await?;
    Ok(())
}

/// Locks the rows of two accounts, lower id first, until the transaction ends. Every write
/// between a pair (follow, unfollow, block, authorize, …) takes it first, so on PostgreSQL
/// (READ COMMITTED) each sees the other's committed result instead of both checking before
/// either writes, and counter updates of the pair can no longer deadlock. On SQLite the
/// writer lock already serializes every write transaction.
pub async fn lock_pair(ex: &mut Exec<'_>, a: i64, b: i64) -> Result<(), sqlx::Error> {
    lock(ex, &[a, b]).await
}

/// Locks the rows of `ids` in id order until the transaction ends ([`lock_pair`] for a
/// whole set at once, so two writers never take them in different orders).
pub async fn lock(ex: &mut Exec<'_>, ids: &[i64]) -> Result<(), sqlx::Error> {
    let Exec::Pg(c) = ex else {
        return Ok(());
    };
    if ids.is_empty() {
        return Ok(());
    }
    let mut args = Args::new();
    let sql = format!(
        "SELECT id FROM accounts WHERE id IN ({}) ORDER BY id FOR NO KEY UPDATE",
        args.list(ids)
    );
    let _: Vec<i64> = fetch_scalars(&mut Exec::Pg(c), &sql, &args).await?;
    Ok(())
}

pub async fn username_taken(ex: &mut Exec<'_>, username: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM accounts WHERE username_lower = $1 AND domain IS NULL";
    let lower = username.to_lowercase();
    let row: Option<(i64,)> = fetch_optional(ex, sql, &args![&lower]).await?;
    Ok(row.is_some())
}

/// Emoji shortcodes of one domain (None = local) that exist, enabled, among `shortcodes`.
#[derive(Debug, Clone, FromRow)]
pub struct EmojiRow {
    pub shortcode: String,
    pub image_key: Option<String>,
    pub image_remote_url: Option<String>,
    pub visible_in_picker: bool,
    pub category: Option<String>,
}

pub async fn emojis(
    ex: &mut Exec<'_>,
    domain: Option<&str>,
    shortcodes: &[String],
) -> Result<Vec<EmojiRow>, sqlx::Error> {
    let sql = "SELECT shortcode, image_key, image_remote_url, visible_in_picker, category FROM custom_emojis \
         WHERE COALESCE(domain, '') = $1 AND disabled = FALSE AND shortcode IN ({list}) ORDER BY shortcode";
    fetch_in(ex, sql, args![domain.unwrap_or("")], shortcodes).await
}

/// The local, enabled emojis shown in pickers, oldest first.
pub async fn listed_local_emojis(ex: &mut Exec<'_>) -> Result<Vec<EmojiRow>, sqlx::Error> {
    let sql = "SELECT shortcode, image_key, image_remote_url, visible_in_picker, category \
               FROM custom_emojis WHERE domain IS NULL AND disabled = FALSE \
               AND visible_in_picker = TRUE ORDER BY id";
    fetch_all(ex, sql, &args![]).await
}

/// [`find_many`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn find_many_inline(db: &Db, ids: &[i64]) -> Result<Vec<AccountRecord>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match db {
        Db::Sqlite(_, _, reads) => {
            let list = crate::db::query::placeholders(1, ids.len());
            let sql = find_many_sql().replacen("{list}", &list, 1);
            let values: Vec<&dyn rusqlite::ToSql> =
                ids.iter().map(|id| id as &dyn rusqlite::ToSql).collect();
            reads.with(|c| query_rows(c, &sql, &values, AccountRecord::from_columns))
        }
        Db::Pg(..) => find_many(&mut db.conn().await?.exec(), ids).await,
    }
}

/// [`find`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn find_inline(db: &Db, id: i64) -> Result<Option<AccountRecord>, sqlx::Error> {
    match db {
        Db::Sqlite(_, _, reads) => {
            reads.with(|c| query_optional(c, find_sql(), &[&id], AccountRecord::from_columns))
        }
        Db::Pg(..) => find(&mut db.conn().await?.exec(), id).await,
    }
}
