//! NodePort allocation, as `pkg/registry/core/service/portallocator` does it: ports of the
//! node-port range, dynamic ones drawn at random from the upper part of the range.

use super::{range_offset, scan};
use crate::vecmap::VecMap;
use rand_core::Rng;

/// A port range `base..base+size` (`--service-node-port-range`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    base: i32,
    size: i32,
}

impl PortRange {
    /// The range of `size` ports from `base`.
    pub const fn new(base: i32, size: i32) -> Self {
        PortRange { base, size }
    }

    /// Whether `port` is in the range.
    pub fn contains(&self, port: i32) -> bool {
        port >= self.base && port - self.base < self.size
    }

    /// The range as `PortRange.String()` prints it: `30000-32767`.
    pub fn describe(&self) -> String {
        format!("{}-{}", self.base, self.base + self.size - 1)
    }

    /// A free port at random, preferring the upper band (`calculateRangeOffset`: the lower
    /// `size/32` ports, at least 16 and at most 128, are left for static ports: 86 of the
    /// default range), or `None` when the range is full.
    pub fn allocate_next(&self, used: &VecMap<i32, ()>, rng: &mut impl Rng) -> Option<i32> {
        let size = u64::try_from(self.size).unwrap_or(0);
        let offset = range_offset(size, 16, 128, 32);
        let port = |index: u64| self.base + i32::try_from(index).unwrap_or(0);
        scan(size, offset, |i| used.contains_key(&port(i)), rng).map(port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SimRng;

    #[test]
    fn the_default_range_prefers_ports_above_the_static_band() {
        let range = super::super::NODE_PORT_RANGE;
        assert_eq!(range.describe(), "30000-32767");
        for (port, inside) in [(29999, false), (30000, true), (32767, true), (32768, false)] {
            assert_eq!(range.contains(port), inside, "{port}");
        }
        let mut rng = SimRng::new(3, 0);
        for _ in 0..50 {
            let port = range
                .allocate_next(&VecMap::new(), &mut rng)
                .expect("a value");
            assert!((30086..=32767).contains(&port), "{port}");
        }
    }

    #[test]
    fn a_tiny_range_fills_the_upper_band_then_the_lower_then_refuses() {
        // 32 ports: offset max(16, 32/32) = 16, so 16-31 go first, then 0-15.
        let range = PortRange::new(100, 32);
        let mut rng = SimRng::new(5, 0);
        let mut used = VecMap::new();
        for n in 0..32 {
            let port = range.allocate_next(&used, &mut rng).expect("a value");
            assert!(if n < 16 { port >= 116 } else { port < 116 }, "{n}: {port}");
            assert!(used.insert(port, ()).is_none());
        }
        assert_eq!(range.allocate_next(&used, &mut rng), None);
    }
}
