//! `POST /api/v1/apps` and `GET /api/v1/apps/verify_credentials`

use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_TYPE;
use serde_json::Value;

use crate::api_types::{Application, CredentialApplication};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::TokenAuth;
use crate::http::extract::params::{self, Params};
use crate::http::extract::scopes::AnyScope;
use crate::services::oauth::apps::{self, NewApp};
use crate::state::AppState;

fn parse_error() -> ApiError {
    ApiError::BadRequest("Error occurred while parsing request parameters".into())
}

/// The parameters of a registration: query, form, JSON, or `multipart/form-data` (which
/// browser clients send with `FormData`).
pub struct AppParams(Params);

impl FromRequest<AppState> for AppParams {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
        if !is_multipart {
            return Ok(Self(Params::from_request(req, state).await?));
        }
        let mut map = Params::from_query(req.uri().query().unwrap_or_default()).0;
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|_| parse_error())?;
        let mut total = 0usize;
        while let Some(field) = multipart.next_field().await.map_err(|_| parse_error())? {
            let name = field.name().unwrap_or_default().to_owned();
            let text = field.text().await.map_err(|_| parse_error())?;
            total += text.len();
            if total > params::MAX_BODY_BYTES {
                return Err(ApiError::PayloadTooLarge);
            }
            params::insert_path(&mut map, &name, Value::String(text));
        }
        Ok(Self(Params(map)))
    }
}

pub async fn create(
    State(state): State<AppState>,
    AppParams(params): AppParams,
) -> ApiResult<Json<CredentialApplication>> {
    // A string of URIs, or an array of them (joined as upstream does).
    let redirect_uris = match params.str("redirect_uris") {
        Some(s) => s,
        None => params.list("redirect_uris").join("\n"),
    };
    let app = NewApp {
        name: params.str("client_name").unwrap_or_default(),
        redirect_uris,
        // An array is not a permitted parameter upstream: it is dropped (default scope).
        scopes: params.str("scopes"),
        website: params.str("website"),
    };
    Ok(Json(apps::register(&state, app).await?))
}

pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: TokenAuth<AnyScope>,
) -> ApiResult<Json<Application>> {
    Ok(Json(
        apps::of_token(&state, auth.0.token.application_id).await?,
    ))
}
