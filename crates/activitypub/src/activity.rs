//! Activities: reading what arrives in an inbox, and building what Woolly sends (the shapes
//! upstream's `ActivityPub::*Serializer`s produce for follows, blocks, updates, deletes).

use serde_json::{Value, json};

use crate::actor::id_of;
use crate::context;

/// An activity as it arrived: the members every handler needs, the rest kept raw.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub id: String,
    pub kind: String,
    pub actor: String,
    pub object: Value,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ActivityError {
    #[error("not a JSON object")]
    NotObject,
    #[error("missing {0}")]
    Missing(&'static str),
}

impl Incoming {
    pub fn parse(doc: &Value) -> Result<Self, ActivityError> {
        let o = doc.as_object().ok_or(ActivityError::NotObject)?;
        Ok(Self {
            id: o
                .get("id")
                .and_then(Value::as_str)
                .ok_or(ActivityError::Missing("id"))?
                .to_owned(),
            kind: o
                .get("type")
                .and_then(Value::as_str)
                .ok_or(ActivityError::Missing("type"))?
                .to_owned(),
            actor: o
                .get("actor")
                .and_then(id_of)
                .ok_or(ActivityError::Missing("actor"))?,
            object: o.get("object").cloned().unwrap_or(Value::Null),
        })
    }

    /// The object's id (a string object, or an embedded object's `id`).
    pub fn object_id(&self) -> Option<String> {
        id_of(&self.object)
    }

    /// The embedded object's `type`, when the object is embedded.
    pub fn object_kind(&self) -> Option<&str> {
        self.object.get("type").and_then(Value::as_str)
    }

    /// The embedded object's `actor` (for Undo/Accept/Reject of a Follow).
    pub fn object_actor(&self) -> Option<String> {
        self.object.get("actor").and_then(id_of)
    }

    /// The embedded object's `object` (what an undone Follow or Block was about).
    pub fn object_object(&self) -> Option<String> {
        self.object.get("object").and_then(id_of)
    }
}

/// The host of a URL, lower-cased, with its port.
pub fn origin(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{}://{host}:{p}", u.scheme()),
        None => format!("{}://{host}", u.scheme()),
    })
}

/// Do two URLs share scheme, host and port?
pub fn same_origin(a: &str, b: &str) -> bool {
    matches!((origin(a), origin(b)), (Some(x), Some(y)) if x == y)
}

fn activity(id: &str, kind: &str, actor: &str, object: Value) -> Value {
    json!({
        "@context": context::plain(),
        "id": id,
        "type": kind,
        "actor": actor,
        "object": object,
    })
}

/// `Follow` of `object` (an actor URI) by `actor`.
pub fn follow(id: &str, actor: &str, object: &str) -> Value {
    activity(id, "Follow", actor, Value::String(object.to_owned()))
}

/// `Accept` of a Follow (embedded as received or rebuilt), sent by the followed actor.
pub fn accept(id: &str, actor: &str, follow: Value) -> Value {
    activity(id, "Accept", actor, follow)
}

/// `Reject` of a Follow, sent by the followed actor.
pub fn reject(id: &str, actor: &str, follow: Value) -> Value {
    activity(id, "Reject", actor, follow)
}

/// `Undo` of an earlier activity (Follow, Block), embedded.
pub fn undo(id: &str, actor: &str, undone: Value) -> Value {
    activity(id, "Undo", actor, undone)
}

/// `Block` of `object` by `actor`.
pub fn block(id: &str, actor: &str, object: &str) -> Value {
    activity(id, "Block", actor, Value::String(object.to_owned()))
}

/// `Update` of an actor document, addressed to the public (as upstream).
pub fn update_actor(id: &str, actor_doc: Value) -> Value {
    let actor = actor_doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut object = actor_doc;
    if let Some(o) = object.as_object_mut() {
        o.remove("@context");
    }
    json!({
        "@context": crate::context::actor(),
        "id": id,
        "type": "Update",
        "actor": actor,
        "to": [crate::PUBLIC],
        "object": object,
    })
}

/// `Delete` of an actor by itself, addressed to the public (upstream's account deletion).
pub fn delete_actor(id: &str, actor: &str) -> Value {
    json!({
        "@context": crate::context::actor(),
        "id": id,
        "type": "Delete",
        "actor": actor,
        "to": [crate::PUBLIC],
        "object": actor,
    })
}

/// `Move` of `actor` to `target` (upstream's `MoveSerializer`: the object is the mover).
pub fn move_actor(id: &str, actor: &str, target: &str) -> Value {
    json!({
        "@context": context::plain(),
        "id": id,
        "type": "Move",
        "actor": actor,
        "object": actor,
        "target": target,
    })
}
