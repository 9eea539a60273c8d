//! IP addresses as Elasticsearch reads and prints them (`InetAddresses`,
//! `NetworkAddress`), shared by the processors that take addresses.

use crate::error::EsError;
use std::net::IpAddr;

/// Elasticsearch's `InetAddresses.forString`: dotted quads without leading
/// zeros, IPv6 with an optional scope; an IPv4-mapped IPv6 address is IPv4.
pub fn parse_ip(text: &str) -> Result<IpAddr, EsError> {
    if let Some(v4) = plain_dotted_quad(text.as_bytes()) {
        return Ok(IpAddr::V4(v4));
    }
    let invalid = || EsError::illegal_argument(format!("'{text}' is not an IP string literal."));
    let unscoped = match text.split_once('%') {
        Some((addr, scope)) if addr.contains(':') && !scope.is_empty() => addr,
        Some(_) => return Err(invalid()),
        None => text,
    };
    match unscoped.parse::<IpAddr>().map_err(|_| invalid())? {
        IpAddr::V6(v6) => Ok(v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6))),
        v4 => Ok(v4),
    }
}

/// An address's bytes (`InetAddress.getAddress()`): 4 for IPv4, 16 for IPv6.
pub fn ip_bytes(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// The first and last address of a CIDR range, as `InetAddresses.parseCidr`
/// and `CIDRUtils.getLowerUpper` compute them (with `parseCidr`'s errors);
/// an address without a prefix is a range of its own.
pub fn cidr_bounds(cidr: &str) -> Result<(Vec<u8>, Vec<u8>), EsError> {
    Ok(match cidr.split_once('/') {
        None => {
            let b = ip_bytes(parse_ip(cidr)?);
            (b.clone(), b)
        }
        Some((addr_text, prefix_text)) => {
            if prefix_text.contains('/') {
                return Err(EsError::illegal_argument(format!("Expected [ip/prefix] but was [{cidr}]")));
            }
            let addr = parse_ip(addr_text)?;
            if addr_text.contains(':') && addr.is_ipv4() {
                return Err(EsError::illegal_argument(format!(
                    "CIDR notation is not allowed with IPv6-mapped IPv4 address [{addr_text} as it introduces \
                     ambiguity as to whether the prefix length should be interpreted as a v4 prefix length or a v6 \
                     prefix length"
                )));
            }
            let prefix: i32 = prefix_text.parse().map_err(|_| {
                EsError::new("number_format_exception", format!("For input string: \"{prefix_text}\""))
            })?;
            let bytes = ip_bytes(addr);
            let bits = 8 * bytes.len() as i32;
            if prefix < 0 || prefix > bits {
                return Err(EsError::illegal_argument(format!(
                    "illegal prefixLength '{prefix}'. Must be 0-32 for IPv4 ranges, 0-128 for IPv6 ranges"
                )));
            }
            let (mut lower, mut upper) = (bytes.clone(), bytes);
            for i in prefix as usize..bits as usize {
                let m = 1u8 << (7 - (i & 7));
                lower[i >> 3] &= !m;
                upper[i >> 3] |= m;
            }
            (lower, upper)
        }
    })
}

/// `CIDRUtils.isBetween`: whether an address lies in `lower..=upper`; IPv4
/// and IPv6 compare in the IPv4-mapped IPv6 space (`CIDRUtils.encode`).
pub fn in_bounds(addr: &[u8], lower: &[u8], upper: &[u8]) -> bool {
    if addr.len() != lower.len() {
        let (addr, lower, upper) = (mapped(addr), mapped(lower), mapped(upper));
        return lower <= addr && addr <= upper;
    }
    lower <= addr && addr <= upper
}

fn mapped(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() == 4 {
        let mut m = vec![0u8; 10];
        m.extend_from_slice(&[0xff, 0xff]);
        m.extend_from_slice(bytes);
        m
    } else {
        bytes.to_vec()
    }
}

/// A dotted quad as `Ipv4Addr`'s parser reads it (one to three digits a
/// part, no leading zero, at most 255), read here without its general
/// parser's machinery; `None` for any other text, which that parser then
/// reads or refuses.
fn plain_dotted_quad(text: &[u8]) -> Option<std::net::Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut at = 0;
    for (i, octet) in octets.iter_mut().enumerate() {
        if i > 0 {
            if text.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
        let start = at;
        let mut value = 0u32;
        while let Some(&d) = text.get(at).filter(|b| b.is_ascii_digit()) {
            value = value * 10 + (d - b'0') as u32;
            at += 1;
            if at - start > 3 {
                return None;
            }
        }
        let leading_zero = at - start > 1 && text[start] == b'0';
        if at == start || leading_zero || value > 255 {
            return None;
        }
        *octet = value as u8;
    }
    (at == text.len()).then_some(std::net::Ipv4Addr::from(octets))
}

/// `NetworkAddress.format`: RFC 5952 text for IPv6.
pub fn format_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => dotted_quad(v4.octets()),
        IpAddr::V6(v6) => {
            // Rust prints IPv4-compatible forms with a dotted tail; Java never does.
            let s = v6.segments();
            let text = v6.to_string();
            if text.contains('.') {
                compress_groups(&s)
            } else {
                text
            }
        }
    }
}

