//! The runtime end to end through the public API: a ReplicaSet's pods are created, scheduled,
//! started and made ready by the kubelet model in virtual time; deletions are graceful; the
//! garbage collector cleans up; the simulation is deterministic.

use kplay_core::types::ReplicaSet;
use kplay_core::types::ToJson;
use kplay_core::types::{Event, Pod};
use kplay_core::Limits;
use kplay_core::{pod, Cluster, Kind};
use proptest::prelude::*;
use serde_json::json;

mod seeded;

const WORKERS: [&str; 3] = ["kplay-worker", "kplay-worker2", "kplay-worker3"];

fn replica_set(name: &str, image: &str, replicas: i32) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": image}]}
            }
        }
    })
}

fn cluster_with_rs(seed: u64, image: &str, replicas: i32) -> Cluster {
    let mut cluster = Cluster::new(seed);
    let created = cluster.create_json(Kind::ReplicaSet, replica_set("web", image, replicas));
    assert!(created.is_ok(), "{created:?}");
    cluster
}

fn pods(cluster: &Cluster) -> Vec<Pod> {
    cluster
        .store()
        .list::<Pod>(Some("default"))
        .cloned()
        .collect()
}

fn rs(cluster: &Cluster) -> ReplicaSet {
    cluster
        .store()
        .get::<ReplicaSet>("default", "web")
        .cloned()
        .unwrap_or_default()
}

fn status_json(p: &Pod) -> serde_json::Value {
    p.status.to_json()
}

fn condition(p: &Pod, type_: &str) -> (String, Option<String>, Option<String>) {
    pod::condition(p, type_)
        .map(|c| (c.status.clone(), c.reason.clone(), c.message.clone()))
        .unwrap_or_default()
}

fn container_state(p: &Pod) -> serde_json::Value {
    status_json(p)["containerStatuses"][0]["state"].clone()
}

#[test]
fn replica_set_pods_start_pending_then_run_then_become_ready() {
    let mut cluster = cluster_with_rs(1, "nginx:1.27", 3);
    let now = pods(&cluster);
    assert_eq!(now.len(), 3);
    for p in &now {
        let name = p.metadata.name.as_deref().unwrap_or("");
        assert!(name.starts_with("web-") && name.len() == 9, "{name}");
        let owner = &p.metadata.owner_references.as_deref().unwrap_or_default()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.name.as_str()),
            ("ReplicaSet", "web")
        );
        assert_eq!(
            (owner.controller, owner.block_owner_deletion),
            (Some(true), Some(true))
        );
        let status = status_json(p);
        assert_eq!(status["phase"], "Pending");
        assert_eq!(status["qosClass"], "BestEffort");
        assert!(status["hostIP"]
            .as_str()
            .is_some_and(|ip| ip.starts_with("172.18.0.")));
        assert!(status.get("podIP").is_none());
        assert!(status.get("startTime").is_some());
        assert_eq!(
            container_state(p),
            json!({"waiting": {"reason": "ContainerCreating"}})
        );
        assert_eq!(status["containerStatuses"][0]["ready"], false);
        assert_eq!(status["containerStatuses"][0]["started"], false);
        let types: Vec<&str> = status["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["type"].as_str())
            .collect();
        assert_eq!(
            types,
            [
                "PodReadyToStartContainers",
                "Initialized",
                "Ready",
                "ContainersReady",
                "PodScheduled"
            ]
        );
        assert_eq!(condition(p, "PodScheduled").0, "True");
        assert_eq!(condition(p, "Initialized").0, "True");
        assert_eq!(condition(p, "PodReadyToStartContainers").0, "False");
        let unready = (
            "False".to_string(),
            Some("ContainersNotReady".to_string()),
            Some("containers with unready status: [app]".to_string()),
        );
        assert_eq!(condition(p, "Ready"), unready);
        assert_eq!(condition(p, "ContainersReady"), unready);
    }
    let status = rs(&cluster).status.unwrap_or_default();
    assert_eq!((status.replicas, status.ready_replicas), (3, None));
    assert_eq!(status.observed_generation, Some(1));

    // nginx: sandbox 200-600 ms, pull 1500-3000 ms, start-up 200-600 ms.
    cluster.advance(600);
    for p in pods(&cluster) {
        let ip = status_json(&p)["podIP"].as_str().unwrap_or("").to_string();
        assert!(ip.starts_with("10.244.") && ip.ends_with(".2"), "{ip}");
        assert_eq!(condition(&p, "PodReadyToStartContainers").0, "True");
        assert_eq!(pod::phase(&p), "Pending");
    }
    cluster.advance(3_000);
    for p in pods(&cluster) {
        assert_eq!(pod::phase(&p), "Running");
        assert!(container_state(&p)["running"]["startedAt"].is_string());
        assert_eq!(status_json(&p)["containerStatuses"][0]["started"], true);
    }
    assert!(pods(&cluster).iter().any(|p| !pod::is_ready(p)) || cluster.now() >= 1_900);
    cluster.advance(600);
    assert!(pods(&cluster).iter().all(pod::is_ready));
    for p in pods(&cluster) {
        assert_eq!(
            condition(&p, "ContainersReady"),
            ("True".to_string(), None, None)
        );
    }
    let status = rs(&cluster).status.unwrap_or_default();
    assert_eq!(
        (
            status.replicas,
            status.fully_labeled_replicas,
            status.ready_replicas,
            status.available_replicas
        ),
        (3, Some(3), Some(3), Some(3))
    );
    let events: Vec<String> = cluster
        .store()
        .list::<Event>(Some("default"))
        .filter(|e| e.reason.as_deref() == Some("SuccessfulCreate"))
        .filter_map(|e| e.message.clone())
        .collect();
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|m| m.starts_with("Created pod: web-")));
}

