//! Who may stream what: the token check and upstream's stream names, scopes and channels
//! (`streaming/index.js`: `accountFromToken`, `checkScopes`, `channelNameToIds`).

use super::bus::Event;
use crate::db::repo::{lists, statuses};
use crate::domain::scopes::Scopes;
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::viewer::{self, TokenLookup, Viewer};
use crate::state::AppState;

/// Streams anyone with a valid token may read, without a particular scope.
const PUBLIC_STREAMS: &[&str] = &[
    "public",
    "public:media",
    "public:local",
    "public:local:media",
    "public:remote",
    "public:remote:media",
    "hashtag",
    "hashtag:local",
];

/// A signed-in streaming client.
#[derive(Debug, Clone)]
pub struct Client {
    /// The token as sent, to check it again while the stream lasts.
    pub token: String,
    pub token_id: i64,
    pub account_id: i64,
    pub scopes: Scopes,
}

fn invalid() -> ApiError {
    ApiError::InvalidToken("Invalid access token")
}

/// A token that still stands for a user who may sign in.
fn usable(v: &Viewer) -> Option<i64> {
    let user = v.user.as_ref()?;
    let account_id = v.account_id()?;
    (!user.disabled && viewer::check_login_enabled(v).is_ok()).then_some(account_id)
}

/// Upstream's `accountFromRequest`: 401 `Missing access token` without one, `Invalid access
/// token` for an unknown or revoked token, an app-only token, or a user who may not sign in
/// (disabled, suspended, being deleted).
pub async fn authenticate(state: &AppState, token: Option<&str>) -> ApiResult<Client> {
    let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(ApiError::InvalidToken("Missing access token"));
    };
    let TokenLookup::Found(v) = viewer::resolve(state, Some(token), None).await? else {
        return Err(invalid());
    };
    let account_id = usable(&v).ok_or_else(invalid)?;
    Ok(Client {
        token: token.to_owned(),
        token_id: v.token.id,
        account_id,
        scopes: v.scopes.clone(),
    })
}

/// True while the client's token is unrevoked and its user may still sign in.
pub async fn still_valid(state: &AppState, client: &Client) -> ApiResult<bool> {
    Ok(
        match viewer::resolve(state, Some(&client.token), None).await? {
            TokenLookup::Found(v) => usable(&v) == Some(client.account_id),
            _ => false,
        },
    )
}

/// A stream asked for, with its parameters.
#[derive(Debug, Clone, Default)]
pub struct StreamRequest {
    pub name: String,
    pub tag: Option<String>,
    pub list: Option<String>,
}

/// The bus channels of a stream and the name clients see (`["hashtag", "cats"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub channels: Vec<String>,
    pub stream: Vec<String>,
    /// Statuses are checked against the client's blocks and mutes before they go out
    /// (upstream's `needsFiltering`: the public and hashtag streams).
    pub filtered: bool,
}

impl Resolved {
    /// What identifies the subscription within a connection (upstream joins the ids).
    pub fn key(&self) -> String {
        self.channels.join(";")
    }
}

/// Upstream's `checkScopes`: public streams need none; `user:notification` needs `read` or
/// `read:notifications`; every other stream `read` or `read:statuses`.
pub fn check_scopes(client: &Client, name: &str) -> ApiResult<()> {
    if PUBLIC_STREAMS.contains(&name) {
        return Ok(());
    }
    let second = if name == "user:notification" {
        "read:notifications"
    } else {
        "read:statuses"
    };
    if client.scopes.any_of(&["read", second]) {
        Ok(())
    } else {
        Err(ApiError::InvalidToken(
            "Access token does not have the required scopes",
        ))
    }
}

/// Upstream's `normalizeHashtag`, without its ASCII folding: lower case, letters, digits,
/// `_`, `·` and ZWNJ only (the channel a status's tags publish to).
pub fn normalize_hashtag(tag: &str) -> String {
    tag.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '\u{b7}' | '\u{200c}'))
        .collect()
}

