//! The web app advances the cluster on every animation frame (`Cluster::advance(16)`), so a
//! frame in which no timer is due must cost next to nothing: no controller runs, nothing is
//! written. Frames during a rollout of 300 pods are timed and printed (`--nocapture`) for the
//! record; the assertions are about work done, not about wall-clock time.

use kplay_core::{Cluster, Kind};
use serde_json::json;

fn deployment(replicas: i32, image: &str) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": image}]}
            }
        }
    })
}

/// Advances `frames` frames of 16 ms and returns how long that took on the host, in ms.
#[allow(
    clippy::disallowed_methods,
    reason = "measures the host's time to run the frames; the simulation never sees it"
)]
fn frames(cluster: &mut Cluster, frames: u32) -> u128 {
    let start = std::time::Instant::now();
    for _ in 0..frames {
        cluster.advance(16);
    }
    start.elapsed().as_millis()
}

#[test]
fn frames_without_a_due_timer_do_no_work() {
    let mut cluster = Cluster::new(1);
    let created = cluster.create_json(Kind::Deployment, deployment(300, "nginx:1.27"));
    assert!(created.is_ok(), "{created:?}");
    let starting = frames(&mut cluster, 1000);
    // 300 nginx pods start within 16 s (the clock keeps ticking for kube-system's probes).
    let ready = cluster
        .store()
        .list::<kplay_core::types::Deployment>(Some("default"))
        .filter_map(|d| d.status.as_ref()?.ready_replicas)
        .sum::<i32>();
    assert_eq!(ready, 300, "300 nginx pods start within 16 s");
    let (version, feed) = (
        cluster.store().resource_version(),
        cluster.store().feed().head(),
    );
    let settled = frames(&mut cluster, 1000);
    assert_eq!(cluster.store().resource_version(), version);
    assert_eq!(cluster.store().feed().head(), feed);
    eprintln!(
        "300 pods: 1000 frames of 16 ms while starting: {starting} ms; settled: {settled} ms"
    );
}
