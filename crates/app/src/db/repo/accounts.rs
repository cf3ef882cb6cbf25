//! The `accounts` table, joined with the owning user and role where the API needs them.

use sqlx::FromRow;

use crate::db::sqlite_reads::{Columns, query_optional, query_rows};
use crate::db::{Db, Exec};
use crate::on;

#[derive(Debug, Clone, FromRow)]
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

/// An account with what rendering it needs from its user and role (NULL for remote ones).
#[derive(Debug, Clone, FromRow)]
pub struct AccountRecord {
    #[sqlx(flatten)]
    pub account: AccountRow,
    pub user_id: Option<i64>,
    pub user_approved: Option<bool>,
    pub user_confirmed_at: Option<i64>,
    pub user_disabled: Option<bool>,
    pub user_noindex: Option<bool>,
    pub role_id: Option<i64>,
    pub role_name: Option<String>,
    pub role_color: Option<String>,
    pub role_highlighted: Option<bool>,
    pub role_position: Option<i64>,
    pub role_permissions: Option<i64>,
    /// The everyone role's bits, so a viewer's standing needs no second query.
    pub everyone_permissions: Option<i64>,
    pub deletion_requested: Option<i64>,
}

/// The columns of an [`AccountRecord`] over aliases `a` (account), `u` (its user), `r` (role)
/// and `d` (deletion request), as a literal both constants below are built from.
macro_rules! record_columns {
    () => {
        "a.*, u.id AS user_id, u.approved AS user_approved, \
        u.confirmed_at AS user_confirmed_at, u.disabled AS user_disabled, u.setting_noindex AS user_noindex, \
        r.id AS role_id, r.name AS role_name, r.color AS role_color, r.highlighted AS role_highlighted, \
        r.position AS role_position, r.permissions AS role_permissions, \
        (SELECT e.permissions FROM user_roles e WHERE e.id = -99) AS everyone_permissions, \
        d.created_at AS deletion_requested"
    };
}

pub const SELECT_RECORD_COLUMNS: &str = record_columns!();

/// The select list every account lookup shares; append a WHERE clause.
pub const SELECT_RECORD: &str = concat!(
    "SELECT ",
    record_columns!(),
    " FROM accounts a LEFT JOIN users u ON u.account_id = a.id \
    LEFT JOIN user_roles r ON r.id = u.role_id \
    LEFT JOIN account_deletion_requests d ON d.account_id = a.id "
);

pub async fn find(ex: &mut Exec<'_>, id: i64) -> Result<Option<AccountRecord>, sqlx::Error> {
    let sql = format!("{SELECT_RECORD} WHERE a.id = $1");
    on!(ex, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)
}

pub async fn find_many(ex: &mut Exec<'_>, ids: &[i64]) -> Result<Vec<AccountRecord>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("{SELECT_RECORD} WHERE a.id IN ({})", placeholders.join(","));
    on!(ex, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })
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
            let sql = format!("{SELECT_RECORD} WHERE a.username_lower = $1 AND a.domain IS NULL");
            on!(ex, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&lower).fetch_optional(c).await)
        }
        Some(d) => {
            let sql = format!(
                "{SELECT_RECORD} WHERE a.username_lower = $1 AND COALESCE(a.domain, '') = $2"
            );
            let d = d.to_lowercase();
            on!(ex, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&lower).bind(&d).fetch_optional(c).await)
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
    on!(ex, c => sqlx::query(sql)
        .bind(a.id)
        .bind(a.username)
        .bind(a.username.to_lowercase())
        .bind(a.domain)
        .bind(a.display_name)
        .bind(a.display_name.to_lowercase())
        .bind(a.uri)
        .bind(a.url)
        .bind(a.locked)
        .bind(a.discoverable)
        .bind(a.indexable)
        .bind(a.now)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
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
    let sql = format!(
        "SELECT id FROM accounts WHERE id IN ({}) ORDER BY id FOR NO KEY UPDATE",
        super::placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql.as_str()));
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(&mut **c).await?;
    Ok(())
}

pub async fn username_taken(ex: &mut Exec<'_>, username: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM accounts WHERE username_lower = $1 AND domain IS NULL";
    let lower = username.to_lowercase();
    let row: Option<(i64,)> =
        on!(ex, c => sqlx::query_as(sql).bind(&lower).fetch_optional(c).await)?;
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
    if shortcodes.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..shortcodes.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT shortcode, image_key, image_remote_url, visible_in_picker, category FROM custom_emojis \
         WHERE COALESCE(domain, '') = $1 AND disabled = FALSE AND shortcode IN ({}) ORDER BY shortcode",
        placeholders.join(",")
    );
    let domain = domain.unwrap_or("").to_owned();
    on!(ex, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&domain);
        for s in shortcodes {
            q = q.bind(s);
        }
        q.fetch_all(c).await
    })
}

/// The local, enabled emojis shown in pickers, oldest first.
pub async fn listed_local_emojis(ex: &mut Exec<'_>) -> Result<Vec<EmojiRow>, sqlx::Error> {
    let sql = "SELECT shortcode, image_key, image_remote_url, visible_in_picker, category \
               FROM custom_emojis WHERE domain IS NULL AND disabled = FALSE \
               AND visible_in_picker = TRUE ORDER BY id";
    on!(ex, c => sqlx::query_as(sql).fetch_all(c).await)
}

