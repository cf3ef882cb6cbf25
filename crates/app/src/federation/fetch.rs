//! A small, bounded HTTP client for fetching other servers' pages. Every connection goes
//! through [`address::allowed`]: names are resolved here and only checked addresses are
//! handed to the connector (so DNS rebinding cannot slip past the check), literal IP hosts
//! are checked before each request and each redirect, and environment proxies are ignored.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use reqwest::redirect::Policy;
use url::{Host, Url};

use crate::federation::address;
use crate::federation::slots::{FetchSlots, Slot};

/// Bounds on one fetch.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub connect_timeout: Duration,
    /// From the first connect until the (capped) body has been read, redirects included.
    pub total_timeout: Duration,
    /// Bytes of body kept; the rest is not read.
    pub max_body: usize,
    pub max_redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            max_body: 1024 * 1024,
            max_redirects: 3,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused: {0}")]
    Refused(String),
    #[error("request failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("unexpected status {0}")]
    Status(u16),
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    #[error("no fetch slot for {0} in time")]
    Busy(String),
    #[error("given up while waiting for a fetch slot")]
    GivenUp,
}

/// Checks a URL before it is requested: an allowed scheme, a host, and, when the host is a
/// literal address, an allowed one. Names are checked when resolved.
pub fn check_url(url: &Url, allow_private: bool) -> Result<(), FetchError> {
    let scheme_ok = url.scheme() == "https" || (allow_private && url.scheme() == "http");
    if !scheme_ok {
        return Err(FetchError::Refused(format!("scheme {}", url.scheme())));
    }
    let ip = match url.host() {
        None => return Err(FetchError::Refused("no host".into())),
        Some(Host::Domain(_)) => return Ok(()),
        Some(Host::Ipv4(v4)) => v4.into(),
        Some(Host::Ipv6(v6)) => v6.into(),
    };
    if address::allowed(ip, allow_private) {
        Ok(())
    } else {
        Err(FetchError::Refused(format!("address {ip}")))
    }
}

/// Resolves names with the system resolver and keeps only allowed addresses.
struct FilteringResolver {
    allow_private: bool,
}

impl Resolve for FilteringResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| address::allowed(a.ip(), allow_private))
                .collect();
            if addrs.is_empty() {
                let refused = FetchError::Refused(format!("{host} has no allowed address"));
                return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The client; cheap to clone (clones share the connection slots).
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow_private: bool,
    limits: Limits,
    slots: FetchSlots,
}

impl Fetcher {
    pub fn new(
        user_agent: &str,
        allow_private: bool,
        limits: Limits,
        slots: FetchSlots,
    ) -> Result<Self, FetchError> {
        let max_redirects = limits.max_redirects;
        let policy = Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                return attempt.error(FetchError::Refused("too many redirects".into()));
            }
            match check_url(attempt.url(), allow_private) {
                Ok(()) => attempt.follow(),
                Err(e) => attempt.error(e),
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .no_proxy()
            .https_only(!allow_private)
            .redirect(policy)
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.total_timeout)
            // An idle pooled connection is an open socket outside the slots: keep none.
            .pool_max_idle_per_host(0)
            .dns_resolver(Arc::new(FilteringResolver { allow_private }))
            .build()?;
        Ok(Self {
            client,
            allow_private,
            limits,
            slots,
        })
    }

    /// Waits for a slot for the URL's host (see [`FetchSlots`]), unless `give_up` completes
    /// first.
    async fn slot(&self, url: &Url, give_up: impl Future<Output = ()>) -> Result<Slot, FetchError> {
        let host = url.host_str().unwrap_or_default();
        tokio::select! {
            slot = self.slots.acquire(host) => slot.ok_or_else(|| FetchError::Busy(host.to_owned())),
            () = give_up => Err(FetchError::GivenUp),
        }
    }

    /// GETs an HTML page and returns its body, cut to `max_body` bytes (lossy UTF-8). While
    /// waiting for a slot the fetch is abandoned when `give_up` completes; once sent it runs
    /// to its end (bounded by the timeouts), so the slot is freed only when the request is
    /// over. Callers should not drop this future midway for the same reason.
    pub async fn get_html(
        &self,
        url: &str,
        give_up: impl Future<Output = ()>,
    ) -> Result<String, FetchError> {
        let url = Url::parse(url).map_err(|e| FetchError::Refused(format!("bad url: {e}")))?;
        check_url(&url, self.allow_private)?;
        // Held until the body has been read and the response dropped (end of this function).
        let _slot = self.slot(&url, give_up).await?;
        let mut res = self
            .client
            .get(url)
            .header(
                ACCEPT,
                HeaderValue::from_static("text/html, application/xhtml+xml;q=0.9"),
            )
            .send()
            .await?;
        if !res.status().is_success() {
            return Err(FetchError::Status(res.status().as_u16()));
        }
        if let Some(ct) = res.headers().get(CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or_default().to_ascii_lowercase();
            let essence = ct.split(';').next().unwrap_or_default().trim();
            if essence != "text/html" && essence != "application/xhtml+xml" {
                return Err(FetchError::NotHtml(essence.to_owned()));
            }
        }
        let max = self.limits.max_body;
        let mut body: Vec<u8> = Vec::new();
        while body.len() < max {
            let Some(chunk) = res.chunk().await? else {
                break;
            };
            let room = max - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        Ok(String::from_utf8_lossy(&body).into_owned())
    }
}

impl Fetcher {
    /// Sends one request with the given extra headers (a signature among them) and returns
    /// the status and the body, cut to `max_body` bytes, whatever the status. Used by
    /// federation for signed GETs of ActivityPub documents and signed POSTs to inboxes.
    pub async fn send(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&'static str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<(u16, Vec<u8>), FetchError> {
        check_url(url, self.allow_private)?;
        let _slot = self.slot(url, std::future::pending()).await?;
        let mut req = self.client.request(method, url.clone());
        for (name, value) in headers {
            req = req.header(*name, value);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let mut res = req.send().await?;
        let status = res.status().as_u16();
        let max = self.limits.max_body;
        let mut out: Vec<u8> = Vec::new();
        while out.len() < max {
            let Some(chunk) = res.chunk().await? else {
                break;
            };
            let room = max - out.len();
            out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        Ok((status, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, allow_private: bool) -> bool {
        let url = Url::parse(url).unwrap();
        check_url(&url, allow_private).is_ok()
    }

    #[test]
    fn urls_are_checked_before_requests() {
        assert!(check("https://example.com/", false));
        assert!(check("https://8.8.8.8/", false));
        assert!(!check("http://example.com/", false));
        assert!(!check("ftp://example.com/", false));
        assert!(!check("https://127.0.0.1/", false));
        assert!(!check("https://[::1]:8443/", false));
        assert!(!check("https://[::ffff:127.0.0.1]/", false));
        assert!(!check("https://[::ffff:a9fe:a9fe]/", false));
        assert!(!check("https://10.1.2.3/", false));
        assert!(!check("https://0x7f.1/", false));
        assert!(!check("https://2130706433/", false));
        assert!(check("http://127.0.0.1:8080/", true));
        assert!(!check("file:///etc/passwd", true));
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused() {
        let resolver = FilteringResolver {
            allow_private: false,
        };
        let name: Name = "localhost".parse().unwrap();
        assert!(resolver.resolve(name).await.is_err());
        let resolver = FilteringResolver {
            allow_private: true,
        };
        let name: Name = "localhost".parse().unwrap();
        let addrs: Vec<SocketAddr> = resolver.resolve(name).await.unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()));
    }
}
