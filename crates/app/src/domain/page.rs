//! The one pagination vocabulary, used from handler to repo: a [`Cursor`] in, a [`Page`] out.
//!
//! Every Mastodon list is id-paged: `max_id` (older than), `since_id` (newer than, newest
//! first), `min_id` (newer than, oldest first, returned newest first) and `limit`. The id a
//! cursor compares is the list's own row id (a follow, block or report id) or the entity id,
//! as each list documents; the page carries the first and last of those so that the HTTP layer
//! can render the Link header (`http::pagination::link_header`).

/// The cursors and limit of one list request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    /// Already clamped to the endpoint's maximum by the parser.
    pub limit: usize,
}

impl Cursor {
    /// A first page of `limit` items.
    pub fn first(limit: usize) -> Self {
        Self {
            limit,
            ..Self::default()
        }
    }

    /// The limit as SQL binds it.
    pub fn limit_i64(&self) -> i64 {
        i64::try_from(self.limit).unwrap_or(i64::MAX)
    }
}

/// One page of a list and the cursor ids its Link header needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Cursor id of the first / last item, in the list's own id space.
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Whether the page was full (only then does the Link header carry `next`).
    pub full: bool,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            first: None,
            last: None,
            full: false,
        }
    }
}

impl<T> Page<T> {
    /// A page of `items` whose cursor ids are `ids` (same order), requested with `cursor`.
    pub fn new(items: Vec<T>, ids: &[i64], cursor: &Cursor) -> Self {
        Self {
            full: cursor.limit > 0 && ids.len() >= cursor.limit,
            first: ids.first().copied(),
            last: ids.last().copied(),
            items,
        }
    }

    /// The same cursors over different items (rendering keeps the order and the cursors).
    pub fn map<U>(self, f: impl FnOnce(Vec<T>) -> Vec<U>) -> Page<U> {
        Page {
            items: f(self.items),
            first: self.first,
            last: self.last,
            full: self.full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_knows_its_cursors_and_whether_it_is_full() {
        let cursor = Cursor::first(2);
        let page = Page::new(vec!["a", "b"], &[9, 5], &cursor);
        assert_eq!((page.first, page.last, page.full), (Some(9), Some(5), true));
        let page = Page::new(vec!["a"], &[9], &cursor);
        assert!(!page.full);
        let mapped = page.map(|items| items.into_iter().map(str::len).collect());
        assert_eq!(mapped.items, vec![1]);
        assert_eq!(mapped.first, Some(9));
    }
}
