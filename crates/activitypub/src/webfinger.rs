//! WebFinger (RFC 7033) as the fediverse uses it: the JRD Woolly serves for its accounts,
//! and reading other servers' answers to find an actor's URI.

use serde::{Deserialize, Serialize};

use crate::ACTIVITY_JSON;

pub const REL_SELF: &str = "self";
pub const REL_PROFILE: &str = "http://webfinger.net/rel/profile-page";
pub const REL_SUBSCRIBE: &str = "http://ostatus.org/schema/1.0/subscribe";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Jrd {
    pub subject: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Link {
    pub rel: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

impl Jrd {
    /// The JRD of a local account, as upstream renders it.
    pub fn for_account(acct: &str, actor_uri: &str, profile_url: &str, base: &str) -> Self {
        Self {
            subject: format!("acct:{acct}"),
            aliases: vec![profile_url.to_owned(), actor_uri.to_owned()],
            links: vec![
                Link {
                    rel: REL_PROFILE.into(),
                    kind: Some("text/html".into()),
                    href: Some(profile_url.to_owned()),
                    template: None,
                },
                Link {
                    rel: REL_SELF.into(),
                    kind: Some(ACTIVITY_JSON.into()),
                    href: Some(actor_uri.to_owned()),
                    template: None,
                },
                Link {
                    rel: REL_SUBSCRIBE.into(),
                    kind: None,
                    href: None,
                    template: Some(format!("{base}/authorize_interaction?uri={{uri}}")),
                },
            ],
        }
    }

    /// The actor URI: the `self` link with an ActivityPub media type.
    pub fn actor_uri(&self) -> Option<&str> {
        self.links
            .iter()
            .filter(|l| l.rel == REL_SELF)
            .find(|l| {
                l.kind.as_deref().is_some_and(|t| {
                    t == ACTIVITY_JSON
                        || (t.starts_with("application/ld+json")
                            && t.contains("https://www.w3.org/ns/activitystreams"))
                })
            })
            .and_then(|l| l.href.as_deref())
    }

    /// `user@domain` of the subject, when it is an `acct:` URI.
    pub fn subject_acct(&self) -> Option<(&str, &str)> {
        split_acct(self.subject.strip_prefix("acct:")?)
    }
}

/// `user@domain` (an optional leading `@` and `acct:` allowed) into its parts.
pub fn split_acct(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix("acct:").unwrap_or(s);
    let s = s.strip_prefix('@').unwrap_or(s);
    let (user, domain) = s.split_once('@')?;
    (!user.is_empty() && !domain.is_empty() && !domain.contains('@')).then_some((user, domain))
}

/// The XRD of `/.well-known/host-meta` pointing at the WebFinger template.
pub fn host_meta(base: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{base}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n"
    )
}
