//! `POST /admin/accounts/:id/notes` (add a staff note) and `POST /admin/notes/:id/delete`.

use axum::extract::{Path, State};
use axum::response::Response;

use super::{ConsolePost, view};
use crate::domain::ids::parse_id;
use crate::error::ApiError;
use crate::services::console::notes;
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let r = async {
        let id = parse_id(&id).ok_or(ApiError::NotFound)?;
        let content = post.params.str("content").unwrap_or_default();
        notes::create(&state, &post.console.staff.actor, id, &content).await?;
        Ok(view::see_other(&format!("/admin/accounts/{id}?done=note")))
    }
    .await;
    view::or_error(&state, &post.console, r)
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let r = async {
        let id = parse_id(&id).ok_or(ApiError::NotFound)?;
        let account = notes::delete(&state, &post.console.staff.actor, id).await?;
        Ok(view::see_other(&format!(
            "/admin/accounts/{account}?done=note_deleted"
        )))
    }
    .await;
    view::or_error(&state, &post.console, r)
}
