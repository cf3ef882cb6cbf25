//! `GET` and `POST /api/v1/markers`

use axum::Json;
use axum::extract::State;

use crate::domain::params::ruby_to_i;
use crate::error::ApiResult;
use crate::http::extract::User;
use crate::http::extract::params::{Params, scalar};
use crate::http::extract::scopes::{ReadStatuses, WriteStatuses};
use crate::services::markers::{self, Markers, TIMELINES, Update};
use crate::state::AppState;

/// `timeline[]=home&timeline[]=notifications` (or one `timeline=home`).
pub async fn index(
    State(state): State<AppState>,
    auth: User<ReadStatuses>,
    params: Params,
) -> ApiResult<Json<Markers>> {
    let asked = params.list("timeline");
    Ok(Json(markers::get(&state, auth.user().id, &asked).await?))
}

/// `home[last_read_id]=…`, `notifications[last_read_id]=…`. A timeline given as anything but
/// a nested map is dropped, as Rails' strong parameters do; a blank id is absent, any other
/// text is cast as Rails casts to an integer (`abc` → 0).
pub async fn create(
    State(state): State<AppState>,
    auth: User<WriteStatuses>,
    params: Params,
) -> ApiResult<Json<Markers>> {
    let updates: Vec<Update> = TIMELINES
        .into_iter()
        .filter_map(|timeline| {
            let map = params.map(timeline)?;
            let last_read_id = map
                .get("last_read_id")
                .and_then(scalar)
                .filter(|s| !s.trim().is_empty())
                .map(|s| ruby_to_i(&s));
            Some(Update {
                timeline,
                last_read_id,
            })
        })
        .collect();
    Ok(Json(markers::save(&state, auth.user().id, &updates).await?))
}
