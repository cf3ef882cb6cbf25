//! Account search ranking as upstream Mastodon 4.x ranks it without Elasticsearch
//! (`Account::Search`), computed in Rust over a few candidate rows.
//!
//! - The document is `setweight(to_tsvector('simple', display_name), 'A') ||
//!   setweight(to_tsvector('simple', username), 'B') ||
//!   setweight(to_tsvector('simple', coalesce(domain, '')), 'C')`: the lexemes of the three
//!   texts, their positions running on from one text to the next ([`document`]).
//! - The query is the whole term, `' ? \ : ‘ ’` replaced by spaces, as one quoted term with
//!   `:*`: a phrase of prefixes, each query lexeme matching a lexeme that starts with it, at
//!   consecutive positions ([`query_terms`]).
//! - The text rank is `ts_rank_cd(document, query, 32)` ([`rank_cd`]), the boost averages the
//!   follower/following ratio, `log(followers + 2)` and a recency term ([`boost`]), and the
//!   score is their product.
//!
//! Tokens follow PostgreSQL's default parser under the `simple` configuration for what
//! account names hold: lower-cased runs of letters and digits (`_` and other punctuation
//! split words: `john_doe` gives `john`, `doe`); an ASCII dotted token (`mastodon.social`,
//! `v1.2.3`, `3.14`, `ex.com:3000`) and an e-mail address stay one lexeme; a hyphenated word
//! gives the whole word, then its parts (`smith-jones`, `smith`, `jones`); `-5` after a
//! word is a signed integer. Not modelled: URLs and file paths (`https://…`, `/usr/bin`),
//! which PostgreSQL splits into url/host/path lexemes, and HTML tags and entities, which it
//! skips.

/// Characters upstream replaces by spaces before building the query.
const DISALLOWED: [char; 6] = ['\'', '?', '\\', ':', '\u{2018}', '\u{2019}'];

/// PostgreSQL's default `ts_rank_cd` weights: `{D, C, B, A} = {0.1, 0.2, 0.4, 1.0}`.
pub const WEIGHT_A: f64 = 1.0;
pub const WEIGHT_B: f64 = 0.4;
pub const WEIGHT_C: f64 = 0.2;

/// One position of the document: its lexeme and weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub lexeme: String,
    pub weight: f64,
}

/// The weighted document of an account (see the module comment).
pub fn document(display_name: &str, username: &str, domain: Option<&str>) -> Vec<Position> {
    let mut doc = Vec::new();
    for (text, weight) in [
        (display_name, WEIGHT_A),
        (username, WEIGHT_B),
        (domain.unwrap_or(""), WEIGHT_C),
    ] {
        doc.extend(
            lexemes(text)
                .into_iter()
                .map(|lexeme| Position { lexeme, weight }),
        );
    }
    doc
}

/// The lexemes of a search term, in phrase order (empty: the query matches nothing).
pub fn query_terms(term: &str) -> Vec<String> {
    let cleaned: String = term
        .chars()
        .map(|c| if DISALLOWED.contains(&c) { ' ' } else { c })
        .collect();
    lexemes(&cleaned)
}

/// `ts_rank_cd(document, query, 32)`: every occurrence of the phrase (each a cover of
/// `n` consecutive positions) adds `n / Σ 1/weight` of its positions; normalisation 32 maps
/// the sum `S` to `S / (S + 1)`. Zero when the query does not match (`@@` is false).
pub fn rank_cd(doc: &[Position], query: &[String]) -> f64 {
    let n = query.len();
    if n == 0 || doc.len() < n {
        return 0.0;
    }
    let mut sum = 0.0;
    for start in 0..=doc.len() - n {
        let span = &doc[start..start + n];
        if span
            .iter()
            .zip(query)
            .all(|(p, q)| p.lexeme.starts_with(q.as_str()))
        {
            let inv: f64 = span.iter().map(|p| 1.0 / p.weight).sum();
            sum += n as f64 / inv;
        }
    }
    sum / (sum + 1.0)
}

/// `exp(-(max(0, |days| - 30))² / (2 · (-30² / (2 · ln 0.3))))`: 1 within 30 days, 0.3 at
/// 60 days.
pub fn recency_decay(days: f64) -> f64 {
    let d = (days.abs() - 30.0).max(0.0);
    let scale = 2.0 * (-(30.0_f64.powi(2)) / (2.0 * 0.3_f64.ln()));
    (-(d * d) / scale).exp()
}

