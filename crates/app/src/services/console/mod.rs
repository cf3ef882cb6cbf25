//! The moderation console (`/admin` web pages): who is signed in to it, and the data of its
//! pages composed from the moderation services, which keep every permission and position
//! rule (the console adds none of its own).

pub mod notes;
pub mod pages;
pub mod session;

use crate::error::{ApiError, ApiResult};

/// A section the actor's role may not see is left out (None) instead of failing the page.
pub(crate) fn if_allowed<T>(r: ApiResult<T>) -> ApiResult<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(ApiError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
