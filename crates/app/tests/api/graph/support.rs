//! Helpers of the social-graph tests: account actions by path (`/api/v1/accounts/:id/…`).

use woolly_testkit::{TestApp, TestResponse};

pub async fn post(app: &TestApp, token: &str, path: &str) -> TestResponse {
    app.post(path, Some(token), &[]).await
}

pub fn path(id: &str, action: &str) -> String {
    format!("/api/v1/accounts/{id}/{action}")
}
