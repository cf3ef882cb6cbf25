//! Domain names users type (a user's domain blocks): normalised and validated as upstream's
//! `DomainNormalizable` + `DomainValidator` do.

/// Why a typed domain was refused; the text is upstream's validation message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainError {
    Blank,
    Invalid,
}

impl DomainError {
    /// Upstream's `errors.full_messages` for the `domain` attribute.
    pub fn message(self) -> &'static str {
        match self {
            Self::Blank => "Validation failed: Domain can't be blank",
            Self::Invalid => "Validation failed: Domain is invalid",
        }
    }
}

/// Upstream's `DomainValidator::MAX_DOMAIN_LENGTH` (the normalised host must be shorter).
const MAX_DOMAIN_LENGTH: usize = 256;
const MAX_LABEL_LENGTH: usize = 63;

/// Characters Addressable refuses in a host (`Invalid character in host`).
fn forbidden(c: char) -> bool {
    matches!(
        c,
        '<' | '>' | '{' | '}' | '/' | '\\' | '?' | '#' | '@' | '"'
    ) || c.is_whitespace()
}

/// Strips, drops one trailing `/`, lowercases and converts to ASCII (IDNA), drops a single
/// trailing dot; then each label must be 1–63 of `[a-z0-9-]` and the whole under 256.
pub fn normalize(raw: Option<&str>) -> Result<String, DomainError> {
    let s = raw.map(str::trim).unwrap_or_default();
    let s = s.strip_suffix('/').unwrap_or(s);
    if s.is_empty() {
        return Err(DomainError::Blank);
    }
    if s.chars().any(forbidden) {
        return Err(DomainError::Invalid);
    }
    let host = match url::Host::parse(s) {
        Ok(url::Host::Domain(d)) => d,
        Ok(url::Host::Ipv4(ip)) => ip.to_string(),
        Ok(url::Host::Ipv6(_)) | Err(_) => return Err(DomainError::Invalid),
    };
    let host = match host.strip_suffix('.') {
        Some(rest) if !rest.ends_with('.') => rest.to_owned(),
        _ => host,
    };
    let labels_ok = host.split('.').all(|l| {
        (1..=MAX_LABEL_LENGTH).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if host.len() < MAX_DOMAIN_LENGTH && labels_ok {
        Ok(host)
    } else {
        Err(DomainError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_as_upstream() {
        assert_eq!(normalize(Some(" Example.COM/ ")), Ok("example.com".into()));
        assert_eq!(normalize(Some("example.com.")), Ok("example.com".into()));
        assert_eq!(
            normalize(Some("Bücher.example")),
            Ok("xn--bcher-kva.example".into())
        );
        assert_eq!(normalize(Some("")), Err(DomainError::Blank));
        assert_eq!(normalize(Some("  ")), Err(DomainError::Blank));
        assert_eq!(normalize(None), Err(DomainError::Blank));
        for bad in [
            "https://example.com",
            "a b.com",
            "under_score.com",
            "a..b",
            "x:80",
            "@x.com",
        ] {
            assert_eq!(normalize(Some(bad)), Err(DomainError::Invalid), "{bad}");
        }
        let long = format!("{}.com", "a".repeat(64));
        assert_eq!(normalize(Some(&long)), Err(DomainError::Invalid));
    }
}
