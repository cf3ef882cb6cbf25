//! Body digests: the `Digest` header (RFC 3230, `SHA-256=<base64>`) every fediverse server
//! sends, and `Content-Digest` (RFC 9530, `sha-256=:<base64>:`) of newer ones.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::sha2::{Digest, Sha256, Sha512};

/// The `Digest` header value for `body`.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)))
}

/// Does a `Digest` (`SHA-256=…, SHA-512=…`) or `Content-Digest` (`sha-256=:…:`) value match
/// `body`? Every SHA-256/512 entry present must match, and at least one must be present
/// (other algorithms are ignored, as upstream ignores them).
pub fn matches(value: &str, body: &[u8]) -> bool {
    let mut checked = false;
    for entry in value.split(',') {
        let Some((algorithm, encoded)) = entry.trim().split_once('=') else {
            return false;
        };
        let encoded = encoded.trim().trim_matches(':');
        let expected = match algorithm.trim().to_ascii_lowercase().as_str() {
            "sha-256" => Sha256::digest(body).to_vec(),
            "sha-512" => Sha512::digest(body).to_vec(),
            _ => continue,
        };
        match STANDARD.decode(encoded) {
            Ok(got) if got == expected => checked = true,
            _ => return false,
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_as_upstream() {
        // upstream's signature_verification_spec: digest_value('Hello world')
        assert_eq!(
            digest_header(b"Hello world"),
            "SHA-256=ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
        assert!(matches(&digest_header(b"Hello world"), b"Hello world"));
        assert!(matches(
            "sha-256=:ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=:",
            b"Hello world"
        ));
        assert!(!matches(&digest_header(b"Hello world"), b"Hello world!"));
        assert!(!matches("MD5=abc", b"x"), "no usable algorithm");
        assert!(!matches("garbage", b"x"));
        assert!(!matches(
            "SHA-256=ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=, SHA-512=AAAA",
            b"Hello world"
        ));
    }
}
