//! OAuth scopes as Mastodon lists them. Endpoints name the scopes they accept; a token passes
//! if it holds any one of them (no implicit hierarchy, as upstream).

/// `scopes_supported`: the default scope first, then the optional ones.
pub const SUPPORTED: &[&str] = &[
    "read",
    "profile",
    "write",
    "follow",
    "push",
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
    "admin:read",
    "admin:read:accounts",
    "admin:read:reports",
    "admin:read:domain_allows",
    "admin:read:domain_blocks",
    "admin:read:ip_blocks",
    "admin:read:email_domain_blocks",
    "admin:read:canonical_email_blocks",
    "admin:write",
    "admin:write:accounts",
    "admin:write:reports",
    "admin:write:domain_allows",
    "admin:write:domain_blocks",
    "admin:write:ip_blocks",
    "admin:write:email_domain_blocks",
    "admin:write:canonical_email_blocks",
];

pub const DEFAULT: &str = "read";

pub fn is_supported(scope: &str) -> bool {
    SUPPORTED.contains(&scope)
}

/// A set of scopes, kept in the order given with duplicates removed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Splits a space-separated string; duplicates collapse.
    pub fn parse(s: &str) -> Self {
        let mut out: Vec<String> = Vec::new();
        for part in s.split_whitespace() {
            if !out.iter().any(|p| p == part) {
                out.push(part.to_owned());
            }
        }
        Self(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first scope outside the server's list, if any.
    pub fn first_unsupported(&self) -> Option<&str> {
        self.0.iter().map(String::as_str).find(|s| !is_supported(s))
    }

    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }

    pub fn any_of(&self, accepted: &[&str]) -> bool {
        accepted.iter().any(|a| self.contains(a))
    }

    /// Every scope here is also in `other`.
    pub fn is_subset_of(&self, other: &Scopes) -> bool {
        self.0.iter().all(|s| other.contains(s))
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.0.clone()
    }
}

impl std::fmt::Display for Scopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_dedups() {
        let s = Scopes::parse(" read  write read ");
        assert_eq!(s.to_string(), "read write");
        assert!(s.any_of(&["write", "write:accounts"]));
        assert!(!s.any_of(&["read:accounts"]));
        assert_eq!(
            Scopes::parse("read bogus").first_unsupported(),
            Some("bogus")
        );
        assert!(Scopes::parse("read").is_subset_of(&Scopes::parse("read write")));
    }
}
