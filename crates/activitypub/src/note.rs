//! Statuses as ActivityPub objects: reading a remote `Note` (and the audience rules that give
//! it a visibility, as upstream's `ActivityPub::Activity::Create`), and building what Woolly
//! serves and sends for a local status (upstream's `NoteSerializer`, `ActivitySerializer`,
//! `DeleteSerializer`, and the `to`/`cc` of its `TagManager`).

use serde_json::{Map, Value, json};

use crate::actor::id_of;
use crate::{PUBLIC, context};

/// The object types stored as statuses (upstream's supported and converted types).
pub const NOTE_TYPES: [&str; 4] = ["Note", "Question", "Article", "Page"];

/// An attachment of a remote note, kept as a remote URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAttachment {
    pub url: String,
    pub media_type: Option<String>,
    pub name: Option<String>,
    pub blurhash: Option<String>,
}

/// A remote note as it arrived (content not yet sanitised).
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteNote {
    pub id: String,
    pub kind: String,
    pub url: Option<String>,
    pub attributed_to: Option<String>,
    pub content: String,
    pub summary: String,
    pub sensitive: bool,
    pub published: Option<String>,
    pub in_reply_to: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub language: Option<String>,
    pub direct_message: Option<bool>,
    pub attachments: Vec<RemoteAttachment>,
}

fn string(o: &Map<String, Value>, key: &str) -> Option<String> {
    o.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The ids of an audience member (`to`, `cc`): a string, an object, or an array of these.
pub fn audience(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(id_of).collect(),
        Some(other) => id_of(other).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Upstream's `public_collection?`.
pub fn is_public(uri: &str) -> bool {
    matches!(uri, PUBLIC | "as:Public" | "Public")
}

/// A URL given as a string, a Link (`href`), or an array of these, preferring `text/html`
/// (upstream's `url_to_href(url, 'text/html')`).
fn html_url(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => string(o, "href").or_else(|| string(o, "url")),
        Value::Array(a) => a
            .iter()
            .find(|l| l.get("mediaType").and_then(Value::as_str) == Some("text/html"))
            .or_else(|| a.first())
            .and_then(|l| html_url(Some(l))),
        _ => None,
    }
}

fn attachment(v: &Value) -> Option<RemoteAttachment> {
    let o = v.as_object()?;
    let url = match o.get("url") {
        Some(u) => html_url(Some(u)),
        None => string(o, "href"),
    }?;
    Some(RemoteAttachment {
        url,
        media_type: string(o, "mediaType"),
        name: string(o, "name").filter(|n| !n.is_empty()),
        blurhash: string(o, "blurhash"),
    })
}

impl RemoteNote {
    /// Reads a note object; None unless it is one of [`NOTE_TYPES`] with an id.
    pub fn parse(doc: &Value) -> Option<Self> {
        let o = doc.as_object()?;
        let kind = string(o, "type")?;
        if !NOTE_TYPES.contains(&kind.as_str()) {
            return None;
        }
        let content_map = o.get("contentMap").and_then(Value::as_object);
        let language = content_map.and_then(|m| m.keys().next().cloned());
        let content = string(o, "content")
            .or_else(|| {
                content_map.and_then(|m| m.values().find_map(Value::as_str).map(str::to_owned))
            })
            .or_else(|| string(o, "name"))
            .unwrap_or_default();
        let attachments = match o.get("attachment") {
            Some(Value::Array(a)) => a.iter().filter_map(attachment).take(4).collect(),
            Some(one) => attachment(one).into_iter().collect(),
            None => Vec::new(),
        };
        Some(Self {
            id: string(o, "id")?,
            kind,
            url: html_url(o.get("url")),
            attributed_to: o.get("attributedTo").and_then(id_of),
            content,
            summary: string(o, "summary").unwrap_or_default(),
            sensitive: o.get("sensitive").and_then(Value::as_bool).unwrap_or(false),
            published: string(o, "published"),
            in_reply_to: o.get("inReplyTo").and_then(id_of),
            to: audience(o.get("to")),
            cc: audience(o.get("cc")),
            language,
            direct_message: o.get("directMessage").and_then(Value::as_bool),
            attachments,
        })
    }

    /// The visibility its audience gives it (upstream's `visibility_from_audience`), given
    /// the author's followers collection.
    pub fn visibility(&self, followers: Option<&str>) -> &'static str {
        visibility_of(&self.to, &self.cc, followers, self.direct_message)
    }
}

