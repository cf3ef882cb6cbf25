//! `/api/v1/admin/…`: the moderation API. Shared glue: the acting staff member, raw filter
//! parameters and the lists' Link headers.

pub mod account_warnings;
pub mod accounts;
pub mod action_logs;
pub mod domain_blocks;
pub mod reports;

use axum::Json;

use crate::http::extract::Admin;
use crate::http::extract::params::{Params, scalar};
use crate::http::pagination::{LinkTo, PrevCursor};
use crate::services::moderation::accounts::Actor;
use crate::services::moderation::filter::RawParams;

pub fn actor<S>(admin: &Admin<S>) -> Actor {
    Actor {
        standing: admin.standing,
        account_id: admin.account_id(),
    }
}

/// Where an admin list's links point: `prev` uses `min_id`, as upstream.
pub fn links(url: String, carried: Vec<(String, String)>) -> LinkTo {
    LinkTo {
        url,
        carried,
        prev: PrevCursor::MinId,
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

/// Upstream's `render_empty`: `{}`.
pub fn empty() -> Json<serde_json::Value> {
    Json(serde_json::json!({}))
}
