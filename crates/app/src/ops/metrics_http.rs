//! The HTTP side of the metrics (`ops::metrics`): the layer that counts every request and the
//! metrics listener's `GET /metrics`.

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::metrics::{Gauges, RequestLabels};
use crate::state::AppState;

/// Counts and times every request by its route template (a layer on the main router).
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let labels = RequestLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    state
        .metrics()
        .observe_request(&labels, started.elapsed().as_secs_f64());
    response
}

/// The metrics listener's router: `GET /metrics` only.
pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(show)).with_state(state)
}

async fn show(State(state): State<AppState>) -> Response {
    let federation_jobs = crate::services::federation::worker::queue_depth(&state)
        .await
        .ok();
    match state.metrics().render(&gauges(&state, federation_jobs)) {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering metrics failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn gauges(state: &AppState, federation_jobs: Option<(i64, i64)>) -> Gauges {
    let (pool_size, pool_idle, pool_max) = state.db().pool_stats();
    let (fence_rounds, fence_reads) = state.db().fence_stats();
    Gauges {
        fence_rounds,
        fence_reads,
        pool_size,
        pool_idle,
        pool_max,
        link_checks: state.verify_jobs().running(),
        outbound: state.fetch_slots().in_flight(),
        federation_jobs,
    }
}
