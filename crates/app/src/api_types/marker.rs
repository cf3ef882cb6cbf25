//! Marker (upstream's `REST::MarkerSerializer`).

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Marker {
    pub last_read_id: String,
    pub version: i64,
    pub updated_at: String,
}
