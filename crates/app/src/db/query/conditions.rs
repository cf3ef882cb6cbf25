//! A WHERE clause built at run time, and the cursor tail of an id-paginated list.

use super::{Arg, Args};
use crate::domain::page::Cursor;

/// A WHERE clause under construction: `$n` placeholders numbered as values are pushed.
#[derive(Debug, Default, Clone)]
pub struct Conditions {
    pub parts: Vec<String>,
    pub args: Args,
}

impl Conditions {
    /// Adds a value and returns its placeholder.
    pub fn arg(&mut self, a: impl Into<Arg>) -> String {
        self.args.push(a)
    }

    pub fn push(&mut self, sql: impl Into<String>) {
        self.parts.push(sql.into());
    }

    /// `col = <value>`.
    pub fn eq(&mut self, col: &str, value: impl Into<Arg>) {
        let p = self.arg(value);
        self.push(format!("{col} = {p}"));
    }

    /// `col = <value>` when there is a value: an optional filter key.
    pub fn eq_some<V: Into<Arg>>(&mut self, col: &str, value: Option<V>) {
        if let Some(v) = value {
            self.eq(col, v);
        }
    }

    /// ` WHERE a AND b …`, or nothing without conditions.
    pub fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }
}

/// Cursor conditions and ordering of an id-paginated query over `col`; returns the
/// ORDER BY … LIMIT tail. With `min_id` the rows come ascending (the caller reverses them).
pub fn paginate(conds: &mut Conditions, col: &str, cursor: &Cursor) -> String {
    if let Some(max) = cursor.max_id {
        let p = conds.arg(max);
        conds.push(format!("{col} < {p}"));
    }
    let p_limit = conds.arg(cursor.limit_i64());
    if let Some(min) = cursor.min_id {
        let p = conds.arg(min);
        conds.push(format!("{col} > {p}"));
        format!(" ORDER BY {col} ASC LIMIT {p_limit}")
    } else {
        if let Some(since) = cursor.since_id {
            let p = conds.arg(since);
            conds.push(format!("{col} > {p}"));
        }
        format!(" ORDER BY {col} DESC LIMIT {p_limit}")
    }
}

/// The exclusive id bounds of a newest-first page whose statement is fixed text
/// (`id < $upper AND id > $lower`): `max_id` and `since_id`, open-ended when absent.
pub fn id_bounds(cursor: &Cursor) -> (i64, i64) {
    (
        cursor.max_id.unwrap_or(i64::MAX),
        cursor.since_id.unwrap_or(i64::MIN),
    )
}

/// The values of a newest-first page of one owner's rows whose statement is fixed text:
/// `$1` the owner, `$2`/`$3` the [`id_bounds`], `$4` the limit.
pub fn owner_page_args(owner: i64, cursor: &Cursor) -> Args {
    let (upper, lower) = id_bounds(cursor);
    super::args![owner, upper, lower, cursor.limit_i64()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_id_pages_ascend_and_the_rest_descend() {
        let mut c = Conditions::default();
        c.push("x.kind = 1");
        let cursor = Cursor {
            max_id: Some(9),
            min_id: Some(3),
            ..Cursor::first(20)
        };
        let tail = paginate(&mut c, "x.id", &cursor);
        assert_eq!(
            format!("{}{tail}", c.sql()),
            " WHERE x.kind = 1 AND x.id < $1 AND x.id > $3 ORDER BY x.id ASC LIMIT $2"
        );
        let mut c = Conditions::default();
        let tail = paginate(
            &mut c,
            "id",
            &Cursor {
                since_id: Some(4),
                ..Cursor::first(5)
            },
        );
        assert_eq!(
            format!("{}{tail}", c.sql()),
            " WHERE id > $2 ORDER BY id DESC LIMIT $1"
        );
        assert_eq!(&*c.args, &[Arg::Int(5), Arg::Int(4)]);
    }
}
