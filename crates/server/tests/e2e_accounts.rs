//! End to end: the accounts API as a client app and its users drive it over HTTP against the
//! real `woolly` binary — register with an app token, confirm by the mailed link, edit the
//! profile with an avatar upload, follow, look up, search, post and read statuses, block —
//! and everything committed is still there after a restart.

mod support;

use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use support::{create_account, fail, free_port, json, send, serve, token};

const PASSWORD: &str = "correct-horse-battery";

/// A PNG of `w`×`h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .unwrap_or_else(fail);
    out.into_inner()
}

/// Waits for the confirmation mail to `to` in the outbox and returns its token.
async fn confirmation_token(dir: &Path, to: &str) -> String {
    let outbox = dir.join("outbox");
    for _ in 0..200 {
        if let Some(token) = woolly_testkit::mail::confirmation_tokens(&outbox, to).pop() {
            return token;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no confirmation mail to {to}");
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_client_signs_a_user_up_and_drives_the_accounts_api() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    create_account(dir.path(), port, "bob", &["--password", PASSWORD]);
    let bob_token = token(dir.path(), port, "bob", "read write follow");

    let http = reqwest::Client::new();
    let server = serve(dir.path(), port, &http).await;

    // The client registers and gets an app token.
    let form = [
        ("client_name", "E2E accounts"),
        ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
        ("scopes", "read write follow"),
    ];
    let app = json(http.post(format!("{base}/api/v1/apps")).form(&form), 200).await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", app["client_id"].as_str().unwrap_or_default()),
        (
            "client_secret",
            app["client_secret"].as_str().unwrap_or_default(),
        ),
        ("scope", "read write follow"),
    ];
    let app_token = json(http.post(format!("{base}/oauth/token")).form(&form), 200).await;
    let app_token = app_token["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Sign-up: bad input is refused with upstream's details and creates nothing.
    let bad = [
        ("username", "no spaces"),
        ("email", "alice@example.com"),
        ("password", PASSWORD),
        ("agreement", "true"),
    ];
    let sign_up = |form: &[(&str, &str)], status| {
        let request = http.post(format!("{base}/api/v1/accounts"));
        json(request.bearer_auth(&app_token).form(form), status)
    };
    let res = sign_up(&bad, 422).await;
    assert_eq!(res["details"]["username"][0]["error"], "ERR_INVALID");
    let good = [
        ("username", "alice"),
        ("email", "alice@example.com"),
        ("password", PASSWORD),
        ("agreement", "true"),
        ("locale", "en"),
    ];
    let token = sign_up(&good, 200).await;
    assert_eq!(token["token_type"], "Bearer");
    let alice = token["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let me = format!("{base}/api/v1/accounts/verify_credentials");
    let res = json(http.get(&me).bearer_auth(&alice), 403).await;
    assert_eq!(
        res["error"],
        "Your login is missing a confirmed e-mail address"
    );

    // The mailed link confirms the address; the token then works.
    let link = confirmation_token(dir.path(), "alice@example.com").await;
    let res = send(http.get(format!(
        "{base}/auth/confirmation?confirmation_token={link}"
    )))
    .await;
    assert_eq!(res.status(), 200);
    let account = json(http.get(&me).bearer_auth(&alice), 200).await;
    assert_eq!(account["username"], "alice");
    let alice_id = id(&account);

    // Profile: multipart with an avatar, fields and a note with a mention.
    let form = Form::new()
        .text("display_name", "Alice A.")
        .text("note", "Hello @bob, I like #rust")
        .text("fields_attributes[0][name]", "Web")
        .text("fields_attributes[0][value]", "https://alice.example")
        .part(
            "avatar",
            Part::bytes(png(640, 480))
                .file_name("me.png")
                .mime_str("image/png")
                .unwrap_or_else(fail),
        );
    let url = format!("{base}/api/v1/accounts/update_credentials");
    let account = json(http.patch(&url).bearer_auth(&alice).multipart(form), 200).await;
    assert_eq!(account["display_name"], "Alice A.");
    assert_eq!(account["source"]["note"], "Hello @bob, I like #rust");
    let note = account["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("/@bob") && note.contains("/tags/rust"),
        "{note}"
    );
    assert_eq!(account["fields"][0]["name"], "Web");
    let avatar = account["avatar"].as_str().unwrap_or_default().to_owned();
    assert!(!avatar.ends_with("missing.png"), "{avatar}");
    let res = send(http.get(&avatar)).await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap_or_else(fail);
    let img = image::load_from_memory(&bytes).unwrap_or_else(fail);
    assert_eq!((img.width(), img.height()), (400, 400));
    // A corrupt image is refused and changes nothing.
    let form = Form::new().text("display_name", "Changed").part(
        "avatar",
        Part::bytes(b"not an image".to_vec())
            .file_name("x.png")
            .mime_str("image/png")
            .unwrap_or_else(fail),
    );
    let res = json(http.patch(&url).bearer_auth(&alice).multipart(form), 422).await;
    assert!(res["details"]["avatar"].is_array(), "{res}");
    let account = json(http.get(&me).bearer_auth(&alice), 200).await;
    assert_eq!(account["display_name"], "Alice A.");
    assert_eq!(account["avatar"], avatar.as_str());

    // Finding bob, following him, and the graph endpoints agreeing.
    let bob = json(
        http.get(format!("{base}/api/v1/accounts/lookup?acct=@bob")),
        200,
    )
    .await;
    let bob_id = id(&bob);
    let found = json(
        http.get(format!("{base}/api/v1/accounts/search?q=bo"))
            .bearer_auth(&alice),
        200,
    )
    .await;
    assert_eq!(found[0]["id"], bob_id.as_str());
    let rel = json(
        http.post(format!("{base}/api/v1/accounts/{bob_id}/follow"))
            .bearer_auth(&alice),
        200,
    )
    .await;
    assert_eq!(rel["following"], true);
    let relationships_to_bob = format!("{base}/api/v1/accounts/relationships?id[]={bob_id}");
    let rels = json(http.get(&relationships_to_bob).bearer_auth(&alice), 200).await;
    assert_eq!(rels[0]["following"], true);
    let res = send(http.get(format!("{base}/api/v1/accounts/{bob_id}/followers"))).await;
    assert_eq!(res.status(), 200);
    let link = res
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        link.contains("rel=\"prev\"") && link.contains("since_id="),
        "{link}"
    );
    let followers: Value = res.json().await.unwrap_or_else(fail);
    assert_eq!(followers[0]["id"], alice_id.as_str());
    let notes = json(
        http.get(format!("{base}/api/v1/notifications"))
            .bearer_auth(&bob_token),
        200,
    )
    .await;
    assert_eq!(notes[0]["type"], "follow");
    assert_eq!(notes[0]["account"]["id"], alice_id.as_str());

    // Bob posts; a public and a private status; alice follows him so she sees both.
    let post = |text: &'static str, visibility: &'static str| {
        http.post(format!("{base}/api/v1/statuses"))
            .bearer_auth(&bob_token)
            .form(&[("status", text), ("visibility", visibility)])
    };
    json(post("public hello", "public"), 200).await;
    json(post("followers only", "private"), 200).await;
    let statuses = format!("{base}/api/v1/accounts/{bob_id}/statuses");
    let anonymous = json(http.get(&statuses), 200).await;
    assert_eq!(anonymous.as_array().map(Vec::len), Some(1));
    let followed = json(http.get(&statuses).bearer_auth(&alice), 200).await;
    assert_eq!(followed.as_array().map(Vec::len), Some(2));
    let bob = json(http.get(format!("{base}/api/v1/accounts/{bob_id}")), 200).await;
    assert_eq!(bob["statuses_count"], 2);
    assert_eq!(bob["followers_count"], 1);

    // Blocking severs the follow both ways and empties what bob's profile shows alice.
    let rel = json(
        http.post(format!("{base}/api/v1/accounts/{alice_id}/block"))
            .bearer_auth(&bob_token),
        200,
    )
    .await;
    assert_eq!(rel["blocking"], true);
    let seen = json(http.get(&statuses).bearer_auth(&alice), 200).await;
    assert_eq!(seen.as_array().map(Vec::len), Some(0));
    let bob = json(http.get(format!("{base}/api/v1/accounts/{bob_id}")), 200).await;
    assert_eq!(bob["followers_count"], 0);

    // A restart loses nothing that was committed.
    drop(server);
    let _server = serve(dir.path(), port, &http).await;
    let account = json(http.get(&me).bearer_auth(&alice), 200).await;
    assert_eq!(account["display_name"], "Alice A.");
    assert_eq!(account["avatar"], avatar.as_str());
    assert_eq!(send(http.get(&avatar)).await.status(), 200);
    let rels = json(http.get(&relationships_to_bob).bearer_auth(&alice), 200).await;
    assert_eq!(rels[0]["blocked_by"], true);
    assert_eq!(rels[0]["following"], false);
    let blocks = json(
        http.get(format!("{base}/api/v1/blocks"))
            .bearer_auth(&bob_token),
        200,
    )
    .await;
    assert_eq!(blocks[0]["id"], alice_id.as_str());
}
