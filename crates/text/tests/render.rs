use woolly_text::{
    MentionTarget, RenderContext, escape_html, extract_hashtags, note_length, render_field_value,
    render_text,
};

fn resolver(username: &str, domain: Option<&str>) -> Option<MentionTarget> {
    match (username.to_ascii_lowercase().as_str(), domain) {
        ("alice", None) => Some(MentionTarget {
            url: "https://example.com/@alice".into(),
            username: "alice".into(),
        }),
        ("bob", Some(d)) if d.eq_ignore_ascii_case("remote.org") => Some(MentionTarget {
            url: "https://remote.org/@bob".into(),
            username: "bob".into(),
        }),
        _ => None,
    }
}

fn ctx() -> RenderContext<'static> {
    RenderContext {
        local_domain: "example.com",
        resolve_mention: &resolver,
    }
}

fn html(text: &str) -> String {
    render_text(text, &ctx()).html
}

#[test]
fn short_link() {
    assert_eq!(
        html("see https://example.com/short"),
        "<p>see <a href=\"https://example.com/short\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">example.com/short</span><span class=\"invisible\"></span></a></p>"
    );
}

#[test]
fn long_link_is_cut_after_30_chars() {
    let url = "https://example.com/a/very/long/path/that/goes/on";
    assert_eq!(
        html(url),
        format!(
            "<p><a href=\"{url}\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">example.com/a/very/long/path/t</span><span class=\"invisible\">hat/goes/on</span></a></p>"
        )
    );
}

#[test]
fn link_with_one_char_overflow_is_not_cut() {
    // 31 characters after the prefix: upstream reverts the truncation
    let url = "http://abcdefghijklmnopqrstuvwxyz01234";
    assert_eq!(
        html(url),
        format!(
            "<p><a href=\"{url}\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">http://</span><span class=\"\">abcdefghijklmnopqrstuvwxyz01234</span><span class=\"invisible\"></span></a></p>"
        )
    );
}

#[test]
fn www_goes_into_prefix() {
    assert!(html("https://www.example.org/x").contains(
        "<span class=\"invisible\">https://www.</span><span class=\"\">example.org/x</span>"
    ));
}

#[test]
fn link_with_trailing_punctuation_and_query() {
    let out = html("Look: https://example.com/?a=1&b=2.");
    assert!(
        out.contains("href=\"https://example.com/?a=1&amp;b=2\""),
        "{out}"
    );
    assert!(out.ends_with("</a>.</p>"), "{out}");
}

#[test]
fn wikipedia_parens_and_email() {
    let out = html("(see https://en.wikipedia.org/wiki/Foo_(bar)) mail a@alice.example");
    assert!(
        out.contains("href=\"https://en.wikipedia.org/wiki/Foo_(bar)\""),
        "{out}"
    );
    assert!(out.ends_with("</a>) mail a@alice.example</p>"), "{out}");
}

#[test]
fn only_http_links() {
    assert_eq!(html("ftp://example.com/x"), "<p>ftp://example.com/x</p>");
    assert_eq!(html("example.com"), "<p>example.com</p>");
}

#[test]
fn resolved_mention() {
    let r = render_text("hi @alice!", &ctx());
    assert_eq!(
        r.html,
        "<p>hi <span class=\"h-card\" translate=\"no\"><a href=\"https://example.com/@alice\" class=\"u-url mention\">@<span>alice</span></a></span>!</p>"
    );
    assert_eq!(r.mentions, vec![("alice".to_string(), None)]);
}

#[test]
fn local_domain_mention_is_local() {
    let r = render_text("@alice@Example.com", &ctx());
    assert!(
        r.html.contains(">@<span>alice</span></a></span>"),
        "{}",
        r.html
    );
    assert_eq!(r.mentions, vec![("alice".to_string(), None)]);
}

#[test]
fn unresolved_mention_stays_text() {
    let r = render_text("hi @nobody@nowhere.net <3", &ctx());
    assert_eq!(r.html, "<p>hi @nobody@nowhere.net &lt;3</p>");
    assert!(r.mentions.is_empty());
}

