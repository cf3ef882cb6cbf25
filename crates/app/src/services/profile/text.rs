//! The bio and field values as HTML, through the shared formatter (`domain::text`), with
//! mentions resolved against the accounts this server knows.
//!
//! The formatter's resolver is synchronous, so a first pass collects the mentions it asks
//! about, the database answers them, and a second pass renders with the answers.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::db::Exec;
use crate::db::repo::accounts;
use crate::domain::text::{self as fmt, MentionTarget, RenderContext};
use crate::error::ApiResult;
use crate::state::AppState;

type Key = (String, Option<String>);

/// Upstream's note length (URLs weigh 23, `@user@domain` counts as `@user`, graphemes).
pub fn note_length(text: &str) -> usize {
    fmt::note_length(text)
}

fn key(username: &str, domain: Option<&str>, local_domain: &str) -> Key {
    let domain = domain
        .map(str::to_lowercase)
        .filter(|d| !d.eq_ignore_ascii_case(local_domain));
    (username.to_lowercase(), domain)
}

/// The mentions the formatter would resolve in `text`.
fn wanted(text: &str, local_domain: &str, field: bool) -> Vec<Key> {
    let asked: RefCell<Vec<Key>> = RefCell::new(Vec::new());
    let record = |username: &str, domain: Option<&str>| {
        let k = key(username, domain, local_domain);
        let mut list = asked.borrow_mut();
        if !list.contains(&k) {
            list.push(k);
        }
        None
    };
    let ctx = RenderContext {
        local_domain,
        resolve_mention: &record,
    };
    if field {
        fmt::render_field_value(text, &ctx);
    } else {
        fmt::render_text(text, &ctx);
    }
    asked.into_inner()
}

async fn resolve(
    ex: &mut Exec<'_>,
    base_url: &str,
    wanted: Vec<Key>,
) -> ApiResult<HashMap<Key, MentionTarget>> {
    let mut found = HashMap::new();
    for k in wanted {
        let Some(r) = accounts::find_by_username(ex, &k.0, k.1.as_deref()).await? else {
            continue;
        };
        let a = &r.account;
        if a.suspended_at.is_some() || a.deleted_at.is_some() {
            continue;
        }
        let url = match &a.domain {
            None => format!("{base_url}/@{}", a.username),
            Some(_) => a.url.clone().unwrap_or_else(|| a.uri.clone()),
        };
        found.insert(
            k,
            MentionTarget {
                url,
                username: a.username.clone(),
            },
        );
    }
    Ok(found)
}

async fn render(ex: &mut Exec<'_>, state: &AppState, text: &str, field: bool) -> ApiResult<String> {
    let local_domain = state.config().domain.clone();
    let targets = resolve(ex, &state.base_url(), wanted(text, &local_domain, field)).await?;
    let lookup = |username: &str, domain: Option<&str>| {
        targets.get(&key(username, domain, &local_domain)).cloned()
    };
    let ctx = RenderContext {
        local_domain: &local_domain,
        resolve_mention: &lookup,
    };
    Ok(if field {
        fmt::render_field_value(text, &ctx)
    } else {
        fmt::render_text(text, &ctx).html
    })
}

/// The bio as HTML: paragraphs, line breaks, links, mentions and hashtags.
pub async fn render_note(ex: &mut Exec<'_>, state: &AppState, text: &str) -> ApiResult<String> {
    render(ex, state, text, false).await
}

/// A field value as HTML: links get `rel="me"` so they can be verified.
pub async fn render_field_value(
    ex: &mut Exec<'_>,
    state: &AppState,
    value: &str,
) -> ApiResult<String> {
    render(ex, state, value, true).await
}
