//! Request bodies as Rails reads them: the query string merged with a JSON, urlencoded or
//! `multipart/form-data` body. Every endpoint reads its parameters here, so every endpoint
//! takes every encoding real clients send (masto.js sends multipart for plain forms), with
//! the same limits and errors.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use super::params::{MAX_BODY_BYTES, Params, insert_path, merge_form};
use crate::error::ApiError;
use crate::media::Upload;

/// Parameters plus the file parts of a multipart body, by parameter name.
#[derive(Debug, Default)]
pub struct Form {
    pub params: Params,
    pub files: HashMap<String, Upload>,
}

fn parse_error() -> ApiError {
    ApiError::BadRequest("Error occurred while parsing request parameters".into())
}

/// What went wrong reading a body: over a limit is 413, anything else 400.
fn read_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        parse_error()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Files {
    Keep,
    Skip,
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

async fn read<S: Send + Sync>(req: Request, state: &S, files: Files) -> Result<Form, ApiError> {
    let mut map = Map::new();
    if let Some(q) = req.uri().query() {
        merge_form(&mut map, q);
    }
    let content_type = content_type(&req);
    let mut form = if content_type.starts_with("multipart/form-data") {
        read_multipart(req, state, map, files).await?
    } else {
        let body = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        merge_text_body(&mut map, &content_type, &body)?;
        Form {
            params: Params(map),
            files: HashMap::new(),
        }
    };
    reject_nul(&form.params.0)?;
    form.files.retain(|name, _| !name.contains('\0'));
    Ok(form)
}

fn merge_text_body(
    map: &mut Map<String, Value>,
    content_type: &str,
    body: &[u8],
) -> Result<(), ApiError> {
    if body.is_empty() {
        return Ok(());
    }
    if content_type.starts_with("application/json") {
        let value: Value = serde_json::from_slice(body).map_err(|_| parse_error())?;
        if let Value::Object(body) = value {
            for (k, v) in body {
                map.insert(k, v);
            }
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded")
        || content_type.is_empty()
    {
        let text = std::str::from_utf8(body).map_err(|_| parse_error())?;
        merge_form(map, text);
    }
    Ok(())
}

async fn read_multipart<S: Send + Sync>(
    req: Request,
    state: &S,
    mut map: Map<String, Value>,
    keep: Files,
) -> Result<Form, ApiError> {
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|_| parse_error())?;
    let mut files = HashMap::new();
    let mut text_bytes = 0usize;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| read_error(e.status()))?
    {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if let Some(filename) = field.file_name().map(str::to_owned) {
            // An endpoint without files leaves the part unread: the next field skips it.
            if keep == Files::Skip {
                continue;
            }
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| read_error(e.status()))?;
            files.insert(
                name,
                Upload {
                    bytes,
                    content_type,
                    filename: Some(filename),
                },
            );
        } else {
            let text = read_text_part(field, MAX_BODY_BYTES - text_bytes).await?;
            text_bytes += text.len();
            insert_path(&mut map, &name, Value::String(text));
        }
    }
    Ok(Form {
        params: Params(map),
        files,
    })
}

/// A text part, refused with 413 once it passes what is left of the text budget (read chunk
/// by chunk, so an oversized part is never held whole).
async fn read_text_part(
    mut field: axum::extract::multipart::Field<'_>,
    budget: usize,
) -> Result<String, ApiError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| read_error(e.status()))? {
        if buf.len() + chunk.len() > budget {
            return Err(ApiError::PayloadTooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    String::from_utf8(buf).map_err(|_| parse_error())
}

/// No parameter may carry a NUL byte: PostgreSQL cannot store one in text, and no stored
/// identifier contains one. One rule for both backends: the request is invalid (422), before
/// anything is looked up or written.
fn reject_nul(map: &Map<String, Value>) -> Result<(), ApiError> {
    match map.iter().find(|(k, v)| k.contains('\0') || has_nul(v)) {
        None => Ok(()),
        Some((key, _)) => {
            let key = key.replace('\0', "");
            Err(ApiError::invalid(
                &key,
                &humanize(&key),
                "invalid",
                "is invalid",
            ))
        }
    }
}

fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Rails' `humanize` of an attribute name: `client_name` → `Client name`.
fn humanize(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read(req, state, Files::Keep).await
    }
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(read(req, state, Files::Skip).await?.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_anywhere_is_invalid() {
        let mut m = Map::new();
        m.insert("client_name".into(), Value::String("a\0".into()));
        let e = reject_nul(&m).err().map(|e| e.body().to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                r#"{"error":"Validation failed: Client name is invalid","details":{"client_name":[{"error":"ERR_INVALID","description":"is invalid"}]}}"#
            )
        );
        let mut nested = Map::new();
        nested.insert(
            "fields_attributes".into(),
            serde_json::json!({"0": {"name": "x", "value": "y\u{0}"}}),
        );
        assert!(reject_nul(&nested).is_err());
        let mut clean = Map::new();
        clean.insert("note".into(), serde_json::json!(["a", {"b": "c"}]));
        assert!(reject_nul(&clean).is_ok());
    }
}