#[test]
fn remote_mention() {
    let r = render_text("cc @bob@remote.org.", &ctx());
    assert_eq!(
        r.html,
        "<p>cc <span class=\"h-card\" translate=\"no\"><a href=\"https://remote.org/@bob\" class=\"u-url mention\">@<span>bob</span></a></span>.</p>"
    );
    assert_eq!(
        r.mentions,
        vec![("bob".to_string(), Some("remote.org".to_string()))]
    );
}

#[test]
fn mention_not_after_word_or_slash() {
    assert_eq!(html("mail me: x@alice"), "<p>mail me: x@alice</p>");
    assert_eq!(html("a/@alice"), "<p>a/@alice</p>");
}

#[test]
fn hashtags() {
    let r = render_text("I love #Rust and #rust_lang but not #123", &ctx());
    assert_eq!(
        r.html,
        "<p>I love <a href=\"https://example.com/tags/Rust\" class=\"mention hashtag\" rel=\"tag\">#<span>Rust</span></a> and <a href=\"https://example.com/tags/rust_lang\" class=\"mention hashtag\" rel=\"tag\">#<span>rust_lang</span></a> but not #123</p>"
    );
    assert_eq!(r.hashtags, vec!["rust", "rust_lang"]);
}

#[test]
fn hashtag_grammar() {
    assert_eq!(
        extract_hashtags("#123 #1a #a1 #_ #a·b #a· x#no"),
        vec!["1a", "a1", "a·b", "a"]
    );
    assert_eq!(extract_hashtags("#Café #café"), vec!["café"]);
    assert_eq!(extract_hashtags("(#paren) /#slash"), vec!["paren"]);
    assert_eq!(extract_hashtags("#foohttp://example.com"), vec!["foo"]);
    assert!(html("#Café").contains("href=\"https://example.com/tags/Caf%C3%A9\""));
}

#[test]
fn hashtag_inside_url_is_not_linked() {
    let out = html("https://example.com/?x=#tag");
    assert!(!out.contains("hashtag"), "{out}");
}

#[test]
fn paragraphs_and_line_breaks() {
    assert_eq!(html("a\nb\n\n\nc\r\nd"), "<p>a<br />b</p><p>c<br />d</p>");
    assert_eq!(html("\n\nhello\n\n"), "<p>hello</p>");
    assert_eq!(html("a\n \nb"), "<p>a<br /> <br />b</p>");
}

#[test]
fn empty_and_blank() {
    assert_eq!(render_text("", &ctx()), woolly_text::Rendered::default());
    assert_eq!(html(" \n\t\n "), "");
    assert_eq!(render_field_value("   ", &ctx()), "");
}

#[test]
fn escapes_script() {
    assert_eq!(
        html("<script>alert('x')</script> & \"q\""),
        "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>"
    );
    assert_eq!(escape_html("<b>&'\""), "&lt;b&gt;&amp;&#39;&quot;");
}

#[test]
fn field_value() {
    assert_eq!(
        render_field_value("https://example.com/me", &ctx()),
        "<a href=\"https://example.com/me\" target=\"_blank\" rel=\"nofollow noopener me\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">example.com/me</span><span class=\"invisible\"></span></a>"
    );
    let out = render_field_value("@bob@remote.org <b>\nline", &ctx());
    assert_eq!(
        out,
        "<span class=\"h-card\" translate=\"no\"><a href=\"https://remote.org/@bob\" class=\"u-url mention\">@<span>bob@remote.org</span></a></span> &lt;b&gt;\nline"
    );
    assert!(!render_field_value("a\n\nb", &ctx()).contains("<p>"));
}

#[test]
fn note_length_cases() {
    assert_eq!(note_length(""), 0);
    assert_eq!(note_length("hello"), 5);
    assert_eq!(note_length("👨‍👩‍👧‍👦é"), 2);
    assert_eq!(
        note_length("https://example.com/a/very/long/path/that/goes/on/and/on"),
        23
    );
    // upstream's URL_PATTERN also swallows the character preceding a URL
    assert_eq!(note_length("hi https://example.com/x"), 2 + 23);
    assert_eq!(
        note_length("@alice@remote.example.org hi"),
        "@alice hi".len()
    );
    assert_eq!(note_length("@alice hi"), 9);
}
