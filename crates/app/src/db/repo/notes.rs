//! `account_notes`: private notes about other accounts.

use crate::db::Exec;
use crate::db::repo::pairs::{self, NOTES, OnConflict, pair_fns};

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
    let update = OnConflict::Update;
    pairs::insert(
        ex,
        NOTES,
        id,
        account_id,
        target_account_id,
        now,
        &extra,
        update,
    )
    .await?;
    Ok(())
}

pair_fns!(NOTES, i64; delete -> ());
