//! The SQL kit: statements built at run time and the values bound to them.
//!
//! Every repository statement is one text for both backends with `$n` placeholders (SQLite
//! reads `$1` as a named parameter, PostgreSQL as a positional one), so `?` never appears.
//! [`Args`] owns that numbering: pushing a value returns its placeholder, so a builder never
//! counts by hand. The runners in [`run`] bind an `Args` on either driver (the one bind loop of
//! the crate); [`Conditions`] and [`paginate`] build the WHERE clause and the cursor tail of a
//! list (over [`Cursor`](crate::domain::page::Cursor)); [`rows`] holds the `IN ({list})`
//! runners and the generic list reads built on them. The inline SQLite reads bind borrowed
//! values instead (`sqlite_reads::bind_numbered`) and take their numbering from
//! [`placeholders`].

mod args;
mod conditions;
pub mod rows;
pub mod run;

pub(crate) use args::args;
pub use args::{Arg, Args, placeholders, value_rows, values};
pub use conditions::{Conditions, id_bounds, owner_page_args, paginate};
pub use run::{execute, fetch_all, fetch_one, fetch_optional, fetch_scalars};
