//! `/api/v1/instance` and `/api/v2/instance` with their sub-resources (rules, terms of
//! service, activity), preferences and custom emojis.

use woolly_testkit::{TestApp, db_test};

#[db_test]
async fn v1_and_v2_report_real_values(app: TestApp) {
    app.user("alice").await;
    let v2 = app.get("/api/v2/instance", None).await;
    assert_eq!(v2.status, 200);
    let body = v2.json();
    assert_eq!(body["domain"], "woolly.test");
    assert!(
        body["version"]
            .as_str()
            .unwrap_or_default()
            .starts_with("4.")
    );
    assert_eq!(body["registrations"]["enabled"], true);
    assert_eq!(body["configuration"]["accounts"]["max_profile_fields"], 4);
    let v1 = app.get("/api/v1/instance", None).await.json();
    assert_eq!(v1["uri"], "woolly.test");
    assert_eq!(v1["stats"]["user_count"], 1);
}

#[db_test]
async fn stats_are_kept_and_refreshed_in_the_background(app: TestApp) {
    app.user("alice").await;
    let count =
        || async { app.get("/api/v1/instance", None).await.json()["stats"]["user_count"].clone() };
    assert_eq!(count().await, 1);
    // a new user shows once the kept counts are refreshed, not on every request
    app.user("bob").await;
    assert_eq!(count().await, 1);
    woolly::services::instance_stats::refresh(app.state.clone()).await;
    assert_eq!(count().await, 2);
    assert_eq!(app.get("/api/v2/instance", None).await.status, 200);
}

