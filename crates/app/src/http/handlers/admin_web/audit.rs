//! `GET /admin/action_logs` (the audit trail, by actor, target and action) and
//! `POST /admin/strikes/:id/overrule`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};

use super::{Console, ConsolePost, carried, link, view};
use crate::domain::admin_filters::LogFilter;
use crate::domain::params::ruby_to_i;
use crate::error::ApiResult;
use crate::http::extract::params::Params;
use crate::http::pagination;
use crate::services::moderation::{logs, strikes};
use crate::state::AppState;

const FILTERS: &[&str] = &["account_id", "target_account_id", "action"];
const PER_PAGE: usize = 100;

/// The actions the audit trail records (docs/admin-action-logs.md), for the filter.
const ACTIONS: &[&str] = &[
    "approve",
    "reject",
    "create",
    "disable",
    "enable",
    "sensitive",
    "unsensitive",
    "silence",
    "unsilence",
    "suspend",
    "unsuspend",
    "destroy",
    "overrule",
    "assigned_to_self",
    "unassigned",
    "resolve",
    "reopen",
];

pub async fn index(State(state): State<AppState>, console: Console, params: Params) -> Response {
    let r = list(&state, &console, &params).await;
    view::or_error(&state, &console, r)
}

async fn list(state: &AppState, console: &Console, params: &Params) -> ApiResult<Response> {
    let filter = LogFilter {
        account_id: params.present("account_id").map(|v| ruby_to_i(&v)),
        target_account_id: params.present("target_account_id").map(|v| ruby_to_i(&v)),
        action: params.present("action").map(|v| v.trim().to_owned()),
    };
    let kept = carried(params, FILTERS);
    let cursor = pagination::cursor(params, PER_PAGE, PER_PAGE);
    let listed = logs::list(state, &console.staff.actor, &filter, &cursor).await?;
    let older = listed.last.filter(|_| listed.full).map(|id| {
        let mut pairs = kept.clone();
        pairs.push(("max_id".to_owned(), id.to_string()));
        link("/admin/action_logs", &pairs)
    });
    let f: std::collections::BTreeMap<String, String> = kept.into_iter().collect();
    let ctx = context! {
        section => "audit",
        entries => Value::from_serialize(&listed.items),
        actions => ACTIONS,
        f,
        older,
    };
    Ok(view::render(
        state,
        console,
        StatusCode::OK,
        "action_logs.html",
        ctx,
    ))
}

/// Overrules a strike; back to its account's page.
pub async fn overrule(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let (state, actor) = (&state, &post.console.staff.actor);
    view::see_other_after(state, &post.console, &id, |id| async move {
        let strike = strikes::overrule(state, actor, id).await?;
        let account = strike.warning.target_account.id;
        Ok(format!("/admin/accounts/{account}?done=overrule"))
    })
    .await
}
