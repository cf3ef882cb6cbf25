//! Renders statuses into `Status` entities in a bounded number of queries: one each for the
//! reblogged originals, the accounts, attachments, mentions, tags, applications, the viewer's
//! reblogs and pins, plus one emoji query per author domain and the account renderings.

use std::collections::{HashMap, HashSet};

use crate::api_types::status::{StatusApplication, StatusMention, StatusTag};
use crate::api_types::{Account, CustomEmoji, MediaAttachment, Status};
use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord, AccountRow};
use crate::db::repo::statuses::{self, StatusRow};
use crate::db::repo::{admin_accounts, media_attachments, tags};
use crate::domain::{acct, time};
use crate::error::ApiResult;
use crate::services::media_attachments::entity as media_entity;
use crate::services::present::{self, Presenter};
use crate::state::AppState;

use super::visibility_name;

/// Who renders and how.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    pub base_url: &'a str,
    pub viewer: Option<i64>,
    /// `text` instead of `content` (the answer to a delete).
    pub source_requested: bool,
}

/// Everything loaded for one page.
struct Loaded {
    statuses: HashMap<i64, StatusRow>,
    accounts: HashMap<i64, AccountRecord>,
    rendered: HashMap<i64, Account>,
    media: HashMap<i64, Vec<MediaAttachment>>,
    mentions: HashMap<i64, Vec<StatusMention>>,
    tags: HashMap<i64, Vec<StatusTag>>,
    apps: HashMap<i64, StatusApplication>,
    emojis: HashMap<Option<String>, Vec<CustomEmoji>>,
    reblogged: HashSet<i64>,
    pinned: HashSet<i64>,
}

/// Public profile URL of an account (mentions link to it).
pub fn account_url(base_url: &str, a: &AccountRow) -> String {
    match &a.domain {
        None => format!("{base_url}/@{}", a.username),
        Some(_) => a.url.clone().unwrap_or_else(|| a.uri.clone()),
    }
}

/// `uri` and `url` of a status as upstream's tag manager spells them.
fn uri_and_url(base_url: &str, s: &StatusRow, author: &AccountRow) -> (String, Option<String>) {
    if author.domain.is_some() {
        let uri = s.uri.clone().unwrap_or_default();
        return (uri.clone(), s.url.clone().or(Some(uri)));
    }
    let uri = format!("{base_url}/users/{}/statuses/{}", author.username, s.id);
    if s.reblog_of_id.is_some() {
        let activity = format!("{uri}/activity");
        return (activity.clone(), Some(activity));
    }
    (
        uri,
        Some(format!("{base_url}/@{}/{}", author.username, s.id)),
    )
}

