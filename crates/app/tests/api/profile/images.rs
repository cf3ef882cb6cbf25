//! Avatar and header uploads through update_credentials, `DELETE /api/v1/profile/…`, and the
//! stored files served at `/system/…`.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::io::Cursor;

use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, DynamicImage, Frame, ImageFormat, Rgba, RgbaImage};
use serde_json::{Value, json};
use woolly_testkit::{TestApp, TestResponse, db_test};

use crate::profile::{me, patch, patch_multipart};
use crate::statuses::media::send_in_chunks;
use axum::http::Method;

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(width, height, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255])
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgba8(img)
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn animated_gif(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        for shade in [0u8, 200] {
            let img = RgbaImage::from_pixel(width, height, Rgba([shade, 50, 50, 255]));
            encoder
                .encode_frame(Frame::from_parts(
                    img,
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                ))
                .unwrap();
        }
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims `width`×`height`, with no pixel data.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = b"IHDR".to_vec();
    chunk.extend_from_slice(&width.to_be_bytes());
    chunk.extend_from_slice(&height.to_be_bytes());
    chunk.extend_from_slice(&[8, 6, 0, 0, 0]);
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&crc32(&chunk).to_be_bytes());
    for empty in [b"IDAT", b"IEND"] {
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(empty);
        out.extend_from_slice(&crc32(empty).to_be_bytes());
    }
    out
}

async fn upload(
    app: &TestApp,
    token: &str,
    field: &str,
    name: &str,
    ct: &str,
    bytes: &[u8],
) -> TestResponse {
    patch_multipart(app, token, &[], &[(field, name, ct, bytes)]).await
}

async fn upload_avatar_gif(app: &TestApp, token: &str, bytes: &[u8]) -> TestResponse {
    upload(app, token, "avatar", "a.gif", "image/gif", bytes).await
}

/// Fetches a rendered image URL through the router; returns (status, content type, bytes).
async fn fetch(app: &TestApp, url: &str) -> (u16, String, Vec<u8>) {
    let path = url.strip_prefix("https://woolly.test").unwrap();
    let res = app.get(path, None).await;
    (
        res.status.as_u16(),
        res.header("content-type").unwrap_or_default(),
        res.body.clone(),
    )
}

fn dims(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory(bytes).unwrap();
    (img.width(), img.height())
}

