//! `OrderedCollection` documents (followers, following, outbox, featured).

use serde::Serialize;
use serde_json::Value;

use crate::context;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub total_items: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<Value>>,
}

impl OrderedCollection {
    /// A collection that names its size only (or a first page to walk).
    pub fn summary(id: String, total_items: i64, first: Option<String>) -> Self {
        Self {
            context: context::plain(),
            id,
            kind: "OrderedCollection",
            total_items,
            first,
            last: None,
            ordered_items: None,
        }
    }

    /// A collection with its items inline (featured, as upstream).
    pub fn inline(id: String, items: Vec<Value>) -> Self {
        Self {
            context: context::plain(),
            id,
            kind: "OrderedCollection",
            total_items: i64::try_from(items.len()).unwrap_or(i64::MAX),
            first: None,
            last: None,
            ordered_items: Some(items),
        }
    }
}

/// One page of an ordered collection (upstream's `CollectionPresenter` with `part_of`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_items: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    pub part_of: String,
    pub ordered_items: Vec<Value>,
}

impl OrderedCollectionPage {
    pub fn new(id: String, part_of: String, ordered_items: Vec<Value>) -> Self {
        Self {
            context: context::plain(),
            id,
            kind: "OrderedCollectionPage",
            total_items: None,
            next: None,
            prev: None,
            part_of,
            ordered_items,
        }
    }
}

/// Reads `totalItems` of a collection document (counters of remote accounts).
pub fn total_items(doc: &Value) -> Option<i64> {
    doc.get("totalItems").and_then(Value::as_i64)
}
