//! `Instance` (v2) and the deprecated v1 shape. The version string starts with a Mastodon
//! version so clients that parse it (Mastodon.py, masto.js) enable the features they know.

use serde_json::{Value, json};

use super::instance_texts::Rule;
use crate::cache::instance_stats::InstanceStats;
use crate::config::{Config, RegistrationsMode};
use crate::domain::scopes;

pub const VERSION: &str = concat!("4.5.0 (compatible; Woolly ", env!("CARGO_PKG_VERSION"), ")");

/// Where clients open the streaming API (served on the main listener): `wss://DOMAIN`, or
/// `ws://DOMAIN` when the public scheme is `http`.
fn streaming_url(config: &Config) -> String {
    let scheme = if config.scheme == "http" { "ws" } else { "wss" };
    format!("{scheme}://{}", config.domain)
}

fn configuration(config: &Config) -> Value {
    json!({
        "urls": {"streaming": streaming_url(config), "status": Value::Null, "about": format!("{}/about", config.base_url()), "privacy_policy": Value::Null, "terms_of_service": Value::Null},
        "vapid": {"public_key": ""},
        "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5, "max_profile_fields": 4, "profile_field_name_limit": 255, "profile_field_value_limit": 255, "max_display_name_length": 30, "max_note_length": 500},
        "statuses": {"max_characters": 500, "max_media_attachments": 4, "characters_reserved_per_url": 23},
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp"],
            "description_limit": 1500,
            "image_size_limit": 16_777_216,
            "image_matrix_limit": 33_177_600,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0
        },
        "polls": {"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2_629_746},
        "translation": {"enabled": false},
        "limited_federation": config.limited_federation
    })
}

pub fn v2(config: &Config, stats: &InstanceStats, rules: &[Rule]) -> Value {
    let mode = config.registrations;
    json!({
        "domain": config.domain,
        "title": config.title,
        "version": VERSION,
        "source_url": "https://github.com/woolly-social/woolly",
        "description": config.description,
        "usage": {"users": {"active_month": stats.user_count}},
        "thumbnail": {"url": format!("{}/avatars/original/missing.png", config.base_url())},
        "icon": [],
        "languages": ["en"],
        "configuration": configuration(config),
        "registrations": {
            "enabled": mode != RegistrationsMode::Closed,
            "approval_required": mode == RegistrationsMode::Approval,
            "reason_required": mode == RegistrationsMode::Approval && config.require_invite_text,
            "message": Value::Null,
            "min_age": Value::Null,
            "url": Value::Null
        },
        "api_versions": {"mastodon": 6},
        "contact": {"email": config.contact_email, "account": Value::Null},
        "rules": rules,
        "oauth_scopes": scopes::SUPPORTED
    })
}

pub fn v1(config: &Config, stats: &InstanceStats, rules: &[Rule]) -> Value {
    let mode = config.registrations;
    json!({
        "uri": config.domain,
        "title": config.title,
        "short_description": config.description,
        "description": config.description,
        "email": config.contact_email,
        "version": VERSION,
        "urls": {"streaming_api": streaming_url(config)},
        "stats": {"user_count": stats.user_count, "status_count": stats.status_count, "domain_count": stats.domain_count},
        "thumbnail": format!("{}/avatars/original/missing.png", config.base_url()),
        "languages": ["en"],
        "registrations": mode != RegistrationsMode::Closed,
        "approval_required": mode == RegistrationsMode::Approval,
        "invites_enabled": false,
        "configuration": configuration(config),
        "contact_account": Value::Null,
        "rules": rules
    })
}
