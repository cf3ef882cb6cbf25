//! `POST /api/v1/statuses` (upstream `PostStatusService`, without scheduling and polls).

use std::cell::RefCell;
use std::collections::HashMap;

use crate::api_types::Status;
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::featured_tags;
use crate::db::repo::media_attachments;
use crate::db::repo::statuses::{self, Counter, NewStatus, StatusRow};
use crate::db::repo::tags;
use crate::db::repo::users::UserRow;
use crate::domain::params::ruby_to_i;
use crate::domain::text::{MentionTarget, RenderContext, note_length, render_text, within_raw_cap};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::ratelimit::{Hit, throttles};
use crate::services::present::unavailable;
use crate::services::streaming::Outbox;
use crate::state::AppState;

use super::render::{account_url, status_for};
use super::{DIRECT, PRIVATE, PUBLIC, UNLISTED, find_visible, parse_visibility};

/// Upstream `StatusLengthValidator::MAX_CHARS`.
pub const MAX_CHARS: usize = 500;
/// Upstream `Status::MEDIA_ATTACHMENTS_LIMIT`.
pub const MEDIA_LIMIT: usize = 4;

/// The request parameters.
#[derive(Debug, Clone, Default)]
pub struct NewPost {
    pub status: Option<String>,
    pub visibility: Option<String>,
    pub in_reply_to_id: Option<String>,
    pub media_ids: Vec<String>,
    pub sensitive: Option<bool>,
    pub spoiler_text: Option<String>,
    pub language: Option<String>,
    pub application_id: Option<i64>,
}

fn unprocessable(message: impl Into<String>) -> ApiError {
    ApiError::Unprocessable(message.into())
}

/// `language`: a plausible ISO 639 code (letters, optional region), else none.
fn language_code(s: &str) -> Option<String> {
    let s = s.trim();
    let (lang, region) = s.split_once('-').unwrap_or((s, ""));
    let ok = (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_alphabetic())
        && region.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| s.to_owned())
}

/// The visibility of a post that asks for none: the user's default, else private for a
/// locked account and public otherwise.
pub(super) fn default_visibility(me: &AccountRecord, user: &UserRow) -> String {
    user.setting_default_privacy
        .clone()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            if me.account.locked {
                "private".into()
            } else {
                "public".into()
            }
        })
}

/// Resolves `@mentions` of the text against known accounts: first collect the candidates
/// the formatter asks about, then render again with the answers.
async fn render_with_mentions(
    ex: &mut Exec<'_>,
    state: &AppState,
    text: &str,
) -> ApiResult<(String, Vec<AccountRecord>)> {
    let domain = state.config().domain.to_lowercase();
    let asked: Vec<(String, Option<String>)> = {
        let asked = RefCell::new(Vec::new());
        let collect = |user: &str, d: Option<&str>| {
            let d = d.map(str::to_lowercase).filter(|d| *d != domain);
            asked.borrow_mut().push((user.to_lowercase(), d));
            None
        };
        render_text(
            text,
            &RenderContext {
                local_domain: &domain,
                resolve_mention: &collect,
            },
        );
        asked.into_inner()
    };
    let mut known: HashMap<(String, Option<String>), AccountRecord> = HashMap::new();
    for (user, d) in asked {
        if known.contains_key(&(user.clone(), d.clone())) {
            continue;
        }
        if let Some(r) = accounts::find_by_username(ex, &user, d.as_deref()).await?
            && !unavailable(&r.account)
        {
            known.insert((user, d), r);
        }
    }
    let base = state.base_url();
    let resolve = |user: &str, d: Option<&str>| {
        let d = d.map(str::to_lowercase).filter(|d| *d != domain);
        known.get(&(user.to_lowercase(), d)).map(|r| MentionTarget {
            url: account_url(&base, &r.account),
            username: r.account.username.clone(),
        })
    };
    let rendered = render_text(
        text,
        &RenderContext {
            local_domain: &domain,
            resolve_mention: &resolve,
        },
    );
    let mut mentioned: Vec<AccountRecord> = Vec::new();
    for (user, d) in &rendered.mentions {
        let d = d.as_deref().map(str::to_lowercase).filter(|d| *d != domain);
        if let Some(r) = known.get(&(user.to_lowercase(), d))
            && !mentioned.iter().any(|m| m.account.id == r.account.id)
        {
            mentioned.push(r.clone());
        }
    }
    Ok((rendered.html, mentioned))
}

