//! Server-wide domain rules (upstream's `DomainBlock` / `DomainAllow` model logic): which
//! rule covers a domain, which of two blocks is stricter, and how a block is shown in public.
//! No I/O.

use sha2::{Digest, Sha256};

use super::domain_name::{self, DomainError};

/// A block's severity, stored as upstream's enum names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Silence,
    Suspend,
    Noop,
}

impl Severity {
    /// Upstream casts the enum from its names; anything else is refused.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "silence" => Some(Self::Silence),
            "suspend" => Some(Self::Suspend),
            "noop" => Some(Self::Noop),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Silence => "silence",
            Self::Suspend => "suspend",
            Self::Noop => "noop",
        }
    }
}

/// What a block does, for comparing two of them (`DomainBlock#stricter_than?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
}

impl Limits {
    /// Upstream's `stricter_than?`: a suspension is stricter than anything; otherwise no
    /// weaker severity and no policy of `other` left out.
    pub fn stricter_than(&self, other: &Limits) -> bool {
        if self.severity == Severity::Suspend {
            return true;
        }
        if other.severity == Severity::Suspend {
            return false;
        }
        if other.severity == Severity::Silence && self.severity == Severity::Noop {
            return false;
        }
        (self.reject_media || !other.reject_media) && (self.reject_reports || !other.reject_reports)
    }
}

/// A domain as a moderator types it: upstream's normalisation of the host, plus an optional
/// `:port` (Woolly's account domains carry a non-default port, so a rule may name one).
pub fn normalize(raw: Option<&str>) -> Result<String, DomainError> {
    let s = raw.map(str::trim).unwrap_or_default();
    if let Some((host, port)) = s.rsplit_once(':')
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        let port: u16 = port.parse().map_err(|_| DomainError::Invalid)?;
        let host = domain_name::normalize(Some(host))?;
        return Ok(format!("{host}:{port}"));
    }
    domain_name::normalize(raw)
}

/// Splits `host[:port]`.
fn split_port(domain: &str) -> (&str, Option<&str>) {
    match domain.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (domain, None),
    }
}

/// The rule domains that cover `domain` (upstream's `rule_for` variants): the domain and
/// each parent, each also with the domain's port when it has one, most specific first.
pub fn variants(domain: &str) -> Vec<String> {
    let lower = domain.trim().trim_end_matches('/').to_ascii_lowercase();
    let (host, port) = split_port(&lower);
    let labels: Vec<&str> = host.split('.').collect();
    let mut out = Vec::with_capacity(labels.len() * 2);
    for i in 0..labels.len() {
        let suffix = labels[i..].join(".");
        if suffix.is_empty() {
            continue;
        }
        if let Some(p) = port {
            out.push(format!("{suffix}:{p}"));
        }
        out.push(suffix);
    }
    out
}

/// True when a rule on `rule` applies to an account of `domain` (the domain itself or a
/// subdomain, with any port unless the rule names one).
pub fn covers(rule: &str, domain: &str) -> bool {
    variants(domain).iter().any(|v| v == rule)
}

/// SHA-256 of the domain, hex (`domain_digest`).
pub fn digest(domain: &str) -> String {
    hex::encode(Sha256::digest(domain.as_bytes()))
}

/// `public_domain` of an obfuscated block: the middle of the name starred, dots kept.
pub fn obfuscate(domain: &str) -> String {
    let chars: Vec<char> = domain.chars().collect();
    let length = chars.len();
    let visible = length / 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i > visible && i < length - visible && c != '.' {
                '*'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(severity: Severity, reject_media: bool) -> Limits {
        Limits {
            severity,
            reject_media,
            reject_reports: false,
        }
    }

    #[test]
    fn variants_cover_parents_and_ports() {
        assert_eq!(
            variants("a.b.example.com"),
            ["a.b.example.com", "b.example.com", "example.com", "com"]
        );
        assert_eq!(
            variants("x.example.com:8443"),
            [
                "x.example.com:8443",
                "x.example.com",
                "example.com:8443",
                "example.com",
                "com:8443",
                "com"
            ]
        );
        assert!(covers("example.com", "sub.example.com:8443"));
        assert!(covers("127.0.0.1:4000", "127.0.0.1:4000"));
        assert!(!covers("127.0.0.1:4000", "127.0.0.1:4001"));
        assert!(!covers("ample.com", "example.com"));
    }

    #[test]
    fn normalizes_with_a_port() {
        assert_eq!(
            normalize(Some(" Example.COM:8443")),
            Ok("example.com:8443".into())
        );
        assert_eq!(normalize(Some("example.com")), Ok("example.com".into()));
        assert_eq!(normalize(Some("x:99999")), Err(DomainError::Invalid));
        assert_eq!(normalize(Some("")), Err(DomainError::Blank));
    }

    #[test]
    fn stricter_as_upstream() {
        use Severity::*;
        assert!(limits(Suspend, false).stricter_than(&limits(Suspend, true)));
        assert!(!limits(Silence, true).stricter_than(&limits(Suspend, false)));
        assert!(!limits(Noop, true).stricter_than(&limits(Silence, false)));
        assert!(limits(Silence, false).stricter_than(&limits(Noop, false)));
        assert!(!limits(Silence, false).stricter_than(&limits(Silence, true)));
        assert!(limits(Silence, true).stricter_than(&limits(Silence, false)));
    }

    #[test]
    fn obfuscates_and_digests_as_upstream() {
        // 11 characters: a quarter (2) stays visible at each end, dots too
        assert_eq!(obfuscate("example.com"), "exa****.*om");
        assert_eq!(
            digest("example.com"),
            "a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947"
        );
    }
}
