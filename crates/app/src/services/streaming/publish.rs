//! What services publish after they commit, and to whom (upstream's `NotifyService`,
//! `FanOutOnWriteService`, `RemoveStatusService`). A service collects its events in an
//! [`Outbox`] while its transaction runs and sends them after the commit; the rendering
//! then runs in the background, for the channels someone listens on only.

use crate::db::Exec;
use crate::db::repo::accounts::{self, AccountRecord};
use crate::db::repo::statuses::{self, StatusRow};
use crate::db::repo::{follows, streaming as audience, tags};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::notifications;
use crate::services::statuses::render::{RenderOptions, render_status};
use crate::services::statuses::{PRIVATE, PUBLIC, UNLISTED};
use crate::state::AppState;

use super::bus::Event;
use super::streams::normalize_hashtag;

/// A status that was deleted, with what its channels were derived from.
#[derive(Debug, Clone)]
pub struct Gone {
    id: i64,
    account_id: i64,
    visibility: i64,
    reblog: bool,
    reply_to_other: bool,
    has_media: bool,
    tags: Vec<String>,
    mentioned: Vec<i64>,
}

#[derive(Debug, Clone)]
enum Pending {
    Notification { recipient: i64, id: i64 },
    Status { id: i64, event: &'static str },
    Deleted(Gone),
}

/// Events of one transaction, sent once it committed.
#[derive(Debug, Default)]
#[must_use = "an outbox sends nothing until `send` is called after the commit"]
pub struct Outbox {
    pending: Vec<Pending>,
}

impl Outbox {
    /// A notification row `id` for `recipient` (`notification` on `user`, `user:notification`).
    pub fn notification(&mut self, recipient: i64, id: i64) {
        self.pending.push(Pending::Notification { recipient, id });
    }

    /// A new status or reblog (`update`).
    pub fn status_created(&mut self, id: i64) {
        self.pending.push(Pending::Status {
            id,
            event: "update",
        });
    }

    /// An edited status (`status.update`).
    pub fn status_updated(&mut self, id: i64) {
        self.pending.push(Pending::Status {
            id,
            event: "status.update",
        });
    }

    /// A status about to be deleted in this transaction (`delete`): its tags and mentions are
    /// read now, while they exist. Nothing is read when nobody streams.
    pub async fn status_deleted(
        &mut self,
        state: &AppState,
        ex: &mut Exec<'_>,
        s: &StatusRow,
    ) -> ApiResult<()> {
        if !state.bus().anyone_listening() {
            return Ok(());
        }
        let tags = tags::of_statuses(ex, &[s.id])
            .await?
            .into_iter()
            .map(|(_, name)| normalize_hashtag(&name))
            .collect();
        let mentioned = audience::mentioned_local(ex, s.id).await?;
        self.pending.push(Pending::Deleted(Gone {
            id: s.id,
            account_id: s.account_id,
            visibility: s.visibility,
            reblog: s.reblog_of_id.is_some(),
            reply_to_other: s.in_reply_to_account_id.is_some_and(|a| a != s.account_id),
            has_media: s.has_media,
            tags,
            mentioned,
        }));
        Ok(())
    }