/// Validated attachments: upstream's `validate_media!`.
async fn check_media(ex: &mut Exec<'_>, me: i64, ids: &[String]) -> ApiResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if ids.len() > MEDIA_LIMIT {
        return Err(unprocessable("Cannot attach more than 4 files"));
    }
    let wanted: Vec<i64> = ids.iter().map(|s| ruby_to_i(s)).collect();
    let found = media_attachments::unattached(ex, me, &wanted).await?;
    let missing: Vec<String> = wanted
        .iter()
        .filter(|id| !found.iter().any(|m| m.id == **id))
        .map(ToString::to_string)
        .collect();
    if !missing.is_empty() {
        return Err(unprocessable(format!(
            "Media {} not found or already attached to another post",
            missing.join(", ")
        )));
    }
    let mut out = wanted;
    out.dedup();
    Ok(out)
}

/// Counts a status against the 300 / 3 h family; 429 past it.
pub async fn hit_family(state: &AppState, account_id: i64) -> ApiResult<Option<Hit>> {
    if !state.config().rate_limits {
        return Ok(None);
    }
    let t = throttles::STATUSES;
    let hit = state
        .limiter()
        .hit(
            &format!("{}:{account_id}", t.name),
            t.limit,
            t.period_secs,
            time::now(),
        )
        .await
        .map_err(ApiError::internal)?;
    if hit.exceeded() {
        return Err(ApiError::TooManyRequests);
    }
    Ok(Some(hit))
}

/// Why posting failed: the reply target is invisible (404 with upstream's own message), or
/// any API error.
#[derive(Debug)]
pub enum PostError {
    ReplyNotFound,
    Api(ApiError),
}

impl PostError {
    /// Upstream `statuses.errors.in_reply_not_found`.
    pub const REPLY_NOT_FOUND: &'static str =
        "The post you are trying to reply to does not appear to exist.";
}

impl From<ApiError> for PostError {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl From<sqlx::Error> for PostError {
    fn from(e: sqlx::Error) -> Self {
        Self::Api(e.into())
    }
}

/// A post that passed validation, ready to store.
struct Checked {
    thread: Option<StatusRow>,
    text: String,
    spoiler: String,
    html: String,
    sensitive: bool,
    visibility: i64,
    media: Vec<i64>,
    mentioned: Vec<AccountRecord>,
    hashtags: Vec<String>,
}

/// Posts a status; returns it rendered for its author, and the statuses-family hit.
pub async fn create(
    state: &AppState,
    me: &AccountRecord,
    user: &UserRow,
    p: NewPost,
) -> Result<(Status, Option<Hit>), PostError> {
    let my_id = me.account.id;
    let application_id = p.application_id;
    let language = p
        .language
        .as_deref()
        .and_then(language_code)
        .or_else(|| {
            user.setting_default_language
                .clone()
                .filter(|l| !l.is_empty())
        })
        .or_else(|| user.locale.clone().filter(|l| !l.is_empty()));
    let post = check(state, me, user, p).await?;
    let hit = hit_family(state, my_id).await?;
    let now = time::now();
    let id = state.next_id();
    let row = NewStatus {
        uri: None,
        url: None,
        created_at: now,
        id,
        account_id: my_id,
        text: &post.text,
        content_html: &post.html,
        spoiler_text: &post.spoiler,
        visibility: post.visibility,
        sensitive: post.sensitive,
        language: language.as_deref(),
        in_reply_to_id: post.thread.as_ref().map(|t| t.id),
        in_reply_to_account_id: post.thread.as_ref().map(|t| t.account_id),
        reblog_of_id: None,
        application_id,
        has_media: !post.media.is_empty(),
        now,
    };
    let stored = store(state, &row, &post).await?;
    Ok((status_for(state, Some(my_id), &stored).await?, hit))
}

/// Upstream's validations of a new post, in upstream's order: the reply target, the
/// visibility, the media, a blank or too long text; then the text rendered with its mentions.
async fn check(
    state: &AppState,
    me: &AccountRecord,
    user: &UserRow,
    p: NewPost,
) -> Result<Checked, PostError> {
    let my_id = me.account.id;
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let thread = match p.in_reply_to_id.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(id) => Some(
            match find_visible(&mut ex, Some(my_id), ruby_to_i(id)).await {
                Ok((s, _)) => s,
                Err(ApiError::NotFound) => return Err(PostError::ReplyNotFound),
                Err(e) => return Err(e.into()),
            },
        ),
        None => None,
    };
    let spoiler = p.spoiler_text.unwrap_or_default();
    let mut text = p.status.unwrap_or_default();
    if text.trim().is_empty() && !spoiler.trim().is_empty() {
        text.clone_from(&spoiler);
    }
    let sensitive =
        p.sensitive.unwrap_or(user.setting_default_sensitive) || !spoiler.trim().is_empty();
    let requested = p
        .visibility
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default_visibility(me, user));
    let mut visibility = parse_visibility(&requested).ok_or_else(|| {
        unprocessable("Validation failed: Visibility is not included in the list")
    })?;
    if visibility == PUBLIC && me.account.silenced_at.is_some() {
        visibility = UNLISTED;
    }
    let media = check_media(&mut ex, my_id, &p.media_ids).await?;
    if text.trim().is_empty() && media.is_empty() {
        return Err(unprocessable("Validation failed: Text can't be blank").into());
    }
    if !within_raw_cap(&format!("{spoiler}{text}"), MAX_CHARS)
        || note_length(&spoiler) + note_length(&text) > MAX_CHARS
    {
        return Err(unprocessable(format!(
            "Validation failed: Text character limit of {MAX_CHARS} exceeded"
        ))
        .into());
    }
    let (html, mentioned) = render_with_mentions(&mut ex, state, &text).await?;
    let hashtags = crate::domain::text::extract_hashtags(&text);
    Ok(Checked {
        thread,
        text,
        spoiler,
        html,
        sensitive,
        visibility,
        media,
        mentioned,
        hashtags,
    })
}

