//! `POST /api/v2/media`, `/api/v1/media`, `GET`/`PUT /api/v1/media/:id`.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Method, Request};
use woolly_testkit::{TestApp, TestResponse, db_test, multipart};

use super::support::{media, png, stored_files, upload};

#[db_test]
async fn uploads_a_png_and_stores_original_and_small(app: TestApp) {
    let alice = app.user("alice").await;
    let res = upload(
        &app,
        &alice.token,
        "/api/v2/media",
        &png(800, 600),
        &[("description", "a gradient"), ("focus", "0.5,-0.25")],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let m = res.json();
    let id = m["id"].as_str().unwrap();
    assert_eq!(m["type"], "image");
    let url = m["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!(
            "https://woolly.test/system/media_attachments/files/{id}/original/"
        )),
        "{url}"
    );
    assert!(url.ends_with(".png"));
    assert!(
        m["preview_url"]
            .as_str()
            .unwrap()
            .contains(&format!("/media_attachments/files/{id}/small/"))
    );
    assert_eq!(m["remote_url"], serde_json::Value::Null);
    assert_eq!(m["preview_remote_url"], serde_json::Value::Null);
    assert_eq!(m["text_url"], serde_json::Value::Null);
    assert_eq!(m["description"], "a gradient");
    assert!(m["blurhash"].as_str().is_some_and(|b| !b.is_empty()));
    assert_eq!(
        m["meta"]["original"],
        serde_json::json!({"width": 800, "height": 600, "size": "800x600", "aspect": 800.0 / 600.0})
    );
    let (sw, sh) = (
        m["meta"]["small"]["width"].as_u64().unwrap(),
        m["meta"]["small"]["height"].as_u64().unwrap(),
    );
    assert!(sw * sh <= 230_400 && sw > 500, "{sw}x{sh}");
    assert_eq!(m["meta"]["small"]["size"], format!("{sw}x{sh}"));
    assert_eq!(
        m["meta"]["focus"],
        serde_json::json!({"x": 0.5, "y": -0.25})
    );
    assert_eq!(stored_files(&app), 2);
    // the files are what the URLs name
    let key = url.trim_start_matches("https://woolly.test/system/");
    assert!(app.state.media().get(key).await.unwrap().is_some());
    // v1 is the same endpoint
    let res = upload(&app, &alice.token, "/api/v1/media", &png(10, 10), &[]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["description"], serde_json::Value::Null);
    assert_eq!(stored_files(&app), 4);
}

#[db_test]
async fn bad_uploads_are_422_and_store_nothing(app: TestApp) {
    let alice = app.user("alice").await;
    let mut corrupt = png(64, 64);
    corrupt.truncate(80);
    let res = upload(&app, &alice.token, "/api/v2/media", &corrupt, &[]).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: File could not be processed"
    );
    let res = upload(
        &app,
        &alice.token,
        "/api/v2/media",
        b"just some text, not an image",
        &[],
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: File content type is invalid"
    );
    let (ct, body) = multipart(&[("description", None, b"no file here")]);
    let res = app
        .request(
            Method::POST,
            "/api/v2/media",
            Some(&alice.token),
            Some(&ct),
            body,
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.error(), "Validation failed: File can't be blank");
    let long = "d".repeat(1501);
    let res = upload(
        &app,
        &alice.token,
        "/api/v2/media",
        &png(8, 8),
        &[("description", long.as_str())],
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: Description is too long (maximum is 1500 characters)"
    );
    let mut big = png(8, 8);
    big.resize(16 * 1024 * 1024 + 1, 0);
    let res = upload(&app, &alice.token, "/api/v2/media", &big, &[]).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        res.error(),
        "Validation failed: File file size must be less than 16 MB"
    );
    assert_eq!(stored_files(&app), 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM media_attachments").await,
        0
    );
    // scopes: write:media or write
    let reader = app.user_with("reader", None, "read write:statuses").await;
    assert_eq!(
        upload(&app, &reader.token, "/api/v2/media", &png(8, 8), &[])
            .await
            .status,
        403
    );
}

