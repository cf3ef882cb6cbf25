//! Helpers of the statuses tests: posting, relationships as rows, images and uploads.
#![allow(clippy::unwrap_used)]

use axum::http::Method;
use woolly_testkit::{Part, TestApp, TestResponse, multipart};

/// Posts a status with form pairs; the raw response.
pub async fn post(app: &TestApp, token: &str, pairs: &[(&str, &str)]) -> TestResponse {
    app.post("/api/v1/statuses", Some(token), pairs).await
}

/// Posts `text` with `visibility`; the new status id.
pub async fn status(app: &TestApp, token: &str, text: &str, visibility: &str) -> String {
    let res = post(app, token, &[("status", text), ("visibility", visibility)]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["id"].as_str().unwrap().to_owned()
}

fn row_id(app: &TestApp) -> i64 {
    app.state.next_id()
}

pub async fn follow(app: &TestApp, from: &str, to: &str) {
    app.sql(&format!(
        "INSERT INTO follows (id, account_id, target_account_id, created_at) \
         VALUES ({}, {from}, {to}, 1)",
        row_id(app)
    ))
    .await;
}

pub async fn block(app: &TestApp, from: &str, to: &str) {
    app.sql(&format!(
        "INSERT INTO blocks (id, account_id, target_account_id, created_at) \
         VALUES ({}, {from}, {to}, 1)",
        row_id(app)
    ))
    .await;
}

/// A mute; `expires_at` in ms (None = forever).
pub async fn mute(app: &TestApp, from: &str, to: &str, expires_at: Option<i64>) {
    let exp = expires_at.map_or("NULL".to_owned(), |e| e.to_string());
    app.sql(&format!(
        "INSERT INTO mutes (id, account_id, target_account_id, expires_at, \
         created_at) VALUES ({}, {from}, {to}, {exp}, 1)",
        row_id(app)
    ))
    .await;
}

/// A PNG of `w`×`h` pixels.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Uploads `bytes` as `file` to `path`, with extra text parts.
pub async fn upload(
    app: &TestApp,
    token: &str,
    path: &str,
    bytes: &[u8],
    extra: &[(&str, &str)],
) -> TestResponse {
    let mut parts: Vec<Part<'_>> = vec![("file", Some(("pic.png", "image/png")), bytes)];
    for (k, v) in extra {
        parts.push((k, None, v.as_bytes()));
    }
    let (ct, body) = multipart(&parts);
    app.request(Method::POST, path, Some(token), Some(&ct), body)
        .await
}

/// Uploads a small PNG; the attachment id.
pub async fn media(app: &TestApp, token: &str) -> String {
    let res = upload(app, token, "/api/v2/media", &png(32, 24), &[]).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["id"].as_str().unwrap().to_owned()
}

/// Files stored under the media folder.
pub fn stored_files(app: &TestApp) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    walk(&app.state.config().media_dir())
}
