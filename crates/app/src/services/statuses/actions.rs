//! Deleting, reblogging and pinning statuses.

use crate::api_types::Status;
use crate::db::Exec;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::media_attachments;
use crate::db::repo::statuses::{self, Counter, NewStatus, StatusRow};
use crate::db::repo::users::UserRow;
use crate::db::repo::{featured_tags, tags};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::ratelimit::Hit;
use crate::services::media_attachments::delete_keys;
use crate::services::streaming::Outbox;
use crate::state::AppState;

use super::create::{default_visibility, hit_family};
use super::render::{RenderOptions, render_status, status_for};
use super::{DIRECT, PRIVATE, PUBLIC, UNLISTED, find_visible, parse_visibility};

/// Upstream `StatusPinValidator::PIN_LIMIT`.
pub const PIN_LIMIT: i64 = 5;

/// Removes a status row and undoes its counters (upstream `Status#decrement_counter_caches`).
pub(crate) async fn remove(ex: &mut Exec<'_>, s: &StatusRow, now: i64) -> ApiResult<()> {
    let tag_ids = tags::ids_of_status(ex, s.id).await?;
    statuses::delete(ex, s.id).await?;
    if s.visibility <= UNLISTED {
        featured_tags::recount(ex, s.account_id, &tag_ids).await?;
    }
    if s.visibility == DIRECT {
        return Ok(());
    }
    statuses::bump_account(ex, s.account_id, -1, now).await?;
    if let Some(original) = s.reblog_of_id {
        statuses::bump_counter(ex, original, Counter::Reblogs, -1).await?;
    }
    if let Some(thread) = s.in_reply_to_id
        && s.visibility <= UNLISTED
    {
        statuses::bump_counter(ex, thread, Counter::Replies, -1).await?;
    }
    Ok(())
}

/// `DELETE /api/v1/statuses/:id`: the caller's own status, with its reblogs. Attachments are
/// detached for a re-draft, or deleted with their files when `delete_media`.
pub async fn delete(state: &AppState, me: i64, id: i64, delete_media: bool) -> ApiResult<Status> {
    let base = state.base_url();
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let s = statuses::find(&mut ex, id)
        .await?
        .filter(|s| s.account_id == me)
        .ok_or(ApiError::NotFound)?;
    let opts = RenderOptions {
        base_url: &base,
        viewer: Some(me),
        source_requested: true,
    };
    let rendered = render_status(&mut ex, opts, &s).await?;
    let mut outbox = Outbox::default();
    outbox.status_deleted(state, &mut ex, &s).await?;
    for (reblog_id, account_id, visibility) in statuses::reblogs_of(&mut ex, id).await? {
        if state.bus().anyone_listening()
            && let Some(reblog) = statuses::find(&mut ex, reblog_id).await?
        {
            outbox.status_deleted(state, &mut ex, &reblog).await?;
        }
        statuses::delete(&mut ex, reblog_id).await?;
        if visibility != DIRECT {
            statuses::bump_account(&mut ex, account_id, -1, now).await?;
        }
    }
    let keys = if delete_media {
        media_attachments::delete_of_status(&mut ex, id).await?
    } else {
        media_attachments::detach_from_status(&mut ex, id).await?;
        Vec::new()
    };
    crate::services::federation::note_doc::deliver_delete(state, &mut ex, &s).await?;
    remove(&mut ex, &s, now).await?;
    tx.commit().await?;
    outbox.send(state);
    delete_keys(state, keys).await;
    Ok(rendered)
}

/// `POST /api/v1/statuses/:id/reblog` (upstream `ReblogService`): the reblog, wrapping the
/// original; an existing reblog is returned as is.
pub async fn reblog(
    state: &AppState,
    me: &AccountRecord,
    user: &UserRow,
    id: i64,
    visibility: Option<String>,
) -> ApiResult<(Status, Option<Hit>)> {
    let my_id = me.account.id;
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let (mut original, _) = find_visible(&mut ex, Some(my_id), id).await?;
    if let Some(proper) = original.reblog_of_id {
        original = find_visible(&mut ex, Some(my_id), proper).await?.0;
    }
    let owned = original.account_id == my_id;
    let blocking_author = !owned && statuses::blocks(&mut ex, my_id, original.account_id).await?;
    if original.visibility >= DIRECT
        || (original.visibility == PRIVATE && !owned)
        || blocking_author
    {
        return Err(ApiError::not_allowed());
    }
    if let Some(existing) = statuses::find_reblog(&mut ex, my_id, original.id).await? {
        drop(conn);
        return Ok((status_for(state, Some(my_id), &existing).await?, None));
    }
    let visibility = reblog_visibility(&original, me, user, visibility)?;
    drop(conn);
    let hit = hit_family(state, my_id).await?;
    let now = time::now();
    let rid = state.next_id();
    let row = NewStatus {
        uri: None,
        url: None,
        created_at: now,
        id: rid,
        account_id: my_id,
        text: "",
        content_html: "",
        spoiler_text: "",
        visibility,
        sensitive: false,
        language: None,
        in_reply_to_id: None,
        in_reply_to_account_id: None,
        reblog_of_id: Some(original.id),
        application_id: None,
        has_media: false,
        now,
    };
    let stored = store_reblog(state, &row, &original).await?;
    Ok((status_for(state, Some(my_id), &stored).await?, hit))
}