/// `public`, `unlisted`, `private`, `limited` or `direct`, as upstream reads `to`/`cc`.
pub fn visibility_of(
    to: &[String],
    cc: &[String],
    followers: Option<&str>,
    direct_message: Option<bool>,
) -> &'static str {
    if to.iter().any(|u| is_public(u)) {
        "public"
    } else if cc.iter().any(|u| is_public(u)) {
        "unlisted"
    } else if followers.is_some_and(|f| to.iter().any(|u| u == f)) {
        "private"
    } else if direct_message == Some(false) {
        "limited"
    } else {
        "direct"
    }
}

/// The `@context` of notes and the activities that carry them (upstream's extensions for
/// the members Woolly emits).
pub fn note_context() -> Value {
    json!([
        context::ACTIVITYSTREAMS,
        {
            "ostatus": "http://ostatus.org#",
            "atomUri": "ostatus:atomUri",
            "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
            "conversation": "ostatus:conversation",
            "sensitive": "as:sensitive",
            "toot": "http://joinmastodon.org/ns#",
            "votersCount": "toot:votersCount",
            "blurhash": "toot:blurhash",
            "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
            "Hashtag": "as:Hashtag"
        }
    ])
}

/// An attachment of a local note (upstream's `MediaAttachmentSerializer`).
#[derive(Debug, Clone)]
pub struct NoteAttachment {
    pub media_type: Option<String>,
    pub url: String,
    pub name: Option<String>,
    pub blurhash: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// A local status as a `Note`.
#[derive(Debug, Clone)]
pub struct NoteParts<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub actor: &'a str,
    pub followers: &'a str,
    pub content: &'a str,
    pub summary: Option<&'a str>,
    pub sensitive: bool,
    pub language: Option<&'a str>,
    pub published: &'a str,
    pub updated: Option<&'a str>,
    pub in_reply_to: Option<&'a str>,
    /// `public`, `unlisted`, `private`, `direct`.
    pub visibility: &'a str,
    /// `(actor uri, @acct)` of each mention.
    pub mentions: Vec<(String, String)>,
    /// `(tag url, name)` of each hashtag.
    pub hashtags: Vec<(String, String)>,
    pub attachments: Vec<NoteAttachment>,
}

/// `to` of a status (upstream's `TagManager#to`).
pub fn to_of(visibility: &str, followers: &str, mentions: &[(String, String)]) -> Vec<String> {
    match visibility {
        "public" => vec![PUBLIC.to_owned()],
        "unlisted" | "private" => vec![followers.to_owned()],
        _ => mentions.iter().map(|m| m.0.clone()).collect(),
    }
}

/// `cc` of a status (upstream's `TagManager#cc`); `reblogged` is the original's author.
pub fn cc_of(
    visibility: &str,
    followers: &str,
    mentions: &[(String, String)],
    reblogged: Option<&str>,
) -> Vec<String> {
    let mut cc: Vec<String> = reblogged.into_iter().map(str::to_owned).collect();
    match visibility {
        "public" => cc.push(followers.to_owned()),
        "unlisted" => cc.push(PUBLIC.to_owned()),
        _ => {}
    }
    if matches!(visibility, "public" | "unlisted" | "private") {
        cc.extend(mentions.iter().map(|m| m.0.clone()));
    }
    cc
}

/// The `Note` (without `@context`; see [`with_context`]).
pub fn note(n: &NoteParts<'_>) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(n.id));
    o.insert("type".into(), json!("Note"));
    o.insert("summary".into(), json!(n.summary));
    o.insert("inReplyTo".into(), json!(n.in_reply_to));
    o.insert("published".into(), json!(n.published));
    o.insert("url".into(), json!(n.url));
    o.insert("attributedTo".into(), json!(n.actor));
    o.insert(
        "to".into(),
        json!(to_of(n.visibility, n.followers, &n.mentions)),
    );
    o.insert(
        "cc".into(),
        json!(cc_of(n.visibility, n.followers, &n.mentions, None)),
    );
    o.insert("sensitive".into(), json!(n.sensitive));
    o.insert("content".into(), json!(n.content));
    if let Some(lang) = n.language {
        o.insert("contentMap".into(), json!({ lang: n.content }));
    }
    if let Some(updated) = n.updated {
        o.insert("updated".into(), json!(updated));
    }
    let attachments: Vec<Value> = n
        .attachments
        .iter()
        .map(|a| {
            let mut m = Map::new();
            m.insert("type".into(), json!("Document"));
            m.insert("mediaType".into(), json!(a.media_type));
            m.insert("url".into(), json!(a.url));
            m.insert("name".into(), json!(a.name));
            m.insert("blurhash".into(), json!(a.blurhash));
            if let Some(w) = a.width {
                m.insert("width".into(), json!(w));
            }
            if let Some(h) = a.height {
                m.insert("height".into(), json!(h));
            }
            Value::Object(m)
        })
        .collect();
    o.insert("attachment".into(), Value::Array(attachments));
    let mut tags: Vec<Value> = n
        .mentions
        .iter()
        .map(|(href, name)| json!({"type": "Mention", "href": href, "name": name}))
        .collect();
    tags.extend(
        n.hashtags.iter().map(
            |(href, name)| json!({"type": "Hashtag", "href": href, "name": format!("#{name}")}),
        ),
    );
    o.insert("tag".into(), Value::Array(tags));
    Value::Object(o)
}

