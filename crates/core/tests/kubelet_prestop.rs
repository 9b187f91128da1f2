//! preStop hooks through the public API: the kubelet runs the hook before SIGTERM, so a pod
//! with a `sleep` hook keeps running (and Terminating) for the hook's time, and the grace
//! period bounds both.

use kplay_core::types::Pod;
use kplay_core::{kubelet, Cluster, Kind};
use serde_json::json;

/// Creates a running nginx pod with `grace` and `lifecycle`, deletes it at 10 s, and returns
/// the cluster, when the pod's removal is scheduled (ms after the deletion) and the SIGTERM
/// time of its container.
fn delete_after_start(lifecycle: serde_json::Value, grace: i64) -> (Cluster, u64, Option<u64>) {
    let mut cluster = Cluster::new(7);
    let manifest = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "terminationGracePeriodSeconds": grace,
            "containers": [{"name": "web", "image": "nginx:1.27", "lifecycle": lifecycle}]
        }
    });
    let created = cluster.create_json(Kind::Pod, manifest);
    assert!(created.is_ok(), "{created:?}");
    cluster.advance(10_000);
    assert!(cluster.delete(Kind::Pod, "default", "web").is_ok());
    let pod = cluster
        .store()
        .get::<Pod>("default", "web")
        .cloned()
        .unwrap_or_default();
    let sigterm = pod
        .spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| kubelet::sigterm_at(&pod, c));
    // The first timer after which the pod is gone (bounded: the kube-system add-ons' probe
    // timers never end).
    let mut probe = cluster.clone();
    while let Some(at) = probe.next_timer_at().filter(|&at| at <= 60_000) {
        probe.advance(at - probe.now());
        if probe.store().get::<Pod>("default", "web").is_none() {
            break;
        }
    }
    let exit = probe.now() - 10_000;
    (cluster, exit, sigterm)
}

#[test]
fn the_hook_runs_before_sigterm_and_counts_against_the_grace_period() {
    // (lifecycle, grace) -> range of the exit after deletion (nginx stops 0.1-0.5 s after
    // SIGTERM), and when SIGTERM is sent.
    let table = [
        (json!({}), 30, (100, 500), 10_000),
        (
            json!({"preStop": {"sleep": {"seconds": 5}}}),
            30,
            (5_100, 5_500),
            15_000,
        ),
        (
            json!({"preStop": {"exec": {"command": ["sh", "-c", "sleep 10"]}}}),
            30,
            (10_100, 10_500),
            20_000,
        ),
        (
            json!({"preStop": {"httpGet": {"path": "/", "port": 80}}}),
            30,
            (100, 500),
            10_000,
        ),
        // The hook is cut at the end of the grace period; nginx still stops on SIGTERM.
        (
            json!({"preStop": {"exec": {"command": ["sleep", "3600"]}}}),
            20,
            (20_100, 20_500),
            30_000,
        ),
    ];
    for (lifecycle, grace, (lo, hi), sigterm) in table {
        let (cluster, exit, sent) = delete_after_start(lifecycle.clone(), grace);
        assert!((lo..=hi).contains(&exit), "{lifecycle}: exit {exit}");
        assert_eq!(sent, Some(sigterm), "{lifecycle}");
        // The same random draws happen with or without a hook: the pod's name, IP and
        // everything else but the timing are the same.
        let (plain, plain_exit, _) = delete_after_start(json!({}), grace);
        assert_eq!(exit - plain_exit, sigterm - 10_000, "{lifecycle}");
        let ip = |c: &Cluster| {
            c.store()
                .get::<Pod>("default", "web")
                .and_then(|p| p.status.as_ref()?.pod_ip.clone())
        };
        assert_eq!(ip(&cluster), ip(&plain));
    }
}

#[test]
fn a_terminating_pod_keeps_running_during_its_hook() {
    let (mut cluster, exit, _) =
        delete_after_start(json!({"preStop": {"sleep": {"seconds": 5}}}), 30);
    cluster.advance(exit - 1);
    let pod = cluster.store().get::<Pod>("default", "web").cloned();
    let running = pod
        .as_ref()
        .and_then(|p| {
            p.status
                .as_ref()?
                .container_statuses
                .as_ref()?
                .first()
                .cloned()
        })
        .is_some_and(|c| c.ready && c.state.is_some_and(|s| s.running.is_some()));
    assert!(running, "{pod:?}");
    cluster.advance(1);
    assert!(cluster.store().get::<Pod>("default", "web").is_none());
}
