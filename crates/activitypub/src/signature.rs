//! HTTP signatures as the fediverse uses them (draft-cavage-http-signatures-12, rsa-sha256),
//! with upstream Mastodon's rules for what must be signed and when a signature is too old.
//! The RSA mechanics are the `rsa` crate's; this file builds and parses the header and the
//! signing string, which no permissively licensed crate covers for draft-cavage.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use url::Url;

use crate::digest;
use crate::keys::{KeyError, SigningKey, VerifyingKey};

/// A signature's `created` (or `Date`) may lie this far in the future (upstream's margin).
pub const CLOCK_SKEW: Duration = Duration::from_secs(3600);
/// Without `expires`, a signature is good this long after `created` (plus the skew margin).
pub const DEFAULT_VALIDITY: Duration = Duration::from_secs(300);
/// No signature is good longer than this after `created`, whatever its `expires`.
pub const MAX_VALIDITY: Duration = Duration::from_secs(12 * 3600);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("Request not signed")]
    Missing,
    #[error("Incompatible request signature: {0}")]
    Malformed(String),
    #[error("Unsupported signature algorithm: {0}")]
    Algorithm(String),
    #[error("{0}")]
    Unsigned(&'static str),
    #[error("Invalid Date header: {0}")]
    BadDate(String),
    #[error("Signed request date outside acceptable time window")]
    Expired,
    #[error("Invalid Digest value")]
    BadDigest,
    #[error("Verification failed")]
    Invalid,
    #[error("{0}")]
    Key(String),
}

impl From<KeyError> for SignatureError {
    fn from(e: KeyError) -> Self {
        Self::Key(e.to_string())
    }
}

/// A parsed `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    pub key_id: String,
    pub algorithm: Option<String>,
    /// Lower-cased names, in signing order; `date` when the header named none.
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
}

/// Parses `keyId="…",algorithm="…",headers="…",signature="…"`.
pub fn parse(value: &str) -> Result<SignatureHeader, SignatureError> {
    let mut key_id = None;
    let mut algorithm = None;
    let mut headers = None;
    let mut signature = None;
    let mut created = None;
    let mut expires = None;
    for (name, val) in params(value)? {
        match name.as_str() {
            "keyid" => key_id = Some(val),
            "algorithm" => algorithm = Some(val),
            "headers" => {
                headers = Some(
                    val.split_ascii_whitespace()
                        .map(str::to_ascii_lowercase)
                        .collect::<Vec<_>>(),
                );
            }
            "signature" => {
                let bytes = STANDARD
                    .decode(val.trim())
                    .map_err(|_| SignatureError::Malformed("signature is not base64".into()))?;
                signature = Some(bytes);
            }
            "created" => created = val.parse().ok(),
            "expires" => expires = val.parse().ok(),
            _ => {}
        }
    }
    let key_id = key_id.ok_or_else(|| SignatureError::Malformed("no keyId".into()))?;
    let signature = signature.ok_or_else(|| SignatureError::Malformed("no signature".into()))?;
    Ok(SignatureHeader {
        key_id,
        algorithm,
        headers: headers.unwrap_or_else(|| vec!["date".into()]),
        signature,
        created,
        expires,
    })
}

/// `name="value"` pairs separated by commas (values may hold commas inside quotes).
fn params(value: &str) -> Result<Vec<(String, String)>, SignatureError> {
    let mut out = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once('=')
            .ok_or_else(|| SignatureError::Malformed("expected name=value".into()))?;
        let name = name
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (val, tail) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| SignatureError::Malformed("unterminated quote".into()))?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        out.push((name, val.to_owned()));
        rest = tail.trim_start().trim_start_matches(',').trim_start();
    }
    Ok(out)
}

/// A request as the verifier sees it: header names lower-cased.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
}

impl Request<'_> {
    /// All values of a header joined with ", " (as draft-cavage asks); None when absent.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// The string that was signed, for `headers` of `sig` over `req`. `with_query` false builds
