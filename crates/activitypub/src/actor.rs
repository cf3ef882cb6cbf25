//! Actor documents: [`Actor`] is what Woolly serves for a local account (upstream's
//! `ActivityPub::ActorSerializer` members); [`RemoteActor`] is what Woolly keeps of another
//! server's actor, read leniently (strings or objects or arrays where servers differ).

use serde::Serialize;
use serde_json::Value;

use crate::context;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub following: String,
    pub followers: String,
    pub inbox: String,
    pub outbox: String,
    pub featured: String,
    pub featured_tags: String,
    pub preferred_username: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub manually_approves_followers: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub published: String,
    pub memorial: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspended: Option<bool>,
    pub public_key: PublicKey,
    pub tag: Vec<Value>,
    pub attachment: Vec<PropertyValue>,
    pub endpoints: Endpoints,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_known_as: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: String,
    pub public_key_pem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PropertyValue {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    pub value: String,
}

impl PropertyValue {
    pub fn new(name: String, value: String) -> Self {
        Self {
            kind: "PropertyValue",
            name,
            value,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub shared_inbox: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub media_type: String,
    pub url: String,
}

impl Image {
    pub fn new(media_type: String, url: String) -> Self {
        Self {
            kind: "Image",
            media_type,
            url,
        }
    }
}

impl Actor {
    /// The context every actor document carries.
    pub fn default_context() -> Value {
        context::actor()
    }
}

/// Why a document is not a usable actor.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ActorError {
    #[error("not a JSON object")]
    NotObject,
    #[error("missing {0}")]
    Missing(&'static str),
    #[error("not an actor type: {0}")]
    NotActor(String),
}

/// The actor types upstream accepts as accounts.
pub const ACTOR_TYPES: [&str; 5] = ["Person", "Service", "Group", "Organization", "Application"];

/// What Woolly keeps of a remote actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteActor {
    pub id: String,
    pub kind: String,
    pub preferred_username: String,
    pub name: String,
    pub summary: String,
    pub url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub following: Option<String>,
    pub featured: Option<String>,
    pub manually_approves_followers: bool,
    pub discoverable: Option<bool>,
    pub indexable: bool,
    pub memorial: bool,
    pub suspended: bool,
    pub published: Option<String>,
    pub icon: Option<String>,
    pub image: Option<String>,
    pub public_key: Option<RemoteKey>,
    pub also_known_as: Vec<String>,
    pub moved_to: Option<String>,
    /// `PropertyValue` attachments: (name, value HTML).
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteKey {
    pub id: String,
    pub owner: String,
    pub pem: String,
}

/// An id given as a string or as an object with an `id` (or `href`).
pub fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("id")
            .or_else(|| o.get("href"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        Value::Array(a) => a.first().and_then(id_of),
        _ => None,
    }
}

/// A URL given as a string, a Link/Image object (`url` or `href`), or an array of these.
fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("url")
            .and_then(url_of)
            .or_else(|| o.get("href").and_then(Value::as_str).map(str::to_owned)),
        Value::Array(a) => a.iter().find_map(url_of),
        _ => None,
    }
}

fn string(o: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    o.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn public_key(v: &Value) -> Option<RemoteKey> {
    let key = match v {
        Value::Array(a) => a.iter().find(|k| k.get("publicKeyPem").is_some())?,
        other => other,
    };
    Some(RemoteKey {
        id: key.get("id")?.as_str()?.to_owned(),
        owner: key.get("owner").and_then(id_of).unwrap_or_default(),
        pem: key.get("publicKeyPem")?.as_str()?.to_owned(),
    })
}

fn fields(v: Option<&Value>) -> Vec<(String, String)> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|i| i.get("type").and_then(Value::as_str) == Some("PropertyValue"))
        .filter_map(|i| {
            let name = i.get("name")?.as_str()?.to_owned();
            let value = i.get("value")?.as_str()?.to_owned();
            Some((name, value))
        })
        .collect()
}

impl RemoteActor {
    /// Reads an actor document. The `id` is returned as published: the caller checks it
    /// against the URL the document was fetched from.
    pub fn parse(doc: &Value) -> Result<Self, ActorError> {
        let o = doc.as_object().ok_or(ActorError::NotObject)?;
        let id = string(o, "id").ok_or(ActorError::Missing("id"))?;
        let kind = string(o, "type").ok_or(ActorError::Missing("type"))?;
        if !ACTOR_TYPES.contains(&kind.as_str()) {
            return Err(ActorError::NotActor(kind));
        }
        let preferred_username =
            string(o, "preferredUsername").ok_or(ActorError::Missing("preferredUsername"))?;
        let inbox = o
            .get("inbox")
            .and_then(id_of)
            .ok_or(ActorError::Missing("inbox"))?;
        let shared_inbox = o
            .get("endpoints")
            .and_then(|e| e.get("sharedInbox"))
            .and_then(id_of)
            .or_else(|| string(o, "sharedInbox"));
        let bool_of = |k: &str| o.get(k).and_then(Value::as_bool);
        Ok(Self {
            id,
            kind,
            preferred_username,
            name: string(o, "name").unwrap_or_default(),
            summary: string(o, "summary").unwrap_or_default(),
            url: o.get("url").and_then(url_of),
            inbox,
            shared_inbox,
            outbox: o.get("outbox").and_then(id_of),
            followers: o.get("followers").and_then(id_of),
            following: o.get("following").and_then(id_of),
            featured: o.get("featured").and_then(id_of),
            manually_approves_followers: bool_of("manuallyApprovesFollowers").unwrap_or(false),
            discoverable: bool_of("discoverable"),
            indexable: bool_of("indexable").unwrap_or(false),
            memorial: bool_of("memorial").unwrap_or(false),
            suspended: bool_of("suspended").unwrap_or(false),
            published: string(o, "published"),
            icon: o.get("icon").and_then(url_of),
            image: o.get("image").and_then(url_of),
            public_key: o.get("publicKey").and_then(public_key),
            also_known_as: match o.get("alsoKnownAs") {
                Some(Value::Array(a)) => a.iter().filter_map(id_of).collect(),
                Some(v) => id_of(v).into_iter().collect(),
                None => Vec::new(),
            },
            moved_to: o.get("movedTo").and_then(id_of),
            fields: fields(o.get("attachment")),
        })
    }

    /// Is this actor a bot (`Service`/`Application`), as upstream decides?
    pub fn bot(&self) -> bool {
        matches!(self.kind.as_str(), "Service" | "Application")
    }
}
