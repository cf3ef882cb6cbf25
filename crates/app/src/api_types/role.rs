//! `Role` as `REST::RoleSerializer` renders it.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    /// The computed bitmask (own bits | everyone's, or all bits for administrators) as a string.
    pub permissions: String,
    pub color: String,
    pub highlighted: bool,
    pub collection_limit: i64,
}
