//! The JSON-LD `@context` values Woolly sends, matching upstream's (so consumers that compare
//! terms rather than expand them see the same names).

use serde_json::{Value, json};

pub const ACTIVITYSTREAMS: &str = "https://www.w3.org/ns/activitystreams";
pub const SECURITY: &str = "https://w3id.org/security/v1";

/// The context of actor documents.
pub fn actor() -> Value {
    json!([
        ACTIVITYSTREAMS,
        SECURITY,
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "toot": "http://joinmastodon.org/ns#",
            "featured": {"@id": "toot:featured", "@type": "@id"},
            "featuredTags": {"@id": "toot:featuredTags", "@type": "@id"},
            "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
            "movedTo": {"@id": "as:movedTo", "@type": "@id"},
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "discoverable": "toot:discoverable",
            "suspended": "toot:suspended",
            "memorial": "toot:memorial",
            "indexable": "toot:indexable",
            "Emoji": "toot:Emoji",
            "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"}
        }
    ])
}

/// The context of plain activities and collections.
pub fn plain() -> Value {
    Value::String(ACTIVITYSTREAMS.to_owned())
}
