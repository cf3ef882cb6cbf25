//! The client's address: the TCP peer (tests without a socket count as loopback), or, when
//! the peer is a trusted proxy (config `trusted_proxies`), the nearest untrusted address of
//! `X-Forwarded-For`, read right to left as upstream's `TRUSTED_PROXY_IP` does. Proxies
//! append the address they saw, so everything left of the first untrusted hop may be forged.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn of(parts: &Parts, trusted: &[IpNet]) -> IpAddr {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip().to_canonical());
        if !is_trusted(peer, trusted) {
            return peer;
        }
        let hops: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !is_trusted(ip, trusted) {
                break;
            }
        }
        client
    }
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// An address as proxies write it: `203.0.113.5`, `2001:db8::1`, or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(Self::of(parts, state.trusted_proxies())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(peer: [u8; 4], xff: &[&str]) -> Parts {
        let mut builder = Request::builder().uri("/");
        for v in xff {
            builder = builder.header("x-forwarded-for", *v);
        }
        let (mut parts, ()) = builder
            .body(())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from((peer, 4000))));
        parts
    }

    fn nets(s: &[&str]) -> Vec<IpNet> {
        s.iter().filter_map(|n| n.parse().ok()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let p = parts([198, 51, 100, 7], &["203.0.113.5"]);
        assert_eq!(ClientIp::of(&p, &nets(&["10.0.0.0/8"])), ip("198.51.100.7"));
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_wins() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client forged 1.2.3.4; the proxies appended what they saw.
        let p = parts([10, 0, 0, 2], &["1.2.3.4, 203.0.113.5", "10.0.0.1"]);
        assert_eq!(ClientIp::of(&p, &trusted), ip("203.0.113.5"));
        // No header: the proxy itself.
        assert_eq!(
            ClientIp::of(&parts([10, 0, 0, 2], &[]), &trusted),
            ip("10.0.0.2")
        );
        // Garbage stops the walk at the last good hop.
        let p = parts([10, 0, 0, 2], &["203.0.113.9, junk, 10.0.0.1"]);
        assert_eq!(ClientIp::of(&p, &trusted), ip("10.0.0.1"));
        // Ports are dropped.
        let p = parts([10, 0, 0, 2], &["203.0.113.5:5555"]);
        assert_eq!(ClientIp::of(&p, &trusted), ip("203.0.113.5"));
    }
}