async fn load(ex: &mut Exec<'_>, opts: RenderOptions<'_>, rows: &[StatusRow]) -> ApiResult<Loaded> {
    let p = Presenter {
        base_url: opts.base_url,
    };
    let mut by_id: HashMap<i64, StatusRow> = rows.iter().map(|s| (s.id, s.clone())).collect();
    let missing: Vec<i64> = rows
        .iter()
        .filter_map(|s| s.reblog_of_id)
        .filter(|id| !by_id.contains_key(id))
        .collect();
    for s in statuses::find_many(ex, &missing).await? {
        by_id.insert(s.id, s);
    }
    let ids: Vec<i64> = by_id.keys().copied().collect();
    let mention_pairs = statuses::mentions_of(ex, &ids).await?;
    let mut account_ids: Vec<i64> = by_id.values().map(|s| s.account_id).collect();
    account_ids.extend(mention_pairs.iter().map(|m| m.1));
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts: HashMap<i64, AccountRecord> = accounts::find_many(ex, &account_ids)
        .await?
        .into_iter()
        .map(|r| (r.account.id, r))
        .collect();
    let authors: HashSet<i64> = by_id.values().map(|s| s.account_id).collect();
    let author_records: Vec<AccountRecord> = authors
        .iter()
        .filter_map(|id| accounts.get(id).cloned())
        .collect();
    let rendered: HashMap<i64, Account> = author_records
        .iter()
        .map(|r| r.account.id)
        .zip(present::render_accounts(ex, opts.base_url, &author_records).await?)
        .collect();
    let mut media: HashMap<i64, Vec<MediaAttachment>> = HashMap::new();
    for m in media_attachments::of_statuses(ex, &ids).await? {
        if let Some(sid) = m.status_id {
            media.entry(sid).or_default().push(media_entity(&p, &m));
        }
    }
    let mentions = mention_entities(opts.base_url, mention_pairs, &accounts);
    let mut tag_map: HashMap<i64, Vec<StatusTag>> = HashMap::new();
    for (sid, name) in tags::of_statuses(ex, &ids).await? {
        let url = format!("{}/tags/{name}", opts.base_url);
        tag_map
            .entry(sid)
            .or_default()
            .push(StatusTag { name, url });
    }
    let app_ids: Vec<i64> = by_id.values().filter_map(|s| s.application_id).collect();
    let apps = statuses::applications(ex, &app_ids)
        .await?
        .into_iter()
        .map(|(id, name, website)| (id, StatusApplication { name, website }))
        .collect();
    let emojis = load_emojis(ex, &p, &by_id, &accounts).await?;
    let (reblogged, pinned) = match opts.viewer {
        Some(v) => (
            HashSet::from_iter(statuses::reblogged_by(ex, v, &ids).await?),
            HashSet::from_iter(statuses::pinned_among(ex, v, &ids).await?),
        ),
        None => (HashSet::new(), HashSet::new()),
    };
    Ok(Loaded {
        statuses: by_id,
        accounts,
        rendered,
        media,
        mentions,
        tags: tag_map,
        apps,
        emojis,
        reblogged,
        pinned,
    })
}

/// The mentions of each status, by status id (mentioned accounts that are gone are left out).
fn mention_entities(
    base_url: &str,
    pairs: Vec<(i64, i64)>,
    accounts: &HashMap<i64, AccountRecord>,
) -> HashMap<i64, Vec<StatusMention>> {
    let mut mentions: HashMap<i64, Vec<StatusMention>> = HashMap::new();
    for (sid, aid) in pairs {
        if let Some(r) = accounts.get(&aid) {
            let a = &r.account;
            mentions.entry(sid).or_default().push(StatusMention {
                id: a.id.to_string(),
                username: a.username.clone(),
                url: account_url(base_url, a),
                acct: acct::acct(&a.username, a.domain.as_deref()),
            });
        }
    }
    mentions
}

/// Custom emojis used in the statuses' text and spoilers, by author domain, in one query.
async fn load_emojis(
    ex: &mut Exec<'_>,
    p: &Presenter<'_>,
    by_id: &HashMap<i64, StatusRow>,
    accounts: &HashMap<i64, AccountRecord>,
) -> ApiResult<HashMap<Option<String>, Vec<CustomEmoji>>> {
    let mut codes: HashMap<Option<String>, Vec<String>> = HashMap::new();
    for s in by_id.values() {
        let domain = accounts
            .get(&s.account_id)
            .and_then(|r| r.account.domain.clone());
        let entry = codes.entry(domain).or_default();
        present::shortcodes_in(&s.spoiler_text, entry);
        present::shortcodes_in(&s.text, entry);
    }
    let mut domains: Vec<String> = Vec::new();
    let mut all_codes: Vec<String> = Vec::new();
    for (domain, list) in &codes {
        if !list.is_empty() {
            domains.push(domain.clone().unwrap_or_default());
            all_codes.extend(list.iter().cloned());
        }
    }
    domains.sort();
    domains.dedup();
    all_codes.sort();
    all_codes.dedup();
    let mut out: HashMap<Option<String>, Vec<CustomEmoji>> = HashMap::new();
    for row in admin_accounts::emojis_batch(ex, &domains, &all_codes).await? {
        let domain = Some(row.domain_key).filter(|d| !d.is_empty());
        if codes
            .get(&domain)
            .is_some_and(|used| used.contains(&row.emoji.shortcode))
        {
            out.entry(domain).or_default().push(p.emoji(&row.emoji));
        }
    }
    Ok(out)
}