#[test]
fn nothing_runs_before_the_shortest_possible_start() {
    let mut cluster = cluster_with_rs(9, "nginx", 3);
    // The earliest container start is sandbox 200 + pull 1500 ms.
    cluster.advance(1_699);
    assert!(pods(&cluster).iter().all(|p| pod::phase(p) == "Pending"));
}

#[test]
fn pods_spread_over_the_three_workers() {
    let cluster = cluster_with_rs(3, "nginx", 6);
    let mut per_node = std::collections::BTreeMap::new();
    for p in pods(&cluster) {
        let node = p.spec.and_then(|s| s.node_name).unwrap_or_default();
        *per_node.entry(node).or_insert(0) += 1;
    }
    let expected: std::collections::BTreeMap<String, i32> =
        WORKERS.iter().map(|w| (w.to_string(), 2)).collect();
    assert_eq!(per_node, expected);
}

#[test]
fn a_deleted_pod_is_replaced_at_once_while_it_terminates() {
    let mut cluster = cluster_with_rs(2, "nginx", 3);
    cluster.advance(10_000);
    let victim = pods(&cluster)[0].metadata.name.clone().unwrap_or_default();
    let deleted = cluster.delete(Kind::Pod, "default", &victim);
    assert!(deleted.is_ok());
    let all = pods(&cluster);
    assert_eq!(all.len(), 4);
    let old = all
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some(&victim));
    let old = old.cloned().unwrap_or_default();
    assert!(pod::is_terminating(&old));
    assert_eq!(old.metadata.deletion_grace_period_seconds, Some(30));
    assert!(
        pod::is_ready(&old),
        "a terminating pod stays Ready until its app exits (kubectl shows 1/1 Terminating)"
    );
    assert_eq!(all.iter().filter(|p| pod::is_active(p)).count(), 3);
    // Spreading ignores the terminating pod, so the replacement takes its node.
    let node_of = |p: &Pod| p.spec.as_ref().and_then(|s| s.node_name.clone());
    let replacement = all.iter().find(|p| pod::phase(p) == "Pending");
    assert_eq!(replacement.and_then(node_of), node_of(&old));
    let status = rs(&cluster).status.unwrap_or_default();
    assert_eq!((status.replicas, status.ready_replicas), (3, Some(2)));
    // nginx exits within 500 ms of SIGTERM.
    cluster.advance(500);
    assert!(pods(&cluster)
        .iter()
        .all(|p| p.metadata.name.as_deref() != Some(&victim)));
    assert_eq!(pods(&cluster).len(), 3);
}

