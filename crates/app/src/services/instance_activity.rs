//! `GET /api/v1/instance/activity`: the last 12 weeks (this one first) of local statuses,
//! active users and local sign-ups, as upstream's weekly activity trackers report them.

use serde::Serialize;

use crate::db::repo::activity;
use crate::domain::ids::id_at_millis;
use crate::domain::time::{self, WEEK_MS};
use crate::error::ApiResult;
use crate::state::AppState;

const WEEKS: i64 = 12;

/// One week; counts are strings, as upstream renders them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Week {
    pub week: String,
    pub statuses: String,
    pub logins: String,
    pub registrations: String,
}

pub async fn weeks(state: &AppState) -> ApiResult<Vec<Week>> {
    let this_week = time::week_start(time::now());
    let since = this_week - (WEEKS - 1) * WEEK_MS;
    let first_status_id = id_at_millis(u64::try_from(since).unwrap_or(0));
    let mut conn = state.db().conn().await?;
    let counts = activity::weekly_counts(&mut conn.exec(), since, WEEK_MS, first_status_id).await?;
    let count = |rows: &[(i64, i64)], index: i64| -> String {
        rows.iter()
            .find(|(w, _)| *w == index)
            .map_or(0, |(_, n)| *n)
            .to_string()
    };
    Ok((0..WEEKS)
        .map(|ago| {
            let index = WEEKS - 1 - ago;
            Week {
                week: ((this_week - ago * WEEK_MS) / 1000).to_string(),
                statuses: count(&counts.statuses, index),
                logins: count(&counts.logins, index),
                registrations: count(&counts.registrations, index),
            }
        })
        .collect())
}
