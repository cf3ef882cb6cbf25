//! `GET|POST /oauth/userinfo`: only the `profile` scope opens it.

use axum::Json;
use axum::extract::State;

use crate::api_types::oauth::UserInfo;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::scopes::Profile;
use crate::services::oauth::userinfo;
use crate::state::AppState;

pub async fn show(State(state): State<AppState>, auth: User<Profile>) -> ApiResult<Json<UserInfo>> {
    Ok(Json(userinfo::userinfo(&state, auth.record()).await?))
}
