//! `List` (REST::ListSerializer).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct List {
    pub id: String,
    pub title: String,
    pub replies_policy: String,
    pub exclusive: bool,
}
