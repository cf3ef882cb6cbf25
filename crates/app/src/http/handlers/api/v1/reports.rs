//! `POST /api/v1/reports`: file a report (scopes `write` or `write:reports`; a user required).

use axum::Json;
use axum::extract::State;

use crate::api_types::Report;
use crate::domain::ids::parse_id;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::Params;
use crate::http::extract::scopes::WriteReports;
use crate::services::moderation::reports::{self, NewReport};
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    auth: User<WriteReports>,
    params: Params,
) -> ApiResult<Json<Report>> {
    let req = NewReport {
        account_id: params.present("account_id").and_then(|v| parse_id(&v)),
        status_ids: params
            .list("status_ids")
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_id(s).unwrap_or(0))
            .collect(),
        comment: params.str("comment").unwrap_or_default(),
        forward: params.bool("forward").unwrap_or(false),
        category: params.present("category"),
        rule_ids: params
            .list("rule_ids")
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
    };
    Ok(Json(reports::create(&state, auth.account_id(), req).await?))
}