/// `a.b.c.d`, as `Ipv4Addr`'s `Display` writes it, without the formatting
/// machinery (every geoip lookup prints its address).
fn dotted_quad(octets: [u8; 4]) -> String {
    let mut out = String::with_capacity(15);
    for (i, o) in octets.into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        if o >= 100 {
            out.push((b'0' + o / 100) as char);
        }
        if o >= 10 {
            out.push((b'0' + o / 10 % 10) as char);
        }
        out.push((b'0' + o % 10) as char);
    }
    out
}

fn compress_groups(s: &[u16; 8]) -> String {
    let (mut best, mut best_len, mut i) = (8, 0, 0);
    while i < 8 {
        if s[i] == 0 {
            let start = i;
            while i < 8 && s[i] == 0 {
                i += 1;
            }
            if i - start > best_len && i - start >= 2 {
                best = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let hex = |g: &[u16]| g.iter().map(|x| format!("{x:x}")).collect::<Vec<_>>().join(":");
    if best_len == 0 {
        hex(s)
    } else {
        format!("{}::{}", hex(&s[..best]), hex(&s[best + best_len..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_follows_inet_addresses() {
        assert_eq!(parse_ip("::ffff:1.2.3.4").unwrap(), "1.2.3.4".parse::<IpAddr>().unwrap(), "IPv4-mapped is IPv4");
        assert_eq!(parse_ip("fe80::1%eth0").unwrap(), "fe80::1".parse::<IpAddr>().unwrap(), "an IPv6 scope is allowed");
        assert_eq!(parse_ip("1.2.3.4%x").unwrap_err().reason, "'1.2.3.4%x' is not an IP string literal.");
        assert!(parse_ip("01.2.3.4").is_err(), "leading zeros are refused");
        assert!(parse_ip("").is_err());
    }

    /// Whatever the dotted-quad reading reads, the general parser reads
    /// the same; it reads every address that parser reads as a dotted quad.
    #[test]
    fn plain_dotted_quads_read_as_the_parser_reads_them() {
        let pieces = ["0", "1", "9", "00", "01", "10", "99", "100", "199", "255", "256", "300", "999", "1000", "", "a", "-1", "+1", " 1", "١"];
        let mut rng = crate::xorshift::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut read = 0;
        for _ in 0..100_000 {
            let seed = rng.next();
            let parts = 3 + (seed % 3) as usize;
            let text = (0..parts).map(|i| pieces[(seed >> (8 + 5 * i)) as usize % pieces.len()]).collect::<Vec<_>>().join(".");
            let general = text.parse::<std::net::Ipv4Addr>().ok();
            let plain = plain_dotted_quad(text.as_bytes());
            assert!(plain.is_none() || plain == general, "{text:?}: {plain:?} != {general:?}");
            assert_eq!(plain.is_some(), general.is_some() && parts == 4, "{text:?}");
            read += plain.is_some() as usize;
        }
        assert!(read > 500, "only {read} read");
        for text in ["1.2.3.4", "255.255.255.255", "0.0.0.0", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.", ".1.2.3.4", "", "::1"] {
            assert_eq!(plain_dotted_quad(text.as_bytes()), text.parse().ok(), "{text:?}");
        }
    }

    #[test]
    fn formatting_follows_network_address() {
        assert_eq!(format_ip("2001:db8:0:0:1:0:0:1".parse().unwrap()), "2001:db8::1:0:0:1");
        assert_eq!(format_ip("::1.2.3.4".parse().unwrap()), "::102:304", "no dotted tail");
        assert_eq!(format_ip("10.0.0.1".parse().unwrap()), "10.0.0.1");
    }

    #[test]
    fn ipv4_prints_as_display_does() {
        for a in [0u8, 1, 9, 10, 99, 100, 109, 200, 255] {
            for b in [0u8, 7, 42, 250] {
                let ip = std::net::Ipv4Addr::new(a, b, 255 - a, a ^ b);
                assert_eq!(format_ip(IpAddr::V4(ip)), ip.to_string());
            }
        }
    }
}
