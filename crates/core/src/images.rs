//! The catalogue of container images the playground knows, and how each behaves on a node.
//!
//! A real kubelet's timings come from the registry, the network and the app; here each image has
//! a small profile: how long pulling it takes, how long the app needs after starting before it
//! serves (the moment a readiness probe would pass), the ports it listens on, and what it does
//! on SIGTERM. Durations are ranges; the kubelet model draws a value from the cluster's seeded
//! generator, so a run is reproducible. Images not in the catalogue behave like [`GENERIC`].
//!
//! Failure modes (a tag that does not exist, an app that crashes) will be further fields of
//! [`ImageProfile`], chosen by tag; nothing here assumes every image works.

use crate::time::Millis;
use rand_core::Rng;

/// What a container's main process does when the kubelet sends SIGTERM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigtermBehaviour {
    /// The app shuts down by itself, after a delay drawn from this range (inclusive, ms).
    ExitsWithin(Millis, Millis),
    /// The process ignores the signal (e.g. `sleep` as PID 1, which has no handler) and is
    /// killed with SIGKILL when the grace period ends.
    Ignores,
}

/// How one image behaves in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageProfile {
    /// The repository name the profile applies to (the last path segment, without tag).
    pub name: &'static str,
    /// The ports the app listens on (TCP), for later traffic features and `kubectl expose`.
    pub ports: &'static [i32],
    /// Whether the app is a server; a plain command (busybox) serves nothing.
    pub serves: bool,
    /// The image pull time range, inclusive, in ms.
    pub pull_ms: (Millis, Millis),
    /// The image size the kubelet reports in its `Pulled` event (roughly the real image's
    /// compressed linux/amd64 size).
    pub size_bytes: u64,
    /// The time from container start until the app is ready, inclusive, in ms.
    pub startup_ms: (Millis, Millis),
    /// What the app does on SIGTERM.
    pub on_sigterm: SigtermBehaviour,
}

/// The demo web app of the lessons: a small Flask server on port 5000 (Python starts slowly).
pub const FLASK_APP: ImageProfile = ImageProfile {
    name: "flask-app",
    ports: &[5000],
    serves: true,
    pull_ms: (2_000, 4_000),
    size_bytes: 52_428_800,
    startup_ms: (1_500, 3_000),
    on_sigterm: SigtermBehaviour::ExitsWithin(200, 1_000),
};

/// nginx: a fast-starting web server on port 80 that exits quickly on SIGTERM.
pub const NGINX: ImageProfile = ImageProfile {
    name: "nginx",
    ports: &[80],
    serves: true,
    pull_ms: (1_500, 3_000),
    size_bytes: 72_223_946,
    startup_ms: (200, 600),
    on_sigterm: SigtermBehaviour::ExitsWithin(100, 500),
};

/// busybox: a tiny image that runs a shell command (typically `sleep`); it serves nothing and,
/// as PID 1 without a signal handler, ignores SIGTERM until the grace period ends.
pub const BUSYBOX: ImageProfile = ImageProfile {
    name: "busybox",
    ports: &[],
    serves: false,
    pull_ms: (500, 1_200),
    size_bytes: 2_167_176,
    startup_ms: (0, 0),
    on_sigterm: SigtermBehaviour::Ignores,
};

/// agnhost, the Kubernetes e2e test image; `agnhost netexec` serves HTTP on 8080 and UDP
/// on 8081 (its `--http-port` and `--udp-port` defaults).
pub const AGNHOST: ImageProfile = ImageProfile {
    name: "agnhost",
    ports: &[8080, 8081],
    serves: true,
    pull_ms: (2_000, 3_500),
    size_bytes: 51_230_421,
    startup_ms: (300, 800),
    on_sigterm: SigtermBehaviour::ExitsWithin(100, 500),
};

/// Any other image: a generic server with middling timings that exits promptly.
pub const GENERIC: ImageProfile = ImageProfile {
    name: "",
    ports: &[],
    serves: true,
    pull_ms: (1_000, 3_000),
    size_bytes: 31_457_280,
    startup_ms: (500, 1_500),
    on_sigterm: SigtermBehaviour::ExitsWithin(200, 1_000),
};

/// Every known image.
pub const CATALOGUE: [ImageProfile; 4] = [FLASK_APP, NGINX, BUSYBOX, AGNHOST];

/// The repository name of an image reference: the last path segment without tag or digest,
/// e.g. `registry.k8s.io/e2e-test-images/agnhost:2.53` gives `agnhost`.
pub fn repository_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// The tag of an image reference (`None` when it has none, or only a digest), e.g.
/// `localhost:5000/web:1.0` gives `1.0`.
pub fn tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, tag)| tag)
}

/// The profile of an image reference; unknown images get [`GENERIC`].
pub fn profile(image: &str) -> &'static ImageProfile {
    let name = repository_name(image);
    CATALOGUE
        .iter()
        .find(|p| p.name == name)
        .unwrap_or(&GENERIC)
}

/// A duration drawn uniformly from the inclusive range `(lo, hi)`.
pub fn draw(range: (Millis, Millis), rng: &mut impl Rng) -> Millis {
    let (lo, hi) = range;
    if hi <= lo {
        return lo;
    }
    lo + rng.next_u64() % (hi - lo + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;
    use rand_core::SeedableRng;

    #[test]
    fn references_resolve_to_profiles() {
        let table = [
            ("nginx", "nginx", None),
            ("nginx:1.27", "nginx", Some("1.27")),
            ("docker.io/library/nginx:1.27", "nginx", Some("1.27")),
            ("localhost:5000/flask-app:2.0", "flask-app", Some("2.0")),
            (
                "registry.k8s.io/e2e-test-images/agnhost:2.53",
                "agnhost",
                Some("2.53"),
            ),
            ("busybox@sha256:abc", "busybox", None),
            ("example.com/other", "", None),
        ];
        for (image, profile_name, image_tag) in table {
            assert_eq!(profile(image).name, profile_name, "{image}");
            assert_eq!(tag(image), image_tag, "{image}");
        }
    }

    #[test]
    fn draws_stay_in_range_and_repeat_per_seed() {
        let mut a = ChaCha8Rng::seed_from_u64(3);
        let mut b = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..100 {
            let x = draw(NGINX.pull_ms, &mut a);
            assert!((1_500..=3_000).contains(&x));
            assert_eq!(x, draw(NGINX.pull_ms, &mut b));
        }
        assert_eq!(draw((7, 7), &mut a), 7);
    }
}