/// Upstream's recency term. Its SQL feeds the decay `extract(DAY FROM age(last_status_at))`,
/// which is the *days field* of a years/months/days interval (always within -30..=30, checked
/// on PostgreSQL 15 over two years of date pairs), not the number of days since: so the term
/// is 1 for anyone who has posted and 0 for who never has, however long ago the last post.
/// We keep that behaviour (ranking as upstream ranks), the decay spelled out for reference.
pub fn recency(last_status_at: Option<i64>) -> f64 {
    match last_status_at {
        None => 0.0,
        Some(_) => recency_decay(0.0),
    }
}

/// `(followers / (following + 1) + log(followers + 2) + recency) / 3`, counts clamped at 0.
/// PostgreSQL's `log(x)` is base 10 (`SELECT log(100.0)` is 2; `ln` is the natural log), so
/// this uses `log10`.
pub fn boost(followers: i64, following: i64, last_status_at: Option<i64>) -> f64 {
    let followers = followers.max(0) as f64;
    let following = following.max(0) as f64;
    (followers / (following + 1.0) + (followers + 2.0).log10() + recency(last_status_at)) / 3.0
}

fn is_ascii_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// End of an ASCII host-like label starting at `i` (`[A-Za-z0-9_]+`), or `i` if none.
fn label_end(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() && is_ascii_label_char(chars[j]) {
        j += 1;
    }
    j
}

/// A dotted ASCII token (`host`, `file`, `version`, `float`) at `i`: labels joined by single
/// dots, hyphens inside all but the last label, an optional `:port`. Returns its end.
fn dotted_end(chars: &[char], i: usize) -> Option<usize> {
    let mut labels = 0;
    let mut j = i;
    let mut end = i;
    loop {
        // one label, with inner hyphens
        let mut k = label_end(chars, j);
        if k == j {
            break;
        }
        let plain_end = k;
        while k + 1 < chars.len() && chars[k] == '-' && is_ascii_label_char(chars[k + 1]) {
            k = label_end(chars, k + 1);
        }
        labels += 1;
        let dot_follows =
            k + 1 < chars.len() && chars[k] == '.' && is_ascii_label_char(chars[k + 1]);
        if dot_follows {
            end = k;
            j = k + 1;
        } else {
            // the last label has no hyphen: `foo.bar-baz` is `foo.bar`, then `baz`
            end = if labels > 1 { plain_end } else { k };
            break;
        }
    }
    if labels < 2 {
        return None;
    }
    // a non-ASCII letter glued on means this was not a host (`ab.cdé`)
    if chars.get(end).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    if chars.get(end) == Some(&':') && chars.get(end + 1).is_some_and(char::is_ascii_digit) {
        end += 1;
        while chars.get(end).is_some_and(char::is_ascii_digit) {
            end += 1;
        }
    }
    Some(end)
}

/// An e-mail address at `i` (`local@host.tld`, the local part `[A-Za-z0-9_.-]`).
fn email_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    while j < chars.len() && (is_ascii_label_char(chars[j]) || matches!(chars[j], '.' | '-')) {
        j += 1;
    }
    if j == i || chars.get(j) != Some(&'@') {
        return None;
    }
    dotted_end(chars, j + 1)
}

fn alnum_end(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() && chars[j].is_alphanumeric() {
        j += 1;
    }
    j
}

fn collect(chars: &[char]) -> String {
    chars.iter().collect::<String>().to_lowercase()
}

