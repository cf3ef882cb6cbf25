//! The account-pair tables: one row per `(account_id, target)` under a unique index, where
//! the target is another account (blocks, mutes, endorsements, notes, follows, follow
//! requests) or a domain (domain blocks). Their insert, delete and existence check are
//! written here once; each table's module keeps its own typed functions on top.

use crate::db::Exec;
use crate::db::query::{Arg, Args, args, execute, fetch_optional};

/// One pair table: its name and the column the pair points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub table: &'static str,
    pub target: &'static str,
}

pub const BLOCKS: Pair = Pair::accounts("blocks");
pub const MUTES: Pair = Pair::accounts("mutes");
pub const ENDORSEMENTS: Pair = Pair::accounts("account_pins");
pub const NOTES: Pair = Pair::accounts("account_notes");
pub const FOLLOWS: Pair = Pair::accounts("follows");
pub const FOLLOW_REQUESTS: Pair = Pair::accounts("follow_requests");
pub const DOMAIN_BLOCKS: Pair = Pair {
    table: "account_domain_blocks",
    target: "domain",
};

impl Pair {
    const fn accounts(table: &'static str) -> Self {
        Self {
            table,
            target: "target_account_id",
        }
    }
}

/// What an insert does when the pair already has a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Keep the existing row (a concurrent request made it first).
    Keep,
    /// Overwrite the row's extra columns with the new values.
    Update,
}

/// Inserts the row `id` of the pair, created at `now`, with `extra` columns (name, value).
/// True when a row was written: a new one, or an existing one with [`OnConflict::Update`].
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    ex: &mut Exec<'_>,
    pair: Pair,
    id: i64,
    account_id: i64,
    target: impl Into<Arg>,
    now: i64,
    extra: &[(&str, Arg)],
    on_conflict: OnConflict,
) -> Result<bool, sqlx::Error> {
    let Pair { table, target: col } = pair;
    let mut args = args![id, account_id, target, now];
    let mut columns = format!("id, account_id, {col}, created_at");
    let mut values = "$1, $2, $3, $4".to_owned();
    for (name, value) in extra {
        columns.push_str(&format!(", {name}"));
        values.push_str(&format!(", {}", args.push(value.clone())));
    }
    let action = match on_conflict {
        OnConflict::Update if !extra.is_empty() => {
            let set: Vec<String> = extra
                .iter()
                .map(|(name, _)| format!("{name} = excluded.{name}"))
                .collect();
            format!("DO UPDATE SET {}", set.join(", "))
        }
        _ => "DO NOTHING".to_owned(),
    };
    let sql = format!(
        "INSERT INTO {table} ({columns}) VALUES ({values}) \
         ON CONFLICT (account_id, {col}) {action}"
    );
    Ok(execute(ex, &sql, &args).await? > 0)
}

/// Creates the account's row about `target_account_id`, or overwrites its `extra` columns.
pub async fn upsert(
    ex: &mut Exec<'_>,
    pair: Pair,
    (id, account_id, target_account_id): (i64, i64, i64),
    now: i64,
    extra: &[(&str, Arg)],
) -> Result<(), sqlx::Error> {
    let update = OnConflict::Update;
    insert(
        ex,
        pair,
        id,
        account_id,
        target_account_id,
        now,
        extra,
        update,
    )
    .await?;
    Ok(())
}

/// Deletes the pair's row; true if there was one.
pub async fn delete(
    ex: &mut Exec<'_>,
    pair: Pair,
    account_id: i64,
    target: impl Into<Arg>,
) -> Result<bool, sqlx::Error> {
    let Pair { table, target: col } = pair;
    let sql = format!("DELETE FROM {table} WHERE account_id = $1 AND {col} = $2");
    Ok(execute(ex, &sql, &args![account_id, target]).await? > 0)
}

/// The statement of [`exists`] (also run inline on SQLite by `blocks::exists_inline`).
pub fn exists_sql(pair: Pair) -> String {
    let Pair { table, target: col } = pair;
    format!("SELECT id FROM {table} WHERE account_id = $1 AND {col} = $2")
}

/// Whether the pair has a row.
pub async fn exists(
    ex: &mut Exec<'_>,
    pair: Pair,
    account_id: i64,
    target: impl Into<Arg>,
) -> Result<bool, sqlx::Error> {
    let args: Args = args![account_id, target];
    let row: Option<(i64,)> = fetch_optional(ex, &exists_sql(pair), &args).await?;
    Ok(row.is_some())
}

/// The typed functions of a pair table module, over [`insert`], [`delete`] and [`exists`]:
/// `pair_fns!(BLOCKS, i64; insert, delete -> bool, exists)`. `insert` keeps an existing row;
/// `delete` answers whether there was one (`-> bool`) or nothing (`-> ()`).
macro_rules! pair_fns {
    ($pair:expr, $target:ty; $($f:ident $(-> $ret:tt)?),*) => {
        $($crate::db::repo::pairs::pair_fns!(@$f $pair, $target $(, $ret)?);)*
    };
    (@insert $pair:expr, $target:ty) => {
        /// Creates the row unless the pair has one.
        pub async fn insert(
            ex: &mut $crate::db::Exec<'_>,
            id: i64,
            account_id: i64,
            target: $target,
            now: i64,
        ) -> Result<(), sqlx::Error> {
            let keep = $crate::db::repo::pairs::OnConflict::Keep;
            $crate::db::repo::pairs::insert(ex, $pair, id, account_id, target, now, &[], keep)
                .await?;
            Ok(())
        }
    };
    (@delete $pair:expr, $target:ty, bool) => {
        /// Deletes the pair's row; true if there was one.
        pub async fn delete(
            ex: &mut $crate::db::Exec<'_>,
            account_id: i64,
            target: $target,
        ) -> Result<bool, sqlx::Error> {
            $crate::db::repo::pairs::delete(ex, $pair, account_id, target).await
        }
    };
    (@delete $pair:expr, $target:ty, ()) => {
        /// Deletes the pair's row, if any.
        pub async fn delete(
            ex: &mut $crate::db::Exec<'_>,
            account_id: i64,
            target: $target,
        ) -> Result<(), sqlx::Error> {
            $crate::db::repo::pairs::delete(ex, $pair, account_id, target).await?;
            Ok(())
        }
    };
    (@exists $pair:expr, $target:ty) => {
        /// Whether the pair has a row.
        pub async fn exists(
            ex: &mut $crate::db::Exec<'_>,
            account_id: i64,
            target: $target,
        ) -> Result<bool, sqlx::Error> {
            $crate::db::repo::pairs::exists(ex, $pair, account_id, target).await
        }
    };
}
pub(crate) use pair_fns;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pair_statements() {
        assert_eq!(
            exists_sql(DOMAIN_BLOCKS),
            "SELECT id FROM account_domain_blocks WHERE account_id = $1 AND domain = $2"
        );
        assert_eq!(
            exists_sql(BLOCKS),
            "SELECT id FROM blocks WHERE account_id = $1 AND target_account_id = $2"
        );
    }
}
