//! RSA key pairs: made for local actors (2048 bits, as upstream), read from remote actors'
//! `publicKeyPem` (SPKI, or the PKCS#1 `RSA PUBLIC KEY` some servers still publish).

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::sha2::Sha256;

/// Upstream's key size for accounts.
pub const KEY_BITS: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key generation failed: {0}")]
    Generate(String),
    #[error("not an RSA key in PEM: {0}")]
    Parse(String),
    #[error("signing failed: {0}")]
    Sign(String),
    #[error("signature does not verify")]
    BadSignature,
}

/// A freshly made key pair, both halves PEM-encoded (PKCS#8 private, SPKI public).
pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

impl std::fmt::Debug for KeyPair {
    // The private half never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public_pem", &self.public_pem)
            .finish_non_exhaustive()
    }
}

/// Makes a 2048-bit key pair from the operating system's RNG. CPU-heavy (tens to hundreds
/// of milliseconds): call it from a blocking thread.
pub fn generate() -> Result<KeyPair, KeyError> {
    let mut rng = getrandom04::SysRng;
    let key =
        rsa::PrivateKey::new(&mut rng, KEY_BITS).map_err(|e| KeyError::Generate(e.to_string()))?;
    let private_pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| KeyError::Generate(e.to_string()))?
        .to_string();
    let public_pem = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| KeyError::Generate(e.to_string()))?;
    Ok(KeyPair {
        private_pem,
        public_pem,
    })
}

/// A private key that signs (rsa-sha256, PKCS#1 v1.5).
pub struct SigningKey(rsa::PrivateKey);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

impl SigningKey {
    /// Reads PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`, upstream's format) PEM.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let pem = pem.trim();
        rsa::PrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| rsa::PrivateKey::from_pkcs1_pem(pem))
            .map(Self)
            .map_err(|e| KeyError::Parse(e.to_string()))
    }

    /// The rsa-sha256 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        self.0
            .pkcs1v15_sign::<Sha256>(message)
            .map_err(|e| KeyError::Sign(e.to_string()))
    }

    /// The public half as SPKI PEM (what the actor document publishes).
    pub fn public_pem(&self) -> Result<String, KeyError> {
        self.0
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| KeyError::Parse(e.to_string()))
    }
}

/// A public key that verifies rsa-sha256 signatures.
#[derive(Debug, Clone)]
pub struct VerifyingKey(rsa::PublicKey);

impl VerifyingKey {
    /// Reads SPKI (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`) PEM; surrounding whitespace
    /// and blank lines (Akkoma adds one) are ignored.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let pem = pem.trim();
        rsa::PublicKey::from_public_key_pem(pem)
            .or_else(|_| rsa::PublicKey::from_pkcs1_pem(pem))
            .map(Self)
            .map_err(|e| KeyError::Parse(e.to_string()))
    }

    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), KeyError> {
        self.0
            .pkcs1v15_verify::<Sha256>(message, signature)
            .map_err(|_| KeyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_sign_and_verify() {
        let pair = generate().unwrap();
        assert!(pair.private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(pair.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(!format!("{pair:?}").contains("PRIVATE"));
        let signer = SigningKey::from_pem(&pair.private_pem).unwrap();
        assert_eq!(signer.public_pem().unwrap(), pair.public_pem);
        let verifier = VerifyingKey::from_pem(&pair.public_pem).unwrap();
        let sig = signer.sign(b"hello").unwrap();
        assert!(verifier.verify(b"hello", &sig).is_ok());
        assert!(verifier.verify(b"hullo", &sig).is_err());
        assert!(VerifyingKey::from_pem("not a key").is_err());
    }
}
