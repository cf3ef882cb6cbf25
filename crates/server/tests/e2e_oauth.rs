//! End to end: the real `woolly` binary on a loopback port, driven over HTTP through the
//! whole OAuth code flow with PKCE, plus the operator CLI's token command and its errors.

mod support;

use std::process::Output;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::redirect::Policy;
use sha2::{Digest, Sha256};

use support::{admin, create_account, fail, free_port, send, serve};
use woolly_testkit::hidden_input as hidden;

const PASSWORD: &str = "correct-horse-battery";

/// A failing CLI command: non-zero exit and exactly one line on stderr.
fn assert_cli_error(out: &Output, expected: &str) {
    assert!(!out.status.success(), "should fail: {out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {stderr:?}");
    assert!(lines[0].contains(expected), "{stderr:?}");
}

fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn query_param(location: &str, key: &str) -> Option<String> {
    url::Url::parse(location)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn cli_errors_are_one_line_and_non_zero() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    create_account(dir.path(), port, "alice", &["--password", PASSWORD]);
    assert_cli_error(&admin(dir.path(), port, &["token", "nobody"]), "nobody");
    assert_cli_error(
        &admin(
            dir.path(),
            port,
            &["create-account", "alice", "--email", "other@example.com"],
        ),
        "username is taken: alice",
    );
    assert_cli_error(
        &admin(
            dir.path(),
            port,
            &["token", "alice", "--scopes", "read bogus"],
        ),
        "unknown scope: bogus",
    );
}

