//! The `pod-template-hash` label value, as `controller.ComputeHash` (controller_utils.go)
//! derives it: FNV-32a over the pod template (plus the Deployment's collisionCount), printed
//! in decimal and mapped into the safe alphabet, e.g. `5d59d67564`.
//!
//! Upstream hashes Go's deep-printed struct; we hash the template's canonical JSON (fields in
//! declaration order, maps sorted), which is equally stable per template, so the same template
//! always gives the same ReplicaSet name (why a rollback reuses the old ReplicaSet).

use crate::naming::safe_encode;
use crate::types::{PodTemplateSpec, ToJson};

/// 32-bit FNV-1a, as Go's `hash/fnv.New32a`.
struct Fnv32a(u32);

impl Fnv32a {
    fn new() -> Self {
        Fnv32a(0x811c_9dc5)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u32::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }
}

/// `ComputeHash`: the pod-template-hash of `template` (the Deployment's template, without the
/// hash label). A collision count, when set, is hashed as 8 little-endian bytes (the uint32 and
/// four zero bytes, as upstream writes it) so that a bumped count yields a new name.
pub(crate) fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut hasher = Fnv32a::new();
    hasher.write(crate::json_text::compact(&template.to_json()).as_bytes());
    if let Some(count) = collision_count {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&count.to_le_bytes());
        hasher.write(&bytes);
    }
    safe_encode(&hasher.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ObjectMeta;
    use crate::types::{Container, PodSpec};

    fn template(image: &str) -> PodTemplateSpec {
        PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some([("app".to_string(), "web".to_string())].into()),
                ..ObjectMeta::default()
            }),
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "web".into(),
                    image: Some(image.into()),
                    ..Container::default()
                }],
                ..PodSpec::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn fnv32a_matches_the_reference_vectors() {
        // Test vectors of the FNV reference implementation (Go's hash/fnv tests use them too).
        for (input, expected) in [
            ("", 0x811c_9dc5u32),
            ("a", 0xe40c_292c),
            ("foobar", 0xbf9c_f968),
        ] {
            let mut h = Fnv32a::new();
            h.write(input.as_bytes());
            assert_eq!(h.0, expected, "{input:?}");
        }
    }

    #[test]
    fn hash_is_stable_per_template_and_changes_with_it() {
        let a = compute_hash(&template("nginx:1.0"), None);
        assert_eq!(a, compute_hash(&template("nginx:1.0"), None));
        assert_ne!(a, compute_hash(&template("nginx:2.0"), None));
        assert_ne!(a, compute_hash(&template("nginx:1.0"), Some(1)));
        assert!(a.len() <= 10);
        assert!(a
            .bytes()
            .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b)));
    }
}
