//! Rows declared once: [`db_row!`] turns one struct declaration into the struct, its select
//! list, and the decoders of all three drivers that read it (sqlx by name, sqlx by position,
//! rusqlite by position), so a column is spelled in one place.

use sqlx::Row;

/// Decodes a declared row from consecutive columns of a sqlx row, starting at `*at` and
/// moving `*at` past them (for statements that select several rows side by side).
pub trait DecodeAt<R>: Sized {
    fn decode_at(row: &R, at: &mut usize) -> Result<Self, sqlx::Error>;
}

/// Whether column `at` of a sqlx row is NULL (a LEFT JOIN that found nothing).
pub fn null_at<R: Row>(row: &R, at: usize) -> Result<bool, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
{
    use sqlx::ValueRef;
    Ok(row.try_get_raw(at)?.is_null())
}

/// Declares a row struct and its columns, in select-list order.
///
/// Each field reads `alias.field`, or `expr AS field` when written `field: T = "expr"`; a
/// leading `..name: Nested,` embeds another declared row (its columns first, flattened for
/// sqlx). Emits:
/// - the struct, with `sqlx::FromRow` by column name (for `SELECT *` and the select list);
/// - `WIDTH` (its number of columns) and `select_list(alias)`;
/// - `from_columns`, the rusqlite decoder by position ([`Columns`](super::sqlite_reads::Columns));
/// - [`DecodeAt`] for both sqlx drivers, by position.
macro_rules! db_row {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(.. $nested:ident : $nty:ty,)?
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty $(= $expr:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, sqlx::FromRow)]
        pub struct $name {
            $(#[sqlx(flatten)] pub $nested: $nty,)?
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            /// The number of columns of [`Self::select_list`].
            pub const WIDTH: usize = $(<$nty>::WIDTH +)? [$(stringify!($field)),*].len();

            /// The columns in field order, the plain ones over `alias`.
            pub fn select_list(alias: &str) -> String {
                let columns: Vec<String> = vec![
                    $(<$nty>::select_list(alias),)?
                    $($crate::db::row::db_row!(@column alias, $field $(, $expr)?)),*
                ];
                columns.join(", ")
            }

            /// Decodes the columns of [`Self::select_list`] from the current position.
            pub fn from_columns(
                c: &mut $crate::db::sqlite_reads::Columns<'_, '_>,
            ) -> rusqlite::Result<Self> {
                Ok(Self {
                    $($nested: <$nty>::from_columns(c)?,)?
                    $($field: c.take()?,)*
                })
            }
        }

        $crate::db::row::db_row!(@decode_at $name, sqlx::sqlite::SqliteRow $(, $nested: $nty)?; $($field),*);
        $crate::db::row::db_row!(@decode_at $name, sqlx::postgres::PgRow $(, $nested: $nty)?; $($field),*);
    };
    (@column $alias:ident, $field:ident) => {
        format!("{}.{}", $alias, stringify!($field))
    };
    (@column $alias:ident, $field:ident, $expr:literal) => {
        format!("{} AS {}", $expr, stringify!($field))
    };
    (@decode_at $name:ident, $row:ty $(, $nested:ident: $nty:ty)?; $($field:ident),*) => {
        impl $crate::db::row::DecodeAt<$row> for $name {
            fn decode_at(row: &$row, at: &mut usize) -> Result<Self, sqlx::Error> {
                use sqlx::Row as _;
                Ok(Self {
                    $($nested: <$nty as $crate::db::row::DecodeAt<$row>>::decode_at(row, at)?,)?
                    $($field: {
                        let value = row.try_get(*at)?;
                        *at += 1;
                        value
                    },)*
                })
            }
        }
    };
}
pub(crate) use db_row;
