//! Staff notes about an account (upstream's AccountModerationNote): written by those who can
//! manage reports; removed by their author, or by someone who can manage reports and whose
//! role is above the author's (upstream's AccountModerationNotePolicy).

use serde::Serialize;

use crate::db::Exec;
use crate::db::repo::accounts;
use crate::db::repo::moderation_notes::{self, NoteRow};
use crate::domain::{acct, permissions, time};
use crate::error::{ApiError, ApiResult};
use crate::services::moderation::accounts::{Actor, load};
use crate::services::moderation::action::target_position;
use crate::state::AppState;

/// Upstream's `CONTENT_SIZE_LIMIT`.
pub const CONTENT_LIMIT: usize = 2_000;

/// How many notes an account page shows.
const SHOWN: i64 = 40;

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: String,
    /// The author's acct (None when the author is gone).
    pub author: Option<String>,
    pub content: String,
    pub created_at: String,
    /// Whether the viewer wrote it (and so may remove it without a higher role).
    pub own: bool,
}

/// The newest notes about `target`, with their authors.
pub async fn for_target(ex: &mut Exec<'_>, actor: &Actor, target: i64) -> ApiResult<Vec<Note>> {
    let rows = moderation_notes::for_target(ex, target, SHOWN).await?;
    let mut author_ids: Vec<i64> = rows.iter().map(|n| n.account_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let authors = accounts::find_many(ex, &author_ids).await?;
    Ok(rows
        .into_iter()
        .map(|n| Note {
            id: n.id.to_string(),
            author: authors
                .iter()
                .find(|a| a.account.id == n.account_id)
                .map(|a| acct::acct(&a.account.username, a.account.domain.as_deref())),
            content: n.content,
            created_at: time::iso8601(n.created_at),
            own: actor.account_id == Some(n.account_id),
        })
        .collect())
}

/// Adds a note about account `target`: 404, permission, then the content's validation.
pub async fn create(state: &AppState, actor: &Actor, target: i64, content: &str) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    load(&mut ex, target).await?;
    actor.require(permissions::MANAGE_REPORTS)?;
    let author = actor.account_id.ok_or_else(ApiError::not_allowed)?;
    let content = content.trim();
    if content.is_empty() {
        return Err(ApiError::Unprocessable(
            "Validation failed: Content can't be blank".into(),
        ));
    }
    if content.chars().count() > CONTENT_LIMIT {
        return Err(ApiError::Unprocessable(format!(
            "Validation failed: Content is too long (maximum is {CONTENT_LIMIT} characters)"
        )));
    }
    let note = NoteRow {
        id: state.next_id(),
        account_id: author,
        target_account_id: target,
        content: content.to_owned(),
        created_at: time::now(),
    };
    moderation_notes::insert(&mut ex, &note).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a note; returns the account it was about.
pub async fn delete(state: &AppState, actor: &Actor, id: i64) -> ApiResult<i64> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let note = moderation_notes::find(&mut ex, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if actor.account_id != Some(note.account_id) {
        actor.require(permissions::MANAGE_REPORTS)?;
        let position = match accounts::find(&mut ex, note.account_id).await? {
            Some(author) if author.user_id.is_some() => {
                Some(target_position(&mut ex, &author).await?)
            }
            _ => None,
        };
        if !actor.standing.overrides(position) {
            return Err(ApiError::not_allowed());
        }
    }
    moderation_notes::delete(&mut ex, id).await?;
    tx.commit().await?;
    Ok(note.target_account_id)
}
