//! `PathId`: the numeric `:id` of a route (`/api/v1/accounts/:id/follow`, …). An id that is
//! not a number names no record: upstream's 404 `Record not found`, like an unknown one.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::domain::ids::parse_id;
use crate::error::ApiError;

/// The route's single `:id`, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        parse_id(&raw).map(Self).ok_or(ApiError::NotFound)
    }
}
