//! The one error type of the API. It carries a status and the public body Mastodon sends;
//! internal causes are logged, never shown.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One entry of a 422 `details` map: `{"error":"ERR_BLANK","description":"can't be blank"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub error: String,
    pub description: String,
}

/// Validation errors collected in the order they were found, keyed by attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    /// (attribute key, display name, error)
    entries: Vec<(String, String, FieldError)>,
}

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an error: `key` is the `details` key, `label` the attribute's display name
    /// (`E-mail address`), `code` the upstream type (`blank` → `ERR_BLANK`).
    pub fn add(&mut self, key: &str, label: &str, code: &str, description: &str) {
        self.entries.push((
            key.to_owned(),
            label.to_owned(),
            FieldError {
                error: format!("ERR_{}", code.to_uppercase()),
                description: description.to_owned(),
            },
        ));
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _, _)| k == key)
    }

    /// `Err(ApiError)` with `details` if anything was added.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self))
        }
    }

    fn message(&self) -> String {
        let parts: Vec<String> = self
            .entries
            .iter()
            .map(|(_, label, e)| format!("{label} {}", e.description))
            .collect();
        format!("Validation failed: {}", parts.join(", "))
    }

    fn details(&self) -> BTreeMap<String, Vec<FieldError>> {
        let mut map: BTreeMap<String, Vec<FieldError>> = BTreeMap::new();
        for (key, _, e) in &self.entries {
            map.entry(key.clone()).or_default().push(e.clone());
        }
        map
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404 `Record not found`
    #[error("Record not found")]
    NotFound,
    /// 410: the record existed and is gone for good (a deleted actor).
    #[error("Gone")]
    Gone,
    /// 401 with Doorkeeper's `WWW-Authenticate` header; the text is the error and description.
    #[error("{0}")]
    InvalidToken(&'static str),
    /// 401 with a plain message (no token challenge): a request that needs a signed-in user
    /// for one of its options.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403 `This action is outside the authorized scopes`; carries the accepted scopes.
    #[error("This action is outside the authorized scopes")]
    InsufficientScope(&'static [&'static str]),
    /// 403 with a given message (`This action is not allowed`, `Forbidden`, …)
    #[error("{0}")]
    Forbidden(String),
    /// 422 with a plain message (`This method requires an authenticated user`, generic validation)
    #[error("{0}")]
    Unprocessable(String),
    /// 422 with `details`
    #[error("validation failed")]
    Validation(Validation),
    /// 400 with a message (`Unknown status: foo`)
    #[error("{0}")]
    BadRequest(String),
    /// 429 `Too many requests`
    #[error("Too many requests")]
    TooManyRequests,
    /// 413 for bodies over the limit
    #[error("Payload too large")]
    PayloadTooLarge,
    /// 500; the cause is logged.
    #[error("internal error: {0}")]
    Internal(String),
    /// A deadlock or serialization failure (SQLSTATE 40P01/40001): the transaction was
    /// rolled back and may be run again ([`crate::services::retry`]); a 500 if it reaches
    /// the client.
    #[error("transaction conflict: {0}")]
    Conflict(String),
}

impl ApiError {
    pub fn not_allowed() -> Self {
        Self::Forbidden("This action is not allowed".into())
    }

    pub fn forbidden() -> Self {
        Self::Forbidden("Forbidden".into())
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// A single-attribute validation failure, as a 422 with `details`.
    pub fn invalid(key: &str, label: &str, code: &str, description: &str) -> Self {
        let mut v = Validation::new();
        v.add(key, label, code, description);
        Self::Validation(v)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Gone => StatusCode::GONE,
            Self::InvalidToken(_) | Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::InsufficientScope(_) | Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Unprocessable(_) | Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal(_) | Self::Conflict(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body as Mastodon sends it.
    pub fn body(&self) -> serde_json::Value {
        match self {
            Self::Validation(v) => {
                serde_json::json!({"error": v.message(), "details": v.details()})
            }
            Self::Internal(_) | Self::Conflict(_) => {
                serde_json::json!({"error": "Internal Server Error"})
            }
            other => serde_json::json!({"error": other.to_string()}),
        }
    }

    fn www_authenticate(&self) -> Option<String> {
        match self {
            Self::InvalidToken(description) => Some(format!(
                "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"{description}\""
            )),
            Self::InsufficientScope(scopes) => Some(format!(
                "Bearer realm=\"Doorkeeper\", error=\"insufficient_scope\", error_description=\"Access to this resource requires scope _{}_.\"",
                scopes.join(" ")
            )),
            _ => None,
        }
    }
}

impl ApiError {
    /// True for a conflict that running the transaction again may resolve.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Conflict(_))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return Self::Unprocessable("Duplicate record".into());
            }
            match db.code().as_deref() {
                Some("40P01" | "40001") => return Self::Conflict(e.to_string()),
                // A NUL byte in text (PostgreSQL cannot store one). Params refuse these
                // first; this keeps any other path from answering 500.
                Some("22021") => {
                    return Self::Unprocessable("Validation failed: contains a null byte".into());
                }
                _ => {}
            }
        }
        Self::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) | Self::Conflict(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let status = self.status();
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Some(value) = self
            .www_authenticate()
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