#[db_test(config = |cfg| {
    cfg.rules = vec!["Be kind".into(), " ".into(), "No spam".into()];
    cfg.extended_description = "<p>All about us</p>".into();
})]
async fn instance_sub_resources(app: TestApp) {
    let rules = app.get("/api/v1/instance/rules", None).await;
    assert_eq!(rules.status, 200);
    assert_eq!(
        rules.json(),
        serde_json::json!([
            {"id": "1", "text": "Be kind", "hint": ""},
            {"id": "2", "text": "No spam", "hint": ""},
        ])
    );
    assert_eq!(
        app.get("/api/v2/instance", None).await.json()["rules"],
        rules.json()
    );
    assert_eq!(
        app.get("/api/v1/instance", None).await.json()["rules"],
        rules.json()
    );
    let ext = app
        .get("/api/v1/instance/extended_description", None)
        .await
        .json();
    assert_eq!(ext["content"], "<p>All about us</p>");
    assert!(
        ext["updated_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with('Z')
    );
    let privacy = app
        .get("/api/v1/instance/privacy_policy", None)
        .await
        .json();
    assert!(
        privacy["content"]
            .as_str()
            .unwrap_or_default()
            .contains("woolly.test"),
        "{privacy}"
    );
    // no terms configured: 404, as upstream
    let tos = app.get("/api/v1/instance/terms_of_service", None).await;
    assert_eq!(tos.status, 404);
    assert_eq!(tos.json(), serde_json::json!({"error": "Record not found"}));
    let langs = app.get("/api/v1/instance/languages", None).await.json();
    assert!(
        langs.as_array().is_some_and(|l| l
            .iter()
            .any(|x| x == &serde_json::json!({"code": "de", "name": "German"}))),
        "{langs}"
    );
    assert_eq!(
        app.get("/api/v1/instance/translation_languages", None)
            .await
            .json(),
        serde_json::json!({})
    );
    assert_eq!(
        app.get("/api/v1/instance/domain_blocks", None).await.status,
        404
    );
    // peers: the domains of known remote accounts
    assert_eq!(
        app.get("/api/v1/instance/peers", None).await.json(),
        serde_json::json!([])
    );
    app.remote_account("zed", "remote.example", false).await;
    assert_eq!(
        app.get("/api/v1/instance/peers", None).await.json(),
        serde_json::json!(["remote.example"])
    );
}

#[db_test(config = |cfg| { cfg.terms_of_service = "<p>Terms</p>".into(); })]
async fn configured_terms_of_service(app: TestApp) {
    let tos = app.get("/api/v1/instance/terms_of_service", None).await;
    assert_eq!(tos.status, 200);
    let tos = tos.json();
    assert_eq!(tos["content"], "<p>Terms</p>");
    assert_eq!(tos["effective"], true);
    assert_eq!(tos["succeeded_by"], serde_json::Value::Null);
    assert_eq!(tos["effective_date"].as_str().map(str::len), Some(10));
}

#[db_test]
async fn preferences_and_custom_emojis(app: TestApp) {
    let alice = app.user("alice").await;
    let r = app.get("/api/v1/preferences", Some(&alice.token)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        serde_json::json!({
            "posting:default:visibility": "public",
            "posting:default:sensitive": false,
            "posting:default:language": null,
            "posting:default:quote_policy": "public",
            "reading:expand:media": "default",
            "reading:expand:spoilers": false,
            "reading:autoplay:gifs": false
        })
    );
    let r = app
        .form(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &[
                ("source[privacy]", "unlisted"),
                ("source[sensitive]", "true"),
                ("source[language]", "de"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let p = app
        .get("/api/v1/preferences", Some(&alice.token))
        .await
        .json();
    assert_eq!(p["posting:default:visibility"], "unlisted");
    assert_eq!(p["posting:default:sensitive"], true);
    assert_eq!(p["posting:default:language"], "de");
    assert_eq!(app.get("/api/v1/preferences", None).await.status, 401);
    let writer = app.user_with("writer", None, "write").await;
    assert_eq!(
        app.get("/api/v1/preferences", Some(&writer.token))
            .await
            .status,
        403
    );
    // custom emojis: local, enabled, in the picker
    assert_eq!(
        app.get("/api/v1/custom_emojis", None).await.json(),
        serde_json::json!([])
    );
    for (id, code, domain, picker, disabled) in [
        (1, "blob", "NULL", "TRUE", "FALSE"),
        (2, "hidden", "NULL", "FALSE", "FALSE"),
        (3, "off", "NULL", "TRUE", "TRUE"),
        (4, "far", "'remote.example'", "TRUE", "FALSE"),
    ] {
        app.sql(&format!(
            "INSERT INTO custom_emojis (id, shortcode, domain, image_key, \
             visible_in_picker, disabled, category, created_at) VALUES ({id}, \
             '{code}', {domain}, 'custom_emojis/{code}.png', {picker}, {disabled}, \
             'Blobs', 1)"
        ))
        .await;
    }
    let list = app.get("/api/v1/custom_emojis", None).await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["shortcode"], "blob");
    assert_eq!(list[0]["visible_in_picker"], true);
    assert_eq!(list[0]["category"], "Blobs");
    assert!(
        list[0]["url"]
            .as_str()
            .unwrap_or_default()
            .ends_with("custom_emojis/blob.png"),
        "{list}"
    );
}

#[db_test]
async fn weekly_activity(app: TestApp) {
    let empty = app.get("/api/v1/instance/activity", None).await;
    assert_eq!(empty.status, 200);
    let empty = empty.json();
    assert_eq!(empty.as_array().map(Vec::len), Some(12));
    let week = |v: &serde_json::Value, i: usize| {
        v[i]["week"]
            .as_str()
            .unwrap_or_default()
            .parse::<i64>()
            .unwrap_or(0)
    };
    let this_week = woolly::domain::time::week_start(woolly::domain::time::now()) / 1000;
    assert_eq!(week(&empty, 0), this_week);
    assert_eq!(week(&empty, 0) - week(&empty, 1), 7 * 24 * 3600);
    assert_eq!(empty[0]["statuses"], "0");
    assert_eq!(empty[0]["logins"], "0");
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    for token in [&alice.token, &bob.token] {
        assert_eq!(app.verify_credentials(token).await.status, 200);
    }
    assert_eq!(
        app.post("/api/v1/statuses", Some(&alice.token), &[("status", "one")])
            .await
            .status,
        200
    );
    assert_eq!(
        app.post("/api/v1/statuses", Some(&alice.token), &[("status", "two")])
            .await
            .status,
        200
    );
    let now = app.get("/api/v1/instance/activity", None).await.json();
    assert_eq!(now[0]["statuses"], "2", "{now}");
    assert_eq!(now[0]["logins"], "2", "{now}");
    assert_eq!(now[0]["registrations"], "2", "{now}");
    assert_eq!(now[1]["statuses"], "0");
    // a login counts once a week however often the token is used
    assert_eq!(app.verify_credentials(&alice.token).await.status, 200);
    assert_eq!(
        app.get("/api/v1/instance/activity", None).await.json()[0]["logins"],
        "2"
    );
}
