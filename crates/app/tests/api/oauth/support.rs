//! Helpers of the OAuth tests: registering apps and a tiny cookie-keeping browser that drives
//! the sign-in and consent pages in-process.

use axum::body::Body;
use axum::http::{Method, Request};
use woolly_testkit::{TestApp, TestResponse};

pub const REDIRECT: &str = "https://client.example/callback";
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub client_id: String,
    pub secret: String,
}

pub async fn register(app: &TestApp, redirect_uris: &str, scopes: &str) -> Client {
    let res = app
        .post(
            "/api/v1/apps",
            None,
            &[
                ("client_name", "Test client"),
                ("redirect_uris", redirect_uris),
                ("scopes", scopes),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text());
    let j = res.json();
    Client {
        id: j["id"].as_str().unwrap_or_default().to_owned(),
        client_id: j["client_id"].as_str().unwrap_or_default().to_owned(),
        secret: j["client_secret"].as_str().unwrap_or_default().to_owned(),
    }
}

pub use woolly_testkit::hidden_input as hidden;

/// A query parameter of a URL (absolute or a path).
pub fn query_param(location: &str, key: &str) -> Option<String> {
    let full = if location.starts_with('/') {
        format!("https://x{location}")
    } else {
        location.to_owned()
    };
    url::Url::parse(&full)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub fn authorize_path(client: &Client, redirect_uri: &str, extra: &[(&str, &str)]) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("response_type", "code");
    q.append_pair("client_id", &client.client_id);
    q.append_pair("redirect_uri", redirect_uri);
    for (k, v) in extra {
        q.append_pair(k, v);
    }
    format!("/oauth/authorize?{}", q.finish())
}

/// Keeps cookies between requests, as a browser would.
#[derive(Debug, Default)]
pub struct Browser {
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    fn absorb(&mut self, res: &TestResponse) {
        for v in res.headers.get_all("set-cookie") {
            let Some((pair, _)) = v.to_str().unwrap_or_default().split_once(';') else {
                continue;
            };
            if let Some((k, val)) = pair.split_once('=') {
                self.cookies.retain(|(n, _)| n != k);
                self.cookies.push((k.to_owned(), val.to_owned()));
            }
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    pub async fn send(
        &mut self,
        app: &TestApp,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> TestResponse {
        let mut b = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let header: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            b = b.header("cookie", header.join("; "));
        }
        let body = match form {
            Some(pairs) => {
                b = b.header("content-type", "application/x-www-form-urlencoded");
                Body::from(serde_urlencoded::to_string(pairs).unwrap_or_default())
            }
            None => Body::empty(),
        };
        let res = app
            .send(b.body(body).unwrap_or_else(|e| panic!("{e}")))
            .await;
        self.absorb(&res);
        res
    }

    pub async fn get(&mut self, app: &TestApp, path: &str) -> TestResponse {
        self.send(app, Method::GET, path, None).await
    }

    pub async fn post(&mut self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> TestResponse {
        self.send(app, Method::POST, path, Some(form)).await
    }

    /// The text of the authorize page for `client` (redirecting to [`REDIRECT`]).
    pub async fn authorize_page(
        &mut self,
        app: &TestApp,
        client: &Client,
        extra: &[(&str, &str)],
    ) -> String {
        self.get(app, &authorize_path(client, REDIRECT, extra))
            .await
            .text()
    }

    /// Opens the authorize page, signs in as alice and follows the redirect: the consent page.
    pub async fn alice_consent_page(
        &mut self,
        app: &TestApp,
        client: &Client,
        extra: &[(&str, &str)],
    ) -> String {
        let page = self.authorize_page(app, client, extra).await;
        let to = self
            .sign_in(app, &page, "alice@example.com", "password123")
            .await
            .location();
        self.get(app, &to).await.text()
    }

    /// Submits the sign-in form of `page`.
    pub async fn sign_in(
        &mut self,
        app: &TestApp,
        page: &str,
        email: &str,
        password: &str,
    ) -> TestResponse {
        let csrf = hidden(page, "authenticity_token");
        let to = hidden(page, "return_to");
        self.sign_in_with(app, &csrf, &to, email, password).await
    }

    /// Posts the sign-in form with these values (a test's own token or `return_to`).
    pub async fn sign_in_with(
        &mut self,
        app: &TestApp,
        csrf: &str,
        return_to: &str,
        email: &str,
        password: &str,
    ) -> TestResponse {
        self.post(
            app,
            "/oauth/sign_in",
            &[
                ("authenticity_token", csrf),
                ("return_to", return_to),
                ("email", email),
                ("password", password),
            ],
        )
        .await
    }

    /// Submits one of the consent forms (`/oauth/authorize` or `/oauth/authorize/deny`).
    pub async fn consent(&mut self, app: &TestApp, page: &str, action: &str) -> TestResponse {
        let values = woolly_testkit::consent_form(page);
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.post(app, action, &pairs).await
    }

    /// Signs in from the authorize page and approves; returns the final `Location`.
    pub async fn authorize(&mut self, app: &TestApp, path: &str, email: &str) -> String {
        let page = self.get(app, path).await;
        assert_eq!(page.status, 200, "{}", page.text());
        let mut text = page.text();
        if text.contains("action=\"/oauth/sign_in\"") {
            let res = self.sign_in(app, &text, email, "password123").await;
            assert_eq!(res.status, 302, "{}", res.text());
            let to = res.location();
            let consent = self.get(app, &to).await;
            if consent.status == 302 {
                return consent.location();
            }
            assert_eq!(consent.status, 200, "{}", consent.text());
            text = consent.text();
        }
        let res = self.consent(app, &text, "/oauth/authorize").await;
        assert_eq!(res.status, 302, "{}", res.text());
        res.location()
    }
}

/// A code for `email` through the whole browser flow.
pub async fn code_for(
    app: &TestApp,
    client: &Client,
    email: &str,
    extra: &[(&str, &str)],
) -> String {
    let mut browser = Browser::default();
    let location = browser
        .authorize(app, &authorize_path(client, REDIRECT, extra), email)
        .await;
    query_param(&location, "code").unwrap_or_else(|| panic!("no code in {location}"))
}

/// Exchanges a code at `/oauth/token` with the client's credentials in the body.
pub async fn exchange(
    app: &TestApp,
    client: &Client,
    code: &str,
    extra: &[(&str, &str)],
) -> TestResponse {
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("client_id", client.client_id.as_str()),
        ("client_secret", client.secret.as_str()),
        ("code", code),
        ("redirect_uri", REDIRECT),
    ];
    for (k, v) in extra {
        pairs.retain(|(pk, _)| pk != k);
        pairs.push((k, v));
    }
    app.post("/oauth/token", None, &pairs).await
}

pub async fn user_id(app: &TestApp, username: &str) -> i64 {
    woolly::services::operator::find_user(&app.state, username)
        .await
        .map(|u| u.id)
        .unwrap_or_default()
}

/// The client-credentials grant for `c`, with `scope` when given.
pub async fn client_credentials(app: &TestApp, c: &Client, scope: Option<&str>) -> TestResponse {
    let mut pairs = vec![
        ("grant_type", "client_credentials"),
        ("client_id", c.client_id.as_str()),
        ("client_secret", c.secret.as_str()),
    ];
    if let Some(s) = scope {
        pairs.push(("scope", s));
    }
    app.post("/oauth/token", None, &pairs).await
}

/// An app token (no user) from the client-credentials grant.
pub async fn app_token(app: &TestApp, c: &Client, scope: Option<&str>) -> String {
    let res = client_credentials(app, c, scope).await;
    match res.json()["access_token"].as_str() {
        Some(token) => token.to_owned(),
        None => panic!("no app token: {}", res.text()),
    }
}

/// `POST /oauth/revoke` of `token`, authenticated as client `c`.
pub async fn revoke(app: &TestApp, c: &Client, token: &str) -> TestResponse {
    let pairs = [
        ("client_id", c.client_id.as_str()),
        ("client_secret", c.secret.as_str()),
        ("token", token),
    ];
    app.post("/oauth/revoke", None, &pairs).await
}
