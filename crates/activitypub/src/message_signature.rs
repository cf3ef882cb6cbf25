//! RFC 9421 HTTP Message Signatures, inbound: `Signature-Input` + `Signature`, as Mastodon
//! (4.4+, through Linzer), Mitra and Misskey's newer code send them. Verification follows
//! upstream's `SignedRequest::HttpMessageSignature`: `keyid` and `created` parameters
//! required, `@method` and `@target-uri` covered, `content-digest` covered on POST and
//! matching the body (SHA-256), the same time window as draft-cavage (`created`/`expires`),
//! and an RSA PKCS#1 v1.5 SHA-256 signature (`rsa-v1_5-sha256`, the algorithm of every actor
//! key Woolly reads; other `alg` values are refused).
//!
//! Only the first signature of the headers is read (servers send one, labelled `sig1`), and
//! only plain components: derived ones (`@method`, `@target-uri`, `@authority`, `@scheme`,
//! `@path`, `@query`, `@request-target`) and header fields without parameters.

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::sha2::Digest;

use crate::digest;
use crate::keys::VerifyingKey;
use crate::signature::{Request, SignatureError, check_window};

/// A parameter value of `Signature-Input` (RFC 8941 bare items that occur there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Str(String),
    Int(i64),
    Token(String),
    Bool(bool),
}

/// One parsed message signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSignature {
    pub label: String,
    /// Covered component identifiers, in order.
    pub components: Vec<String>,
    /// Signature parameters, in order (`keyid`, `created`, `expires`, `alg`, `nonce`, …).
    pub params: Vec<(String, Param)>,
    pub signature: Vec<u8>,
}

impl MessageSignature {
    fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn int(&self, name: &str) -> Option<i64> {
        match self.param(name) {
            Some(Param::Int(i)) => Some(*i),
            _ => None,
        }
    }

    fn string(&self, name: &str) -> Option<&str> {
        match self.param(name) {
            Some(Param::Str(s) | Param::Token(s)) => Some(s),
            _ => None,
        }
    }

    /// The `keyid` parameter (the actor's key URI).
    pub fn key_id(&self) -> &str {
        self.string("keyid").unwrap_or_default()
    }

    fn covers(&self, component: &str) -> bool {
        self.components.iter().any(|c| c == component)
    }

