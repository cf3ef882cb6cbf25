//! The instance's sub-resources clients read at start: rules, extended description, privacy
//! policy, terms of service, languages, translation languages and peers. The texts are the
//! operator's (configuration); their `updated_at` is when the configuration was read.

use crate::api_types::instance_texts::{DatedText, Language, Rule, TermsOfService};
use crate::db::repo::instance;
use crate::domain::languages;
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The rules in configured order, numbered from 1 (blank ones skipped).
pub fn rules(state: &AppState) -> Vec<Rule> {
    state
        .config()
        .rules
        .iter()
        .filter(|r| !r.trim().is_empty())
        .enumerate()
        .map(|(i, text)| Rule {
            id: (i + 1).to_string(),
            text: text.trim().to_owned(),
            hint: String::new(),
        })
        .collect()
}

fn dated(state: &AppState, content: String) -> DatedText {
    DatedText {
        updated_at: time::iso8601(state.config_loaded_at()),
        content,
    }
}

/// The configured extended description, else the short description as a paragraph.
pub fn extended_description(state: &AppState) -> DatedText {
    let c = state.config();
    let content = if c.extended_description.trim().is_empty() {
        format!("<p>{}</p>", html_escape(&c.description))
    } else {
        c.extended_description.clone()
    };
    dated(state, content)
}

/// The configured privacy policy, else Woolly's default (what this software stores).
pub fn privacy_policy(state: &AppState) -> DatedText {
    let c = state.config();
    let content = if c.privacy_policy.trim().is_empty() {
        default_privacy_policy(&c.domain)
    } else {
        c.privacy_policy.clone()
    };
    dated(state, content)
}

/// The configured terms of service; 404 when there are none, as upstream.
pub fn terms_of_service(state: &AppState) -> ApiResult<TermsOfService> {
    let c = state.config();
    if c.terms_of_service.trim().is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(TermsOfService {
        effective_date: time::date(state.config_loaded_at()),
        effective: true,
        content: c.terms_of_service.clone(),
        succeeded_by: None,
    })
}

/// Every language a post may be tagged with, with its English name.
pub fn languages() -> Vec<Language> {
    languages::all()
        .filter_map(|code| {
            languages::english_name(code).map(|name| Language {
                code: code.to_owned(),
                name,
            })
        })
        .collect()
}

/// The domains of the remote accounts this server knows.
pub async fn peers(state: &AppState) -> ApiResult<Vec<String>> {
    let mut conn = state.db().conn().await?;
    Ok(instance::peer_domains(&mut conn.exec()).await?)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn default_privacy_policy(domain: &str) -> String {
    let domain = html_escape(domain);
    format!(
        "<h1>Privacy policy of {domain}</h1>\
<h2>What this server keeps</h2>\
<ul>\
<li><strong>Your account:</strong> your username, e-mail address and a hash of your password \
(never the password itself), your profile (display name, bio, fields, avatar and header) and \
your settings.</li>\
<li><strong>What you post and do:</strong> your posts and their media, who you follow, block \
and mute, your lists, notes, reports and notifications. Public posts and your profile are \
visible to anyone; other posts only to the people they are addressed to.</li>\
<li><strong>Sign-in records:</strong> the IP addresses your account was used from and when, \
kept to protect your account and the server from abuse, and shown to moderators.</li>\
</ul>\
<h2>What it is used for</h2>\
<p>To run the service: show your posts and profile as you chose, deliver notifications, \
send the e-mails you need (confirmation, password reset, moderation notices), and let \
moderators act on reports. Nothing is sold or used for advertising.</p>\
<h2>Who else sees it</h2>\
<p>Other servers of the fediverse receive what you publish to their users, as any e-mail \
server would. Moderators of this server see what they need to handle reports.</p>\
<h2>Your choices</h2>\
<p>You can edit or delete your posts and profile at any time, and delete your account; a \
deleted account's data is removed after the grace period. Contact the administrators of \
{domain} for any question about your data.</p>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_language_has_a_name() {
        let all = languages();
        assert_eq!(all.len(), languages::all().count());
        assert!(all.iter().any(|l| l.code == "en" && l.name == "English"));
        assert!(
            all.iter()
                .any(|l| l.code == "es-AR" && l.name == "Spanish (Argentina)")
        );
        assert!(all.iter().any(|l| l.code == "ast" && !l.name.is_empty()));
    }
}
