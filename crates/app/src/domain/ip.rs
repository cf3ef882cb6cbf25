//! IP addresses as stored: the text form plus a sortable key (32 hex digits of the IPv6 form,
//! IPv4 mapped into ::ffff:0:0/96) so that a CIDR filter is a key range on either backend.

use std::net::{IpAddr, Ipv6Addr};

use ipnet::IpNet;

fn as_v6(ip: IpAddr) -> Ipv6Addr {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    }
}

/// The sortable key of an address.
pub fn key(ip: IpAddr) -> String {
    format!("{:032x}", u128::from(as_v6(ip)))
}

/// The inclusive key range of an address or CIDR (`10.0.0.0/8`, `2001:db8::/32`, `1.2.3.4`);
/// None when it parses as neither.
pub fn key_range(value: &str) -> Option<(String, String)> {
    let value = value.trim();
    if let Ok(ip) = value.parse::<IpAddr>() {
        let k = key(ip);
        return Some((k.clone(), k));
    }
    let net: IpNet = value.parse().ok()?;
    let (lo, hi) = (net.network(), net.broadcast());
    Some((key(lo), key(hi)))
}

/// The IP shown to a user: IPv4-mapped addresses back in dotted form.
pub fn display(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or_else(|| v6.to_string(), |v4| v4.to_string()),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_ranges_contain_their_addresses() {
        let (lo, hi) = key_range("10.0.0.0/8").unwrap_or_default();
        let inside = key("10.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0])));
        let outside = key("11.0.0.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0])));
        assert!(lo <= inside && inside <= hi);
        assert!(!(lo <= outside && outside <= hi));
        assert!(key_range("not an ip").is_none());
        assert_eq!(
            display(
                "::ffff:1.2.3.4"
                    .parse()
                    .unwrap_or(IpAddr::from([0, 0, 0, 0]))
            ),
            "1.2.3.4"
        );
    }
}
