//! `/admin/…`: the moderation console, server-rendered pages over the moderation services.
//! Reached after the OAuth pages' web sign-in (same session cookie), every form carries the
//! double-submit CSRF token, and the pages are gated by the services' own permission and
//! position checks (a refused action renders the API's 403 as a page).

pub mod account_actions;
pub mod accounts;
pub mod audit;
pub mod notes;
pub mod reports;
pub mod session;
pub mod signed_in;
pub mod view;

pub use signed_in::{Console, ConsolePost};

/// Scalar query / form parameters as `(key, value)` pairs, for forms that keep their values
/// and for page links.
pub fn carried(
    params: &crate::http::extract::params::Params,
    keys: &[&str],
) -> Vec<(String, String)> {
    keys.iter()
        .filter_map(|k| params.present(k).map(|v| ((*k).to_owned(), v)))
        .collect()
}

/// `path?k=v&…` (just `path` without pairs).
pub fn link(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{path}?{}", q.finish())
}
