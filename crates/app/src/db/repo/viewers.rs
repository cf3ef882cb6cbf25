//! Who a request's access token stands for, in one statement: the token, its user and the
//! user's account record (with role). Every authenticated request starts here, so it is one
//! round trip to the database instead of three.

use std::sync::LazyLock;

use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::db::query::{args, fetch_optional};
use crate::db::repo::accounts::{AccountRecord, RECORD_JOINS};
use crate::db::repo::oauth::TokenRow;
use crate::db::repo::users::UserRow;
use crate::db::row::{DecodeAt, null_at};
use crate::db::sqlite_reads::{Columns, query_optional};
use crate::db::{Db, Exec};

/// A stored token with its user and account, when it has them.
#[derive(Debug, Clone)]
pub struct ViewerRow {
    pub token: TokenRow,
    pub user: Option<UserRow>,
    pub account: Option<AccountRecord>,
}

/// The token (`t`), its user (`uu`) and that user's account record, side by side in this
/// order: both drivers and both read paths decode it by position.
fn viewer_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {}, {}, {} FROM oauth_access_tokens t \
             LEFT JOIN users uu ON uu.id = t.resource_owner_id \
             LEFT JOIN accounts a ON a.id = uu.account_id {RECORD_JOINS} \
             WHERE t.token_digest = $1",
            TokenRow::select_list("t"),
            UserRow::select_list("uu"),
            AccountRecord::select_list("a"),
        )
    });
    &SQL
}

/// The sqlx decoder: the token, then the user and the account unless their id is NULL.
fn viewer_at<R: sqlx::Row>(row: &R) -> Result<ViewerRow, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    TokenRow: DecodeAt<R>,
    UserRow: DecodeAt<R>,
    AccountRecord: DecodeAt<R>,
{
    let mut at = 0;
    let token = TokenRow::decode_at(row, &mut at)?;
    if null_at(row, at)? {
        return Ok(ViewerRow {
            token,
            user: None,
            account: None,
        });
    }
    let user = UserRow::decode_at(row, &mut at)?;
    let account = if null_at(row, at)? {
        None
    } else {
        Some(AccountRecord::decode_at(row, &mut at)?)
    };
    Ok(ViewerRow {
        token,
        user: Some(user),
        account,
    })
}

impl<'r> FromRow<'r, SqliteRow> for ViewerRow {
    fn from_row(row: &'r SqliteRow) -> Result<Self, sqlx::Error> {
        viewer_at(row)
    }
}

impl<'r> FromRow<'r, PgRow> for ViewerRow {
    fn from_row(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        viewer_at(row)
    }
}

impl ViewerRow {
    /// The rusqlite decoder of the same columns.
    fn from_columns(c: &mut Columns<'_, '_>) -> rusqlite::Result<Self> {
        let token = TokenRow::from_columns(c)?;
        if c.next_is_null()? {
            return Ok(Self {
                token,
                user: None,
                account: None,
            });
        }
        let user = UserRow::from_columns(c)?;
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

/// The token with this digest, its user and account.
pub async fn find(ex: &mut Exec<'_>, digest: &str) -> Result<Option<ViewerRow>, sqlx::Error> {
    fetch_optional(ex, viewer_sql(), &args![digest]).await
}

/// [`find`] without a connection of the caller's: inline on SQLite, pooled on PostgreSQL.
pub async fn find_inline(db: &Db, digest: &str) -> Result<Option<ViewerRow>, sqlx::Error> {
    match db {
        Db::Sqlite(_, _, reads) => {
            reads.with(|c| query_optional(c, viewer_sql(), &[&digest], ViewerRow::from_columns))
        }
        Db::Pg(..) => find(&mut db.conn().await?.exec(), digest).await,
    }
}
