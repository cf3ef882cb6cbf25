//! `POST /api/v1/accounts`: sign-up through an app's client-credentials token.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use crate::error::{ApiError, ApiResult};
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteAccounts;
use crate::http::extract::{ClientIp, TokenAuth};
use crate::http::middleware::api::KeepCacheControl;
use crate::services::registration::{self, Requester, SignUp};
use crate::state::AppState;

pub async fn register(
    State(state): State<AppState>,
    auth: TokenAuth<WriteAccounts>,
    ClientIp(ip): ClientIp,
    params: Params,
) -> ApiResult<Response> {
    let viewer = auth.0;
    let (None, Some(application_id)) =
        (viewer.token.resource_owner_id, viewer.token.application_id)
    else {
        return Err(ApiError::Forbidden(
            "This method requires an client credentials authentication".into(),
        ));
    };
    let req = SignUp {
        username: params.str("username"),
        email: params.str("email"),
        password: params.str("password"),
        agreement: params.str("agreement"),
        locale: params.str("locale"),
        reason: params.str("reason"),
        time_zone: params.str("time_zone"),
        invite_code: params.str("invite_code"),
    };
    let token = registration::register(&state, &Requester { application_id, ip }, req).await?;
    Ok((
        [
            (header::CACHE_CONTROL, "no-store, no-cache"),
            (header::PRAGMA, "no-cache"),
        ],
        Extension(KeepCacheControl),
        Json(token),
    )
        .into_response())
}
