//! Reading the forms of the server-rendered OAuth pages, for the in-process and the
//! end-to-end tests alike.

/// The hidden fields the consent form posts back, in page order.
pub const CONSENT_FIELDS: [&str; 8] = [
    "authenticity_token",
    "client_id",
    "redirect_uri",
    "state",
    "response_type",
    "scope",
    "code_challenge",
    "code_challenge_method",
];

/// The `value` of the input named `name` in an HTML page, its entities decoded.
pub fn hidden_input(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle)
        .map(|i| &html[i + needle.len()..])
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&#x3d;", "=")
}

/// The consent form of a page as `(field, value)` pairs, ready to post.
pub fn consent_form(html: &str) -> Vec<(&'static str, String)> {
    CONSENT_FIELDS
        .iter()
        .map(|f| (*f, hidden_input(html, f)))
        .collect()
}
