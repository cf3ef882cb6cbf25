//! `GET /admin/accounts` (the v2 filters as a form, newest first, 100 a page) and
//! `GET /admin/accounts/:id` (the account's history on one screen).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};

use super::{Console, carried, link, view};
use crate::error::ApiResult;
use crate::http::extract::params::Params;
use crate::http::handlers::api::v1::admin::raw;
use crate::http::pagination;
use crate::services::console::pages;
use crate::state::AppState;

/// The v2 filter keys the form carries (`role_ids[]` besides).
pub const FILTERS: &[&str] = &[
    "origin",
    "status",
    "permissions",
    "username",
    "display_name",
    "email",
    "ip",
    "by_domain",
    "invited_by",
];

/// One page of the list: 100 accounts.
pub const PER_PAGE: usize = 100;

pub async fn index(State(state): State<AppState>, console: Console, params: Params) -> Response {
    let r = list(&state, &console, &params).await;
    view::or_error(&state, &console, r)
}

async fn list(state: &AppState, console: &Console, params: &Params) -> ApiResult<Response> {
    let cursor = pagination::cursor(params, PER_PAGE, PER_PAGE);
    let found = pages::accounts(state, &console.staff.actor, &raw(params), &cursor).await?;
    let role_ids: Vec<String> = params
        .list("role_ids")
        .into_iter()
        .filter(|r| !r.trim().is_empty())
        .collect();
    let mut kept = carried(params, FILTERS);
    kept.extend(
        role_ids
            .iter()
            .map(|r| ("role_ids[]".to_owned(), r.clone())),
    );
    let at = |key: &str, id: Option<i64>| {
        id.map(|id| {
            let mut pairs = kept.clone();
            pairs.push((key.to_owned(), id.to_string()));
            link("/admin/accounts", &pairs)
        })
    };
    let listed = &found.listed;
    let older = if listed.full {
        at("max_id", listed.last)
    } else {
        None
    };
    let paged = params.present("max_id").is_some() || params.present("min_id").is_some();
    let newer = if paged {
        at("min_id", listed.first)
    } else {
        None
    };
    let filters: std::collections::BTreeMap<String, String> = kept.iter().cloned().collect();
    let ctx = context! {
        section => "accounts",
        accounts => Value::from_serialize(&listed.items),
        facts => Value::from_serialize(&found.facts),
        roles => Value::from_serialize(&found.roles),
        f => filters,
        role_ids,
        older,
        newer,
        filtered => !kept.is_empty(),
        done => params.present("done"),
    };
    Ok(view::render(
        state,
        console,
        StatusCode::OK,
        "accounts.html",
        ctx,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    params: Params,
) -> Response {
    let done = params.present("done");
    let actor = &console.staff.actor;
    view::detail_page(
        &state,
        &console,
        &id,
        ("accounts", "account.html"),
        done,
        |id| pages::account(&state, actor, id),
    )
    .await
}