/// the `(request-target)` without the query (a compatibility quirk upstream also accepts).
pub fn signing_string(
    sig: &SignatureHeader,
    req: &Request<'_>,
    with_query: bool,
) -> Result<String, SignatureError> {
    let mut lines = Vec::with_capacity(sig.headers.len());
    for name in &sig.headers {
        let value = match name.as_str() {
            "(request-target)" => {
                let mut target = format!("{} {}", req.method.to_ascii_lowercase(), req.path);
                if let (true, Some(q)) = (with_query, req.query.filter(|q| !q.is_empty())) {
                    target.push('?');
                    target.push_str(q);
                }
                target
            }
            "(created)" => sig
                .created
                .ok_or(SignatureError::Malformed(
                    "(created) without created".into(),
                ))?
                .to_string(),
            "(expires)" => sig
                .expires
                .ok_or(SignatureError::Malformed(
                    "(expires) without expires".into(),
                ))?
                .to_string(),
            header => req.header(header).ok_or_else(|| {
                SignatureError::Malformed(format!("signed header {header} is missing"))
            })?,
        };
        lines.push(format!("{name}: {value}"));
    }
    Ok(lines.join("\n"))
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Checks upstream's rules on what is signed and when, then the digest and the signature.
/// `now` is the verifier's clock.
pub fn verify(
    sig: &SignatureHeader,
    req: &Request<'_>,
    key: &VerifyingKey,
    now: SystemTime,
) -> Result<(), SignatureError> {
    if let Some(alg) = &sig.algorithm {
        let alg = alg.to_ascii_lowercase();
        if alg != "rsa-sha256" && alg != "hs2019" {
            return Err(SignatureError::Algorithm(alg));
        }
    }
    let signed = |h: &str| sig.headers.iter().any(|s| s == h);
    if !signed("date") && !signed("(created)") {
        return Err(SignatureError::Unsigned(
            "Mastodon requires the Date header or (created) pseudo-header to be signed",
        ));
    }
    if !signed("digest") && !signed("(request-target)") {
        return Err(SignatureError::Unsigned(
            "Mastodon requires the Digest header or (request-target) pseudo-header to be signed",
        ));
    }
    if req.method.eq_ignore_ascii_case("POST") && !signed("digest") {
        return Err(SignatureError::Unsigned(
            "Mastodon requires the Digest header to be signed when doing a POST request",
        ));
    }
    check_time(sig, req, now)?;
    if signed("digest") {
        let value = req.header("digest").ok_or(SignatureError::BadDigest)?;
        if !digest::matches(&value, req.body) {
            return Err(SignatureError::BadDigest);
        }
    }
    let with_query = signing_string(sig, req, true)?;
    if key.verify(with_query.as_bytes(), &sig.signature).is_ok() {
        return Ok(());
    }
    if req.query.is_some_and(|q| !q.is_empty()) {
        let without = signing_string(sig, req, false)?;
        if key.verify(without.as_bytes(), &sig.signature).is_ok() {
            return Ok(());
        }
    }
    Err(SignatureError::Invalid)
}

/// An HTTP date; a wrong weekday is forgiven (as Ruby's parser upstream forgives it; some
/// senders compute it wrongly).
fn parse_date(date: &str) -> Option<SystemTime> {
    if let Ok(t) = httpdate::parse_http_date(date) {
        return Some(t);
    }
    let rest = date.get(3..)?;
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .find_map(|day| httpdate::parse_http_date(&format!("{day}{rest}")).ok())
}

fn check_time(
    sig: &SignatureHeader,
    req: &Request<'_>,
    now: SystemTime,
) -> Result<(), SignatureError> {
    let created = match (sig.created, req.header("date")) {
        (Some(created), _) => created,
        (None, Some(date)) => {
            let t = parse_date(&date).ok_or_else(|| {
                SignatureError::BadDate(format!("not RFC 2616 compliant date: {date:?}"))
            })?;
            unix(t)
        }
        (None, None) => return Err(SignatureError::BadDate("missing".into())),
    };
    check_window(created, sig.expires, now)
}

/// Upstream's time window: valid from `created` (1 hour of clock skew allowed) until
/// `expires`, or 5 minutes after `created`, and never more than 12 hours after it.
pub(crate) fn check_window(
    created: i64,
    expires: Option<i64>,
    now: SystemTime,
) -> Result<(), SignatureError> {
    let skew = i64::try_from(CLOCK_SKEW.as_secs()).unwrap_or(0);
    let default = i64::try_from(DEFAULT_VALIDITY.as_secs()).unwrap_or(0);
    let max = i64::try_from(MAX_VALIDITY.as_secs()).unwrap_or(0);
    let expires = expires.unwrap_or(created + default).min(created + max);
    let now = unix(now);
    if created > now + skew || now > expires + skew {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

/// Headers to add to an outbound request, in order: `Host`, `Date`, `Digest` (with a
/// body), `Signature` over `(request-target) host date [digest]`.
pub fn sign(
    method: &str,
    url: &Url,
    body: Option<&[u8]>,
    key_id: &str,
    key: &SigningKey,
    now: SystemTime,
) -> Result<Vec<(&'static str, String)>, SignatureError> {
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        (None, _) => return Err(SignatureError::Malformed("url without host".into())),
    };
    let mut headers = vec![("host", host), ("date", httpdate::fmt_http_date(now))];
    if let Some(body) = body {
        headers.push(("digest", digest::digest_header(body)));
    }
    let names: Vec<String> = std::iter::once("(request-target)".to_owned())
        .chain(headers.iter().map(|(n, _)| (*n).to_owned()))
        .collect();
    let header = SignatureHeader {
        key_id: key_id.to_owned(),
        algorithm: Some("rsa-sha256".into()),
        headers: names,
        signature: Vec::new(),
        created: None,
        expires: None,
    };
    let request = Request {
        method,
        path: url.path(),
        query: url.query(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect(),
        body: body.unwrap_or_default(),
    };
    let text = signing_string(&header, &request, true)?;
    let signature = STANDARD.encode(key.sign(text.as_bytes())?);
    let value = format!(
        "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{signature}\"",
        header.key_id,
        header.headers.join(" ")
    );
    headers.push(("signature", value));
    Ok(headers)
}

/// The actor a `keyId` belongs to by convention (`…#main-key` → `…`, and GoToSocial's
/// `…/main-key` → `…`); the key's owner must still be checked against the fetched document.
pub fn key_owner_guess(key_id: &str) -> &str {
    let base = key_id.split('#').next().unwrap_or(key_id);
    base.strip_suffix("/main-key").unwrap_or(base)
}
