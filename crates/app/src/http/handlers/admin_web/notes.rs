//! `POST /admin/accounts/:id/notes` (add a staff note) and `POST /admin/notes/:id/delete`.

use axum::extract::{Path, State};
use axum::response::Response;

use super::{ConsolePost, view};
use crate::services::console::notes;
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let (state, actor) = (&state, &post.console.staff.actor);
    let content = post.params.str("content").unwrap_or_default();
    view::see_other_after(state, &post.console, &id, |id| async move {
        notes::create(state, actor, id, &content).await?;
        Ok(format!("/admin/accounts/{id}?done=note"))
    })
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let (state, actor) = (&state, &post.console.staff.actor);
    view::see_other_after(state, &post.console, &id, |id| async move {
        let account = notes::delete(state, actor, id).await?;
        Ok(format!("/admin/accounts/{account}?done=note_deleted"))
    })
    .await
}
