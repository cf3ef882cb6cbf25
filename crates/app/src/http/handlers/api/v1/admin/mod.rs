//! `/api/v1/admin/…`: the moderation API. Shared glue: the acting staff member, page
//! cursors, raw filter parameters and paginated responses with Link headers.

pub mod account_warnings;
pub mod accounts;
pub mod action_logs;
pub mod reports;

use axum::Json;
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::http::extract::Admin;
use crate::http::extract::params::{Params, scalar};
use crate::http::pagination::{Page, PrevCursor, link_header};
use crate::services::moderation::accounts::{Actor, Listed, PageReq};
use crate::services::moderation::filter::RawParams;

pub fn actor<S>(admin: &Admin<S>) -> Actor {
    Actor {
        standing: admin.standing,
        account_id: admin.account_id(),
    }
}

pub fn page(params: &Params, default: usize, max: usize) -> PageReq {
    let p = Page::from_params(params, default, max);
    PageReq {
        max_id: p.max_id,
        since_id: p.since_id,
        min_id: p.min_id,
        limit: p.limit,
    }
}

/// Scalar parameters and `role_ids[]`.
pub fn raw(params: &Params) -> RawParams {
    RawParams {
        scalars: params
            .0
            .iter()
            .filter_map(|(k, v)| scalar(v).map(|s| (k.clone(), s)))
            .collect(),
        role_ids: params.list("role_ids"),
    }
}

/// The page as JSON with upstream's Link header (`prev` uses `min_id`).
pub fn paginated<T: Serialize>(url: &str, listed: Listed<T>) -> Response {
    let link = link_header(
        url,
        &listed.carried,
        listed.ids.first().copied(),
        listed.ids.last().copied(),
        listed.full,
        PrevCursor::MinId,
    );
    let mut response = Json(listed.items).into_response();
    if let Some(link) = link {
        response.headers_mut().insert(LINK, link);
    }
    response
}

/// Upstream's `render_empty`: `{}`.
pub fn empty() -> Json<serde_json::Value> {
    Json(serde_json::json!({}))
}
