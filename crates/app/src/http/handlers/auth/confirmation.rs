//! `GET /auth/confirmation?confirmation_token=…`: the link of the confirmation mail.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, context};
use serde::Deserialize;

use crate::error::ApiError;
use crate::services::confirmation::{self, Outcome};
use crate::state::AppState;

const PAGE: &str = include_str!("../../../../templates/auth/confirmation.html");

#[derive(Debug, Deserialize)]
pub struct ConfirmationQuery {
    #[serde(default)]
    confirmation_token: String,
}

fn page(state: &AppState, status: StatusCode, heading: &str, message: &str) -> Response {
    let mut env = Environment::new();
    let rendered = env
        .add_template("confirmation.html", PAGE)
        .and_then(|()| env.get_template("confirmation.html"))
        .and_then(|t| {
            t.render(context! {
                title => &state.config().title,
                heading => heading,
                message => message,
            })
        });
    match rendered {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    Query(q): Query<ConfirmationQuery>,
) -> Response {
    match confirmation::confirm(&state, q.confirmation_token.trim()).await {
        Ok(Outcome::Confirmed) => page(
            &state,
            StatusCode::OK,
            "E-mail address confirmed",
            "Your email address has been successfully confirmed.",
        ),
        Ok(Outcome::Invalid) => page(
            &state,
            StatusCode::NOT_FOUND,
            "Confirmation failed",
            "Confirmation token is invalid.",
        ),
        Ok(Outcome::Expired) => page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Confirmation failed",
            "Email needs to be confirmed within 2 days, please request a new one.",
        ),
        Err(e) => e.into_response(),
    }
}
