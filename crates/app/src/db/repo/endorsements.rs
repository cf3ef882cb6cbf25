//! `account_pins`: accounts featured (endorsed) on a profile.

use crate::db::Exec;
use crate::db::query::{fetch_scalars, owner_page_args};
use crate::db::repo::pairs::{ENDORSEMENTS, pair_fns};
use crate::domain::page::Cursor;

pair_fns!(ENDORSEMENTS, i64; insert, delete -> ());

/// A page of the accounts `account_id` endorses, by endorsed account id descending, through
/// the unique `(account_id, target_account_id)` index; suspended and deleted ones skipped.
/// `usize::MAX` as the limit reads them all.
pub async fn page(
    ex: &mut Exec<'_>,
    account_id: i64,
    cursor: &Cursor,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT p.target_account_id FROM account_pins p JOIN accounts a ON a.id = p.target_account_id \
               WHERE p.account_id = $1 AND p.target_account_id < $2 AND p.target_account_id > $3 \
               AND a.suspended_at IS NULL AND a.deleted_at IS NULL \
               ORDER BY p.target_account_id DESC LIMIT $4";
    fetch_scalars(ex, sql, &owner_page_args(account_id, cursor)).await
}
