//! `GET /admin/reports` (the queue: unresolved unless asked, by reporter or target),
//! `GET /admin/reports/:id` and its assign / unassign / resolve / reopen forms.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};

use super::{Console, ConsolePost, carried, link, view};
use crate::domain::admin_filters::{ReportFilter, TargetOrigin};
use crate::domain::ids::parse_id;
use crate::domain::params::ruby_to_i;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::params::Params;
use crate::http::pagination;
use crate::services::console::pages;
use crate::services::moderation::reports::{self as svc, ReportOp};
use crate::state::AppState;

const FILTERS: &[&str] = &[
    "resolved",
    "account_id",
    "target_account_id",
    "target_origin",
];
const PER_PAGE: usize = 100;

pub async fn index(State(state): State<AppState>, console: Console, params: Params) -> Response {
    let r = list(&state, &console, &params).await;
    view::or_error(&state, &console, r)
}

async fn list(state: &AppState, console: &Console, params: &Params) -> ApiResult<Response> {
    let filter = ReportFilter {
        resolved: params.present("resolved").is_some(),
        account_id: params.present("account_id").map(|v| ruby_to_i(&v)),
        target_account_id: params.present("target_account_id").map(|v| ruby_to_i(&v)),
        target_origin: params
            .present("target_origin")
            .and_then(|v| TargetOrigin::parse(&v)),
    };
    let kept = carried(params, FILTERS);
    let cursor = pagination::cursor(params, PER_PAGE, PER_PAGE);
    let listed = svc::list(state, &console.staff.actor, &filter, &cursor).await?;
    let older = listed.last.filter(|_| listed.full).map(|id| {
        let mut pairs = kept.clone();
        pairs.push(("max_id".to_owned(), id.to_string()));
        link("/admin/reports", &pairs)
    });
    let f: std::collections::BTreeMap<String, String> = kept.into_iter().collect();
    let ctx = context! {
        section => "reports",
        reports => Value::from_serialize(&listed.items),
        f,
        older,
    };
    Ok(view::render(
        state,
        console,
        StatusCode::OK,
        "reports.html",
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
        ("reports", "report.html"),
        done,
        |id| pages::report(&state, actor, id),
    )
    .await
}

async fn op(state: AppState, post: ConsolePost, id: String, op: ReportOp, name: &str) -> Response {
    let r = async {
        let id = parse_id(&id).ok_or(ApiError::NotFound)?;
        svc::apply(&state, &post.console.staff.actor, id, op).await?;
        Ok(view::see_other(&format!("/admin/reports/{id}?done={name}")))
    }
    .await;
    view::or_error(&state, &post.console, r)
}

pub async fn assign_to_self(
    State(s): State<AppState>,
    Path(id): Path<String>,
    p: ConsolePost,
) -> Response {
    op(s, p, id, ReportOp::AssignToSelf, "assign").await
}

pub async fn unassign(
    State(s): State<AppState>,
    Path(id): Path<String>,
    p: ConsolePost,
) -> Response {
    op(s, p, id, ReportOp::Unassign, "unassign").await
}

pub async fn resolve(
    State(s): State<AppState>,
    Path(id): Path<String>,
    p: ConsolePost,
) -> Response {
    op(s, p, id, ReportOp::Resolve, "resolve").await
}

pub async fn reopen(State(s): State<AppState>, Path(id): Path<String>, p: ConsolePost) -> Response {
    op(s, p, id, ReportOp::Reopen, "reopen").await
}
