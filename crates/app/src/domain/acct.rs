//! Usernames and `acct` handles.

/// Splits `user`, `@user`, `user@domain` or `@user@domain`; a domain equal to the local one
/// (case-insensitive) means a local account.
pub fn parse_acct<'a>(acct: &'a str, local_domain: &str) -> Option<(&'a str, Option<&'a str>)> {
    let acct = acct.trim();
    let acct = acct.strip_prefix('@').unwrap_or(acct);
    let (user, domain) = match acct.split_once('@') {
        Some((u, d)) => (u, Some(d)),
        None => (acct, None),
    };
    if user.is_empty() || domain.is_some_and(|d| d.is_empty() || d.contains('@')) {
        return None;
    }
    let domain =
        domain.filter(|d| !d.eq_ignore_ascii_case(local_domain) && !is_local_host(d, local_domain));
    Some((user, domain))
}

fn is_local_host(domain: &str, local_domain: &str) -> bool {
    // "localhost:3000" is also reached as "localhost"
    local_domain
        .split(':')
        .next()
        .is_some_and(|host| host.eq_ignore_ascii_case(domain))
        && local_domain.contains(':')
}

/// `username` (local) or `username@domain` (remote).
pub fn acct(username: &str, domain: Option<&str>) -> String {
    match domain {
        Some(d) => format!("{username}@{d}"),
        None => username.to_owned(),
    }
}

/// Upstream's local username grammar: `[a-z0-9_]+`, case-insensitive.
pub fn is_valid_local_username(username: &str) -> bool {
    !username.is_empty()
        && username
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Exact reserved names seeded upstream.
const RESERVED: &[&str] = &[
    "abuse",
    "account",
    "accounts",
    "admin",
    "administration",
    "administrator",
    "admins",
    "help",
    "helpdesk",
    "instance",
    "mod",
    "moderator",
    "moderators",
    "mods",
    "owner",
    "root",
    "security",
    "server",
    "staff",
    "support",
    "webmaster",
];

/// Whether a username is reserved: an exact seeded name, or a `mastodon…`/`woolly…` name after
/// lower-casing and mapping the homoglyphs upstream maps.
pub fn is_reserved(username: &str) -> bool {
    let normalised: String = username
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '1' => 'i',
            '2' => 'z',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '8' => 'b',
            '9' => 'g',
            '0' => 'o',
            other => other,
        })
        .collect();
    RESERVED.contains(&username.to_lowercase().as_str())
        || RESERVED.contains(&normalised.as_str())
        || normalised.starts_with("mastodon")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_handles() {
        assert_eq!(parse_acct("@alice", "ex.com"), Some(("alice", None)));
        assert_eq!(parse_acct("alice@EX.com", "ex.com"), Some(("alice", None)));
        assert_eq!(
            parse_acct("bob@other.org", "ex.com"),
            Some(("bob", Some("other.org")))
        );
        assert_eq!(parse_acct("", "ex.com"), None);
        assert_eq!(parse_acct("a@", "ex.com"), None);
        assert_eq!(acct("bob", Some("other.org")), "bob@other.org");
    }

    #[test]
    fn reserved_names() {
        assert!(is_reserved("Admin"));
        assert!(is_reserved("r00t"));
        assert!(is_reserved("mastodon_fan"));
        assert!(!is_reserved("alice"));
        assert!(is_valid_local_username("a_1"));
        assert!(!is_valid_local_username("a-1"));
    }
}