/// `doc` with the note `@context` first.
pub fn with_context(doc: Value) -> Value {
    let mut o = Map::new();
    o.insert("@context".into(), note_context());
    if let Value::Object(rest) = doc {
        o.extend(rest);
    }
    Value::Object(o)
}

/// The `Create` of a note (upstream's `ActivitySerializer`): `{uri}/activity`, the note's
/// audience.
pub fn create(note: Value) -> Value {
    let get = |k: &str| note.get(k).cloned().unwrap_or(Value::Null);
    let id = note.get("id").and_then(Value::as_str).unwrap_or_default();
    json!({
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": get("attributedTo"),
        "published": get("published"),
        "to": get("to"),
        "cc": get("cc"),
        "object": note,
    })
}

/// The `Announce` of `object` (a reblog, as the outbox lists it).
pub fn announce(
    reblog_uri: &str,
    actor: &str,
    published: &str,
    to: Vec<String>,
    cc: Vec<String>,
    object: &str,
) -> Value {
    json!({
        "id": format!("{reblog_uri}/activity"),
        "type": "Announce",
        "actor": actor,
        "published": published,
        "to": to,
        "cc": cc,
        "object": object,
    })
}

/// The `Delete` of a status (upstream's `DeleteSerializer`): a `Tombstone`, to the public.
pub fn delete(actor: &str, status_uri: &str) -> Value {
    json!({
        "@context": note_context(),
        "id": format!("{status_uri}#delete"),
        "type": "Delete",
        "actor": actor,
        "object": {"id": status_uri, "type": "Tombstone", "atomUri": status_uri},
        "to": [PUBLIC],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_gives_upstreams_visibility() {
        let f = "https://x.example/users/a/followers";
        let v = |to: &[&str], cc: &[&str]| {
            let s = |l: &[&str]| l.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
            visibility_of(&s(to), &s(cc), Some(f), None)
        };
        assert_eq!(v(&[PUBLIC], &[f]), "public");
        assert_eq!(v(&["as:Public"], &[]), "public");
        assert_eq!(v(&[f], &[PUBLIC]), "unlisted");
        assert_eq!(v(&[f], &[]), "private");
        assert_eq!(v(&["https://y.example/users/b"], &[]), "direct");
    }

    #[test]
    fn a_note_is_read_with_its_language_url_and_media() {
        let doc = json!({
            "id": "https://x.example/notes/1", "type": "Note",
            "attributedTo": "https://x.example/users/a",
            "content": "<p>hi</p>", "contentMap": {"en": "<p>hi</p>"},
            "url": [{"type": "Link", "mediaType": "text/html", "href": "https://x.example/@a/1"}],
            "to": PUBLIC, "cc": ["https://x.example/users/a/followers"],
            "inReplyTo": null, "sensitive": true, "summary": "cw",
            "attachment": [{"type": "Document", "mediaType": "image/png", "url": "https://x.example/a.png", "name": "alt"}]
        });
        let n = RemoteNote::parse(&doc).expect("note");
        assert_eq!(n.language.as_deref(), Some("en"));
        assert_eq!(n.url.as_deref(), Some("https://x.example/@a/1"));
        assert_eq!(n.to, vec![PUBLIC.to_owned()]);
        assert_eq!(n.attachments[0].url, "https://x.example/a.png");
        assert_eq!(n.attachments[0].name.as_deref(), Some("alt"));
        assert!(n.sensitive);
        assert_eq!(n.visibility(None), "public");
        assert!(RemoteNote::parse(&json!({"id": "x", "type": "Person"})).is_none());
    }
}