    /// Sends the events in the background (call after the commit).
    pub fn send(self, state: &AppState) {
        if self.pending.is_empty() || !state.bus().anyone_listening() {
            return;
        }
        let state = state.clone();
        tokio::spawn(async move {
            for p in self.pending {
                if let Err(error) = deliver(&state, p).await {
                    tracing::warn!(%error, "streaming event not delivered");
                }
            }
        });
    }
}

async fn deliver(state: &AppState, p: Pending) -> ApiResult<()> {
    match p {
        Pending::Notification { recipient, id } => notification(state, recipient, id).await,
        Pending::Status { id, event } => status(state, id, event).await,
        Pending::Deleted(g) => deleted(state, &g).await,
    }
}

/// Ends the streams of a revoked token at once (upstream's `kill` on its system channel);
/// other ways a token or user stops being valid are noticed by the periodic re-check.
pub fn token_revoked(state: &AppState, token_id: i64) {
    state.bus().publish(
        &format!("timeline:access_token:{token_id}"),
        Event::new(super::session::KILL, String::new()),
    );
}

fn encode(value: &impl serde::Serialize) -> ApiResult<String> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

/// The notification as `GET /api/v1/notifications/:id` renders it.
async fn notification(state: &AppState, recipient: i64, id: i64) -> ApiResult<()> {
    let channel = format!("timeline:{recipient}:notifications");
    if !state.bus().is_subscribed(&channel) {
        return Ok(());
    }
    let mut conn = state.db().conn().await?;
    let rendered =
        match notifications::render_one(&mut conn.exec(), &state.base_url(), recipient, id).await {
            Ok(n) => n,
            // Dismissed or its sender suspended meanwhile: nothing to say.
            Err(ApiError::NotFound) => return Ok(()),
            Err(e) => return Err(e),
        };
    state
        .bus()
        .publish(&channel, Event::new("notification", encode(&rendered)?));
    Ok(())
}

/// Upstream's home-feed filter (`FeedManager#filter_from_home?`) for one follower.
async fn home_allows(ex: &mut Exec<'_>, viewer: i64, s: &StatusRow, now: i64) -> ApiResult<bool> {
    if viewer == s.account_id {
        return Ok(true);
    }
    if statuses::excluded(ex, viewer, s.account_id, now).await? {
        return Ok(false);
    }
    if let Some(original) = s.reblog_of_id {
        let Some(o) = statuses::find(ex, original).await? else {
            return Ok(false);
        };
        if o.account_id == viewer || statuses::excluded(ex, viewer, o.account_id, now).await? {
            return Ok(false);
        }
    }
    if let Some(to) = s.in_reply_to_account_id
        && to != s.account_id
        && to != viewer
        && follows::find(ex, follows::FollowKind::Follow, viewer, to)
            .await?
            .is_none()
    {
        return Ok(false);
    }
    Ok(true)
}

/// The home feeds and lists a status goes to, each with the account it is rendered for.
async fn home_audience(
    state: &AppState,
    ex: &mut Exec<'_>,
    s: &StatusRow,
    author: &AccountRecord,
) -> ApiResult<Vec<(String, i64)>> {
    let bus = state.bus();
    let now = time::now();
    let mut out = Vec::new();
    if author.account.domain.is_none() {
        out.push((format!("timeline:{}", s.account_id), s.account_id));
    }
    if matches!(s.visibility, PUBLIC | UNLISTED | PRIVATE) {
        for (follower, show_reblogs) in audience::local_followers(ex, s.account_id).await? {
            let channel = format!("timeline:{follower}");
            if bus.is_subscribed(&channel)
                && (show_reblogs || s.reblog_of_id.is_none())
                && home_allows(ex, follower, s, now).await?
            {
                out.push((channel, follower));
            }
        }
        for (list, owner) in audience::lists_with_member(ex, s.account_id).await? {
            let channel = format!("timeline:list:{list}");
            if bus.is_subscribed(&channel) && home_allows(ex, owner, s, now).await? {
                out.push((channel, owner));
            }
        }
    } else {
        // Direct: the mentioned local accounts that follow the author.
        for m in audience::mentioned_local(ex, s.id).await? {
            let channel = format!("timeline:{m}");
            if m != s.account_id
                && bus.is_subscribed(&channel)
                && follows::find(ex, follows::FollowKind::Follow, m, s.account_id)
                    .await?
                    .is_some()
            {
                out.push((channel, m));
            }
        }
    }
    Ok(out)
}

/// The public and hashtag channels of a public status (upstream's `broadcastable?`).
fn public_channels(
    local: bool,
    reply_to_other: bool,
    has_media: bool,
    tags: &[String],
) -> Vec<String> {
    let place = if local { "local" } else { "remote" };
    let mut out = Vec::new();
    for tag in tags {
        out.push(format!("timeline:hashtag:{tag}"));
        if local {
            out.push(format!("timeline:hashtag:{tag}:local"));
        }
    }
    if !reply_to_other {
        out.push("timeline:public".to_owned());
        out.push(format!("timeline:public:{place}"));
        if has_media {
            out.push("timeline:public:media".to_owned());
            out.push(format!("timeline:public:{place}:media"));
        }
    }
    out
}

/// `update` / `status.update`: each home rendered for its owner, the public streams rendered
/// for nobody, as upstream.
async fn status(state: &AppState, id: i64, event: &str) -> ApiResult<()> {
    let bus = state.bus();
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let Some(s) = statuses::find(&mut ex, id).await? else {
        return Ok(());
    };
    let Some(author) = accounts::find(&mut ex, s.account_id).await? else {
        return Ok(());
    };
    let base = state.base_url();
    let opts = |viewer| RenderOptions {
        base_url: &base,
        viewer,
        source_requested: false,
    };
    for (channel, viewer) in home_audience(state, &mut ex, &s, &author).await? {
        let rendered = render_status(&mut ex, opts(Some(viewer)), &s).await?;
        bus.publish(&channel, Event::new(event, encode(&rendered)?));
    }
    if s.visibility != PUBLIC || s.reblog_of_id.is_some() || author.account.silenced_at.is_some() {
        return Ok(());
    }
    let tags: Vec<String> = tags::of_statuses(&mut ex, &[s.id])
        .await?
        .into_iter()
        .map(|(_, name)| normalize_hashtag(&name))
        .collect();
    let reply_to_other = s.in_reply_to_account_id.is_some_and(|a| a != s.account_id);
    let channels: Vec<String> = public_channels(
        author.account.domain.is_none(),
        reply_to_other,
        s.has_media,
        &tags,
    )
    .into_iter()
    .filter(|c| bus.is_subscribed(c))
    .collect();
    if channels.is_empty() {
        return Ok(());
    }
    let payload = encode(&render_status(&mut ex, opts(None), &s).await?)?;
    for channel in channels {
        bus.publish(&channel, Event::new(event, payload.clone()));
    }
    Ok(())
}

/// `delete` with the id, to every channel the status could have reached.
async fn deleted(state: &AppState, g: &Gone) -> ApiResult<()> {
    let bus = state.bus();
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    let author = accounts::find(&mut ex, g.account_id).await?;
    let local = author.as_ref().is_some_and(|a| a.account.domain.is_none());
    let mut channels = Vec::new();
    if local {
        channels.push(format!("timeline:{}", g.account_id));
    }
    for (follower, _) in audience::local_followers(&mut ex, g.account_id).await? {
        channels.push(format!("timeline:{follower}"));
    }
    for m in &g.mentioned {
        channels.push(format!("timeline:{m}"));
    }
    for (list, _) in audience::lists_with_member(&mut ex, g.account_id).await? {
        channels.push(format!("timeline:list:{list}"));
    }
    if g.visibility == PUBLIC && !g.reblog {
        channels.extend(public_channels(
            local,
            g.reply_to_other,
            g.has_media,
            &g.tags,
        ));
    }
    channels.sort_unstable();
    channels.dedup();
    for channel in channels {
        bus.publish(&channel, Event::new("delete", g.id.to_string()));
    }
    Ok(())
}
