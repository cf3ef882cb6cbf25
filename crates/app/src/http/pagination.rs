//! The HTTP side of the one pagination vocabulary (`domain::page`): [`cursor`] parses a list
//! request's `max_id`, `since_id`, `min_id` and `limit` into a [`Cursor`] for the service,
//! and [`link_header`] renders the Link header of the [`Page`] it returns, as upstream.

use axum::Json;
use axum::http::HeaderValue;
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;

use crate::domain::page::{Cursor, Page};
use crate::domain::params;
use crate::http::extract::params::Params;
use crate::http::json_body::{json_array, rendered_json};

fn cursor_id(p: &Params, key: &str) -> Option<i64> {
    p.present(key).map(|v| params::ruby_to_i(&v))
}

/// The cursor of a list request: `limit` defaults to `default` and is clamped to `max`.
pub fn cursor(p: &Params, default: usize, max: usize) -> Cursor {
    Cursor {
        max_id: cursor_id(p, "max_id"),
        since_id: cursor_id(p, "since_id"),
        min_id: cursor_id(p, "min_id"),
        limit: params::limit(p.str("limit").as_deref(), default, max),
    }
}

/// Which cursor the `prev` link uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrevCursor {
    MinId,
    SinceId,
}

/// Where a page's links point: the list's URL, the (key, value) params copied into both links
/// besides the cursor, and the cursor of `prev`.
#[derive(Debug, Clone)]
pub struct LinkTo {
    pub url: String,
    pub carried: Vec<(String, String)>,
    pub prev: PrevCursor,
}

impl LinkTo {
    /// The account lists' links (followers, blocks, mutes, …): only the raw `limit` is
    /// carried, and `prev` uses `since_id`, as upstream.
    pub fn accounts(url: String, params: &Params) -> Self {
        Self {
            url,
            carried: carried(params, &["limit"]),
            prev: PrevCursor::SinceId,
        }
    }
}

/// The scalar params among `keys` that the request has, as given, for [`LinkTo::carried`].
pub fn carried(params: &Params, keys: &[&str]) -> Vec<(String, String)> {
    keys.iter()
        .filter_map(|k| params.str(k).map(|v| ((*k).to_owned(), v)))
        .collect()
}

/// The Link header of `page`: `next` (`max_id` = its last cursor) only for a full page,
/// `prev` for any non-empty page.
pub fn link_header<T>(page: &Page<T>, to: &LinkTo) -> Option<HeaderValue> {
    let mut links = Vec::new();
    let render = |cursor_key: &str, id: i64| {
        let mut pairs: Vec<(String, String)> = to.carried.clone();
        pairs.push((cursor_key.to_owned(), id.to_string()));
        pairs.sort();
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("{}?{query}", to.url)
    };
    if page.full
        && let Some(last) = page.last
    {
        links.push(format!("<{}>; rel=\"next\"", render("max_id", last)));
    }
    if let Some(first) = page.first {
        let key = match to.prev {
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

fn with_link(mut response: Response, link: Option<HeaderValue>) -> Response {
    if let Some(link) = link {
        response.headers_mut().insert(LINK, link);
    }
    response
}

/// The page's items as a JSON array, with its Link header.
pub fn json_page<T: Serialize>(page: Page<T>, to: &LinkTo) -> Response {
    let link = link_header(&page, to);
    with_link(Json(page.items).into_response(), link)
}

/// [`json_page`] for items already rendered to JSON.
pub fn rendered_page(page: Page<Bytes>, to: &LinkTo) -> Response {
    let link = link_header(&page, to);
    with_link(rendered_json(json_array(&page.items)), link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_as_upstream() {
        let to = LinkTo {
            url: "https://ex.com/api/v1/accounts/1/followers".into(),
            carried: vec![("limit".into(), "2".into())],
            prev: PrevCursor::SinceId,
        };
        let page = Page::new(vec!['a', 'b'], &[9, 5], &Cursor::first(2));
        assert_eq!(
            link_header(&page, &to)
                .and_then(|v| v.to_str().ok().map(str::to_owned))
                .unwrap_or_default(),
            "<https://ex.com/api/v1/accounts/1/followers?limit=2&max_id=5>; rel=\"next\", \
             <https://ex.com/api/v1/accounts/1/followers?limit=2&since_id=9>; rel=\"prev\""
        );
        let empty = LinkTo {
            url: "u".into(),
            carried: Vec::new(),
            prev: PrevCursor::MinId,
        };
        assert!(link_header(&Page::<char>::default(), &empty).is_none());
    }
}
