//! Sending requests through the router (form, JSON and multipart bodies) and reading responses.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use crate::{TestApp, fail};

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| fail(&format!("json body {:?}", self.text()), e))
    }

    /// How many entities a JSON array body holds (`None` for any other body).
    pub fn array_len(&self) -> Option<usize> {
        self.json().as_array().map(Vec::len)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Where a redirect points (empty when it does not).
    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default()
    }

    /// The `error` member of a Mastodon error body.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| fail("router", e));
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_else(|e| fail("body", e))
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            builder = builder.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        let request = builder
            .body(Body::from(body))
            .unwrap_or_else(|e| fail("request", e));
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.request(Method::GET, path, token, None, Vec::new())
            .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.request(Method::DELETE, path, token, None, Vec::new())
            .await
    }

    /// `GET /api/v1/accounts/verify_credentials` as `token`: is the token (still) good?
    pub async fn verify_credentials(&self, token: &str) -> TestResponse {
        self.get("/api/v1/accounts/verify_credentials", Some(token))
            .await
    }

    /// A form-encoded request (`pairs` as `application/x-www-form-urlencoded`).
    pub async fn form(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        pairs: &[(&str, &str)],
    ) -> TestResponse {
        let body = serde_urlencoded::to_string(pairs).unwrap_or_default();
        self.request(
            method,
            path,
            token,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
        )
        .await
    }

    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        pairs: &[(&str, &str)],
    ) -> TestResponse {
        self.form(Method::POST, path, token, pairs).await
    }

    pub async fn json_request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> TestResponse {
        self.request(
            method,
            path,
            token,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }
}

/// One part of a multipart body: `(name, Some((filename, content type)), bytes)` for a
/// file, `None` for a text field.
pub type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

/// A multipart body and its content type.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "woollyTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some((filename, ct)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; \
                     filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
