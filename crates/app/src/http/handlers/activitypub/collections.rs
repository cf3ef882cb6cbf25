//! `GET /users/:username/{followers,following,outbox,collections/featured}` and a status as
//! a `Note` (`GET /users/:username/statuses/:id`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use super::{activity_json, wants_activity_json};
use crate::error::{ApiError, ApiResult};
use crate::services::federation::collections::{self, OutboxQuery};
use crate::state::AppState;

type Params = Query<HashMap<String, String>>;

/// Rails' `truthy_param?`: present and not one of its false values.
fn truthy(q: &HashMap<String, String>, key: &str) -> bool {
    q.get(key).is_some_and(|v| {
        !matches!(
            v.as_str(),
            "" | "0" | "f" | "F" | "false" | "FALSE" | "off" | "OFF"
        )
    })
}

fn id_param(q: &HashMap<String, String>, key: &str) -> Option<i64> {
    q.get(key).map(|v| crate::domain::params::ruby_to_i(v))
}

pub async fn followers(
    State(state): State<AppState>,
    Path(u): Path<String>,
    Query(q): Params,
) -> ApiResult<Response> {
    let page = q.get("page").map(String::as_str);
    Ok(activity_json(
        &collections::graph(&state, &u, true, page).await?,
    ))
}

pub async fn following(
    State(state): State<AppState>,
    Path(u): Path<String>,
    Query(q): Params,
) -> ApiResult<Response> {
    let page = q.get("page").map(String::as_str);
    Ok(activity_json(
        &collections::graph(&state, &u, false, page).await?,
    ))
}

pub async fn outbox(
    State(state): State<AppState>,
    Path(u): Path<String>,
    Query(q): Params,
) -> ApiResult<Response> {
    let query = OutboxQuery {
        page: truthy(&q, "page"),
        max_id: id_param(&q, "max_id"),
        min_id: id_param(&q, "min_id"),
        since_id: id_param(&q, "since_id"),
    };
    Ok(activity_json(
        &collections::outbox(&state, &u, query).await?,
    ))
}

pub async fn featured(State(state): State<AppState>, Path(u): Path<String>) -> ApiResult<Response> {
    Ok(activity_json(&collections::featured(&state, &u).await?))
}

/// A status at its `uri`: the `Note` for ActivityPub clients, its web page otherwise.
pub async fn status(
    State(state): State<AppState>,
    Path((username, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = crate::domain::ids::parse_id(&id).ok_or(ApiError::NotFound)?;
    if !wants_activity_json(&headers) {
        let to = format!("{}/@{username}/{id}", state.base_url());
        return Ok(Redirect::to(&to).into_response());
    }
    Ok(activity_json(
        &collections::note_document(&state, &username, id).await?,
    ))
}
