//! Single pods through the public API: the kubelet's events and multi-container start-up, pods
//! bound by hand, and API validation rejecting bad objects without touching the store.

use kplay_core::types::{Event, Pod};
use kplay_core::{pod, Cluster, Kind};
use serde_json::json;

fn pod_manifest(name: &str, spec: serde_json::Value) -> serde_json::Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec
    })
}

fn get_pod(cluster: &Cluster, name: &str) -> Pod {
    cluster
        .store()
        .get::<Pod>("default", name)
        .cloned()
        .unwrap_or_default()
}

/// Events about `name` as `(reason, message)`, in the order they were first recorded.
fn events_for(cluster: &Cluster, name: &str) -> Vec<(String, String)> {
    let mut events: Vec<&Event> = cluster
        .store()
        .list::<Event>(Some("default"))
        .filter(|e| e.involved_object.name.as_deref() == Some(name))
        .collect();
    events.sort_by_key(|e| {
        e.metadata
            .resource_version
            .as_deref()
            .and_then(|rv| rv.parse::<u64>().ok())
    });
    events
        .iter()
        .map(|e| {
            (
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_pod_reports_the_kubelets_events_in_order() {
    let mut cluster = Cluster::new(1);
    let spec = json!({"containers": [{"name": "web", "image": "nginx:1.27"}]});
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("web", spec))
        .is_ok());
    cluster.advance(10_000);
    let node = get_pod(&cluster, "web")
        .spec
        .and_then(|s| s.node_name)
        .unwrap_or_default();
    let events = events_for(&cluster, "web");
    let reasons: Vec<&str> = events.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        reasons,
        ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    );
    assert_eq!(
        events[0].1,
        format!("Successfully assigned default/web to {node}")
    );
    assert_eq!(events[1].1, "Pulling image \"nginx:1.27\"");
    assert!(
        events[2]
            .1
            .starts_with("Successfully pulled image \"nginx:1.27\" in ")
            && events[2]
                .1
                .ends_with(" including waiting). Image size: 72223946 bytes."),
        "{}",
        events[2].1
    );
    assert_eq!(events[3].1, "Created container: web");
    assert_eq!(events[4].1, "Started container web");

    assert!(cluster.delete(Kind::Pod, "default", "web").is_ok());
    let last = events_for(&cluster, "web").pop().unwrap_or_default();
    assert_eq!(
        last,
        ("Killing".to_string(), "Stopping container web".to_string())
    );
}

#[test]
fn a_pod_is_running_only_once_every_container_has_started() {
    let mut cluster = Cluster::new(2);
    let spec = json!({"containers": [
        {"name": "web", "image": "nginx"},
        {"name": "sidecar", "image": "busybox", "command": ["sleep", "3600"]}
    ]});
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("two", spec))
        .is_ok());
    let p = get_pod(&cluster, "two");
    let ready = pod::condition(&p, "Ready").and_then(|c| c.message.clone());
    assert_eq!(
        ready.as_deref(),
        Some("containers with unready status: [web sidecar]")
    );
    // Images are pulled one after the other: nginx at most 600 + 3000 ms, then busybox.
    let mut saw_partial = false;
    for _ in 0..100 {
        cluster.advance(50);
        let p = get_pod(&cluster, "two");
        let started: Vec<bool> = p
            .status
            .iter()
            .flat_map(|s| s.container_statuses.iter().flatten())
            .map(|c| c.started == Some(true))
            .collect();
        if started == [true, false] {
            saw_partial = true;
            assert_eq!(pod::phase(&p), "Pending");
        }
    }
    assert!(saw_partial);
    cluster.advance(5_000);
    let p = get_pod(&cluster, "two");
    assert_eq!(pod::phase(&p), "Running");
    assert!(pod::is_ready(&p));
}

#[test]
fn a_pod_bound_to_a_missing_node_stays_pending() {
    let mut cluster = Cluster::new(3);
    let spec = json!({"nodeName": "nowhere", "containers": [{"name": "web", "image": "nginx"}]});
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("lost", spec))
        .is_ok());
    cluster.advance(60_000);
    let p = get_pod(&cluster, "lost");
    assert_eq!(pod::phase(&p), "Pending");
    assert!(p.status.and_then(|s| s.start_time).is_none());
}

