//! Follow suggestions (`/api/v1/suggestions`, `/api/v2/suggestions`), from the sources that
//! exist here: friends of friends, then the local accounts most followed and most
//! interacted with lately (upstream's global source). Staff-featured accounts and
//! similar profiles need settings and a search index Woolly does not have.

use crate::api_types::suggestion::Suggestion;
use crate::db::repo::suggestions as repo;
use crate::domain::time;
use crate::error::ApiResult;
use crate::services::graph::collections::records_in_order;
use crate::services::present;
use crate::state::AppState;

/// Upstream's `AccountSuggestions::BATCH_SIZE`: candidates taken from each source.
const BATCH_SIZE: i64 = 40;
/// The window of the global source.
const GLOBAL_WINDOW_MS: i64 = 30 * 24 * 60 * 60 * 1000;

const FRIENDS_OF_FRIENDS: &str = "friends_of_friends";
const MOST_FOLLOWED: &str = "most_followed";
const MOST_INTERACTIONS: &str = "most_interactions";

/// The v1-era `source` of a suggestion from its first source key.
fn legacy_source(key: &str) -> &'static str {
    match key {
        FRIENDS_OF_FRIENDS => "past_interactions",
        _ => "global",
    }
}

/// Candidate account ids with their source keys, in source order, each account once.
async fn candidates(state: &AppState, me: i64) -> ApiResult<Vec<(i64, Vec<&'static str>)>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let now = time::now();
    let since = now.saturating_sub(GLOBAL_WINDOW_MS);
    let friends = repo::friends_of_friends(&mut ex, me, now, BATCH_SIZE).await?;
    let followed = repo::global(
        &mut ex,
        repo::GlobalSource::MostFollowed,
        me,
        now,
        since,
        BATCH_SIZE,
    )
    .await?;
    let interactions = repo::global(
        &mut ex,
        repo::GlobalSource::MostInteractions,
        me,
        now,
        since,
        BATCH_SIZE,
    )
    .await?;

    // The global source ranks each account by the sum of count / (1 + count) over its
    // reasons (upstream's `global_follow_recommendations` view).
    let mut global: Vec<(i64, f64, Vec<&'static str>)> = Vec::new();
    for (key, rows) in [(MOST_FOLLOWED, followed), (MOST_INTERACTIONS, interactions)] {
        for (id, n) in rows {
            let rank = n as f64 / (1.0 + n as f64);
            match global.iter_mut().find(|g| g.0 == id) {
                Some(g) => {
                    g.1 += rank;
                    g.2.push(key);
                }
                None => global.push((id, rank, vec![key])),
            }
        }
    }
    global.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    global.truncate(usize::try_from(BATCH_SIZE).unwrap_or(0));

    let mut merged: Vec<(i64, Vec<&'static str>)> = Vec::new();
    let all = friends
        .into_iter()
        .map(|(id, _)| (id, vec![FRIENDS_OF_FRIENDS]))
        .chain(global.into_iter().map(|(id, _, keys)| (id, keys)));
    for (id, keys) in all {
        match merged.iter_mut().find(|m| m.0 == id) {
            Some(m) => m.1.extend(keys),
            None => merged.push((id, keys)),
        }
    }
    Ok(merged)
}

/// Ruby's `array[offset, limit]`: a negative offset counts from the end; past the end, none.
fn window<T>(items: Vec<T>, offset: i64, limit: usize) -> Vec<T> {
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let start = if offset < 0 { len + offset } else { offset };
    if start < 0 || start > len {
        return Vec::new();
    }
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    items.into_iter().skip(start).take(limit).collect()
}

/// One page of suggestions for `me`. Upstream shuffles the candidates and keeps that order
/// in a cache for 15 minutes; without that cache the order is the sources' own, so paging
/// with `offset` stays consistent.
pub async fn get(
    state: &AppState,
    me: i64,
    limit: usize,
    offset: i64,
) -> ApiResult<Vec<Suggestion>> {
    let page = window(candidates(state, me).await?, offset, limit);
    let ids: Vec<i64> = page.iter().map(|p| p.0).collect();
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let records = records_in_order(&mut ex, &ids).await?;
    let accounts = present::render_accounts(&mut ex, &state.base_url(), &records).await?;
    Ok(accounts
        .into_iter()
        .zip(records.iter())
        .filter_map(|(account, record)| {
            let sources = page.iter().find(|p| p.0 == record.account.id)?.1.clone();
            Some(Suggestion {
                source: legacy_source(sources.first().copied().unwrap_or_default()),
                sources,
                account,
            })
        })
        .collect())
}

/// Never suggests `target` to `me` again (an unknown id changes nothing).
pub async fn dismiss(state: &AppState, me: i64, target: Option<i64>) -> ApiResult<()> {
    let Some(target) = target else {
        return Ok(());
    };
    let mut conn = state.db().conn().await?;
    repo::dismiss(&mut conn.exec(), state.next_id(), me, target, time::now()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn window_is_rubys_slice() {
        assert_eq!(window(vec![1, 2, 3], 1, 5), vec![2, 3]);
        assert_eq!(window(vec![1, 2, 3], -2, 1), vec![2]);
        assert_eq!(window(vec![1, 2, 3], 3, 5), Vec::<i32>::new());
        assert_eq!(window(vec![1, 2, 3], 9, 5), Vec::<i32>::new());
        assert_eq!(window(vec![1, 2, 3], -4, 5), Vec::<i32>::new());
    }
}
