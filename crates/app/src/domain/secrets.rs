//! Random secrets (tokens, codes, client secrets) and the SHA-256 digests we store instead.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// A 43-character url-safe token from 32 random bytes (as Doorkeeper's length).
pub fn random_token() -> Result<String, String> {
    random_token_len(32)
}

pub fn random_token_len(bytes: usize) -> Result<String, String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| e.to_string())?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// Hex SHA-256 of a secret: what the database holds.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Constant-time comparison of a presented secret with a stored digest.
pub fn matches_digest(secret: &str, stored_digest: &str) -> bool {
    use subtle::ConstantTimeEq;
    digest(secret)
        .as_bytes()
        .ct_eq(stored_digest.as_bytes())
        .into()
}

/// PKCE S256: base64url(sha256(verifier)) without padding.
pub fn pkce_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_example() {
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn tokens_are_random_and_digests_match() {
        let a = random_token().unwrap_or_default();
        let b = random_token().unwrap_or_default();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(matches_digest(&a, &digest(&a)));
        assert!(!matches_digest(&b, &digest(&a)));
    }
}
