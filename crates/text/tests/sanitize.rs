use proptest::prelude::*;
use woolly_text::{
    MentionTarget, RenderContext, render_field_value, render_text, sanitize_remote_html,
};

#[test]
fn script_is_stripped_with_content() {
    assert_eq!(
        sanitize_remote_html("<p>hi<script>alert(1)</script></p>"),
        "<p>hi</p>"
    );
    assert_eq!(
        sanitize_remote_html("<style>p{}</style><p>x</p>"),
        "<p>x</p>"
    );
}

#[test]
fn rel_and_target_forced() {
    let out =
        sanitize_remote_html("<a href=\"https://a.example/\" rel=\"me\" target=\"_self\">x</a>");
    assert!(out.contains("href=\"https://a.example/\""), "{out}");
    assert!(out.contains("rel=\"nofollow noopener\""), "{out}");
    assert!(out.contains("target=\"_blank\""), "{out}");
    assert!(!out.contains("_self") && !out.contains("\"me\""), "{out}");
}

#[test]
fn javascript_href_becomes_text() {
    assert_eq!(
        sanitize_remote_html("<p><a href=\"javascript:alert(1)\">click <b>me</b></a></p>"),
        "<p>click me</p>"
    );
    assert_eq!(sanitize_remote_html("<a href=\"/relative\">rel</a>"), "rel");
    assert_eq!(
        sanitize_remote_html("<a name=\"x\">anchor</a> after"),
        "anchor after"
    );
}

#[test]
fn other_protocols_allowed() {
    for href in [
        "gemini://x.example/",
        "magnet:?xt=urn:btih:abc",
        "xmpp:a@b.example",
        "ipfs://cid",
    ] {
        let out = sanitize_remote_html(&format!("<a href=\"{href}\">l</a>"));
        assert!(out.contains("href="), "{href}: {out}");
    }
}

#[test]
fn classes_and_translate_filtered() {
    let out = sanitize_remote_html(
        "<span class=\"h-card evil mention\" translate=\"yes\">a</span><span translate=\"no\">b</span>",
    );
    assert_eq!(
        out,
        "<span class=\"h-card mention\">a</span><span translate=\"no\">b</span>"
    );
}

#[test]
fn disallowed_elements_unwrapped() {
    assert_eq!(
        sanitize_remote_html("<img src=\"x\" onerror=\"x()\">t"),
        "t"
    );
    assert_eq!(sanitize_remote_html("<div>a</div><div>b</div>"), " a  b ");
    assert_eq!(
        sanitize_remote_html("<h1>Title</h1>"),
        "<p><strong>Title</strong></p>"
    );
    assert_eq!(
        sanitize_remote_html("<ol start=\"3\" onclick=\"x\"><li value=\"4\">i</li></ol>"),
        "<ol start=\"3\"><li value=\"4\">i</li></ol>"
    );
    assert_eq!(
        sanitize_remote_html("<p lang=\"de\" style=\"x\">a</p>"),
        "<p lang=\"de\">a</p>"
    );
}

fn resolver(username: &str, _domain: Option<&str>) -> Option<MentionTarget> {
    Some(MentionTarget {
        url: format!("https://example.com/@{username}"),
        username: username.to_owned(),
    })
}

proptest! {
    #[test]
    fn render_never_emits_raw_script(s in "(?s)(.|<script>|</script>|https?://[a-z<>\"]{1,12}|@[a-z<]{1,6}|#[a-z<]{1,6}|\n){0,40}") {
        let ctx = RenderContext { local_domain: "example.com", resolve_mention: &resolver };
        let r = render_text(&s, &ctx);
        prop_assert!(!r.html.to_ascii_lowercase().contains("<script"));
        let f = render_field_value(&s, &ctx);
        prop_assert!(!f.to_ascii_lowercase().contains("<script"));
        let _ = woolly_text::note_length(&s);
    }

    #[test]
    fn sanitize_never_emits_script(s in "(?s)(.|<script>|</script>|<a href=\"|javascript:|<p>|</a>|\"){0,40}") {
        let out = sanitize_remote_html(&s).to_ascii_lowercase();
        prop_assert!(!out.contains("<script"));
        prop_assert!(!out.contains("javascript:") || !out.contains("href=\"javascript"));
    }
}
