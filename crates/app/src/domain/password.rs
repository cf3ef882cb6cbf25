//! Password hashing: argon2id for new hashes; bcrypt hashes imported from Mastodon verify and
//! are then rehashed. CPU-heavy: callers run these on `spawn_blocking`.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Outcome of a verification.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, and the stored hash should be replaced by this argon2id one.
    YesRehash(String),
}

pub fn hash(password: &str) -> Result<String, String> {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify(password: &str, stored: &str) -> Verified {
    if stored.starts_with("$2a$") || stored.starts_with("$2b$") || stored.starts_with("$2y$") {
        return match bcrypt::verify(password, stored) {
            Ok(true) => match hash(password) {
                Ok(new_hash) => Verified::YesRehash(new_hash),
                Err(_) => Verified::Yes,
            },
            _ => Verified::No,
        };
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verified::No;
    };
    if Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
    {
        Verified::Yes
    } else {
        Verified::No
    }
}

/// The hash of a random password with the parameters of [`hash`], made once on first use.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        super::secrets::random_token()
            .and_then(|pw| hash(&pw))
            .unwrap_or_default()
    })
}

/// [`verify`] against `stored`; when there is no stored hash (no such user, or no password),
/// against the dummy hash, and then always `No`. Both cost one hash verification, so timing
/// does not tell which e-mail addresses are registered.
pub fn verify_or_dummy(password: &str, stored: Option<&str>) -> Verified {
    verify_or_dummy_with(password, stored, verify)
}

fn verify_or_dummy_with(
    password: &str,
    stored: Option<&str>,
    verify: impl Fn(&str, &str) -> Verified,
) -> Verified {
    match stored.filter(|s| !s.is_empty()) {
        Some(stored) => verify(password, stored),
        None => {
            let _ = verify(password, dummy_hash());
            Verified::No
        }
    }
}

/// A generated password for accounts the operator creates: 32 url-safe characters.
pub fn generate() -> Result<String, String> {
    super::secrets::random_token_len(24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2_roundtrip() {
        let h = hash("correct horse").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert_eq!(verify("correct horse", &h), Verified::Yes);
        assert_eq!(verify("wrong", &h), Verified::No);
        assert_eq!(verify("x", "garbage"), Verified::No);
    }

    #[test]
    fn no_stored_hash_verifies_against_the_dummy() {
        use std::cell::RefCell;
        let seen = RefCell::new(Vec::new());
        let record = |_: &str, stored: &str| {
            seen.borrow_mut().push(stored.to_owned());
            Verified::Yes
        };
        assert_eq!(verify_or_dummy_with("pw", None, record), Verified::No);
        assert_eq!(verify_or_dummy_with("pw", Some(""), record), Verified::No);
        assert_eq!(
            verify_or_dummy_with("pw", Some("$h"), record),
            Verified::Yes
        );
        let seen = seen.into_inner();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0], dummy_hash());
        assert_eq!(seen[1], dummy_hash());
        // the dummy costs what a real hash costs: same algorithm and parameters
        let real = hash("x").unwrap_or_default();
        let params = |h: &str| h.split('$').take(4).collect::<Vec<_>>().join("$");
        assert!(real.starts_with("$argon2id$"));
        assert_eq!(params(dummy_hash()), params(&real));
        assert_eq!(verify_or_dummy("x", None), Verified::No);
    }

    #[test]
    fn bcrypt_verifies_and_asks_for_rehash() {
        let legacy = bcrypt::hash("hunter22", 4).unwrap_or_default();
        match verify("hunter22", &legacy) {
            Verified::YesRehash(h) => assert!(h.starts_with("$argon2id$")),
            other => panic!("expected rehash, got {other:?}"),
        }
        assert_eq!(verify("nope", &legacy), Verified::No);
    }
}