#[test]
fn busybox_ignores_sigterm_and_is_killed_at_the_end_of_the_grace_period() {
    // `sleep` as PID 1 (busybox without a command would exit at once).
    let mut cluster = Cluster::new(4);
    let mut manifest = replica_set("web", "busybox", 1);
    manifest["spec"]["template"]["spec"]["containers"][0]["command"] = json!(["sleep", "3600"]);
    assert!(cluster.create_json(Kind::ReplicaSet, manifest).is_ok());
    cluster.advance(5_000);
    let victim = pods(&cluster)[0].metadata.name.clone().unwrap_or_default();
    assert!(cluster.delete(Kind::Pod, "default", &victim).is_ok());
    cluster.advance(29_999);
    assert!(pods(&cluster)
        .iter()
        .any(|p| p.metadata.name.as_deref() == Some(&victim)));
    cluster.advance(1);
    assert!(pods(&cluster)
        .iter()
        .all(|p| p.metadata.name.as_deref() != Some(&victim)));
}

#[test]
fn scaling_down_deletes_the_least_valuable_pods_and_says_so() {
    let mut cluster = cluster_with_rs(5, "nginx", 3);
    cluster.advance(10_000);
    let mut scaled = rs(&cluster);
    if let Some(spec) = scaled.spec.as_mut() {
        spec.replicas = Some(1);
    }
    let updated = cluster.update(kplay_core::ApiObject::into_object(scaled));
    assert!(updated.is_ok(), "{updated:?}");
    assert_eq!(
        pods(&cluster)
            .iter()
            .filter(|p| pod::is_terminating(p))
            .count(),
        2
    );
    let status = rs(&cluster).status.unwrap_or_default();
    assert_eq!((status.replicas, status.observed_generation), (1, Some(2)));
    let deletes = cluster
        .store()
        .list::<Event>(Some("default"))
        .filter(|e| e.reason.as_deref() == Some("SuccessfulDelete"))
        .count();
    assert_eq!(deletes, 2);
}

#[test]
fn deleting_a_replica_set_garbage_collects_its_pods() {
    let mut cluster = cluster_with_rs(6, "nginx", 2);
    cluster.advance(10_000);
    assert!(cluster.delete(Kind::ReplicaSet, "default", "web").is_ok());
    assert!(pods(&cluster).iter().all(pod::is_terminating));
    cluster.advance(1_000);
    assert!(pods(&cluster).is_empty());
}

#[test]
fn min_ready_seconds_delays_availability_without_any_command() {
    let mut cluster = Cluster::new(7);
    let mut manifest = replica_set("web", "nginx", 1);
    manifest["spec"]["minReadySeconds"] = json!(5);
    assert!(cluster.create_json(Kind::ReplicaSet, manifest).is_ok());
    cluster.advance(5_000);
    let status = rs(&cluster).status.unwrap_or_default();
    assert_eq!(
        (status.ready_replicas, status.available_replicas),
        (Some(1), None)
    );
    cluster.advance(5_000);
    let status = rs(&cluster).status.unwrap_or_default();
    assert_eq!(status.available_replicas, Some(1));
}

#[test]
fn a_pod_no_node_fits_stays_pending_with_the_schedulers_reason() {
    let mut cluster = Cluster::new(8);
    let manifest = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "picky", "namespace": "default"},
        "spec": {
            "nodeSelector": {"disktype": "ssd"},
            "containers": [{"name": "app", "image": "nginx"}]
        }
    });
    assert!(cluster.create_json(Kind::Pod, manifest).is_ok());
    cluster.advance(10_000);
    let p = pods(&cluster)[0].clone();
    assert_eq!(pod::phase(&p), "Pending");
    assert_eq!(
        condition(&p, "PodScheduled"),
        (
            "False".to_string(),
            Some("Unschedulable".to_string()),
            Some(
                "0/4 nodes are available: 1 node(s) had untolerated taint \
                 {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node \
                 affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not \
                 helpful for scheduling."
                    .to_string()
            )
        )
    );
    // An unscheduled pod has nothing to stop: deletion is immediate.
    assert!(cluster.delete(Kind::Pod, "default", "picky").is_ok());
    assert!(pods(&cluster).is_empty());
}

/// A little scenario: a ReplicaSet, then one of its pods deleted a while later.
fn scenario(seed: u64) -> Cluster {
    let mut cluster = cluster_with_rs(seed, "flask-app:1.0", 3);
    cluster.advance(2_500);
    let victim = pods(&cluster)[1].metadata.name.clone().unwrap_or_default();
    assert!(cluster.delete(Kind::Pod, "default", &victim).is_ok());
    cluster
}

