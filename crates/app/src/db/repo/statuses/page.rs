//! A page of one account's statuses (`GET /api/v1/accounts/:id/statuses`), walked through
//! the `(account_id, id)` index; every other condition is an indexed point lookup per row.

use super::{COLUMNS, StatusRow};
use crate::db::Exec;
#[cfg(test)]
use crate::db::query::Arg;
use crate::db::query::{Args, args, fetch_all};
use crate::domain::page::Cursor;

/// The condition "the viewer excludes the author from timelines", with `{viewer}`,
/// `{author}` and `{now}` to fill in.
pub const EXCLUDED_AUTHOR: &str = "(EXISTS (SELECT 1 FROM blocks b1 WHERE b1.account_id = {viewer} AND b1.target_account_id = {author}) \
    OR EXISTS (SELECT 1 FROM blocks b2 WHERE b2.account_id = {author} AND b2.target_account_id = {viewer}) \
    OR EXISTS (SELECT 1 FROM mutes m1 WHERE m1.account_id = {viewer} AND m1.target_account_id = {author} \
               AND (m1.expires_at IS NULL OR m1.expires_at > {now})) \
    OR EXISTS (SELECT 1 FROM accounts ra JOIN account_domain_blocks db ON db.domain = ra.domain \
               WHERE ra.id = {author} AND db.account_id = {viewer}))";

/// Who looks at the list, as far as the base set is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Anonymous,
    Author,
    /// Another signed-in account; `follower` if it follows the author.
    Other {
        viewer: i64,
        follower: bool,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct AccountFilter {
    pub account_id: i64,
    pub audience: Audience,
    pub pinned: bool,
    pub only_media: bool,
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
    pub exclude_direct: bool,
    pub tag_id: Option<i64>,
    pub cursor: Cursor,
    pub now: i64,
}

/// Builds the SQL text and its (all integer) arguments.
pub fn account_page_sql(f: &AccountFilter) -> (String, Args) {
    let mut args = args![f.account_id];
    let mut arg = |v: i64| args.push(v);
    let mut sql = format!("SELECT {COLUMNS} FROM statuses s ");
    if f.pinned {
        sql.push_str("JOIN status_pins p ON p.status_id = s.id AND p.account_id = $1 ");
    }
    sql.push_str("WHERE s.account_id = $1 AND s.deleted_at IS NULL");
    match f.audience {
        Audience::Anonymous => sql.push_str(" AND s.visibility IN (0, 1)"),
        Audience::Author => {
            if f.exclude_direct {
                sql.push_str(" AND s.visibility IN (0, 1, 2)");
            }
        }
        Audience::Other { viewer, follower } => {
            let v = arg(viewer);
            let base = if follower { "(0, 1, 2)" } else { "(0, 1)" };
            if f.exclude_direct {
                sql.push_str(&format!(" AND s.visibility IN {base}"));
            } else {
                sql.push_str(&format!(
                    " AND (s.visibility IN {base} OR EXISTS (SELECT 1 FROM mentions mn \
                     WHERE mn.account_id = {v} AND mn.status_id = s.id))"
                ));
            }
            if !(f.exclude_reblogs || f.only_media || f.tag_id.is_some()) {
                let now = arg(f.now);
                let excluded = EXCLUDED_AUTHOR
                    .replace("{viewer}", &v)
                    .replace("{author}", "r.account_id")
                    .replace("{now}", &now);
                sql.push_str(&format!(
                    " AND (s.reblog_of_id IS NULL OR NOT EXISTS (SELECT 1 FROM statuses r \
                     WHERE r.id = s.reblog_of_id AND {excluded}))"
                ));
            }
        }
    }
    if f.only_media {
        sql.push_str(" AND EXISTS (SELECT 1 FROM media_attachments ma WHERE ma.status_id = s.id)");
    }
    if f.exclude_replies {
        sql.push_str(" AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)");
    }
    if f.exclude_reblogs {
        sql.push_str(" AND s.reblog_of_id IS NULL");
    }
    if let Some(tag) = f.tag_id {
        let t = arg(tag);
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM statuses_tags st WHERE st.tag_id = {t} AND st.status_id = s.id)"
        ));
    }
    if let Some(max) = f.cursor.max_id {
        sql.push_str(&format!(" AND s.id < {}", arg(max)));
    }
    let ascending = f.cursor.min_id.is_some();
    if let Some(min) = f.cursor.min_id.or(f.cursor.since_id) {
        sql.push_str(&format!(" AND s.id > {}", arg(min)));
    }
    let dir = if ascending { "ASC" } else { "DESC" };
    if f.pinned {
        sql.push_str(&format!(" ORDER BY p.created_at {dir}, s.id {dir}"));
    } else {
        sql.push_str(&format!(" ORDER BY s.id {dir}"));
    }
    sql.push_str(&format!(" LIMIT {}", arg(f.cursor.limit_i64())));
    (sql, args)
}

/// The page in output order (newest first, or latest pin first).
pub async fn account_page(
    ex: &mut Exec<'_>,
    f: &AccountFilter,
) -> Result<Vec<StatusRow>, sqlx::Error> {
    let (sql, args) = account_page_sql(f);
    let mut rows: Vec<StatusRow> = fetch_all(ex, &sql, &args).await?;
    if f.cursor.min_id.is_some() {
        rows.reverse();
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_viewer_sql_uses_point_lookups_only() {
        let f = AccountFilter {
            account_id: 1,
            audience: Audience::Other {
                viewer: 2,
                follower: true,
            },
            pinned: false,
            only_media: false,
            exclude_replies: true,
            exclude_reblogs: false,
            exclude_direct: false,
            tag_id: None,
            cursor: Cursor {
                max_id: Some(100),
                ..Cursor::first(20)
            },
            now: 5,
        };
        let (sql, args) = account_page_sql(&f);
        println!("{sql}\n{args:?}");
        assert_eq!(args, Args::from([1, 2, 5, 100, 20].map(Arg::Int).to_vec()));
        assert!(sql.starts_with(&format!(
            "SELECT {COLUMNS} FROM statuses s WHERE s.account_id = $1"
        )));
        assert!(
            sql.ends_with("AND s.id < $4 ORDER BY s.id DESC LIMIT $5"),
            "{sql}"
        );
        assert!(sql.contains("mn.account_id = $2 AND mn.status_id = s.id"));
        assert!(sql.contains("m1.expires_at > $3"));
    }

    #[test]
    fn min_id_pages_ascend_and_pins_order_by_pin_time() {
        let f = AccountFilter {
            account_id: 1,
            audience: Audience::Anonymous,
            pinned: true,
            only_media: false,
            exclude_replies: false,
            exclude_reblogs: false,
            exclude_direct: false,
            tag_id: None,
            cursor: Cursor {
                since_id: Some(3),
                min_id: Some(7),
                ..Cursor::first(2)
            },
            now: 0,
        };
        let (sql, args) = account_page_sql(&f);
        assert_eq!(args, Args::from([1, 7, 2].map(Arg::Int).to_vec()));
        assert!(sql.contains("JOIN status_pins p ON p.status_id = s.id AND p.account_id = $1"));
        assert!(
            sql.ends_with("AND s.id > $2 ORDER BY p.created_at ASC, s.id ASC LIMIT $3"),
            "{sql}"
        );
    }
}