/// Stores the status with its media, tags, mentions (notifying local accounts) and counters
/// in one transaction, then tells the streams.
async fn store(state: &AppState, row: &NewStatus<'_>, post: &Checked) -> ApiResult<StatusRow> {
    let (id, my_id, now) = (row.id, row.account_id, row.now);
    let mut outbox = Outbox::default();
    let mut tx = state.db().begin().await?;
    let mut ex = tx.exec();
    statuses::insert(&mut ex, row).await?;
    for m in &post.media {
        if media_attachments::attach(&mut ex, *m, id).await? == 0 {
            return Err(unprocessable(format!(
                "Media {m} not found or already attached to another post"
            )));
        }
    }
    let mut tag_ids = Vec::with_capacity(post.hashtags.len());
    for name in &post.hashtags {
        let tag = tags::find_or_create(&mut ex, state.next_id(), name, now).await?;
        tags::link(&mut ex, id, tag).await?;
        tag_ids.push(tag);
    }
    if post.visibility <= UNLISTED {
        featured_tags::count_new_status(&mut ex, my_id, &tag_ids, now).await?;
    }
    for r in &post.mentioned {
        statuses::insert_mention(&mut ex, state.next_id(), id, r.account.id).await?;
        let local = r.account.domain.is_none() && r.user_id.is_some();
        if local
            && r.account.id != my_id
            && !statuses::excluded(&mut ex, r.account.id, my_id, now).await?
        {
            let nid = state.next_id();
            statuses::notify(&mut ex, nid, (r.account.id, my_id), "mention", id, now).await?;
            outbox.notification(r.account.id, nid);
        }
    }
    if post.visibility != DIRECT {
        statuses::bump_account(&mut ex, my_id, 1, now).await?;
        if let Some(t) = &post.thread
            && post.visibility < PRIVATE
        {
            statuses::bump_counter(&mut ex, t.id, Counter::Replies, 1).await?;
        }
    }
    let stored = statuses::find(&mut ex, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    crate::services::federation::note_doc::deliver_create(state, &mut ex, &stored).await?;
    tx.commit().await?;
    outbox.status_created(id);
    outbox.send(state);
    Ok(stored)
}