#[db_test]
async fn avatar_is_cropped_and_served(app: TestApp) {
    let alice = app.user("alice").await;
    let res = upload(
        &app,
        &alice.token,
        "avatar",
        "me.png",
        "image/png",
        &png(600, 300),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    let url = a["avatar"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!(
            "https://woolly.test/system/accounts/avatars/{}/original/",
            alice.account_id
        )),
        "{url}"
    );
    assert!(url.ends_with(".png"));
    assert_eq!(a["avatar_static"], a["avatar"]);
    let (status, ct, bytes) = fetch(&app, &url).await;
    assert_eq!(status, 200);
    assert_eq!(ct, "image/png");
    assert_eq!(dims(&bytes), (400, 400));
    let res = app
        .get(url.strip_prefix("https://woolly.test").unwrap(), None)
        .await;
    assert_eq!(
        res.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
}

#[db_test]
async fn header_is_downscaled_with_description(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch_multipart(
        &app,
        &alice.token,
        &[("header_description", "wide")],
        &[("header", "h.png", "image/png", &png(3000, 1000))],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    assert_eq!(a["header_description"], "wide");
    let (status, _, bytes) = fetch(&app, a["header"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let (w, h) = dims(&bytes);
    assert!(
        u64::from(w) * u64::from(h) <= 750_000 && w >= 1490,
        "{w}x{h}"
    );
    assert_eq!(
        a["avatar"],
        "https://woolly.test/avatars/original/missing.png"
    );
}

#[db_test]
async fn animated_gif_gets_a_static_png(app: TestApp) {
    let alice = app.user("alice").await;
    let res = upload_avatar_gif(&app, &alice.token, &animated_gif(64, 48)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let a = res.json();
    let avatar = a["avatar"].as_str().unwrap();
    let still = a["avatar_static"].as_str().unwrap();
    assert!(avatar.ends_with(".gif"), "{avatar}");
    assert!(
        still.contains("/static/") && still.ends_with(".png"),
        "{still}"
    );
    assert_eq!(fetch(&app, avatar).await.1, "image/gif");
    let (status, ct, bytes) = fetch(&app, still).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    assert_eq!(dims(&bytes), (48, 48));
}

#[db_test]
async fn replacing_removes_the_old_file(app: TestApp) {
    let alice = app.user("alice").await;
    let first = upload(
        &app,
        &alice.token,
        "avatar",
        "1.png",
        "image/png",
        &png(50, 50),
    )
    .await
    .json()["avatar"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = upload(
        &app,
        &alice.token,
        "avatar",
        "2.png",
        "image/png",
        &png(60, 60),
    )
    .await
    .json()["avatar"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    assert_eq!(fetch(&app, &first).await.0, 404);
    assert_eq!(fetch(&app, &second).await.0, 200);
}

/// Field, bytes, content type, (code, description).
type Case<'a> = (&'a str, &'a [u8], &'a str, (&'a str, &'a str));

fn error_of(body: &Value, key: &str) -> (String, String) {
    let e = &body["details"][key][0];
    (
        e["error"].as_str().unwrap_or("").to_owned(),
        e["description"].as_str().unwrap_or("").to_owned(),
    )
}

#[db_test]
async fn bad_images_are_422_and_change_nothing(app: TestApp) {
    let alice = app.user("alice").await;
    let good = upload(
        &app,
        &alice.token,
        "avatar",
        "ok.png",
        "image/png",
        &png(40, 40),
    )
    .await
    .json()["avatar"]
        .clone();

    let mut corrupt = png(40, 40);
    corrupt.truncate(60);
    let oversize = vec![0u8; 8 * 1024 * 1024 + 1];
    let huge = png_header_only(8000, 4400);
    let cases: Vec<Case> = vec![
        (
            "avatar",
            &corrupt,
            "image/png",
            ("ERR_INVALID", "could not be processed"),
        ),
        (
            "avatar",
            b"just some text",
            "text/plain",
            ("ERR_INVALID", "is invalid"),
        ),
        (
            "header",
            &oversize,
            "image/png",
            ("ERR_LESS_THAN", "must be less than 8 MB"),
        ),
        (
            "avatar",
            &huge,
            "image/png",
            ("ERR_INVALID", "has dimensions that are too large"),
        ),
    ];
    for (field, bytes, ct, (code, description)) in cases {
        let res = patch_multipart(
            &app,
            &alice.token,
            &[("display_name", "Should not stick")],
            &[(field, "f.png", ct, bytes)],
        )
        .await;
        assert_eq!(res.status, 422, "{field} {description}: {}", res.text());
        let body = res.json();
        assert_eq!(
            error_of(&body, field),
            (code.to_owned(), description.to_owned())
        );
        let label = if field == "avatar" {
            "Avatar"
        } else {
            "Header"
        };
        assert_eq!(
            body["error"],
            format!("Validation failed: {label} {description}")
        );
    }
    let a = me(&app, &alice.token).await;
    assert_eq!(a["avatar"], good);
    assert_eq!(a["display_name"], "");
    assert_eq!(
        a["header"],
        "https://woolly.test/headers/original/missing.png"
    );
}

#[db_test]
async fn other_errors_leave_the_uploaded_image_unsaved(app: TestApp) {
    let alice = app.user("alice").await;
    let res = patch_multipart(
        &app,
        &alice.token,
        &[("note", &"n".repeat(501))],
        &[("avatar", "a.png", "image/png", &png(20, 20))],
    )
    .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        me(&app, &alice.token).await["avatar"],
        "https://woolly.test/avatars/original/missing.png"
    );
    let stored = app.dir.path().join("media/accounts/avatars");
    assert!(!stored.exists() || std::fs::read_dir(&stored).unwrap().count() == 0);
}

#[db_test]
async fn delete_avatar_and_header(app: TestApp) {
    let alice = app.user("alice").await;
    let a = patch_multipart(
        &app,
        &alice.token,
        &[],
        &[
            ("avatar", "a.png", "image/png", &png(30, 30)),
            ("header", "h.png", "image/png", &png(90, 30)),
        ],
    )
    .await
    .json();
    let avatar = a["avatar"].as_str().unwrap().to_owned();
    let header = a["header"].as_str().unwrap().to_owned();

    let res = app
        .delete("/api/v1/profile/avatar", Some(&alice.token))
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(
        body["avatar"],
        "https://woolly.test/avatars/original/missing.png"
    );
    assert_eq!(
        body["avatar_static"],
        "https://woolly.test/avatars/original/missing.png"
    );
    assert_eq!(body["header"], json!(header));
    assert!(body["source"].is_object());
    assert_eq!(fetch(&app, &avatar).await.0, 404);

    let res = app
        .delete("/api/v1/profile/header", Some(&alice.token))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.json()["header"],
        "https://woolly.test/headers/original/missing.png"
    );
    assert_eq!(fetch(&app, &header).await.0, 404);
    // deleting again is fine
    assert_eq!(
        app.delete("/api/v1/profile/header", Some(&alice.token))
            .await
            .status,
        200
    );

    let reader = app.user_with("reader", None, "read").await;
    let res = app
        .delete("/api/v1/profile/avatar", Some(&reader.token))
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.error(), "This action is outside the authorized scopes");
    assert_eq!(app.delete("/api/v1/profile/avatar", None).await.status, 401);
}

#[db_test]
async fn unknown_and_hostile_media_paths_are_404(app: TestApp) {
    for path in [
        "/system/accounts/avatars/1/original/nope.png",
        "/system/../secret",
        "/system/a/.hidden",
        "/system/a%20b.png",
    ] {
        assert_eq!(app.get(path, None).await.status, 404, "{path}");
    }
}

#[db_test]
async fn json_string_avatar_is_bad_request(app: TestApp) {
    let alice = app.user("alice").await;
    let res = app
        .json_request(
            axum::http::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&alice.token),
            &json!({"avatar": "data:image/png;base64,AAAA"}),
        )
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json(), json!({"error": "Bad Request"}));
    // an empty value is ignored
    assert_eq!(
        patch(&app, &alice.token, &[("avatar", "")]).await.status,
        200
    );
}

#[db_test]
async fn image_uploads_over_the_body_limit_are_413(app: TestApp) {
    let alice = app.user("alice").await;
    let mut big = png(8, 8);
    big.resize(21 * 1024 * 1024, 0);
    for field in ["avatar", "header"] {
        let (ct, body) = crate::profile::multipart(&[], &[(field, "big.png", "image/png", &big)]);
        let res = send_in_chunks(
            &app,
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &alice.token,
            &ct,
            body,
        )
        .await;
        assert_eq!(res.status, 413, "{field}: {}", res.text());
        assert_eq!(res.json(), json!({"error": "Payload too large"}));
    }
    let a = me(&app, &alice.token).await;
    assert_eq!(
        a["avatar"],
        "https://woolly.test/avatars/original/missing.png"
    );
}

/// A GIF avatar of 300 frames on a 1280x720 canvas (1x1 frames, a few KB): past the
/// resize budget. Frame 2 is not decodable, so the answer shows the frames were counted
/// from the file's structure before any was decoded.
fn many_frame_gif(frames: usize) -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend_from_slice(&1280u16.to_le_bytes());
    bytes.extend_from_slice(&720u16.to_le_bytes());
    bytes.extend_from_slice(&[0, 0, 0]);
    for i in 0..frames {
        bytes.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0x80]);
        bytes.extend_from_slice(&[0, 0, 0, 255, 255, 255, 0x02, 0x02]);
        bytes.extend_from_slice(if i == 0 { &[0x44, 0x01] } else { &[0xFF, 0xFF] });
        bytes.push(0);
    }
    bytes.push(0x3B);
    bytes
}

#[db_test]
async fn gif_over_the_frame_budget_is_422_before_decoding(app: TestApp) {
    let alice = app.user("alice").await;
    let res = upload_avatar_gif(&app, &alice.token, &many_frame_gif(300)).await;
    assert_eq!(res.status, 422, "{}", res.text());
    let body = res.json();
    assert_eq!(
        error_of(&body, "avatar"),
        (
            "ERR_INVALID".to_owned(),
            "has dimensions that are too large".to_owned()
        )
    );
    assert_eq!(
        body["error"],
        "Validation failed: Avatar has dimensions that are too large"
    );
}