#[db_test]
async fn show_and_update_only_own_attachments(app: TestApp) {
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let id = media(&app, &alice.token).await;
    let path = format!("/api/v1/media/{id}");
    let res = app.get(&path, Some(&alice.token)).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["id"], id.as_str());
    assert_eq!(app.get(&path, Some(&bob.token)).await.status, 404);
    assert_eq!(
        app.get("/api/v1/media/nope", Some(&alice.token))
            .await
            .status,
        404
    );
    let res = app
        .form(
            Method::PUT,
            &path,
            Some(&alice.token),
            &[("description", "updated"), ("focus", "0.1,0.2")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let m = res.json();
    assert_eq!(m["description"], "updated");
    assert_eq!(m["meta"]["focus"], serde_json::json!({"x": 0.1, "y": 0.2}));
    assert_eq!(m["meta"]["original"]["width"], 32);
    let res = app
        .form(
            Method::PUT,
            &path,
            Some(&bob.token),
            &[("description", "mine now")],
        )
        .await;
    assert_eq!(res.status, 404);
    let long = "d".repeat(1501);
    let res = app
        .form(
            Method::PUT,
            &path,
            Some(&alice.token),
            &[("description", long.as_str())],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        app.get(&path, Some(&alice.token)).await.json()["description"],
        "updated"
    );
    // once attached to a status, the attachment is no longer reachable here
    let res = app
        .post(
            "/api/v1/statuses",
            Some(&alice.token),
            &[("media_ids[]", id.as_str())],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["media_attachments"][0]["description"], "updated");
    assert_eq!(app.get(&path, Some(&alice.token)).await.status, 404);
    let res = app
        .form(
            Method::PUT,
            &path,
            Some(&alice.token),
            &[("description", "late")],
        )
        .await;
    assert_eq!(res.status, 404);
}

/// Sends `body` as a stream of 64 KB chunks that are not all ready at once, as it arrives
/// over a socket: the body limit then trips while a part is being read, not while the
/// first part's headers are looked for.
pub async fn send_in_chunks(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> TestResponse {
    use futures::StreamExt;
    let chunks: Vec<Vec<u8>> = body.chunks(64 * 1024).map(<[u8]>::to_vec).collect();
    let chunks = futures::stream::iter(chunks).then(|c| async move {
        tokio::task::yield_now().await;
        Ok::<_, std::io::Error>(c)
    });
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from_stream(chunks))
        .unwrap();
    app.send(request).await
}

#[db_test]
async fn uploads_over_the_body_limit_are_413(app: TestApp) {
    let alice = app.user("alice").await;
    // Past MAX_UPLOAD_BYTES (20 MB) in the file part, and in a text part.
    let mut big = png(8, 8);
    big.resize(21 * 1024 * 1024, 0);
    let long = "d".repeat(21 * 1024 * 1024);
    let file = multipart(&[("file", Some(("big.png", "image/png")), &big)]);
    let text = multipart(&[
        ("file", Some(("ok.png", "image/png")), &png(8, 8)),
        ("description", None, long.as_bytes()),
    ]);
    for path in ["/api/v2/media", "/api/v1/media"] {
        for (what, (ct, body)) in [("file part", &file), ("text part", &text)] {
            let res =
                send_in_chunks(&app, Method::POST, path, &alice.token, ct, body.clone()).await;
            assert_eq!(res.status, 413, "{path} {what}: {}", res.text());
            assert_eq!(
                res.json(),
                serde_json::json!({"error": "Payload too large"})
            );
            // whole, as one frame
            let res = app
                .request(
                    Method::POST,
                    path,
                    Some(&alice.token),
                    Some(ct),
                    body.clone(),
                )
                .await;
            assert_eq!(res.status, 413, "{path} {what} whole: {}", res.text());
        }
    }
    assert_eq!(stored_files(&app), 0);
}