    /// The `@signature-params` line: the inner list serialized as RFC 8941 does.
    pub fn signature_params(&self) -> String {
        let mut out = String::from("(");
        let items: Vec<String> = self.components.iter().map(|c| quote(c)).collect();
        out.push_str(&items.join(" "));
        out.push(')');
        for (name, value) in &self.params {
            out.push(';');
            out.push_str(name);
            match value {
                Param::Bool(true) => {}
                Param::Bool(false) => out.push_str("=?0"),
                Param::Int(i) => {
                    out.push('=');
                    out.push_str(&i.to_string());
                }
                Param::Str(s) => {
                    out.push('=');
                    out.push_str(&quote(s));
                }
                Param::Token(t) => {
                    out.push('=');
                    out.push_str(t);
                }
            }
        }
        out
    }
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn malformed(why: &str) -> SignatureError {
    SignatureError::Malformed(why.to_owned())
}

/// A small RFC 8941 reader for the shapes these two headers take.
struct Reader<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(s: &'a str) -> Self {
        Self {
            s: s.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn key(&mut self) -> Result<String, SignatureError> {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || b"_-.*".contains(&c) {
                self.at += 1;
            } else {
                break;
            }
        }
        if self.at == start {
            return Err(malformed("expected a key"));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.at]).into_owned())
    }

    fn string(&mut self) -> Result<String, SignatureError> {
        if !self.eat(b'"') {
            return Err(malformed("expected a string"));
        }
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(malformed("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return String::from_utf8(out).map_err(|_| malformed("bad string"));
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => {
                            out.push(c);
                            self.at += 1;
                        }
                        _ => return Err(malformed("bad escape")),
                    }
                }
                Some(c) if (0x20..0x7f).contains(&c) => {
                    out.push(c);
                    self.at += 1;
                }
                Some(_) => return Err(malformed("bad character in string")),
            }
        }
    }

    fn bare_item(&mut self) -> Result<Param, SignatureError> {
        match self.peek() {
            Some(b'"') => self.string().map(Param::Str),
            Some(b'?') => {
                self.at += 1;
                match self.peek() {
                    Some(b'1') => {
                        self.at += 1;
                        Ok(Param::Bool(true))
                    }
                    Some(b'0') => {
                        self.at += 1;
                        Ok(Param::Bool(false))
                    }
                    _ => Err(malformed("bad boolean")),
                }
            }
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                let start = self.at;
                self.at += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.at += 1;
                }
                std::str::from_utf8(&self.s[start..self.at])
                    .ok()
                    .and_then(|t| t.parse().ok())
                    .map(Param::Int)
                    .ok_or_else(|| malformed("bad integer"))
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'*' => {
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || b":/!#$%&'*+-.^_`|~".contains(&c))
                {
                    self.at += 1;
                }
                Ok(Param::Token(
                    String::from_utf8_lossy(&self.s[start..self.at]).into_owned(),
                ))
            }
            _ => Err(malformed("unsupported parameter value")),
        }
    }

    fn params(&mut self) -> Result<Vec<(String, Param)>, SignatureError> {
        let mut out = Vec::new();
        while self.eat(b';') {
            self.skip_ws();
            let name = self.key()?;
            let value = if self.eat(b'=') {
                self.bare_item()?
            } else {
                Param::Bool(true)
            };
            out.push((name, value));
        }
        Ok(out)
    }

    fn byte_seq(&mut self) -> Result<Vec<u8>, SignatureError> {
        if !self.eat(b':') {
            return Err(malformed("expected a byte sequence"));
        }
        let start = self.at;
        while self.peek().is_some_and(|c| c != b':') {
            self.at += 1;
        }
        let encoded = std::str::from_utf8(&self.s[start..self.at]).unwrap_or_default();
        if !self.eat(b':') {
            return Err(malformed("unterminated byte sequence"));
        }
        STANDARD
            .decode(encoded)
            .map_err(|_| malformed("signature is not base64"))
    }

    /// Moves past the comma that ends a dictionary member; false at the end.
    fn next_member(&mut self) -> Result<bool, SignatureError> {
        self.skip_ws();
        if self.peek().is_none() {
            return Ok(false);
        }
        if !self.eat(b',') {
            return Err(malformed("expected a comma"));
        }
        self.skip_ws();
        Ok(true)
    }
}

/// Skips one dictionary member's value (of a label we do not read).
fn skip_value(r: &mut Reader<'_>) -> Result<(), SignatureError> {
    if r.eat(b'(') {
        loop {
            r.skip_ws();
            if r.eat(b')') {
                break;
            }
            r.bare_item()?;
            r.params()?;
        }
    } else if r.peek() == Some(b':') {
        r.byte_seq()?;
    } else {
        r.bare_item()?;
    }
    r.params()?;
    Ok(())
}

/// Reads the first signature of `Signature-Input` and its value in `Signature`.
pub fn parse(signature_input: &str, signature: &str) -> Result<MessageSignature, SignatureError> {
    let mut r = Reader::new(signature_input.trim());
    let label = r.key()?;
    if !r.eat(b'=') || !r.eat(b'(') {
        return Err(malformed("expected label=(components)"));
    }
    let mut components = Vec::new();
    loop {
        r.skip_ws();
        if r.eat(b')') {
            break;
        }
        let name = r.string()?;
        if r.peek() == Some(b';') {
            return Err(malformed("component parameters are not supported"));
        }
        if name != name.to_ascii_lowercase() {
            return Err(malformed("component names are lowercase"));
        }
        components.push(name);
    }
    let params = r.params()?;

    let mut r = Reader::new(signature.trim());
    let bytes = loop {
        let name = r.key()?;
        if !r.eat(b'=') {
            return Err(malformed("expected label=:signature:"));
        }
        if name == label {
            let bytes = r.byte_seq()?;
            r.params()?;
            break bytes;
        }
        skip_value(&mut r)?;
        if !r.next_member()? {
            return Err(malformed("no signature for the label"));
        }
    };
    Ok(MessageSignature {
        label,
        components,
        params,
        signature: bytes,
    })
}

