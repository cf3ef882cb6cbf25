//! `GET /api/v1/accounts/:id/identity_proofs`: removed upstream in 3.5 but still routed for
//! old clients: a signed-in user gets `[]` with a `Deprecation` header (no scope is checked).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

use crate::domain::ids::parse_id;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::MaybeUser;
use crate::http::extract::scopes::AnyScope;
use crate::services::{accounts, viewer};
use crate::state::AppState;

/// Upstream's deprecation date of identity proofs (2022-03-30), as an RFC 9745 timestamp.
const DEPRECATION: &str = "@1648598400";

pub async fn identity_proofs(
    State(state): State<AppState>,
    auth: MaybeUser<AnyScope>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let Some(v) = auth.viewer.as_deref() else {
        return Err(ApiError::Unprocessable(
            "This method requires an authenticated user".into(),
        ));
    };
    viewer::require_user(v)?;
    let id = parse_id(&id).ok_or(ApiError::NotFound)?;
    accounts::find_undeleted_inline(&state, id).await?;
    let mut response = Json(Vec::<()>::new()).into_response();
    response
        .headers_mut()
        .insert("deprecation", HeaderValue::from_static(DEPRECATION));
    Ok(response)
}
