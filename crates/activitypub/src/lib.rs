//! The ActivityPub side of Woolly that needs no database and no network: the JSON-LD
//! documents it serves and reads (actors, collections, activities), WebFinger/host-meta/
//! NodeInfo, and HTTP signatures (draft-cavage, rsa-sha256, with `Digest`; RFC 9421 message
//! signatures inbound). The app crate stores, fetches and delivers; this crate only builds,
//! parses, signs and verifies.

pub mod activity;
pub mod actor;
pub mod collection;
pub mod context;
pub mod digest;
pub mod inbound;
pub mod keys;
pub mod message_signature;
pub mod nodeinfo;
pub mod note;
pub mod signature;
pub mod webfinger;

/// The media type of ActivityPub documents.
pub const ACTIVITY_JSON: &str = "application/activity+json";
/// The JSON-LD media type with the ActivityStreams profile (also accepted as an actor request).
pub const LD_JSON_AS: &str =
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
/// The audience that makes an activity public.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