#[test]
fn the_same_seed_gives_the_same_state_and_another_seed_does_not() {
    let run = |seed| {
        let mut c = scenario(seed);
        c.advance(20_000);
        c.state_hash()
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
}

proptest! {
    #![proptest_config(seeded::config(24))]

    #[test]
    fn advancing_by_a_then_b_equals_advancing_by_a_plus_b(a in 0u64..8_000, b in 0u64..8_000) {
        let mut split = scenario(11);
        let mut whole = split.clone();
        split.advance(a);
        split.advance(b);
        whole.advance(a + b);
        prop_assert_eq!(split.state_hash(), whole.state_hash());
    }
}

#[test]
fn events_expire_after_an_hour() {
    let mut cluster = cluster_with_rs(12, "nginx", 1);
    cluster.advance(10_000);
    assert!(cluster.store().list::<Event>(None).count() > 0);
    cluster.advance(60 * 60 * 1_000);
    // Any change makes the controllers run; the old events are then gone.
    let victim = pods(&cluster)[0].metadata.name.clone().unwrap_or_default();
    assert!(cluster.delete(Kind::Pod, "default", &victim).is_ok());
    let reasons: Vec<String> = cluster
        .store()
        .list::<Event>(None)
        .filter_map(|e| e.reason.clone())
        .collect();
    assert_eq!(reasons.iter().filter(|r| *r == "Pulled").count(), 0);
    assert!(reasons.iter().any(|r| r == "SuccessfulCreate"));
}

#[test]
fn replicas_beyond_kplays_limit_are_invalid_and_the_limit_fills_every_node() {
    let mut cluster = Cluster::new(1);
    let huge = cluster.create_json(Kind::ReplicaSet, replica_set("web", "nginx", 999_999_999));
    let message = huge.err().map(|e| e.message);
    assert_eq!(
        message.as_deref(),
        Some(
            "ReplicaSet.apps \"web\" is invalid: spec.replicas: Invalid value: 999999999: must \
             be less than or equal to 1000 (kplay's limit)"
        )
    );
    assert_eq!(pods(&cluster).len(), 0);

    // At the limit every pod exists, but each worker runs only its allocatable 110 pods; the
    // rest wait with NodeResourcesFit's reason, as on a real kind cluster.
    let mut cluster = cluster_with_rs(1, "nginx", Limits::PLAYGROUND.replicas);
    cluster.advance(10_000);
    let all = pods(&cluster);
    assert_eq!(all.len(), 1000);
    let running = all.iter().filter(|p| pod::phase(p) == "Running").count();
    assert_eq!(running, 330);
    let pending = all
        .iter()
        .find(|p| pod::phase(p) == "Pending")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        condition(&pending, "PodScheduled"),
        (
            "False".to_string(),
            Some("Unschedulable".to_string()),
            Some(
                "0/4 nodes are available: 1 node(s) had untolerated taint \
                 {node-role.kubernetes.io/control-plane: }, 3 Too many pods. preemption: 0/4 \
                 nodes are available: 1 Preemption is not helpful for scheduling, 3 No \
                 preemption victims found for incoming pod."
                    .to_string()
            )
        )
    );

    // A slot freed on a full node goes to the pod that has waited longest (the scheduling
    // queue is FIFO): pods marked unschedulable are tried again when a pod goes away.
    let first_waiting = all
        .iter()
        .filter(|p| pod::node_name(p).is_none())
        .min_by_key(|p| (p.metadata.creation_timestamp, p.metadata.name.clone()))
        .and_then(|p| p.metadata.name.clone())
        .unwrap_or_default();
    let running_pod = all
        .iter()
        .find(|p| pod::phase(p) == "Running")
        .and_then(|p| p.metadata.name.clone())
        .unwrap_or_default();
    assert!(cluster.delete(Kind::Pod, "default", &running_pod).is_ok());
    cluster.advance(60_000);
    let waited = cluster.store().get::<Pod>("default", &first_waiting);
    assert!(
        waited.and_then(pod::node_name).is_some(),
        "{first_waiting} should have the freed slot"
    );
    let running = pods(&cluster)
        .iter()
        .filter(|p| pod::phase(p) == "Running")
        .count();
    assert_eq!(running, 330);
}
