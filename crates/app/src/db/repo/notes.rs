//! `account_notes`: private notes about other accounts.

use crate::db::Exec;
use crate::db::repo::pairs::{self, NOTES, pair_fns};

/// Creates or replaces the note of `account_id` about `target_account_id`.
pub async fn upsert(
    ex: &mut Exec<'_>,
    id: i64,
    account_id: i64,
    target_account_id: i64,
    comment: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let extra = [("comment", comment.into()), ("updated_at", now.into())];
    let row = (id, account_id, target_account_id);
    pairs::upsert(ex, NOTES, row, now, &extra).await
}

pair_fns!(NOTES, i64; delete -> ());