fn entity(l: &Loaded, opts: RenderOptions<'_>, s: &StatusRow, nested: bool) -> Option<Status> {
    let author = l.accounts.get(&s.account_id)?;
    let account = l.rendered.get(&s.account_id)?.clone();
    let a = &author.account;
    let reblog = match s.reblog_of_id {
        Some(id) if !nested => Some(Box::new(entity(l, opts, l.statuses.get(&id)?, true)?)),
        _ => None,
    };
    let (uri, url) = uri_and_url(opts.base_url, s, a);
    let own = opts.viewer == Some(s.account_id);
    let proper = s.reblog_of_id.unwrap_or(s.id);
    let pinnable = own && s.reblog_of_id.is_none() && (0..=2).contains(&s.visibility);
    let mut used: Vec<String> = Vec::new();
    present::shortcodes_in(&s.spoiler_text, &mut used);
    present::shortcodes_in(&s.text, &mut used);
    let emojis = l
        .emojis
        .get(&a.domain)
        .map(|all| {
            all.iter()
                .filter(|e| used.contains(&e.shortcode))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let signed_in = opts.viewer.is_some();
    Some(Status {
        id: s.id.to_string(),
        created_at: time::iso8601(s.created_at),
        in_reply_to_id: s.in_reply_to_id.map(|i| i.to_string()),
        in_reply_to_account_id: s.in_reply_to_account_id.map(|i| i.to_string()),
        sensitive: if own {
            s.sensitive
        } else {
            s.sensitive || a.sensitized_at.is_some()
        },
        spoiler_text: s.spoiler_text.clone(),
        visibility: visibility_name(s.visibility).into(),
        language: s.language.clone(),
        uri,
        url,
        replies_count: s.replies_count.max(0),
        reblogs_count: s.reblogs_count.max(0),
        favourites_count: s.favourites_count.max(0),
        edited_at: s.edited_at.map(time::iso8601),
        favourited: signed_in.then_some(false),
        reblogged: signed_in.then(|| l.reblogged.contains(&proper)),
        muted: signed_in.then_some(false),
        bookmarked: signed_in.then_some(false),
        pinned: pinnable.then(|| l.pinned.contains(&s.id)),
        filtered: signed_in.then(Vec::new),
        content: (!opts.source_requested).then(|| s.content_html.clone()),
        text: opts.source_requested.then(|| s.text.clone()),
        reblog,
        application: s.application_id.and_then(|id| l.apps.get(&id).cloned()),
        account,
        media_attachments: l.media.get(&s.id).cloned().unwrap_or_default(),
        mentions: l.mentions.get(&s.id).cloned().unwrap_or_default(),
        tags: l.tags.get(&s.id).cloned().unwrap_or_default(),
        emojis,
        card: None,
        poll: None,
        quote: None,
    })
}

/// Renders `rows` in their order (a status whose author or original is gone is skipped).
pub async fn render_statuses(
    ex: &mut Exec<'_>,
    opts: RenderOptions<'_>,
    rows: &[StatusRow],
) -> ApiResult<Vec<Status>> {
    let loaded = load(ex, opts, rows).await?;
    Ok(rows
        .iter()
        .filter_map(|s| entity(&loaded, opts, s, false))
        .collect())
}

/// Renders one status.
/// `row` rendered for `viewer` on a connection of its own: the answer of a write, rendered
/// after its transaction committed.
pub async fn status_for(
    state: &AppState,
    viewer: Option<i64>,
    row: &StatusRow,
) -> ApiResult<Status> {
    let base_url = state.base_url();
    let mut conn = state.db().conn().await?;
    let opts = RenderOptions {
        base_url: &base_url,
        viewer,
        source_requested: false,
    };
    render_status(&mut conn.exec(), opts, row).await
}

pub async fn render_status(
    ex: &mut Exec<'_>,
    opts: RenderOptions<'_>,
    row: &StatusRow,
) -> ApiResult<Status> {
    render_statuses(ex, opts, std::slice::from_ref(row))
        .await?
        .pop()
        .ok_or(crate::error::ApiError::NotFound)
}