/// [`AccountRow`]'s columns in field order: the inline SQLite reads decode by position.
const ACCOUNT_COLUMNS: &[&str] = &[
    "id",
    "username",
    "domain",
    "display_name",
    "note",
    "note_html",
    "fields",
    "attribution_domains",
    "uri",
    "url",
    "actor_type",
    "locked",
    "discoverable",
    "indexable",
    "hide_collections",
    "show_media",
    "show_media_replies",
    "show_featured",
    "memorial",
    "avatar_key",
    "avatar_static_key",
    "avatar_description",
    "header_key",
    "header_static_key",
    "header_description",
    "avatar_remote_url",
    "header_remote_url",
    "moved_to_account_id",
    "followers_count",
    "following_count",
    "statuses_count",
    "last_status_at",
    "silenced_at",
    "suspended_at",
    "suspension_origin",
    "sensitized_at",
    "deleted_at",
    "created_at",
    "updated_at",
];

/// [`SELECT_RECORD_COLUMNS`] with the account's columns spelled out in [`ACCOUNT_COLUMNS`]
/// order, for [`AccountRecord::from_columns`].
pub fn record_columns_in_order() -> &'static str {
    static LIST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let account = ACCOUNT_COLUMNS
            .iter()
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rest = SELECT_RECORD_COLUMNS
            .strip_prefix("a.*, ")
            .unwrap_or(SELECT_RECORD_COLUMNS);
        format!("{account}, {rest}")
    })
}

/// [`SELECT_RECORD`] with [`record_columns_in_order`]; append a WHERE clause.
pub fn select_record_in_order() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| SELECT_RECORD.replacen(SELECT_RECORD_COLUMNS, record_columns_in_order(), 1))
}

impl AccountRow {
    fn from_columns(c: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: c.take()?,
            username: c.take()?,
            domain: c.take()?,
            display_name: c.take()?,
            note: c.take()?,
            note_html: c.take()?,
            fields: c.take()?,
            attribution_domains: c.take()?,
            uri: c.take()?,
            url: c.take()?,
            actor_type: c.take()?,
            locked: c.take()?,
            discoverable: c.take()?,
            indexable: c.take()?,
            hide_collections: c.take()?,
            show_media: c.take()?,
            show_media_replies: c.take()?,
            show_featured: c.take()?,
            memorial: c.take()?,
            avatar_key: c.take()?,
            avatar_static_key: c.take()?,
            avatar_description: c.take()?,
            header_key: c.take()?,
            header_static_key: c.take()?,
            header_description: c.take()?,
            avatar_remote_url: c.take()?,
            header_remote_url: c.take()?,
            moved_to_account_id: c.take()?,
            followers_count: c.take()?,
            following_count: c.take()?,
            statuses_count: c.take()?,
            last_status_at: c.take()?,
            silenced_at: c.take()?,
            suspended_at: c.take()?,
            suspension_origin: c.take()?,
            sensitized_at: c.take()?,
            deleted_at: c.take()?,
            created_at: c.take()?,
            updated_at: c.take()?,
        })
    }
}

impl AccountRecord {
    /// Decodes the columns of [`record_columns_in_order`], from the current position.
    pub fn from_columns(c: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        Ok(Self {
            account: AccountRow::from_columns(c)?,
            user_id: c.take()?,
            user_approved: c.take()?,
            user_confirmed_at: c.take()?,
            user_disabled: c.take()?,
            user_noindex: c.take()?,
            role_id: c.take()?,
            role_name: c.take()?,
            role_color: c.take()?,
            role_highlighted: c.take()?,
            role_position: c.take()?,
            role_permissions: c.take()?,
            everyone_permissions: c.take()?,
            deletion_requested: c.take()?,
        })
    }
}

/// [`find_many`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn find_many_in(db: &Db, ids: &[i64]) -> Result<Vec<AccountRecord>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match db {
        Db::Sqlite(_, _, reads) => {
            let sql = format!(
                "{} WHERE a.id IN ({})",
                select_record_in_order(),
                super::placeholders(1, ids.len())
            );
            let values: Vec<&dyn rusqlite::ToSql> =
                ids.iter().map(|id| id as &dyn rusqlite::ToSql).collect();
            reads.with(|c| query_rows(c, &sql, &values, AccountRecord::from_columns))
        }
        Db::Pg(..) => find_many(&mut db.conn().await?.exec(), ids).await,
    }
}

/// [`find`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn find_in(db: &Db, id: i64) -> Result<Option<AccountRecord>, sqlx::Error> {
    match db {
        Db::Sqlite(_, _, reads) => {
            static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let sql = SQL.get_or_init(|| format!("{} WHERE a.id = $1", select_record_in_order()));
            reads.with(|c| query_optional(c, sql, &[&id], AccountRecord::from_columns))
        }
        Db::Pg(..) => find(&mut db.conn().await?.exec(), id).await,
    }
}
