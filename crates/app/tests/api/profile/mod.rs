//! `PATCH /api/v1/accounts/update_credentials` with form, JSON and multipart bodies.
#![allow(clippy::unwrap_used, clippy::panic)]

mod images;
mod unlock;
mod verify;

use axum::http::Method;
use serde_json::{Value, json};
use woolly_testkit::{TestApp, TestResponse, db_test};

const PATH: &str = "/api/v1/accounts/update_credentials";

pub async fn patch(app: &TestApp, token: &str, pairs: &[(&str, &str)]) -> TestResponse {
    app.form(Method::PATCH, PATH, Some(token), pairs).await
}

/// A multipart body of text parts and files `(name, filename, content type, bytes)`.
pub fn multipart(texts: &[(&str, &str)], files: &[(&str, &str, &str, &[u8])]) -> (String, Vec<u8>) {
    let texts = texts
        .iter()
        .map(|(name, value)| (*name, None, value.as_bytes()));
    let files = files
        .iter()
        .map(|(name, filename, ct, bytes)| (*name, Some((*filename, *ct)), *bytes));
    woolly_testkit::multipart(&texts.chain(files).collect::<Vec<_>>())
}

pub async fn patch_multipart(
    app: &TestApp,
    token: &str,
    texts: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> TestResponse {
    let (ct, body) = multipart(texts, files);
    app.request(Method::PATCH, PATH, Some(token), Some(&ct), body)
        .await
}

pub async fn patch_json(app: &TestApp, token: &str, body: &Value) -> TestResponse {
    app.json_request(Method::PATCH, PATH, Some(token), body)
        .await
}

pub async fn me(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/accounts/verify_credentials", Some(token))
        .await
        .json()
}

fn details(body: &Value) -> Value {
    body["details"].clone()
}

#[db_test]
async fn form_updates_every_simple_parameter(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch(
        &app,
        &alice.token,
        &[
            ("display_name", "  Alice A.  "),
            (
                "note",
                "Hello\n\nSecond <b>para</b> #Sheep https://example.com/x",
            ),
            ("locked", "true"),
            ("bot", "1"),
            ("discoverable", "true"),
            ("hide_collections", "yes"),
            ("indexable", "true"),
            ("source[privacy]", "unlisted"),
            ("source[sensitive]", "true"),
            ("source[language]", "de"),
            ("source[quote_policy]", "followers"),
            ("avatar_description", "a sheep"),
            ("header_description", "a field"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    assert_eq!(a["display_name"], "Alice A.");
    assert_eq!(a["locked"], true);
    assert_eq!(a["bot"], true);
    assert_eq!(a["discoverable"], true);
    assert_eq!(a["hide_collections"], true);
    assert_eq!(a["indexable"], true);
    assert_eq!(a["avatar_description"], "a sheep");
    assert_eq!(a["header_description"], "a field");
    assert_eq!(
        a["source"]["note"],
        "Hello\n\nSecond <b>para</b> #Sheep https://example.com/x"
    );
    let html = a["note"].as_str().unwrap();
    assert!(
        html.starts_with("<p>Hello</p><p>Second &lt;b&gt;para&lt;/b&gt; "),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://woolly.test/tags/Sheep\""),
        "{html}"
    );
    assert!(html.contains("href=\"https://example.com/x\""), "{html}");
    assert_eq!(a["source"]["privacy"], "unlisted");
    assert_eq!(a["source"]["sensitive"], true);
    assert_eq!(a["source"]["language"], "de");
    assert_eq!(a["source"]["quote_policy"], "followers");
    // persisted
    let again = me(&app, &alice.token).await;
    assert_eq!(again["display_name"], "Alice A.");
    assert_eq!(again["source"]["privacy"], "unlisted");
    // the case-insensitive search key follows the display name
    let id: i64 = alice.account_id.parse().unwrap();
    let search_key =
        "SELECT COUNT(*) FROM accounts WHERE id = $1 AND display_name_lower = 'alice a.'";
    assert_eq!(app.scalar_with(search_key, &[id]).await, 1);
}

#[db_test]
async fn json_body_and_put(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app.json_request(Method::PATCH, PATH, Some(&alice.token), &json!({
        "display_name": "Jay",
        "locked": false,
        "bot": false,
        "discoverable": false,
        "source": {"privacy": "private", "sensitive": false},
        "fields_attributes": [
            {"name": "Web", "value": "https://example.com"},
            {"name": "Pronouns", "value": "she/her"},
        ],
        "attribution_domains": ["https://news.example", "*.blog.example", "news.example", " "],
    })).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    assert_eq!(a["display_name"], "Jay");
    assert_eq!(a["discoverable"], false);
    assert_eq!(a["source"]["privacy"], "private");
    assert_eq!(
        a["source"]["attribution_domains"],
        json!(["news.example", "blog.example"])
    );
    assert_eq!(a["fields"][0]["name"], "Web");
    assert!(
        a["fields"][0]["value"]
            .as_str()
            .unwrap()
            .contains("rel=\"nofollow noopener me\"")
    );
    assert_eq!(
        a["source"]["fields"],
        json!([
            {"name": "Web", "value": "https://example.com", "verified_at": null},
            {"name": "Pronouns", "value": "she/her", "verified_at": null},
        ])
    );
    let res = app
        .json_request(
            Method::PUT,
            PATH,
            Some(&alice.token),
            &json!({"display_name": "Put"}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["display_name"], "Put");
    // untouched parameters keep their values
    assert_eq!(res.json()["source"]["privacy"], "private");
    assert_eq!(res.json()["fields"].as_array().map(Vec::len), Some(2));
}

#[db_test]
async fn fields_as_hash_in_received_order_with_blank_pairs_dropped(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch(
        &app,
        &alice.token,
        &[
            ("fields_attributes[1][name]", "second"),
            ("fields_attributes[1][value]", "2"),
            ("fields_attributes[0][name]", "first"),
            ("fields_attributes[0][value]", "1"),
            ("fields_attributes[2][name]", " "),
            ("fields_attributes[2][value]", ""),
            ("fields_attributes[10][name]", "tenth"),
            ("fields_attributes[10][value]", "10"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let names: Vec<String> = res.json()["source"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    // in the order the keys came, as a Rails params hash (not by numeric key)
    assert_eq!(names, vec!["second", "first", "tenth"]);
    // the same with a JSON object
    let res = patch_json(
        &app,
        &alice.token,
        &json!({
            "fields_attributes": {
                "1": {"name": "one", "value": "1"},
                "0": {"name": "zero", "value": "0"},
            },
        }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json()["source"]["fields"],
        json!([
            {"name": "one", "value": "1", "verified_at": null},
            {"name": "zero", "value": "0", "verified_at": null},
        ])
    );
    // an array form replaces them all
    let res = patch(
        &app,
        &alice.token,
        &[
            ("fields_attributes[][name]", "only"),
            ("fields_attributes[][value]", "one"),
        ],
    )
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.json()["source"]["fields"],
        json!([{"name": "only", "value": "one", "verified_at": null}])
    );
}

#[db_test]
async fn long_field_text_is_kept_but_rendered_cut(app: TestApp) {
    let alice = app.user("alice").await;
    let long = "v".repeat(300);
    let res = patch(
        &app,
        &alice.token,
        &[
            ("fields_attributes[0][name]", &long),
            ("fields_attributes[0][value]", &long),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    assert_eq!(
        a["source"]["fields"][0]["name"].as_str().map(str::len),
        Some(255)
    );
    assert_eq!(a["fields"][0]["name"].as_str().map(str::len), Some(255));
    assert_eq!(a["fields"][0]["value"].as_str().map(str::len), Some(255));
}

#[db_test]
async fn too_many_fields_and_missing_labels(app: TestApp) {
    let alice = app.user("alice").await;
    let mut pairs = Vec::new();
    let names: Vec<String> = (0..5)
        .map(|i| format!("fields_attributes[{i}][name]"))
        .collect();
    let values: Vec<String> = (0..5)
        .map(|i| format!("fields_attributes[{i}][value]"))
        .collect();
    for i in 0..5 {
        pairs.push((names[i].as_str(), "n"));
        pairs.push((values[i].as_str(), "v"));
    }
    let res = patch(&app, &alice.token, &pairs).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.json(),
        json!({
            "error": "Validation failed: Fields is too long (maximum is 4 characters)",
            "details": {"fields": [{
                "error": "ERR_TOO_LONG",
                "description": "is too long (maximum is 4 characters)",
            }]}
        })
    );

    let res = patch(
        &app,
        &alice.token,
        &[
            ("fields_attributes[0][name]", ""),
            ("fields_attributes[0][value]", "orphan"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.json(),
        json!({
            "error": "Validation failed: Fields contains values with missing labels",
            "details": {"fields": [{
                "error": "ERR_FIELDS_WITH_VALUES_MISSING_LABELS",
                "description": "contains values with missing labels",
            }]}
        })
    );
    assert_eq!(me(&app, &alice.token).await["fields"], json!([]));
}

#[db_test]
async fn too_long_texts(app: TestApp) {
    let alice = app.user("alice").await;
    let cases = [
        (
            "display_name",
            "d".repeat(31),
            "Display name is too long (maximum is 30 characters)",
        ),
        (
            "note",
            "n".repeat(501),
            "Note is too long (maximum is 500 characters)",
        ),
        (
            "avatar_description",
            "a".repeat(151),
            "Avatar description is too long (maximum is 150 characters)",
        ),
        (
            "header_description",
            "h".repeat(151),
            "Header description is too long (maximum is 150 characters)",
        ),
    ];
    for (key, value, message) in cases {
        let res = patch(&app, &alice.token, &[(key, &value)]).await;
        assert_eq!(res.status, 422, "{key}");
        let body = res.json();
        assert_eq!(body["error"], format!("Validation failed: {message}"));
        assert_eq!(details(&body)[key][0]["error"], "ERR_TOO_LONG");
    }
    // exactly at the limits is fine; URLs count 23 characters
    let note = format!(
        "{} https://example.com/{}",
        "n".repeat(476),
        "p".repeat(100)
    );
    let res = patch(
        &app,
        &alice.token,
        &[("display_name", &"d".repeat(30)), ("note", &note)],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
}

#[db_test]
async fn invalid_privacy_saves_nothing(app: TestApp) {
    let alice = app.user("alice").await;
    for (key, value) in [
        ("source[privacy]", "direct"),
        ("source[quote_policy]", "everyone"),
    ] {
        let res = patch(
            &app,
            &alice.token,
            &[
                ("display_name", "Changed"),
                ("locked", "true"),
                (key, value),
            ],
        )
        .await;
        assert_eq!(res.status, 422, "{}", res.text());
        assert_eq!(details(&res.json())[key][0]["error"], "ERR_INCLUSION");
    }
    let a = me(&app, &alice.token).await;
    assert_eq!(a["display_name"], "");
    assert_eq!(a["locked"], false);
    assert_eq!(a["source"]["privacy"], "public");
}

#[db_test]
async fn attribution_domains_are_checked(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch(
        &app,
        &alice.token,
        &[("attribution_domains[]", "not a domain")],
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        details(&res.json())["attribution_domains"][0]["error"],
        "ERR_INVALID"
    );
    let many: Vec<String> = (0..101).map(|i| format!("d{i}.example")).collect();
    let pairs: Vec<(&str, &str)> = many
        .iter()
        .map(|d| ("attribution_domains[]", d.as_str()))
        .collect();
    let res = patch(&app, &alice.token, &pairs).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        details(&res.json())["attribution_domains"][0]["error"],
        "ERR_TOO_LONG"
    );
}

#[db_test]
async fn booleans_cast_as_rails(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch(
        &app,
        &alice.token,
        &[
            ("locked", "maybe"),
            ("bot", "off"),
            ("indexable", "F"),
            ("discoverable", "0"),
        ],
    )
    .await;
    assert_eq!(res.status, 200);
    let a = res.json();
    assert_eq!(a["locked"], true);
    assert_eq!(a["bot"], false);
    assert_eq!(a["indexable"], false);
    assert_eq!(a["discoverable"], false);
    // an empty value is nil: nullable columns become null, others stay
    let res = patch(&app, &alice.token, &[("locked", ""), ("discoverable", "")]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["locked"], true);
    assert_eq!(res.json()["discoverable"], Value::Null);
}

#[db_test]
async fn mentions_of_known_accounts_link(app: TestApp) {
    let alice = app.user("alice").await;
    app.user("bob").await;
    let res = patch(&app, &alice.token, &[("note", "friends: @bob and @nobody")]).await;
    assert_eq!(res.status, 200);
    let html = res.json()["note"].as_str().unwrap().to_owned();
    assert!(
        html.contains(
            "<a href=\"https://woolly.test/@bob\" class=\"u-url mention\">@<span>bob</span></a>"
        ),
        "{html}"
    );
    assert!(html.contains("and @nobody"), "{html}");
}

#[db_test]
async fn scopes_and_user_required(app: TestApp) {
    let reader = app.user_with("reader", None, "read").await;
    let res = patch(&app, &reader.token, &[("display_name", "x")]).await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    let granular = app.user_with("granular", None, "write:accounts").await;
    assert_eq!(
        patch(&app, &granular.token, &[("display_name", "x")])
            .await
            .status,
        200
    );
    assert_eq!(
        patch(&app, "nope", &[("display_name", "x")]).await.status,
        401
    );
    let app_only = crate::registration::app_token(&app, "read write", "write").await;
    let res = patch(&app, &app_only, &[("display_name", "x")]).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "This method requires an authenticated user");
}

#[db_test]
async fn multipart_text_parts_with_brackets(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch_multipart(
        &app,
        &alice.token,
        &[
            ("display_name", "Multi"),
            ("source[privacy]", "private"),
            ("fields_attributes[0][name]", "a"),
            ("fields_attributes[0][value]", "b"),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    assert_eq!(a["display_name"], "Multi");
    assert_eq!(a["source"]["privacy"], "private");
    assert_eq!(a["source"]["fields"][0]["value"], "b");
    // an avatar that is not a file
    let res = patch_multipart(&app, &alice.token, &[("avatar", "just text")], &[]).await;
    assert_eq!(res.status, 400);
    assert_eq!(res.error(), "Bad Request");
    let res = patch(
        &app,
        &alice.token,
        &[("header", "https://example.com/x.png")],
    )
    .await;
    assert_eq!(res.status, 400);
}

#[db_test]
async fn field_names_are_plain_text_and_values_html(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch_json(
        &app,
        &alice.token,
        &json!({
            "fields_attributes": [{"name": "Q&A <b>", "value": "a & b"}],
        }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    // upstream's FieldSerializer sends the name as stored; only the value is HTML
    assert_eq!(a["fields"][0]["name"], "Q&A <b>");
    assert_eq!(a["fields"][0]["value"], "a &amp; b");
    assert_eq!(a["source"]["fields"][0]["name"], "Q&A <b>");
}

#[db_test]
async fn raw_text_is_capped_before_urls_are_counted(app: TestApp) {
    let alice = app.user("alice").await;
    // A note of one long URL counts 23 characters; as sent it is 10x the limit and more.
    let url_note = format!("https://a.example/{}", "a".repeat(5_000));
    let res = patch(&app, &alice.token, &[("note", &url_note)]).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(details(&res.json())["note"][0]["error"], "ERR_TOO_LONG");
    // the same as multipart
    let res = patch_multipart(&app, &alice.token, &[("note", &url_note)], &[]).await;
    assert_eq!(res.status, 422, "{}", res.text());
    let long = "f".repeat(2_551);
    for key in ["fields_attributes[0][name]", "fields_attributes[0][value]"] {
        let pairs = [
            ("fields_attributes[0][name]", "n"),
            ("fields_attributes[0][value]", "v"),
            (key, long.as_str()),
        ];
        let res = patch(&app, &alice.token, &pairs).await;
        assert_eq!(res.status, 422, "{key}: {}", res.text());
        assert_eq!(details(&res.json())["fields"][0]["error"], "ERR_TOO_LONG");
    }
    let spaces = format!("{}x", " ".repeat(400));
    let res = patch(&app, &alice.token, &[("display_name", &spaces)]).await;
    assert_eq!(res.status, 422, "{}", res.text());
    assert_eq!(me(&app, &alice.token).await["note"], "");
    // a status too
    let res = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("status", &url_note)],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text());
    // within the raw cap, long URLs still count 23
    let fine = format!("https://a.example/{}", "a".repeat(1_000));
    let res = patch(&app, &alice.token, &[("note", &fine)]).await;
    assert_eq!(res.status, 200, "{}", res.text());
}
