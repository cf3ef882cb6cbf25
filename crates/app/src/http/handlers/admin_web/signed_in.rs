//! The console's extractors: [`Console`] (a signed-in person, or the sign-in page instead)
//! and [`ConsolePost`] (that, plus a form whose CSRF token matches the cookie).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::view;
use crate::http::extract::params::Params;
use crate::http::handlers::oauth::pages::{self, SignInPage};
use crate::http::handlers::oauth::web::{self, CSRF_FIELD, SESSION_COOKIE};
use crate::services::console::session::{self, ConsoleSession, Staff};
use crate::state::AppState;

/// A signed-in person and the page's CSRF token (with the cookie to set when it is new).
pub struct Console {
    pub staff: Staff,
    pub csrf: String,
    pub set_cookie: Option<String>,
}

const EXPIRED: &str = "Your session has expired. Please sign in again.";

/// The OAuth sign-in form, returning to the console page that was asked for.
fn sign_in(state: &AppState, parts: &Parts, error: Option<&str>) -> Response {
    let to = match (&parts.method, parts.uri.path_and_query()) {
        (&Method::GET, Some(pq)) => pq.as_str().to_owned(),
        _ => "/admin".to_owned(),
    };
    let page = SignInPage {
        return_to: &to,
        app_name: None,
        email: "",
        error,
    };
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    pages::sign_in(state, &parts.headers, status, &page)
}

impl FromRequestParts<AppState> for Console {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let secret = web::cookie(&parts.headers, SESSION_COOKIE);
        match session::resolve(state, secret.as_deref()).await {
            Ok(ConsoleSession::SignedIn(staff)) => {
                let (csrf, set_cookie) = web::csrf_token(state, &parts.headers);
                Ok(Self {
                    staff,
                    csrf,
                    set_cookie,
                })
            }
            Ok(ConsoleSession::None) => Err(sign_in(state, parts, None)),
            Ok(ConsoleSession::Expired) => Err(sign_in(state, parts, Some(EXPIRED))),
            Err(e) => Err(view::error_page(state, None, &e)),
        }
    }
}

/// A console form submission: signed in, and its `authenticity_token` equals the CSRF cookie
/// (422 otherwise, as Rails' InvalidAuthenticityToken; nothing is changed).
pub struct ConsolePost {
    pub console: Console,
    pub params: Params,
}

impl FromRequest<AppState> for ConsolePost {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let console = Console::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let params = Params::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !web::csrf_ok(&headers, params.str(CSRF_FIELD).as_deref()) {
            return Err(view::message_page(
                state,
                Some(&console),
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid authenticity token",
                "The form was stale or came from another site. Nothing was changed; go back, reload the page and try again.",
            ));
        }
        Ok(Self { console, params })
    }
}
