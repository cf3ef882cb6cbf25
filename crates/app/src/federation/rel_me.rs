//! rel="me" links in an HTML page (profile link verification), as upstream's
//! `VerifyLinkService` finds them: `<a>` and `<link>` elements whose `rel` holds the token
//! `me` and whose `href` equals, ignoring ASCII case, one of the profile's own URLs.

use scraper::{Html, Selector};

/// Does `html` link back to any of `targets` with rel="me"? CPU-bound on big pages: call it
/// from `spawn_blocking`.
pub fn links_back(html: &str, targets: &[String]) -> bool {
    let Ok(selector) = Selector::parse("a[rel][href], link[rel][href]") else {
        return false;
    };
    let doc = Html::parse_document(html);
    doc.select(&selector).any(|el| {
        let v = el.value();
        let rel_me = v.attr("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("me"))
        });
        let href = v.attr("href").map(str::trim).unwrap_or_default();
        rel_me && targets.iter().any(|t| t.eq_ignore_ascii_case(href))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Vec<String> {
        vec![
            "https://woolly.test/@alice".into(),
            "https://woolly.test/users/alice".into(),
        ]
    }

    #[test]
    fn finds_anchor_and_link_elements() {
        let t = targets();
        assert!(links_back(
            r#"<p>Hi <a rel="me" href="https://woolly.test/@alice">me</a></p>"#,
            &t
        ));
        assert!(links_back(
            r#"<html><head><link rel="me" href="https://woolly.test/users/alice"></head></html>"#,
            &t
        ));
        assert!(links_back(
            r#"<a href="HTTPS://WOOLLY.TEST/@alice" rel="nofollow  ME noopener">x</a>"#,
            &t
        ));
        assert!(links_back(
            r#"<a rel=me href=" https://woolly.test/@alice ">x</a>"#,
            &t
        ));
    }

    #[test]
    fn ignores_what_is_not_a_rel_me_link_back() {
        let t = targets();
        for html in [
            "",
            "not html at all",
            r#"<a href="https://woolly.test/@alice">no rel</a>"#,
            r#"<a rel="mention" href="https://woolly.test/@alice">x</a>"#,
            r#"<a rel="me" href="https://woolly.test/@alice2">x</a>"#,
            r#"<a rel="me" href="https://evil.test/@alice">x</a>"#,
            r#"<img rel="me" src="https://woolly.test/@alice">"#,
            r#"<!-- <a rel="me" href="https://woolly.test/@alice">x</a> -->"#,
            r#"<script>"<a rel='me' href='https://woolly.test/@alice'>"</script>"#,
            r#"<textarea><a rel="me" href="https://woolly.test/@alice">x</a></textarea>"#,
        ] {
            assert!(!links_back(html, &t), "{html}");
        }
    }
}
