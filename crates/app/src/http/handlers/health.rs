//! `GET /health`: `OK` while the database answers, 503 while it does not (`ops::health`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> Response {
    if state.database_answers().await {
        "OK".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}