/// The value of one covered component of `req`; `scheme` is the scheme the request was
/// made with (the server's public one: a TLS-terminating proxy hides it).
fn component(name: &str, req: &Request<'_>, scheme: &str) -> Result<String, SignatureError> {
    let query = req.query.map(|q| format!("?{q}")).unwrap_or_default();
    let authority = || {
        req.header("host")
            .map(|h| h.to_ascii_lowercase())
            .ok_or_else(|| malformed("no host"))
    };
    Ok(match name {
        "@method" => req.method.to_ascii_uppercase(),
        "@target-uri" => format!("{scheme}://{}{}{query}", authority()?, req.path),
        "@authority" => authority()?,
        "@scheme" => scheme.to_ascii_lowercase(),
        "@path" => req.path.to_owned(),
        "@query" => {
            if query.is_empty() {
                "?".to_owned()
            } else {
                query
            }
        }
        "@request-target" => format!("{}{query}", req.path),
        derived if derived.starts_with('@') => {
            return Err(malformed(&format!("unsupported component {derived}")));
        }
        header => req
            .header(header)
            .ok_or_else(|| malformed(&format!("signed header {header} is missing")))?,
    })
}

/// The signature base (RFC 9421 §2.5) of `req` for `sig`.
pub fn signature_base(
    sig: &MessageSignature,
    req: &Request<'_>,
    scheme: &str,
) -> Result<String, SignatureError> {
    let mut lines = Vec::with_capacity(sig.components.len() + 1);
    for name in &sig.components {
        lines.push(format!("\"{name}\": {}", component(name, req, scheme)?));
    }
    lines.push(format!("\"@signature-params\": {}", sig.signature_params()));
    Ok(lines.join("\n"))
}

/// Verifies `sig` over `req` with `key` at `now`, with upstream's requirements.
pub fn verify(
    sig: &MessageSignature,
    req: &Request<'_>,
    scheme: &str,
    key: &VerifyingKey,
    now: SystemTime,
) -> Result<(), SignatureError> {
    if sig.string("keyid").is_none_or(str::is_empty) {
        return Err(malformed("keyid is required"));
    }
    let created = sig.int("created").ok_or(SignatureError::Unsigned(
        "Mastodon requires the (created) parameter to be signed",
    ))?;
    if let Some(alg) = sig.string("alg")
        && alg != "rsa-v1_5-sha256"
    {
        return Err(SignatureError::Algorithm(alg.to_owned()));
    }
    if !sig.covers("@method") || !sig.covers("@target-uri") {
        return Err(SignatureError::Unsigned(
            "Mastodon requires the @method and @target-uri derived components to be signed",
        ));
    }
    if req.method.eq_ignore_ascii_case("POST") && !sig.covers("content-digest") {
        return Err(SignatureError::Unsigned(
            "Mastodon requires the Content-Digest header to be signed when doing a POST request",
        ));
    }
    check_window(created, sig.int("expires"), now)?;
    if sig.covers("content-digest") {
        let value = req
            .header("content-digest")
            .ok_or(SignatureError::BadDigest)?;
        if !value.to_ascii_lowercase().contains("sha-256=") || !digest::matches(&value, req.body) {
            return Err(SignatureError::BadDigest);
        }
    }
    let base = signature_base(sig, req, scheme)?;
    key.verify(base.as_bytes(), &sig.signature)
        .map_err(|_| SignatureError::Invalid)
}

