//! The signature of an inbound request, whichever scheme it uses: RFC 9421 when a
//! `Signature-Input` header is present (as upstream decides), draft-cavage otherwise.

use std::time::SystemTime;

use crate::keys::VerifyingKey;
use crate::message_signature::{self, MessageSignature};
use crate::signature::{self, Request, SignatureError, SignatureHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundSignature {
    Cavage(SignatureHeader),
    Rfc9421(MessageSignature),
}

impl InboundSignature {
    /// Reads the signature from `headers` (lowercase names); `Missing` when unsigned.
    pub fn from_headers(headers: &[(String, String)]) -> Result<Self, SignatureError> {
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let sig = get("signature").ok_or(SignatureError::Missing)?;
        match get("signature-input") {
            Some(input) => message_signature::parse(input, sig).map(Self::Rfc9421),
            None => signature::parse(sig).map(Self::Cavage),
        }
    }

    /// The key the signature names (`keyId` / `keyid`).
    pub fn key_id(&self) -> &str {
        match self {
            Self::Cavage(s) => &s.key_id,
            Self::Rfc9421(s) => s.key_id(),
        }
    }

    /// Verifies with `key` at `now`; `scheme` is the server's public scheme (RFC 9421's
    /// `@target-uri` covers it).
    pub fn verify(
        &self,
        req: &Request<'_>,
        scheme: &str,
        key: &VerifyingKey,
        now: SystemTime,
    ) -> Result<(), SignatureError> {
        match self {
            Self::Cavage(s) => signature::verify(s, req, key, now),
            Self::Rfc9421(s) => message_signature::verify(s, req, scheme, key, now),
        }
    }
}
