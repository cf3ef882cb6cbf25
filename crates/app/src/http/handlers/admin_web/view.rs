//! Rendering console pages: the minijinja templates (embedded, parsed once), the context every
//! page shares, HTML responses with the console's security headers, and error pages.

use std::sync::OnceLock;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::{Environment, Value, context};

use super::Console;
use crate::domain::ids::parse_id;
use crate::domain::permissions;
use crate::error::ApiError;
use crate::http::handlers::oauth::web;
use crate::state::AppState;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../../templates/admin/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "layout.html",
    "macros.html",
    "home.html",
    "accounts.html",
    "account.html",
    "action.html",
    "confirm.html",
    "reports.html",
    "report.html",
    "action_logs.html",
    "message.html",
);

/// The console's stylesheet (light and dark, phone and desktop).
pub const STYLESHEET: &str = include_str!("../../../../templates/admin/console.css");

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(%error, template = name, "console template does not parse");
            }
        }
        env
    })
}

/// What every page's layout needs: who is signed in, which sections their role opens, the
/// CSRF token of its forms.
fn base(state: &AppState, console: Option<&Console>) -> Value {
    let instance = state.config().title.clone();
    match console {
        Some(c) => {
            let s = c.staff.standing;
            context! {
                instance,
                me => c.staff.username,
                csrf => c.csrf,
                can_users => s.can(permissions::MANAGE_USERS),
                can_reports => s.can(permissions::MANAGE_REPORTS),
                can_audit => s.can(permissions::VIEW_AUDIT_LOG),
                can_delete => s.can(permissions::DELETE_USER_DATA),
            }
        }
        None => context! { instance },
    }
}

/// Renders `name` with the page's context over the shared one.
pub fn render(
    state: &AppState,
    console: &Console,
    status: StatusCode,
    name: &str,
    page: Value,
) -> Response {
    let ctx = context! { ..page, ..base(state, Some(console)) };
    let cookies: Vec<String> = console.set_cookie.iter().cloned().collect();
    match environment().get_template(name).and_then(|t| t.render(ctx)) {
        Ok(body) => html(status, body, &cookies),
        Err(error) => {
            tracing::error!(%error, template = name, "console rendering failed");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error".into(),
                &[],
            )
        }
    }
}

/// A page with a heading and one paragraph (errors, refusals).
pub fn message_page(
    state: &AppState,
    console: Option<&Console>,
    status: StatusCode,
    title: &str,
    text: &str,
) -> Response {
    let ctx = context! { title, text, status => status.as_u16(), ..base(state, console) };
    match environment()
        .get_template("message.html")
        .and_then(|t| t.render(ctx))
    {
        Ok(body) => html(status, body, &[]),
        Err(error) => {
            tracing::error!(%error, "console rendering failed");
            html(status, title.to_owned(), &[])
        }
    }
}

/// A service's refusal as a page with the API's status and message.
pub fn error_page(state: &AppState, console: Option<&Console>, e: &ApiError) -> Response {
    if matches!(e, ApiError::Internal(_) | ApiError::Conflict(_)) {
        tracing::error!(error = %e, "console request failed");
    }
    let status = e.status();
    let message = e.body()["error"]
        .as_str()
        .unwrap_or("Something went wrong")
        .to_owned();
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "That did not work",
        _ => "Something went wrong",
    };
    message_page(state, console, status, title, &message)
}

/// Either the page, or the service's error as a page.
/// One record's page (an account, a report): `load` the data of the `:id` in the path and
/// render it as `p` in `template`, or the error page.
pub async fn detail_page<T, F, Fut>(
    state: &AppState,
    console: &Console,
    raw_id: &str,
    (section, template): (&str, &str),
    done: Option<String>,
    load: F,
) -> Response
where
    T: serde::Serialize,
    F: FnOnce(i64) -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let r = match parse_id(raw_id) {
        Some(id) => load(id).await.map(|data| {
            let ctx = context! {
                section => section,
                p => Value::from_serialize(&data),
                done => done,
            };
            render(state, console, StatusCode::OK, template, ctx)
        }),
        None => Err(ApiError::NotFound),
    };
    or_error(state, console, r)
}

pub fn or_error(state: &AppState, console: &Console, r: Result<Response, ApiError>) -> Response {
    r.unwrap_or_else(|e| error_page(state, Some(console), &e))
}

/// Runs a console form's `act` on the object whose id is the path's `id` (404 when it is no
/// id): a 303 to the page `act` names, or the error page.
pub async fn see_other_after<F, Fut>(
    state: &AppState,
    console: &Console,
    id: &str,
    act: F,
) -> Response
where
    F: FnOnce(i64) -> Fut,
    Fut: Future<Output = Result<String, ApiError>>,
{
    let r = match parse_id(id) {
        Some(id) => act(id).await.map(|to| see_other(&to)),
        None => Err(ApiError::NotFound),
    };
    or_error(state, console, r)
}

/// A 303 to another console page after a form (so reloading does not post again).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(location) {
        h.insert(header::LOCATION, v);
    }
    security_headers(h);
    response
}

pub fn html(status: StatusCode, body: String, cookies: &[String]) -> Response {
    web::html_page(status, body, cookies, security_headers)
}

/// The console's own stylesheet and avatars of any origin; no script, no framing.
fn security_headers(h: &mut HeaderMap) {
    web::private_page_headers(
        h,
        "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "same-origin",
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}