/// The visibility of a reblog: the original's when it is private or direct, else the asked
/// one (or the user's default); public becomes unlisted for a silenced account.
fn reblog_visibility(
    original: &StatusRow,
    me: &AccountRecord,
    user: &UserRow,
    asked: Option<String>,
) -> ApiResult<i64> {
    if original.visibility >= PRIVATE {
        return Ok(original.visibility);
    }
    let name = asked
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default_visibility(me, user));
    let visibility = parse_visibility(&name).ok_or_else(|| {
        ApiError::Unprocessable("Validation failed: Visibility is not included in the list".into())
    })?;
    Ok(
        if visibility == PUBLIC && me.account.silenced_at.is_some() {
            UNLISTED
        } else {
            visibility
        },
    )
}

/// Stores the reblog `row` of `original` with its counters and notification, unless one was
/// stored meanwhile (that one is answered).
async fn store_reblog(
    state: &AppState,
    row: &NewStatus<'_>,
    original: &StatusRow,
) -> ApiResult<StatusRow> {
    let (rid, my_id, now) = (row.id, row.account_id, row.now);
    let owned = original.account_id == my_id;
    let mut outbox = Outbox::default();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    if let Some(existing) = statuses::find_reblog(&mut ex, my_id, original.id).await? {
        return Ok(existing);
    }
    statuses::insert(&mut ex, row).await?;
    statuses::bump_counter(&mut ex, original.id, Counter::Reblogs, 1).await?;
    if row.visibility != DIRECT {
        statuses::bump_account(&mut ex, my_id, 1, now).await?;
    }
    if !owned
        && !statuses::excluded(&mut ex, original.account_id, my_id, now).await?
        && is_local_user(&mut ex, original.account_id).await?
    {
        let nid = state.next_id();
        statuses::notify(
            &mut ex,
            nid,
            (original.account_id, my_id),
            "reblog",
            rid,
            now,
        )
        .await?;
        outbox.notification(original.account_id, nid);
    }
    let stored = statuses::find(&mut ex, rid)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    outbox.status_created(rid);
    outbox.send(state);
    Ok(stored)
}

async fn is_local_user(ex: &mut Exec<'_>, account_id: i64) -> ApiResult<bool> {
    Ok(crate::db::repo::accounts::find(ex, account_id)
        .await?
        .is_some_and(|r| r.account.domain.is_none() && r.user_id.is_some()))
}

/// `POST /api/v1/statuses/:id/unreblog`: removes the caller's reblog; answers the original.
pub async fn unreblog(state: &AppState, me: i64, id: i64) -> ApiResult<Status> {
    let now = time::now();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let mut outbox = Outbox::default();
    let original = match statuses::find_reblog(&mut ex, me, id).await? {
        Some(reblog) => {
            outbox.status_deleted(state, &mut ex, &reblog).await?;
            remove(&mut ex, &reblog, now).await?;
            statuses::find(&mut ex, id)
                .await?
                .ok_or(ApiError::NotFound)?
        }
        None => find_visible(&mut ex, Some(me), id).await?.0,
    };
    tx.commit().await?;
    outbox.send(state);
    status_for(state, Some(me), &original).await
}

/// `POST /api/v1/statuses/:id/pin` with upstream's `StatusPinValidator`.
pub async fn pin(state: &AppState, me: &AccountRecord, id: i64) -> ApiResult<Status> {
    let my_id = me.account.id;
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let (s, _) = find_visible(&mut ex, Some(my_id), id).await?;
    let mut errors: Vec<&str> = Vec::new();
    if s.reblog_of_id.is_some() {
        errors.push("A boost cannot be pinned");
    }
    if s.account_id != my_id {
        errors.push("Someone else's post cannot be pinned");
    }
    if s.visibility == DIRECT {
        errors.push("Posts that are only visible to mentioned users cannot be pinned");
    }
    if me.account.domain.is_none() && statuses::pin_count(&mut ex, my_id).await? >= PIN_LIMIT {
        errors.push("You have already pinned the maximum number of posts");
    }
    if !errors.is_empty() {
        return Err(ApiError::Unprocessable(format!(
            "Validation failed: {}",
            errors.join(", ")
        )));
    }
    statuses::insert_pin(&mut ex, state.next_id(), my_id, id, time::now()).await?;
    tx.commit().await?;
    status_for(state, Some(my_id), &s).await
}

/// `POST /api/v1/statuses/:id/unpin`.
pub async fn unpin(state: &AppState, me: i64, id: i64) -> ApiResult<Status> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let (s, _) = find_visible(&mut ex, Some(me), id).await?;
    statuses::delete_pin(&mut ex, me, id).await?;
    tx.commit().await?;
    status_for(state, Some(me), &s).await
}
