//! `PATCH /api/v1/accounts/update_credentials`: form, JSON or multipart (files for `avatar`
//! and `header`; text parts with bracketed names parse as form keys do).

use axum::Json;
use axum::extract::State;
use serde_json::Value;

use crate::api_types::CredentialAccount;
use crate::domain::params::cast_json_bool;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::User;
use crate::http::extract::form::Form;
use crate::http::extract::params::{Params, scalar};
use crate::http::extract::scopes::WriteAccounts;
use crate::services::profile::images::Upload;
use crate::services::profile::update_credentials::{self, Changes, SourceChanges};
use crate::state::AppState;

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
fn upload(form: &mut Form, key: &str) -> ApiResult<Option<Upload>> {
    if let Some(file) = form.files.remove(key) {
        return Ok(Some(file));
    }
    match form.params.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(_) => Err(ApiError::BadRequest("Bad Request".into())),
    }
}

fn changes(mut form: Form) -> ApiResult<Changes> {
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
    form: Form,
) -> ApiResult<Json<CredentialAccount>> {
    let changes = changes(form)?;
    let entity =
        update_credentials::update(&state, auth.user().id, auth.account_id(), changes).await?;
    Ok(Json(entity))
}
