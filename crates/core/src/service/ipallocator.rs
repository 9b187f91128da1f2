//! ClusterIP allocation, as `pkg/registry/core/service/ipallocator` (the bitmap allocator of
//! v1.32) does it: addresses of the Service CIDR except the network and broadcast addresses,
//! dynamic ones drawn at random from the upper part of the range.

use super::{range_offset, scan};
use crate::vecmap::VecMap;
use rand_core::Rng;

/// An IPv4 Service CIDR, e.g. `10.96.0.0/12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: u32,
    prefix: u32,
}

impl IpRange {
    /// The range `a.b.c.d/prefix` (host bits are cleared; a prefix above 30 is read as 30).
    pub const fn new(octets: [u8; 4], prefix: u32) -> Self {
        let prefix = if prefix > 30 { 30 } else { prefix };
        let mask = if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - prefix)
        };
        IpRange {
            network: u32::from_be_bytes(octets) & mask,
            prefix,
        }
    }

    /// How many addresses can be allocated: all but the network and broadcast addresses.
    fn size(&self) -> u64 {
        (1u64 << (32 - self.prefix)) - 2
    }

    /// Whether `ip` is an allocatable address of the range.
    pub fn contains(&self, ip: u32) -> bool {
        let first = u64::from(self.network) + 1;
        (first..first + self.size()).contains(&u64::from(ip))
    }

    /// The range as the API server prints it in errors, e.g. `10.96.0.0/12`.
    pub fn cidr(&self) -> String {
        format!("{}/{}", format(self.network), self.prefix)
    }

    /// A free address at random, preferring the upper band (`calculateRangeOffset`: the
    /// lower `size/16` addresses, at least 16 and at most 256, are left for static IPs), or
    /// `None` when the range is full.
    pub fn allocate_next(&self, used: &VecMap<u32, ()>, rng: &mut impl Rng) -> Option<u32> {
        let offset = range_offset(1u64 << (32 - self.prefix), 16, 256, 16);
        let first = u64::from(self.network) + 1;
        let address = |index: u64| u32::try_from(first + index).unwrap_or(u32::MAX);
        scan(self.size(), offset, |i| used.contains_key(&address(i)), rng).map(address)
    }
}

/// Parses a dotted IPv4 address.
pub fn parse(ip: &str) -> Option<u32> {
    let mut octets = [0u8; 4];
    let mut parts = ip.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then(|| u32::from_be_bytes(octets))
}

/// Formats an IPv4 address in dotted form.
pub fn format(ip: u32) -> String {
    let [a, b, c, d] = ip.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SimRng;

    #[test]
    fn ranges_exclude_network_and_broadcast_and_prefer_the_upper_band() {
        let range = IpRange::new([10, 96, 0, 0], 12);
        assert_eq!(range.cidr(), "10.96.0.0/12");
        for (ip, inside) in [
            ("10.96.0.0", false),
            ("10.96.0.1", true),
            ("10.96.0.10", true),
            ("10.111.255.254", true),
            ("10.111.255.255", false),
            ("10.112.0.1", false),
        ] {
            assert_eq!(range.contains(parse(ip).expect("a value")), inside, "{ip}");
        }
        let mut rng = SimRng::new(1, 0);
        for _ in 0..50 {
            let ip = range
                .allocate_next(&VecMap::new(), &mut rng)
                .expect("a value");
            // The lower 256 addresses (10.96.0.1-10.96.1.0) are the static band.
            assert!(ip >= parse("10.96.1.1").expect("a value") && range.contains(ip));
        }
    }

    #[test]
    fn a_tiny_range_is_exhausted_then_refuses() {
        // A /29 has 6 allocatable addresses and, being smaller than 16, no static band.
        let range = IpRange::new([192, 168, 0, 0], 29);
        let mut rng = SimRng::new(7, 0);
        let mut used = VecMap::new();
        for _ in 0..6 {
            let ip = range.allocate_next(&used, &mut rng).expect("a value");
            assert!(used.insert(ip, ()).is_none(), "{} twice", format(ip));
        }
        let all: Vec<String> = used.keys().map(|&ip| format(ip)).collect();
        assert_eq!(
            all,
            [
                "192.168.0.1",
                "192.168.0.2",
                "192.168.0.3",
                "192.168.0.4",
                "192.168.0.5",
                "192.168.0.6"
            ]
        );
        assert_eq!(range.allocate_next(&used, &mut rng), None);
    }

    #[test]
    fn parsing_rejects_what_is_not_a_dotted_quad() {
        for (text, ok) in [
            ("10.96.0.1", true),
            ("10.96.0", false),
            ("10.96.0.256", false),
            ("a.b.c.d", false),
            ("10.96.0.1.1", false),
            ("", false),
        ] {
            assert_eq!(parse(text).is_some(), ok, "{text}");
        }
    }
}