/// The channels of `timeline:<account>`: the home feed, and notifications when the token
/// may read them.
fn user_channels(client: &Client) -> Vec<String> {
    let mut out = vec![format!("timeline:{}", client.account_id)];
    if client.scopes.any_of(&["read", "read:notifications"]) {
        out.push(format!("timeline:{}:notifications", client.account_id));
    }
    out
}

/// Upstream's `channelNameToIds` (scopes checked by the caller first): 400 `Unknown stream
/// type`, `Missing tag name parameter`, `Missing list name parameter`; 401 `Not authorized
/// to stream this list` for a list that is not the client's.
pub async fn resolve(state: &AppState, client: &Client, r: &StreamRequest) -> ApiResult<Resolved> {
    let single = |channel: String| (vec![channel], vec![r.name.clone()]);
    let tag = || {
        r.tag
            .as_deref()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::BadRequest("Missing tag name parameter".into()))
    };
    let (channels, stream) = match r.name.as_str() {
        "user" => (user_channels(client), vec![r.name.clone()]),
        "user:notification" => single(format!("timeline:{}:notifications", client.account_id)),
        name @ ("public"
        | "public:local"
        | "public:remote"
        | "public:media"
        | "public:local:media"
        | "public:remote:media") => single(format!("timeline:{name}")),
        "direct" => single(format!("timeline:direct:{}", client.account_id)),
        "hashtag" => {
            let t = tag()?;
            (
                vec![format!("timeline:hashtag:{}", normalize_hashtag(t))],
                vec![r.name.clone(), t.to_owned()],
            )
        }
        "hashtag:local" => {
            let t = tag()?;
            (
                vec![format!("timeline:hashtag:{}:local", normalize_hashtag(t))],
                vec![r.name.clone(), t.to_owned()],
            )
        }
        "list" => {
            let list = r
                .list
                .as_deref()
                .filter(|l| !l.is_empty())
                .ok_or_else(|| ApiError::BadRequest("Missing list name parameter".into()))?;
            let id = list.parse::<i64>().ok();
            let owned = match id {
                Some(id) => {
                    let mut conn = state.db().conn().await?;
                    lists::find(&mut conn.exec(), client.account_id, id)
                        .await?
                        .is_some()
                }
                None => false,
            };
            if !owned {
                return Err(ApiError::InvalidToken("Not authorized to stream this list"));
            }
            (
                vec![format!("timeline:list:{list}")],
                vec![r.name.clone(), list.to_owned()],
            )
        }
        _ => return Err(ApiError::BadRequest("Unknown stream type".into())),
    };
    let filtered = PUBLIC_STREAMS.contains(&r.name.as_str());
    Ok(Resolved {
        channels,
        stream,
        filtered,
    })
}

/// Whether a status event of a filtered stream may go to the client: not when the client
/// blocks, mutes or is blocked by its author or blocks or mutes someone it mentions, or
/// blocks the author's domain (upstream's filter in `streamFrom`). Other events always go.
pub async fn visible(state: &AppState, client: &Client, event: &Event) -> ApiResult<bool> {
    if event.event != "update" && event.event != "status.update" {
        return Ok(true);
    }
    let Ok(status) = serde_json::from_str::<serde_json::Value>(&event.payload) else {
        return Ok(true);
    };
    let id_of = |v: &serde_json::Value| v["id"].as_str().and_then(|id| id.parse::<i64>().ok());
    let mut accounts: Vec<i64> = id_of(&status["account"]).into_iter().collect();
    if let Some(mentions) = status["mentions"].as_array() {
        accounts.extend(mentions.iter().filter_map(id_of));
    }
    let now = time::now();
    let mut conn = state.db().conn().await?;
    let mut ex = conn.exec();
    for account in accounts {
        if account != client.account_id
            && statuses::excluded(&mut ex, client.account_id, account, now).await?
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The channels that end a client's streams (`kill`, as upstream's system channels).
pub fn system_channels(client: &Client) -> [String; 2] {
    [
        format!("timeline:access_token:{}", client.token_id),
        format!("timeline:system:{}", client.account_id),
    ]
}
