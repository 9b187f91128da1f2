//! Generated names, in the alphabet Kubernetes uses (`k8s.io/apimachinery/pkg/util/rand`):
//! consonants and digits without vowels or look-alikes, so that names never spell words.

use rand_core::Rng;

/// The alphabet of `rand.String` and `rand.SafeEncodeString`.
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The length of the random suffix `generateName` appends (`names.SimpleNameGenerator`).
const SUFFIX_LEN: usize = 5;

/// The longest base `generateName` keeps (63 minus the suffix length).
const MAX_BASE_LEN: usize = 58;

/// `SafeEncodeString`: maps each byte of `s` into the alphabet, as the pod-template-hash does
/// with the decimal digits of its FNV hash (e.g. `"0123"` becomes `"4567"`).
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| char::from(ALPHANUMS[usize::from(b) % ALPHANUMS.len()]))
        .collect()
}

/// A name made from `base` the way the API server handles `metadata.generateName`: the base
/// truncated to 58 characters plus five random characters, e.g. `web-7d9c5b8f6d-x2k4f`.
pub fn generate_name(base: &str, rng: &mut impl Rng) -> String {
    let mut name: String = base.chars().take(MAX_BASE_LEN).collect();
    for _ in 0..SUFFIX_LEN {
        let index = usize::try_from(rng.next_u32() % 27).unwrap_or(0);
        name.push(char::from(ALPHANUMS[index]));
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SimRng;

    #[test]
    fn safe_encode_maps_digits_like_kubernetes() {
        // '0' is byte 48 and 48 % 27 = 21, the alphabet's 22nd character, '4'; '6' wraps to 'b'.
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }

    #[test]
    fn generated_names_keep_base_and_add_five_safe_characters() {
        let mut rng = SimRng::new(7, 0);
        let name = generate_name(&"x".repeat(70), &mut rng);
        assert_eq!(name.len(), 63);
        assert!(name[58..].bytes().all(|b| ALPHANUMS.contains(&b)));
    }
}
