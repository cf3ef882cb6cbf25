//! `PATCH /api/v1/accounts/update_credentials`: form, JSON or multipart (files for `avatar`
//! and `header`; text parts with bracketed names parse as form keys do).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use crate::api_types::CredentialAccount;
use crate::domain::params::cast_json_bool;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::multipart as parts;
use crate::http::extract::params::{Params, insert_path, merge_form, scalar};
use crate::http::extract::scopes::WriteAccounts;
use crate::services::profile::images::Upload;
use crate::services::profile::update_credentials::{self, Changes, SourceChanges};
use crate::state::AppState;

/// Parameters plus the uploaded files of a multipart body.
#[derive(Debug, Default)]
pub struct ProfileForm {
    pub params: Params,
    pub files: HashMap<String, Upload>,
}

fn bad_request() -> ApiError {
    ApiError::BadRequest("Bad Request".into())
}

async fn read_multipart(req: Request, state: &AppState) -> Result<ProfileForm, ApiError> {
    let mut map = Map::new();
    if let Some(q) = req.uri().query() {
        merge_form(&mut map, q);
    }
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(parts::rejection)?;
    let mut files = HashMap::new();
    while let Some(field) = multipart.next_field().await.map_err(parts::read_error)? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if let Some(filename) = field.file_name().map(str::to_owned) {
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(parts::read_error)?;
            files.insert(
                name,
                Upload {
                    bytes,
                    content_type,
                    filename: Some(filename),
                },
            );
        } else {
            let text = field.text().await.map_err(parts::read_error)?;
            insert_path(&mut map, &name, Value::String(text));
        }
    }
    Ok(ProfileForm {
        params: Params(map),
        files,
    })
}

impl FromRequest<AppState> for ProfileForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
        if multipart {
            read_multipart(req, state).await
        } else {
            Ok(Self {
                params: Params::from_request(req, state).await?,
                files: HashMap::new(),
            })
        }
    }
}

/// `fields_attributes` as an array of `{name, value}` or a hash of them, in the order the
/// hash's keys were received, as a Rails params hash keeps them (not by numeric key).
fn field_pairs(value: &Value) -> Vec<(String, String)> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => map.values().collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(Value::as_object)
        .map(|o| {
            let get = |k: &str| o.get(k).and_then(scalar).unwrap_or_default();
            (get("name"), get("value"))
        })
        .collect()
}

fn source_changes(params: &Params) -> Option<SourceChanges> {
    let m = params.map("source").filter(|m| !m.is_empty())?;
    Some(SourceChanges {
        privacy: m.get("privacy").and_then(scalar),
        sensitive: m.get("sensitive").and_then(cast_json_bool),
        language: m.get("language").and_then(scalar),
        quote_policy: m.get("quote_policy").and_then(scalar),
    })
}

/// A file parameter: an upload, nothing, or (a non-empty non-file value) 400 as upstream.
fn upload(form: &mut ProfileForm, key: &str) -> ApiResult<Option<Upload>> {
    if let Some(file) = form.files.remove(key) {
        return Ok(Some(file));
    }
    match form.params.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(_) => Err(bad_request()),
    }
}

fn changes(mut form: ProfileForm) -> ApiResult<Changes> {
    let avatar = upload(&mut form, "avatar")?;
    let header = upload(&mut form, "header")?;
    let p = &form.params;
    let nullable = |k: &str| p.has(k).then(|| p.bool(k));
    Ok(Changes {
        display_name: p.str("display_name"),
        note: p.str("note"),
        locked: p.bool("locked"),
        bot: p.bool("bot"),
        discoverable: nullable("discoverable"),
        hide_collections: nullable("hide_collections"),
        indexable: p.bool("indexable"),
        attribution_domains: p
            .has("attribution_domains")
            .then(|| p.list("attribution_domains")),
        fields: p.get("fields_attributes").map(field_pairs),
        source: source_changes(p),
        avatar,
        header,
        avatar_description: p.str("avatar_description"),
        header_description: p.str("header_description"),
    })
}

pub async fn update_credentials(
    State(state): State<AppState>,
    auth: User<WriteAccounts>,
    form: ProfileForm,
) -> ApiResult<Json<CredentialAccount>> {
    let changes = changes(form)?;
    let entity =
        update_credentials::update(&state, auth.user().id, auth.account_id(), changes).await?;
    Ok(Json(entity))
}
