//! Markers: where a user stopped reading their home timeline and notifications, shared
//! between their clients (`GET`/`POST /api/v1/markers`).

use std::collections::BTreeMap;

use crate::api_types::marker::Marker;
use crate::db::repo::markers::{self, MarkerRow};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Upstream's `Marker::TIMELINES`.
pub const TIMELINES: [&str; 2] = ["home", "notifications"];

/// Markers keyed by timeline (`home` sorts before `notifications`, upstream's order).
pub type Markers = BTreeMap<String, Marker>;

/// One timeline of a `POST`: `None` when `last_read_id` was absent or blank.
#[derive(Debug, Clone, Copy)]
pub struct Update {
    pub timeline: &'static str,
    pub last_read_id: Option<i64>,
}

fn render(rows: Vec<MarkerRow>) -> Markers {
    rows.into_iter()
        .map(|r| {
            let marker = Marker {
                last_read_id: r.last_read_id.to_string(),
                version: r.lock_version,
                updated_at: time::iso8601(r.updated_at),
            };
            (r.timeline, marker)
        })
        .collect()
}

/// The user's markers of the asked timelines (unknown names ignored).
pub async fn get(state: &AppState, user_id: i64, asked: &[String]) -> ApiResult<Markers> {
    let timelines: Vec<&str> = TIMELINES
        .into_iter()
        .filter(|t| asked.iter().any(|a| a == t))
        .collect();
    let mut conn = state.db().conn().await?;
    Ok(render(
        markers::of_user(&mut conn.exec(), user_id, &timelines).await?,
    ))
}

/// Saves the given timelines in one transaction and answers with them. A new marker needs a
/// `last_read_id`; an existing one given none stays as it is (a save without changes).
pub async fn save(state: &AppState, user_id: i64, updates: &[Update]) -> ApiResult<Markers> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let names: Vec<&str> = updates.iter().map(|u| u.timeline).collect();
    let now = time::now();
    for u in updates {
        match u.last_read_id {
            Some(id) => {
                markers::upsert(&mut ex, state.next_id(), user_id, u.timeline, id, now).await?;
            }
            None => {
                let existing = markers::of_user(&mut ex, user_id, &[u.timeline]).await?;
                if existing.is_empty() {
                    return Err(ApiError::Unprocessable(
                        "Validation failed: Last read can't be blank".into(),
                    ));
                }
            }
        }
    }
    let rows = markers::of_user(&mut ex, user_id, &names).await?;
    tx.commit().await?;
    Ok(render(rows))
}