/// The lexemes of `text` in position order (duplicates kept: each is a position).
pub fn lexemes(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_alphanumeric() {
            // a signed integer: `-` then digits up to a word boundary
            if c == '-' {
                let end = alnum_end(&chars, i + 1);
                if end > i + 1
                    && chars[i + 1..end].iter().all(char::is_ascii_digit)
                    && chars.get(end) != Some(&'.')
                {
                    out.push(collect(&chars[i..end]));
                    i = end;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        if c.is_ascii()
            && let Some(end) = email_end(&chars, i).or_else(|| dotted_end(&chars, i))
        {
            out.push(collect(&chars[i..end]));
            i = end;
            continue;
        }
        // a word, or hyphenated words (parts with a letter; `x-2` is `x`, `-2`)
        let first_end = alnum_end(&chars, i);
        let mut parts = vec![(i, first_end)];
        let mut end = first_end;
        let first_numeric = chars[i..first_end].iter().all(|c| c.is_numeric());
        while !first_numeric && chars.get(end) == Some(&'-') {
            let next_end = alnum_end(&chars, end + 1);
            if next_end == end + 1 || chars[end + 1..next_end].iter().all(|c| c.is_numeric()) {
                break;
            }
            parts.push((end + 1, next_end));
            end = next_end;
        }
        if parts.len() > 1 {
            out.push(collect(&chars[i..end]));
        }
        for (s, e) in &parts {
            out.push(collect(&chars[*s..*e]));
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lx(s: &str) -> Vec<String> {
        lexemes(s)
    }

    /// Each pair as `to_tsvector('simple', …)` has it (PostgreSQL 15, positions in order).
    #[test]
    fn tokens_as_postgres_simple() {
        let cases: &[(&str, &[&str])] = &[
            (
                "John Smith-Jones",
                &["john", "smith-jones", "smith", "jones"],
            ),
            ("john_doe", &["john", "doe"]),
            ("mastodon.social", &["mastodon.social"]),
            ("Bob (bob@mastodon.social)", &["bob", "bob@mastodon.social"]),
            ("jean-luc.picard", &["jean-luc.picard"]),
            ("far.ex", &["far.ex"]),
            ("mastodon.", &["mastodon"]),
            ("v1.2.3 42 3.14", &["v1.2.3", "42", "3.14"]),
            ("Ünïcode ÄND", &["ünïcode", "änd"]),
            ("foo--bar", &["foo", "bar"]),
            ("über-straße", &["über-straße", "über", "straße"]),
            ("_x_", &["x"]),
            ("x2-y", &["x2-y", "x2", "y"]),
            ("snake_case-name", &["snake", "case-name", "case", "name"]),
            ("my-server.example", &["my-server.example"]),
            ("ann@far", &["ann", "far"]),
            ("ann@far.example", &["ann@far.example"]),
            ("ex.com:3000", &["ex.com:3000"]),
            ("🚀rocket", &["rocket"]),
            ("abc123 123abc", &["abc123", "123abc"]),
            ("hello.world!", &["hello.world"]),
            ("a-b-c", &["a-b-c", "a", "b", "c"]),
            ("co-op2", &["co-op2", "co", "op2"]),
            ("AT&T", &["at", "t"]),
            ("o'brien", &["o", "brien"]),
            ("e.g.", &["e.g"]),
            ("-dash", &["dash"]),
            ("trailing-", &["trailing"]),
            ("1-2", &["1", "-2"]),
            ("über.de", &["über", "de"]),
            ("a_b.com", &["a_b.com"]),
            ("foo.bar-baz", &["foo.bar", "baz"]),
            ("foo-bar.baz-qux", &["foo-bar.baz", "qux"]),
            ("user.name@host.com", &["user.name@host.com"]),
            ("a..b", &["a", "b"]),
            (".hidden", &["hidden"]),
            ("foo.-bar", &["foo", "bar"]),
            ("2-x", &["2", "x"]),
            ("x-2", &["x", "-2"]),
            ("a-b_c", &["a-b", "a", "b", "c"]),
            ("über.straße", &["über", "straße"]),
            ("John.Doe", &["john.doe"]),
            ("jo-hn.", &["jo-hn", "jo", "hn"]),
            ("a+b@c.de", &["a", "b@c.de"]),
            ("日本語 テスト", &["日本語", "テスト"]),
            ("x_1", &["x", "1"]),
            ("ab@cd@ef.gh", &["ab", "cd@ef.gh"]),
            ("foo.bar@", &["foo.bar"]),
            ("a-b-", &["a-b", "a", "b"]),
            ("  ", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(lx(text), *want, "{text}");
        }
    }

    #[test]
    fn query_terms_drop_disallowed_characters() {
        // `to_tsquery('simple', $$' john smith-jones ':*$$)` is
        // 'john':* <-> 'smith-jones':* <-> 'smith':* <-> 'jones':*
        assert_eq!(
            query_terms("john smith-jones"),
            ["john", "smith-jones", "smith", "jones"]
        );
        assert_eq!(query_terms("o'brien?"), ["o", "brien"]);
        assert_eq!(query_terms("ex.com:3000"), ["ex.com", "3000"]);
        assert_eq!(query_terms("‘quoted’ a\\b"), ["quoted", "a", "b"]);
        assert!(query_terms(" ' ? ").is_empty());
    }

    fn rank(display: &str, username: &str, domain: &str, q: &str) -> f64 {
        let domain = (!domain.is_empty()).then_some(domain);
        rank_cd(&document(display, username, domain), &query_terms(q))
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    /// By hand: S is the sum of the matching positions' weights (one-word queries) or, per
    /// phrase occurrence, n / Σ 1/weight; rank = S / (S + 1).
    #[test]
    fn rank_by_hand() {
        // one display-name position: S = 1
        assert!(close(rank("Zorro", "anna", "", "zor"), 0.5));
        // username only: S = 0.4
        assert!(close(rank("", "anna", "", "ann"), 0.4 / 1.4));
        // display name and username: S = 1.4
        assert!(close(rank("Anna", "anna", "", "ann"), 1.4 / 2.4));
        // domain only: S = 0.2
        assert!(close(rank("", "bob", "far.example", "far"), 0.2 / 1.2));
        // a phrase across display name (A) and username (B): S = 2 / (1 + 2.5)
        let s = 2.0 / 3.5;
        assert!(close(rank("John", "doe", "", "john doe"), s / (s + 1.0)));
        // not consecutive: no match
        assert_eq!(rank("x john y doe", "z", "", "john doe"), 0.0);
        // no lexemes in the query: no match
        assert_eq!(rank("Anna", "anna", "", "?"), 0.0);
        // the part after an underscore
        assert!(close(rank("", "john_doe", "", "doe"), 0.4 / 1.4));
    }

    /// `SELECT ts_rank_cd(setweight(to_tsvector('simple', d), 'A') ||
    /// setweight(to_tsvector('simple', u), 'B') || setweight(to_tsvector('simple', dom), 'C'),
    /// to_tsquery('simple', $$' q ':*$$), 32)` on PostgreSQL 15.
    #[test]
    fn rank_as_postgres() {
        let cases: &[(&str, &str, &str, &str, f64)] = &[
            ("Anna Anna", "anna", "", "anna", 0.7058823704719543),
            ("Anna", "anna", "", "ann", 0.5833333134651184),
            ("", "anna", "far.example", "ann", 0.2857142984867096),
            ("", "bob", "far.example", "far.ex", 0.1666666716337204),
            ("John Doe", "john_doe", "", "john doe", 0.5833333134651184),
            ("John", "doe", "", "john doe", 0.3636363744735718),
            ("John Smith-Jones", "jdoe", "", "smith", 0.6666666865348816),
            ("John Smith-Jones", "jdoe", "", "smith jones", 0.5),
            ("John Smith-Jones", "jdoe", "", "smith-jones", 0.5),
            ("John Smith-Jones", "jdoe", "", "john sm", 0.5),
            ("", "john_doe", "", "john d", 0.2857142984867096),
            (
                "",
                "anna",
                "mastodon.social",
                "anna mastodon",
                0.21052631735801697,
            ),
            ("anna anna anna", "x", "", "anna anna", 0.6666666865348816),
            (
                "Bob (bob@mastodon.social)",
                "bob",
                "",
                "bob",
                0.7058823704719543,
            ),
            ("x john y doe", "z", "", "john doe", 0.0),
        ];
        for (d, u, dom, q, want) in cases {
            let got = rank(d, u, dom, q);
            assert!(close(got, *want), "{d}|{u}|{dom}|{q}: {got} != {want}");
        }
    }

    #[test]
    fn boost_terms() {
        // no followers, never posted: (0 + log10 2 + 0) / 3
        assert!(close(boost(0, 0, None), 2.0_f64.log10() / 3.0));
        // 98 followers, following 9: (9.8 + 2 + 1) / 3
        assert!(close(boost(98, 9, Some(1)), 12.8 / 3.0));
        // negative counts clamp to 0
        assert!(close(boost(-5, -5, None), boost(0, 0, None)));
        // the decay itself: 1 within 30 days, 0.3 at 60
        assert!(close(recency_decay(0.0), 1.0));
        assert!(close(recency_decay(-30.0), 1.0));
        assert!(close(recency_decay(60.0), 0.3));
        assert_eq!(recency(None), 0.0);
        assert!(close(recency(Some(0)), 1.0));
    }
}