#[tokio::test]
async fn oauth_code_flow_with_pkce_against_the_real_binary() {
    let dir = tempfile::tempdir().unwrap_or_else(fail);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");

    let extra = ["--role", "Owner", "--password", PASSWORD];
    let out = create_account(dir.path(), port, "alice", &extra);
    assert!(String::from_utf8_lossy(&out.stdout).contains("created alice"));
    let out = admin(dir.path(), port, &["token", "alice", "--scopes", "read"]);
    assert!(out.status.success(), "{out:?}");
    let cli_token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(cli_token.len(), 43, "{cli_token:?}");

    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap_or_else(fail);
    let server = serve(dir.path(), port, &http).await;

    // The operator's token works.
    let res = send(
        http.get(format!("{base}/api/v1/accounts/verify_credentials"))
            .bearer_auth(&cli_token),
    )
    .await;
    assert_eq!(res.status(), 200);

    // Register an app.
    let redirect = "http://127.0.0.1:9/callback";
    let form = [
        ("client_name", "E2E"),
        ("redirect_uris", redirect),
        ("scopes", "read write profile"),
    ];
    let res = send(http.post(format!("{base}/api/v1/apps")).form(&form)).await;
    assert_eq!(res.status(), 200);
    let app: serde_json::Value = res.json().await.unwrap_or_else(fail);
    let client_id = app["client_id"].as_str().unwrap_or_default().to_owned();
    let client_secret = app["client_secret"].as_str().unwrap_or_default().to_owned();

    // Authorize with PKCE: the sign-in page first.
    let verifier = "e2e-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let pkce = [
        ("state", "e2e-state"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let res = send(http.get(authorize_url(&base, &client_id, redirect, &pkce))).await;
    assert_eq!(res.status(), 200);
    let csrf_cookie = set_cookie(&res, "_woolly_csrf").unwrap_or_else(|| panic!("csrf cookie"));
    let page = res.text().await.unwrap_or_default();
    let csrf = hidden(&page, "authenticity_token");
    assert_eq!(csrf, csrf_cookie);

    let form = [
        ("authenticity_token", csrf.as_str()),
        ("return_to", &hidden(&page, "return_to")),
        ("email", "alice@example.com"),
        ("password", PASSWORD),
    ];
    let request = http.post(format!("{base}/oauth/sign_in")).form(&form);
    let res = send(request.header("cookie", format!("_woolly_csrf={csrf_cookie}"))).await;
    assert_eq!(res.status(), 302);
    let session = set_cookie(&res, "_woolly_session").unwrap_or_else(|| panic!("session cookie"));
    let cookies = format!("_woolly_csrf={csrf_cookie}; _woolly_session={session}");
    let back = location(&res);
    assert!(back.starts_with("/oauth/authorize?"), "{back}");

    // Consent.
    let to = consent(&http, &format!("{base}{back}"), &cookies).await;
    assert!(to.starts_with(redirect), "{to}");
    assert_eq!(query_param(&to, "state").as_deref(), Some("e2e-state"));
    let code = query_param(&to, "code").unwrap_or_else(|| panic!("code in {to}"));

    // Token (client authenticated with HTTP Basic).
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect),
        ("code_verifier", verifier),
    ];
    let request = http.post(format!("{base}/oauth/token")).form(&form);
    let res = send(request.basic_auth(&client_id, Some(&client_secret))).await;
    assert_eq!(res.status(), 200);
    let pragma = res.headers().get("pragma").and_then(|v| v.to_str().ok());
    assert_eq!(pragma, Some("no-cache"));
    let token: serde_json::Value = res.json().await.unwrap_or_else(fail);
    assert_eq!(token["scope"], "read write");
    let access = token["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let res = send(
        http.get(format!("{base}/api/v1/apps/verify_credentials"))
            .bearer_auth(&access),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = send(
        http.get(format!("{base}/api/v1/accounts/verify_credentials"))
            .bearer_auth(&access),
    )
    .await;
    let me: serde_json::Value = res.json().await.unwrap_or_else(fail);
    assert_eq!(me["username"], "alice");

    // The code cannot be used twice (and that revokes the token issued from it).
    let creds = [
        ("client_id", client_id.as_str()),
        ("client_secret", client_secret.as_str()),
    ];
    let replay: Vec<(&str, &str)> = form.iter().chain(creds.iter()).copied().collect();
    let res = send(http.post(format!("{base}/oauth/token")).form(&replay)).await;
    assert_eq!(res.status(), 400);
    let res = send(
        http.get(format!("{base}/api/v1/apps/verify_credentials"))
            .bearer_auth(&access),
    )
    .await;
    assert_eq!(res.status(), 401);

    // A second token, revoked, is refused afterwards.
    let to = consent(
        &http,
        &authorize_url(&base, &client_id, redirect, &[]),
        &cookies,
    )
    .await;
    let code = query_param(&to, "code").unwrap_or_default();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect),
        ("client_id", client_id.as_str()),
        ("client_secret", client_secret.as_str()),
    ];
    let res = send(http.post(format!("{base}/oauth/token")).form(&form)).await;
    assert_eq!(res.status(), 200);
    let j: serde_json::Value = res.json().await.unwrap_or_else(fail);
    let token = j["access_token"].as_str().unwrap_or_default().to_owned();
    let form = [creds[0], creds[1], ("token", token.as_str())];
    let res = send(http.post(format!("{base}/oauth/revoke")).form(&form)).await;
    assert_eq!(res.status(), 200);
    let res = send(
        http.get(format!("{base}/api/v1/apps/verify_credentials"))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap_or_else(fail);
    assert_eq!(body["error"], "The access token was revoked");

    drop(server);
}

fn authorize_url(base: &str, client_id: &str, redirect: &str, extra: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&format!("{base}/oauth/authorize")).unwrap_or_else(fail);
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", "read write")
        .extend_pairs(extra);
    url.to_string()
}

/// Opens the consent page of a signed-in browser and approves; returns where it redirects.
async fn consent(http: &reqwest::Client, url: &str, cookies: &str) -> String {
    let res = send(http.get(url).header("cookie", cookies)).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap_or_default();
    assert!(page.contains("E2E") && page.contains("Authorize"));
    let form = woolly_testkit::consent_form(&page);
    let request = http.post(url.split('?').next().unwrap_or(url)).form(&form);
    let res = send(request.header("cookie", cookies)).await;
    assert_eq!(res.status(), 302);
    location(&res)
}
