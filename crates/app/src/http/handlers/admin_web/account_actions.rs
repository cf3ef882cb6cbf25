//! The account page's forms: approve / enable / unsilence / unsensitive / unsuspend (one
//! click), reject and delete (after a confirmation page), and the moderation action (warn,
//! sensitive, silence, disable, suspend) with its text, preset, e-mail and linked report.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};

use super::{Console, ConsolePost, view};
use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::params::Params;
use crate::services::console::pages;
use crate::services::moderation::accounts::{self as svc, Op};
use crate::services::moderation::action::{self, ActionRequest};
use crate::state::AppState;

fn id_of(s: &str) -> ApiResult<i64> {
    parse_id(s).ok_or(ApiError::NotFound)
}

fn account_url(id: i64, done: &str) -> String {
    super::link(
        &format!("/admin/accounts/{id}"),
        &[("done".to_owned(), done.trim().to_owned())],
    )
}

async fn op(state: AppState, post: ConsolePost, id: String, op: Op, name: &str) -> Response {
    let r = async {
        let id = id_of(&id)?;
        svc::apply(&state, &post.console.staff.actor, id, op).await?;
        Ok(view::see_other(&account_url(id, name)))
    }
    .await;
    view::or_error(&state, &post.console, r)
}

pub async fn approve(
    State(s): State<AppState>,
    Path(id): Path<String>,
    p: ConsolePost,
) -> Response {
    op(s, p, id, Op::Approve, "approve").await
}

pub async fn enable(State(s): State<AppState>, Path(id): Path<String>, p: ConsolePost) -> Response {
    op(s, p, id, Op::Enable, "enable").await
}

pub async fn unsilence(
    State(s): State<AppState>,
    Path(id): Path<String>,
    p: ConsolePost,
) -> Response {
    op(s, p, id, Op::Unsilence, "unsilence").await
}

pub async fn unsensitive(
    State(s): State<AppState>,
    Path(id): Path<String>,
    p: ConsolePost,
) -> Response {
    op(s, p, id, Op::Unsensitive, "unsensitive").await
}

pub async fn unsuspend(
    State(s): State<AppState>,
    Path(id): Path<String>,
    p: ConsolePost,
) -> Response {
    op(s, p, id, Op::Unsuspend, "unsuspend").await
}

/// What a confirmation page asks.
struct Confirm {
    kind: &'static str,
    title: &'static str,
    text: &'static str,
    button: &'static str,
}

const REJECT: Confirm = Confirm {
    kind: "reject",
    title: "Reject this sign-up?",
    text: "The pending account and its user are deleted for good. This cannot be undone.",
    button: "Reject and delete",
};

const DELETE: Confirm = Confirm {
    kind: "delete",
    title: "Delete this account's data?",
    text: "Everything the suspended account posted and uploaded is deleted now instead of after the grace period. The account stays suspended as an empty tombstone. This cannot be undone.",
    button: "Delete data",
};

/// The confirmation page of a destructive action, over the account as the API shows it.
async fn confirm(state: AppState, console: Console, id: String, c: Confirm) -> Response {
    let r = async {
        let id = id_of(&id)?;
        let account = svc::show(&state, &console.staff.actor, id).await?;
        let ctx = context! {
            section => "accounts",
            account => Value::from_serialize(&account),
            title => c.title,
            text => c.text,
            button => c.button,
            action => format!("/admin/accounts/{id}/{}", c.kind),
            cancel => format!("/admin/accounts/{id}"),
        };
        Ok(view::render(
            &state,
            &console,
            StatusCode::OK,
            "confirm.html",
            ctx,
        ))
    }
    .await;
    view::or_error(&state, &console, r)
}

pub async fn confirm_reject(
    State(s): State<AppState>,
    Path(id): Path<String>,
    console: Console,
) -> Response {
    confirm(s, console, id, REJECT).await
}

pub async fn confirm_delete(
    State(s): State<AppState>,
    Path(id): Path<String>,
    console: Console,
) -> Response {
    confirm(s, console, id, DELETE).await
}

/// `POST /admin/accounts/:id/reject`: back to the pending sign-ups.
pub async fn reject(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let r = async {
        svc::reject(&state, &post.console.staff.actor, id_of(&id)?).await?;
        Ok(view::see_other(
            "/admin/accounts?status=pending&done=reject",
        ))
    }
    .await;
    view::or_error(&state, &post.console, r)
}

/// `POST /admin/accounts/:id/delete`
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let r = async {
        let id = id_of(&id)?;
        svc::delete(&state, &post.console.staff.actor, id).await?;
        Ok(view::see_other(&account_url(id, "delete")))
    }
    .await;
    view::or_error(&state, &post.console, r)
}

/// The action types the form offers, with their labels.
const TYPES: &[(&str, &str)] = &[
    ("none", "Warn"),
    ("sensitive", "Mark media as sensitive"),
    ("silence", "Limit (silence)"),
    ("disable", "Freeze login (disable)"),
    ("suspend", "Suspend"),
];

/// `GET /admin/accounts/:id/action?type=…&report_id=…`: the action form.
pub async fn form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    console: Console,
    params: Params,
) -> Response {
    let r = async {
        let id = id_of(&id)?;
        let data = pages::account(&state, &console.staff.actor, id).await?;
        let kind = params
            .present("type")
            .filter(|t| TYPES.iter().any(|(k, _)| k == t))
            .unwrap_or_else(|| "none".to_owned());
        let types: Vec<Value> = TYPES
            .iter()
            .map(|(value, label)| context! { value, label })
            .collect();
        let ctx = context! {
            section => "accounts",
            p => Value::from_serialize(&data),
            kind,
            types,
            report_id => params.present("report_id"),
        };
        Ok(view::render(
            &state,
            &console,
            StatusCode::OK,
            "action.html",
            ctx,
        ))
    }
    .await;
    view::or_error(&state, &console, r)
}

/// `POST /admin/accounts/:id/action`: back to the report it came from, else the account.
pub async fn perform(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: ConsolePost,
) -> Response {
    let p = &post.params;
    let r = async {
        let id = id_of(&id)?;
        let report_id = p.present("report_id").map(|v| parse_id(&v).unwrap_or(0));
        let kind = p.str("type");
        let req = ActionRequest {
            kind: kind.clone(),
            report_id,
            warning_preset_id: p
                .present("warning_preset_id")
                .map(|v| parse_id(&v).unwrap_or(0)),
            text: p.str("text"),
            // an unchecked box is absent from the form
            send_email_notification: p.bool("send_email_notification").unwrap_or(false),
        };
        action::perform(&state, &post.console.staff.actor, id, req).await?;
        let done = kind.unwrap_or_default();
        Ok(view::see_other(&match report_id {
            Some(rid) => super::link(
                &format!("/admin/reports/{rid}"),
                &[("done".to_owned(), done.trim().to_owned())],
            ),
            None => account_url(id, &done),
        }))
    }
    .await;
    view::or_error(&state, &post.console, r)
}
