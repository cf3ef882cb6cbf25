//! Hashtags featured on profiles: list, feature, unfeature, suggestions.

use crate::api_types::featured_tag::{FeaturedTag, Tag, TagHistory};
use crate::db::Exec;
use crate::db::repo::accounts::AccountRecord;
use crate::db::repo::featured_tags::{self, FeaturedTagRow};
use crate::db::repo::tags;
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::accounts as account_service;
use crate::services::present::unavailable;
use crate::state::AppState;

/// Upstream's `FeaturedTag::LIMIT`.
pub const LIMIT: usize = 10;
const SUGGESTIONS: i64 = 10;

fn profile_url(base: &str, r: &AccountRecord) -> String {
    let a = &r.account;
    match (&a.domain, &a.url) {
        (None, _) => format!("{base}/@{}", a.username),
        (Some(_), Some(u)) => u.clone(),
        (Some(_), None) => a.uri.clone(),
    }
}

fn entity(base: &str, owner: &AccountRecord, f: &FeaturedTagRow) -> FeaturedTag {
    FeaturedTag {
        id: f.id.to_string(),
        name: f.name.clone(),
        url: format!("{}/tagged/{}", profile_url(base, owner), f.name),
        statuses_count: f.statuses_count.to_string(),
        last_status_at: f.last_status_at.map(time::date),
    }
}

/// Upstream's hashtag grammar: word characters (plus `_`, `·`, ZWNJ inside), at least one letter.
pub fn valid_name(name: &str) -> bool {
    let inner = |c: char| c.is_alphanumeric() || matches!(c, '_' | '·' | '\u{200c}');
    let edge = |c: char| c.is_alphanumeric() || c == '_';
    !name.is_empty()
        && name.chars().all(inner)
        && name.chars().any(char::is_alphabetic)
        && name.starts_with(edge)
        && name.ends_with(edge)
}

/// The featured tags of `:id` (no auth involved); `[]` when it is unavailable.
pub async fn of_account(state: &AppState, id: i64) -> ApiResult<Vec<FeaturedTag>> {
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let owner = account_service::find_undeleted(&mut ex, id).await?;
    if unavailable(&owner.account) {
        return Ok(Vec::new());
    }
    featured_of(&mut ex, &state.base_url(), &owner).await
}

/// The signed-in `owner`'s featured tags.
pub async fn mine(state: &AppState, owner: &AccountRecord) -> ApiResult<Vec<FeaturedTag>> {
    let mut conn = state.db().conn().await?;
    featured_of(&mut conn.exec(), &state.base_url(), owner).await
}

async fn featured_of(
    ex: &mut Exec<'_>,
    base: &str,
    owner: &AccountRecord,
) -> ApiResult<Vec<FeaturedTag>> {
    let rows = featured_tags::of_account(ex, owner.account.id).await?;
    Ok(rows.iter().map(|f| entity(base, owner, f)).collect())
}

/// Features `name` (a leading `#` is dropped).
pub async fn create(state: &AppState, owner: &AccountRecord, name: &str) -> ApiResult<FeaturedTag> {
    let name = name.trim().strip_prefix('#').unwrap_or(name.trim());
    let mut errors = Vec::new();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    let existing = featured_tags::of_account(&mut ex, owner.account.id).await?;
    if !valid_name(name) {
        errors.push("Name is invalid");
    } else if existing
        .iter()
        .any(|f| f.name.to_lowercase() == name.to_lowercase())
    {
        errors.push("Name has already been taken");
    }
    if existing.len() >= LIMIT {
        errors.push("You have already featured the maximum number of hashtags");
    }
    if !errors.is_empty() {
        return Err(ApiError::Unprocessable(format!(
            "Validation failed: {}",
            errors.join(", ")
        )));
    }
    let now = time::now();
    let tag_id = tags::find_or_create(&mut ex, state.next_id(), name, now).await?;
    let (statuses_count, last_status_at) =
        featured_tags::usage(&mut ex, owner.account.id, tag_id).await?;
    let row = FeaturedTagRow {
        id: state.next_id(),
        account_id: owner.account.id,
        tag_id,
        name: name.to_owned(),
        statuses_count,
        last_status_at,
    };
    featured_tags::insert(&mut ex, &row, now).await?;
    tx.commit().await?;
    Ok(entity(&state.base_url(), owner, &row))
}

pub async fn destroy(state: &AppState, me: i64, id: i64) -> ApiResult<()> {
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    featured_tags::find(&mut ex, me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    featured_tags::delete(&mut ex, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Tags you used recently and do not feature, with a week of (local) usage history.
pub async fn suggestions(state: &AppState, me: i64) -> ApiResult<Vec<Tag>> {
    let mut conn = state.db().conn().await?;
    let ex = &mut conn.exec();
    let base = &state.base_url();
    let names = featured_tags::suggestions(ex, me, SUGGESTIONS).await?;
    let today = time::now().div_euclid(DAY_MS) * DAY_MS;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let days = featured_tags::history(ex, &name, today - 6 * DAY_MS).await?;
        let history = (0..7)
            .map(|i| {
                let day = today - i * DAY_MS;
                let (uses, accounts) = days
                    .iter()
                    .find(|d| d.0 == day)
                    .map_or((0, 0), |d| (d.1, d.2));
                TagHistory {
                    day: (day / 1000).to_string(),
                    accounts: accounts.to_string(),
                    uses: uses.to_string(),
                }
            })
            .collect();
        out.push(Tag {
            url: format!("{base}/tags/{name}"),
            name,
            history,
        });
    }
    Ok(out)
}

const DAY_MS: i64 = 86_400_000;
