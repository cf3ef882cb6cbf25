//! The documents Woolly serves to other servers: WebFinger, NodeInfo, actors (local accounts
//! and the instance actor) and their collections, rendered as upstream renders them.

use serde_json::Value;
use woolly_activitypub::actor::{Actor, Endpoints, Image, PropertyValue, PublicKey};
use woolly_activitypub::nodeinfo::{NodeInfo, Usage, Users};
use woolly_activitypub::webfinger::{Jrd, split_acct};

use crate::db::repo::accounts::{self, AccountRecord};
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::services::federation::{keys, moves};
use crate::services::{instance_stats, present};
use crate::state::AppState;

/// A local account by username: 404 when unknown; 410 once deleted (as upstream's
/// `permanently_unavailable?`). Suspended accounts are still served, in their reduced form.
pub(crate) async fn local_account(state: &AppState, username: &str) -> ApiResult<AccountRecord> {
    let mut conn = state.db().conn().await?;
    let r = accounts::find_by_username(&mut conn.exec(), username, None)
        .await?
        .ok_or(ApiError::NotFound)?;
    if r.account.deleted_at.is_some() {
        return Err(ApiError::Gone);
    }
    Ok(r)
}

/// The local username a WebFinger resource names: `acct:user@host`, `user@host`, or one of
/// the account's URLs (`/users/user`, `/@user`).
fn username_of(state: &AppState, resource: &str) -> Option<String> {
    let config = state.config();
    if let Some((user, host)) = split_acct(resource)
        && !resource.starts_with("http")
    {
        return host
            .eq_ignore_ascii_case(&config.domain)
            .then(|| user.to_owned());
    }
    let base = state.base_url();
    let path = resource.strip_prefix(&base)?;
    let name = path
        .strip_prefix("/users/")
        .or_else(|| path.strip_prefix("/@"))?;
    (!name.is_empty() && !name.contains('/')).then(|| name.to_owned())
}

/// `GET /.well-known/webfinger?resource=…`: 400 without a resource, 404 unless it names a
/// local account.
pub async fn webfinger(state: &AppState, resource: Option<&str>) -> ApiResult<Jrd> {
    let resource = resource
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::BadRequest("Missing resource parameter".into()))?;
    let username = username_of(state, resource).ok_or(ApiError::NotFound)?;
    let r = local_account(state, &username).await?;
    let a = &r.account;
    let base = state.base_url();
    let acct = format!("{}@{}", a.username, state.config().domain);
    let profile = format!("{base}/@{}", a.username);
    Ok(Jrd::for_account(&acct, &a.uri, &profile, &base))
}

/// `GET /nodeinfo/2.0`.
pub async fn nodeinfo(state: &AppState) -> ApiResult<NodeInfo> {
    let stats = instance_stats::load(state).await?;
    let usage = Usage {
        users: Users {
            total: stats.user_count,
            active_month: stats.user_count,
            active_halfyear: stats.user_count,
        },
        local_posts: stats.status_count,
    };
    let open = state.config().registrations == crate::config::RegistrationsMode::Open;
    Ok(NodeInfo::new(
        env!("CARGO_PKG_VERSION").to_owned(),
        usage,
        open,
    ))
}

fn media_type(url: &str) -> String {
    let ext = url
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "image/jpeg",
    }
    .to_owned()
}

/// The actor document of a local account (upstream's `ActorSerializer`): a suspended account
/// keeps its keys and collections but shows no profile, with `suspended: true`.
pub async fn actor(state: &AppState, username: &str) -> ApiResult<Value> {
    let r = local_account(state, username).await?;
    let key = keys::local_key(state, r.account.id, &r.account.uri).await?;
    let (rendered, (also_known_as, moved_to)) = {
        let mut conn = state.db().conn().await?;
        let mut ex = conn.exec();
        let rendered = present::render_account(&mut ex, &state.base_url(), &r).await?;
        (rendered, moves::actor_links(&mut ex, &r.account).await?)
    };
    let a = &r.account;
    let base = state.base_url();
    let uri = &a.uri;
    let suspended = a.suspended_at.is_some();
    let kind = match a.actor_type.as_str() {
        "Service" | "Group" | "Application" => a.actor_type.clone(),
        _ => "Person".to_owned(),
    };
    let image = |key: &Option<String>, url: &str| {
        (key.is_some() && !suspended).then(|| Image::new(media_type(url), url.to_owned()))
    };
    let doc = Actor {
        context: Actor::default_context(),
        id: uri.clone(),
        kind,
        following: format!("{uri}/following"),
        followers: format!("{uri}/followers"),
        inbox: format!("{uri}/inbox"),
        outbox: format!("{uri}/outbox"),
        featured: format!("{uri}/collections/featured"),
        featured_tags: format!("{uri}/collections/tags"),
        preferred_username: a.username.clone(),
        name: if suspended || a.display_name.is_empty() {
            a.username.clone()
        } else {
            a.display_name.clone()
        },
        summary: if suspended {
            String::new()
        } else {
            rendered.note.clone()
        },
        url: format!("{base}/@{}", a.username),
        manually_approves_followers: !suspended && a.locked,
        discoverable: !suspended && a.discoverable.unwrap_or(false),
        indexable: !suspended && a.indexable,
        published: time::iso8601_midnight(a.created_at),
        memorial: a.memorial,
        suspended: suspended.then_some(true),
        public_key: PublicKey {
            id: key.key_id,
            owner: uri.clone(),
            public_key_pem: key.public_key_pem,
        },
        tag: Vec::new(),
        attachment: if suspended {
            Vec::new()
        } else {
            rendered
                .fields
                .iter()
                .map(|f| PropertyValue::new(f.name.clone(), f.value.clone()))
                .collect()
        },
        endpoints: Endpoints {
            shared_inbox: format!("{base}/inbox"),
        },
        icon: image(&a.avatar_key, &rendered.avatar),
        image: image(&a.header_key, &rendered.header),
        also_known_as,
        moved_to,
    };
    serde_json::to_value(doc).map_err(ApiError::internal)
}

/// The instance actor (`/actor`): an `Application` whose key signs fetches made for no user.
pub async fn instance_actor(state: &AppState) -> ApiResult<Value> {
    let (public, _) = keys::instance_key(state).await?;
    let uri = keys::instance_actor_uri(state);
    let base = state.base_url();
    let domain = &state.config().domain;
    Ok(serde_json::json!({
        "@context": Actor::default_context(),
        "id": uri,
        "type": "Application",
        "inbox": format!("{uri}/inbox"),
        "outbox": format!("{uri}/outbox"),
        "preferredUsername": domain,
        "url": format!("{base}/about/more?instance_actor=true"),
        "manuallyApprovesFollowers": true,
        "publicKey": {"id": keys::key_id_of(&uri), "owner": uri, "publicKeyPem": public},
        "endpoints": {"sharedInbox": format!("{base}/inbox")},
    }))
}
