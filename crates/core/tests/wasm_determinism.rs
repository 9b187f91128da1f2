//! The determinism test: one scenario, one committed hash of its final state, reproduced by the
//! native build (`cargo test`) and by the Wasm build (`cargo test --target
//! wasm32-unknown-unknown`, run by wasm-bindgen-test in Node.js); another seed differs.
//! If the simulation changes on purpose, update `EXPECTED` from the native run; a native/Wasm
//! mismatch is always a bug (hash-order, `usize` or float dependence).

use kplay_core::api::decode_strict;
use kplay_core::{Cluster, Kind, Millis};
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The state hash of [`scenario`] with the default seed.
const EXPECTED: u64 = 0xd681_3c69_d465_5eba;

fn deployment(image: &str) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": 6,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "flask-app", "image": image, "ports": [{"containerPort": 5000}]}]}
            }
        }
    })
}

/// Creates a Deployment, lets it settle, rolls out a new image, deletes a pod mid-rollout and
/// lets everything finish, with irregular time steps.
fn scenario(seed: u64) -> u64 {
    let mut cluster = Cluster::new(seed);
    let created = cluster.create_json(Kind::Deployment, deployment("flask-app:1.0"));
    assert!(created.is_ok(), "{created:?}");
    for dt in [16, 33, 250, 1_000, 7_000, 30_000] {
        cluster.advance(dt as Millis);
    }
    let updated = decode_strict(Kind::Deployment, deployment("flask-app:2.0"))
        .and_then(|o| cluster.update(o).map(drop));
    assert!(updated.is_ok(), "{updated:?}");
    cluster.advance(1_500);
    let pod = cluster
        .store()
        .list_objects(Kind::Pod, Some("default"))
        .next()
        .map(|p| p.name().to_string());
    if let Some(pod) = pod {
        assert!(cluster.delete(Kind::Pod, "default", &pod).is_ok());
    }
    for _ in 0..200 {
        cluster.advance(997);
    }
    cluster.state_hash()
}

#[test]
fn same_seed_same_state_everywhere() {
    let hash = scenario(kplay_core::DEFAULT_SEED);
    assert_eq!(
        hash, EXPECTED,
        "state hash {hash:#x} differs from the committed one"
    );
    assert_ne!(
        scenario(2),
        EXPECTED,
        "another seed must give another state"
    );
}
