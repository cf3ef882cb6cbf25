//! The SQL kit: statements built at run time and the values bound to them.
//!
//! Every repository statement is one text for both backends with `$n` placeholders (SQLite
//! reads `$1` as a named parameter, PostgreSQL as a positional one), so `?` never appears.
//! [`Args`] owns that numbering: pushing a value returns its placeholder, so a builder never
//! counts by hand. The runners in [`run`] bind an `Args` on either driver (the one bind loop of
//! the crate); [`Conditions`] and [`paginate`] build the WHERE clause and the cursor tail of a
//! list; [`rows`] holds the generic list reads built on them.

mod args;
mod conditions;
pub mod rows;
pub mod run;

pub(crate) use args::args;
pub use args::{Arg, Args, placeholders, value_rows, values};
pub use conditions::{Conditions, id_bounds, paginate};
pub use run::{execute, fetch_all, fetch_one, fetch_optional, fetch_scalars};