#[test]
fn a_pod_bound_by_hand_is_started_by_its_kubelet() {
    let mut cluster = Cluster::new(4);
    let spec =
        json!({"nodeName": "kplay-worker2", "containers": [{"name": "web", "image": "nginx"}]});
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("pinned", spec))
        .is_ok());
    let p = get_pod(&cluster, "pinned");
    assert_eq!(
        pod::condition(&p, "PodScheduled").map(|c| c.status.as_str()),
        Some("True")
    );
    assert_eq!(
        p.status.and_then(|s| s.qos_class).as_deref(),
        Some("BestEffort")
    );
    cluster.advance(10_000);
    let p = get_pod(&cluster, "pinned");
    assert!(pod::is_ready(&p));
    let ip = p.status.and_then(|s| s.pod_ip).unwrap_or_default();
    assert_eq!(ip, "10.244.2.2");
}

#[test]
fn invalid_objects_are_rejected_and_change_nothing() {
    let mut cluster = Cluster::new(5);
    let before = cluster.state_hash();
    let bad = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "Bad_Name", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "x"}},
            "template": {"metadata": {"labels": {"app": "x"}},
                         "spec": {"containers": [{"name": "x", "image": "nginx"}]}}
        }
    });
    let error = cluster.create_json(Kind::Deployment, bad).err();
    assert_eq!(
        error.map(|e| e.message),
        Some(
            "Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": \
             a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \
             '-' or '.', and must start and end with an alphanumeric character (e.g. \
             'example.com', regex used for validation is \
             '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
                .to_string()
        )
    );
    let negative = json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": -1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
        }
    });
    let error = cluster.create_json(Kind::ReplicaSet, negative).err();
    assert_eq!(
        error.map(|e| e.message),
        Some(
            "ReplicaSet.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be \
             greater than or equal to 0"
                .to_string()
        )
    );
    assert_eq!(cluster.state_hash(), before);
}

#[test]
fn an_endless_grace_period_saturates_instead_of_overflowing() {
    // terminationGracePeriodSeconds is an int64 the API accepts as is; a busybox app ignores
    // SIGTERM, so the pod waits for the whole grace period, which ends past any clock value.
    let mut cluster = Cluster::new(1);
    // The CoreDNS add-on's probes tick every 10 s forever; without it the pod's own timers are
    // the only ones, and the clock can jump to the end of time.
    assert!(cluster
        .delete(Kind::Deployment, "kube-system", "coredns")
        .is_ok());
    cluster.advance(60_000);
    assert_eq!(cluster.store().list::<Pod>(Some("kube-system")).count(), 0);
    let spec = json!({
        "terminationGracePeriodSeconds": i64::MAX,
        "containers": [{"name": "sleep", "image": "busybox", "command": ["sleep", "3600"]}]
    });
    let created = cluster.create_json(Kind::Pod, pod_manifest("forever", spec));
    assert!(created.is_ok(), "{created:?}");
    cluster.advance(10_000);
    assert!(cluster.delete(Kind::Pod, "default", "forever").is_ok());
    cluster.advance(u64::MAX / 2);
    assert!(pod::is_terminating(&get_pod(&cluster, "forever")));
    cluster.advance(u64::MAX);
    assert_eq!(cluster.now(), u64::MAX);
    assert!(cluster.store().get::<Pod>("default", "forever").is_none());
}

#[test]
fn the_system_namespaces_cannot_be_deleted() {
    // NamespaceLifecycle admission: `kubectl delete ns default` answers
    // `Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not
    // be deleted`; kube-node-lease is not protected.
    let mut cluster = Cluster::new(1);
    for name in ["default", "kube-system", "kube-public"] {
        let refused = cluster.delete(Kind::Namespace, "", name).err();
        assert_eq!(
            refused.map(|e| (e.reason.as_str(), e.message)),
            Some((
                "Forbidden",
                format!("namespaces \"{name}\" is forbidden: this namespace may not be deleted")
            ))
        );
    }
    assert!(cluster
        .delete(Kind::Namespace, "", "kube-node-lease")
        .is_ok());
}
