//! Before any request is handled, the data generation takes in every commit that finished
//! before the request arrived, whichever process made it (`Db::fence`; see
//! `db::pg_generation` for why a notification alone is not enough). Cached renderings,
//! viewers and relationship pages are then never older than the request. On PostgreSQL the
//! request waits for a shared snapshot read that began after it arrived
//! (`db::fence_rounds`); on SQLite this is free.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

pub async fn fence(State(state): State<AppState>, request: Request, next: Next) -> Response {
    state.db().fence().await;
    next.run(request).await
}