/// Headers of an RFC 9421 signed request, as Mitra and Mastodon send them: `Content-Digest`
/// (with a body), `Signature-Input` over `@method`, `@target-uri` (and `content-digest`) with
/// `keyid` and `created`, and `Signature`. Woolly signs its own requests with draft-cavage
/// (what every server accepts); this serves tests and a later switch.
pub fn sign(
    method: &str,
    url: &url::Url,
    body: Option<&[u8]>,
    key_id: &str,
    key: &crate::keys::SigningKey,
    now: SystemTime,
) -> Result<Vec<(&'static str, String)>, SignatureError> {
    let created = now
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let mut components = vec!["@method".to_owned(), "@target-uri".to_owned()];
    let mut base = vec![
        format!("\"@method\": {}", method.to_ascii_uppercase()),
        format!("\"@target-uri\": {url}"),
    ];
    let mut headers = Vec::new();
    if let Some(body) = body {
        let sha = rsa::sha2::Sha256::digest(body);
        let value = format!("sha-256=:{}:", STANDARD.encode(sha));
        components.push("content-digest".into());
        base.push(format!("\"content-digest\": {value}"));
        headers.push(("content-digest", value));
    }
    let sig = MessageSignature {
        label: "sig1".into(),
        components,
        params: vec![
            ("keyid".into(), Param::Str(key_id.to_owned())),
            ("created".into(), Param::Int(created)),
        ],
        signature: Vec::new(),
    };
    let params = sig.signature_params();
    base.push(format!("\"@signature-params\": {params}"));
    let signature = key.sign(base.join("\n").as_bytes())?;
    headers.push(("signature-input", format!("sig1={params}")));
    headers.push((
        "signature",
        format!("sig1=:{}:", STANDARD.encode(signature)),
    ));
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_input_round_trips() {
        let input = r#"sig1=("@method" "@target-uri" "content-digest");keyid="https://a.example/u#main-key";created=1703066400"#;
        let sig = parse(input, "sig1=:AAAA:").unwrap();
        assert_eq!(sig.label, "sig1");
        assert_eq!(sig.components, ["@method", "@target-uri", "content-digest"]);
        assert_eq!(sig.key_id(), "https://a.example/u#main-key");
        assert_eq!(
            format!("sig1={}", sig.signature_params()),
            input,
            "the params line is the input's member"
        );
        assert_eq!(sig.signature, [0, 0, 0]);
        // several signatures: the first label's value is found among others
        let sig = parse(
            r#"sig1=("@method");created=1;keyid="k", sig2=("@path");created=2"#,
            "sig2=:AQID:, sig1=:AAAA:",
        )
        .unwrap();
        assert_eq!(sig.signature, [0, 0, 0]);
    }

    #[test]
    fn what_we_sign_verifies() {
        let pair = crate::keys::generate().unwrap();
        let key = crate::keys::SigningKey::from_pem(&pair.private_pem).unwrap();
        let public = VerifyingKey::from_pem(&pair.public_pem).unwrap();
        let url = url::Url::parse("https://b.example/inbox?x=1").unwrap();
        let now = SystemTime::now();
        let headers = sign(
            "POST",
            &url,
            Some(b"{}"),
            "https://a.example/u#main-key",
            &key,
            now,
        )
        .unwrap();
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect();
        all.push(("host".into(), "b.example".into()));
        let get = |n: &str| {
            all.iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let sig = parse(&get("signature-input"), &get("signature")).unwrap();
        let req = Request {
            method: "POST",
            path: "/inbox",
            query: Some("x=1"),
            headers: all.clone(),
            body: b"{}",
        };
        assert_eq!(verify(&sig, &req, "https", &public, now), Ok(()));
        let other = Request { body: b"[]", ..req };
        assert_eq!(
            verify(&sig, &other, "https", &public, now),
            Err(SignatureError::BadDigest)
        );
    }

    #[test]
    fn malformed_inputs_are_refused() {
        for (input, signature) in [
            ("", "sig1=:AAAA:"),
            ("sig1", "sig1=:AAAA:"),
            ("sig1=(\"@method\"", "sig1=:AAAA:"),
            ("sig1=(\"@Method\");keyid=\"k\"", "sig1=:AAAA:"),
            ("sig1=(\"@method\";req);keyid=\"k\"", "sig1=:AAAA:"),
            ("sig1=(\"@method\");keyid=\"k\"", "sig2=:AAAA:"),
            ("sig1=(\"@method\");keyid=\"k\"", "sig1=:%%%:"),
            ("sig1=(\"@method\");keyid=\"k", "sig1=:AAAA:"),
        ] {
            assert!(parse(input, signature).is_err(), "{input} / {signature}");
        }
    }
}
