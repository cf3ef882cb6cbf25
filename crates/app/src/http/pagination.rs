//! Id-based pagination (`max_id`, `since_id`, `min_id`, `limit`) and Link headers as upstream.

use axum::http::HeaderValue;

use crate::domain::params;
use crate::http::extract::params::Params;

/// Cursors and limit of one list request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    pub limit: usize,
}

fn cursor(p: &Params, key: &str) -> Option<i64> {
    p.present(key).map(|v| params::ruby_to_i(&v))
}

impl Page {
    pub fn from_params(p: &Params, default: usize, max: usize) -> Self {
        Self {
            max_id: cursor(p, "max_id"),
            since_id: cursor(p, "since_id"),
            min_id: cursor(p, "min_id"),
            limit: params::limit(p.str("limit").as_deref(), default, max),
        }
    }
}

/// Which cursor the `prev` link uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrevCursor {
    MinId,
    SinceId,
}

/// Builds the Link header: `next` only for a full page, `prev` for any non-empty page.
/// `carried` are the (key, value) params copied into both links, besides the cursor.
pub fn link_header(
    url_base: &str,
    carried: &[(String, String)],
    first_id: Option<i64>,
    last_id: Option<i64>,
    full: bool,
    prev: PrevCursor,
) -> Option<HeaderValue> {
    let mut links = Vec::new();
    let render = |cursor_key: &str, id: i64| {
        let mut pairs: Vec<(String, String)> = carried.to_vec();
        pairs.push((cursor_key.to_owned(), id.to_string()));
        pairs.sort();
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("{url_base}?{query}")
    };
    if full && let Some(last) = last_id {
        links.push(format!("<{}>; rel=\"next\"", render("max_id", last)));
    }
    if let Some(first) = first_id {
        let key = match prev {
            PrevCursor::MinId => "min_id",
            PrevCursor::SinceId => "since_id",
        };
        links.push(format!("<{}>; rel=\"prev\"", render(key, first)));
    }
    if links.is_empty() {
        None
    } else {
        HeaderValue::from_str(&links.join(", ")).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_as_upstream() {
        let h = link_header(
            "https://ex.com/api/v1/accounts/1/followers",
            &[("limit".into(), "2".into())],
            Some(9),
            Some(5),
            true,
            PrevCursor::SinceId,
        );
        assert_eq!(
            h.and_then(|v| v.to_str().ok().map(str::to_owned))
                .unwrap_or_default(),
            "<https://ex.com/api/v1/accounts/1/followers?limit=2&max_id=5>; rel=\"next\", \
             <https://ex.com/api/v1/accounts/1/followers?limit=2&since_id=9>; rel=\"prev\""
        );
        assert!(link_header("u", &[], None, None, false, PrevCursor::MinId).is_none());
    }
}
