//! Doorkeeper's redirect URI rules as Mastodon configures them.

/// The out-of-band URI: the code is shown on a page instead of a redirect.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// Mastodon's `forbid_redirect_uri`.
const FORBIDDEN_SCHEMES: &[&str] = &["data", "javascript", "vbscript"];

pub fn is_oob(uri: &str) -> bool {
    uri == OOB
}

/// The error descriptions (`cannot contain a fragment.`) of one whitespace-separated list of
/// URIs, in Doorkeeper's order; empty when valid. A blank list is the caller's concern.
pub fn problems(list: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for uri in list.split_whitespace() {
        if is_oob(uri) {
            continue;
        }
        match url::Url::parse(uri) {
            Ok(parsed) => {
                if FORBIDDEN_SCHEMES.contains(&parsed.scheme()) {
                    out.push("is forbidden by the server.");
                }
                if parsed.fragment().is_some() {
                    out.push("cannot contain a fragment.");
                }
                // Ruby's URI calls `scheme:rest` without `//` or `/` opaque; Doorkeeper
                // refuses it, and `localhost:3000` (read as scheme `localhost`).
                if parsed.cannot_be_a_base() || parsed.scheme() == "localhost" {
                    out.push("must specify a scheme.");
                }
            }
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                if uri.contains('#') {
                    out.push("cannot contain a fragment.");
                }
                out.push("must be an absolute URI.");
            }
            Err(_) => {
                // Ruby's URI::InvalidURIError stops the validation.
                out.push("must be a valid URI.");
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_refuses_as_doorkeeper() {
        assert!(problems("https://app.example/cb\nurn:ietf:wg:oauth:2.0:oob").is_empty());
        assert!(problems("com.example.app:/oauth").is_empty());
        assert_eq!(
            problems("https://a.example/#x"),
            ["cannot contain a fragment."]
        );
        assert_eq!(problems("/relative"), ["must be an absolute URI."]);
        assert_eq!(
            problems("javascript:alert(1)"),
            ["is forbidden by the server.", "must specify a scheme."]
        );
        assert_eq!(
            problems("data:text/html,hi")[0],
            "is forbidden by the server."
        );
        assert_eq!(problems("http://[::1"), ["must be a valid URI."]);
    }
}
