//! The HTML pages of the flow, rendered with minijinja from templates embedded in the binary.

use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Environment, Value, context};

use super::scope_text;
use super::web::{csrf_token, html};
use crate::api_types::oauth::OAuthError;
use crate::services::oauth::authorize::PreAuth;
use crate::state::AppState;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "layout.html",
        include_str!("../../../../templates/oauth/layout.html"),
    ),
    (
        "sign_in.html",
        include_str!("../../../../templates/oauth/sign_in.html"),
    ),
    (
        "consent.html",
        include_str!("../../../../templates/oauth/consent.html"),
    ),
    (
        "hidden_fields.html",
        include_str!("../../../../templates/oauth/hidden_fields.html"),
    ),
    (
        "native.html",
        include_str!("../../../../templates/oauth/native.html"),
    ),
    (
        "error.html",
        include_str!("../../../../templates/oauth/error.html"),
    ),
];

fn render(name: &str, ctx: Value) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    for (n, source) in TEMPLATES {
        env.add_template(n, source)?;
    }
    env.get_template(name)?.render(ctx)
}

/// Renders a page; a template failure is logged and becomes a bare 500.
fn page(status: StatusCode, name: &str, ctx: Value, cookies: &[String]) -> Response {
    match render(name, ctx) {
        Ok(body) => html(status, body, cookies),
        Err(error) => {
            tracing::error!(%error, template = name, "rendering failed");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error".into(),
                &[],
            )
        }
    }
}

/// What the sign-in page shows.
pub struct SignInPage<'a> {
    pub return_to: &'a str,
    pub app_name: Option<&'a str>,
    pub email: &'a str,
    pub error: Option<&'a str>,
}

pub fn sign_in(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    status: StatusCode,
    p: &SignInPage<'_>,
) -> Response {
    let (csrf, set) = csrf_token(state, headers);
    let ctx = context! {
        instance => state.config().title,
        csrf,
        return_to => p.return_to,
        app_name => p.app_name,
        email => p.email,
        error => p.error,
    };
    page(
        status,
        "sign_in.html",
        ctx,
        &set.into_iter().collect::<Vec<_>>(),
    )
}

pub fn consent(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    pre: &PreAuth,
    username: &str,
) -> Response {
    let (csrf, set) = csrf_token(state, headers);
    let scopes: Vec<Value> = pre
        .scopes
        .iter()
        .map(|s| context! { name => s, description => scope_text::describe(s) })
        .collect();
    let ctx = context! {
        instance => state.config().title,
        csrf,
        app_name => pre.app.name,
        username,
        scopes,
        client_id => pre.app.client_id,
        redirect_uri => pre.redirect_uri,
        state => pre.state.clone().unwrap_or_default(),
        scope => pre.scopes.to_string(),
        code_challenge => pre.code_challenge.clone().unwrap_or_default(),
        code_challenge_method => pre.code_challenge_method.clone().unwrap_or_default(),
    };
    page(
        StatusCode::OK,
        "consent.html",
        ctx,
        &set.into_iter().collect::<Vec<_>>(),
    )
}

pub fn native(state: &AppState, code: &str) -> Response {
    let ctx = context! { instance => state.config().title, code };
    page(StatusCode::OK, "native.html", ctx, &[])
}

pub fn error(state: &AppState, status: StatusCode, e: &OAuthError) -> Response {
    let ctx = context! {
        instance => state.config().title,
        error => e.error,
        description => e.error_description,
    };
    page(status, "error.html", ctx, &[])
}
