//! The traffic model end to end: a Service in front of a Deployment, a client sending a steady
//! stream of requests, and a rollout. The counts are exact for the seed: they are what the
//! model computes, checked once by hand against the timeline (endpoint removal reaches
//! kube-proxy 1 s after the pod is deleted; nginx stops accepting at SIGTERM).

use kplay_core::network::connect::Origin;
use kplay_core::network::traffic;
use kplay_core::types::Deployment;
use kplay_core::{ApiObject, Cluster, Kind};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A Deployment `web` of `replicas` nginx pods with `strategy`, and a `preStop` sleep of
/// `pre_stop` seconds when given.
fn deployment(replicas: i32, strategy: Value, pre_stop: Option<i64>) -> Value {
    let mut container = json!({"name": "web", "image": "nginx:1.26",
        "ports": [{"containerPort": 80}]});
    if let Some(seconds) = pre_stop {
        container["lifecycle"] =
            json!({"preStop": {"exec": {"command": ["sleep", seconds.to_string()]}}});
    }
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": strategy,
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container]}}
        }
    })
}

fn service(type_: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"type": type_, "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}
    })
}

fn set_image(cluster: &mut Cluster, image: &str) {
    let mut d = cluster
        .store()
        .get::<Deployment>("default", "web")
        .cloned()
        .expect("the Deployment exists");
    let container = d
        .spec
        .as_mut()
        .and_then(|s| s.template.spec.as_mut())
        .and_then(|s| s.containers.first_mut())
        .expect("a container");
    container.image = Some(image.to_string());
    assert!(cluster.update(d.into_object()).is_ok());
}

/// What a client outside the cluster saw over a rollout from nginx 1.26 to 1.27 at 100
/// requests per second: (answered by version, failed).
fn rollout_under_traffic(
    strategy: Value,
    pre_stop: Option<i64>,
    step: u64,
) -> (BTreeMap<String, u64>, u64) {
    let cluster = rollout(strategy, pre_stop, step);
    let traffic = cluster.network().traffic();
    let answered = traffic.answered_total().iter();
    let answered = answered.map(|(v, n)| (v.clone(), *n)).collect();
    (answered, traffic.failed_total())
}

/// The cluster after that rollout.
fn rollout(strategy: Value, pre_stop: Option<i64>, step: u64) -> Cluster {
    let mut cluster = Cluster::new(1);
    assert!(cluster
        .create_json(Kind::Deployment, deployment(4, strategy, pre_stop))
        .is_ok());
    assert!(cluster
        .create_json(Kind::Service, service("NodePort"))
        .is_ok());
    cluster.advance(20_000);
    assert_eq!(
        traffic::start(&mut cluster, "default", "web", Origin::Outside, 100),
        Ok(())
    );
    cluster.advance(5_000);
    set_image(&mut cluster, "nginx:1.27");
    let mut elapsed = 0;
    while elapsed < 60_000 {
        cluster.advance(step);
        elapsed += step;
    }
    cluster
}

fn rolling() -> Value {
    json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
}

#[test]
fn a_plain_rolling_update_drops_the_requests_routed_before_the_proxy_catches_up() {
    // nginx stops accepting at SIGTERM, sent the instant each old pod is deleted; kube-proxy
    // keeps routing to it for the 1 s propagation delay. Four old pods go, in three steps of
    // maxUnavailable/maxSurge 1 of 4: about a quarter to a half of each second's 100 requests.
    let (answered, failed) = rollout_under_traffic(rolling(), None, 1_000);
    let total: u64 = answered.values().sum::<u64>() + failed;
    assert_eq!(
        total, 6_501,
        "65 s at 100 requests per second, both ends included"
    );
    assert_eq!(
        (answered.get("1.26"), answered.get("1.27"), failed),
        (Some(&819), Some(&5_557), 125)
    );
}

#[test]
fn a_pre_stop_sleep_keeps_old_pods_answering_until_the_proxy_forgets_them() {
    // With `preStop: sleep 5` nginx gets SIGTERM 5 s after the deletion, 4 s after kube-proxy
    // stopped routing to it: no request fails.
    let (answered, failed) = rollout_under_traffic(rolling(), Some(5), 1_000);
    assert_eq!(failed, 0, "{answered:?}");
    assert_eq!(answered.values().sum::<u64>(), 6_501);
    assert!(answered.get("1.26").is_some_and(|n| *n > 0));
    assert!(answered.get("1.27").is_some_and(|n| *n > 0));
}

#[test]
fn recreate_fails_every_request_while_no_pod_serves() {
    // Every old pod is deleted at once, and the new ones start only after the last old one is
    // gone: every request in between fails, three and a half seconds' worth at 100 per second.
    let cluster = rollout(json!({"type": "Recreate"}), None, 1_000);
    let traffic = cluster.network().traffic();
    assert_eq!(
        (
            traffic.answered_total().get("1.26"),
            traffic.answered_total().get("1.27"),
            traffic.failed_total()
        ),
        (Some(&501), Some(&5_647), 353)
    );
    // The failures are one outage: the seconds with failures are consecutive, and inside
    // them no request was answered.
    let failing: Vec<u64> = traffic
        .seconds()
        .iter()
        .filter(|s| s.failed > 0)
        .map(|s| s.second)
        .collect();
    let (first, last) = (failing[0], failing[failing.len() - 1]);
    assert_eq!(failing.len() as u64, last - first + 1, "{failing:?}");
    for second in traffic.seconds() {
        if second.second > first && second.second < last {
            assert!(second.answered.is_empty(), "{second:?}");
        }
    }
    assert_eq!(
        failing,
        [26, 27, 28],
        "three and a half seconds of downtime"
    );
}

#[test]
fn the_counts_do_not_depend_on_how_time_was_advanced() {
    let coarse = rollout_under_traffic(rolling(), None, 1_000);
    let fine = rollout_under_traffic(rolling(), None, 16);
    let uneven = rollout_under_traffic(rolling(), None, 7_500);
    assert_eq!(coarse, fine);
    assert_eq!(coarse, uneven);
}

#[test]
fn a_cluster_ip_service_is_not_reachable_from_outside() {
    let mut cluster = Cluster::new(1);
    assert!(cluster
        .create_json(Kind::Service, service("ClusterIP"))
        .is_ok());
    let refused = traffic::start(&mut cluster, "default", "web", Origin::Outside, 10);
    assert!(refused.is_err_and(|e| e.contains("is ClusterIP")));
    assert!(cluster.network().traffic().sources().is_empty());
    let missing = traffic::start(&mut cluster, "default", "nope", Origin::Outside, 10);
    assert_eq!(
        missing,
        Err("Error from server (NotFound): services \"nope\" not found".to_string())
    );
    let too_fast = traffic::start(&mut cluster, "default", "web", Origin::Outside, 1_001);
    assert!(too_fast.is_err());
}

/// The heaviest source the model allows, for the record: 1,000 requests per second to 10 pods
/// for 10 s of 16 ms frames. Prints the host time (`--nocapture`); asserts the work done.
#[test]
#[allow(
    clippy::disallowed_methods,
    reason = "measures the host's time to run the frames; the simulation never sees it"
)]
fn a_thousand_requests_per_second_reach_every_ready_pod() {
    let mut cluster = Cluster::new(1);
    assert!(cluster
        .create_json(Kind::Deployment, deployment(10, rolling(), None))
        .is_ok());
    assert!(cluster
        .create_json(Kind::Service, service("NodePort"))
        .is_ok());
    cluster.advance(20_000);
    assert!(traffic::start(&mut cluster, "default", "web", Origin::Outside, 1_000).is_ok());
    let start = std::time::Instant::now();
    for _ in 0..625 {
        cluster.advance(16);
    }
    eprintln!(
        "10 s at 1,000 requests/s in 16 ms frames: {} ms on this host",
        start.elapsed().as_millis()
    );
    let traffic = cluster.network().traffic();
    assert_eq!(traffic.answered_total().get("1.26"), Some(&10_001));
    assert_eq!(traffic.failed_total(), 0);
    let pods_answering: std::collections::BTreeSet<&str> = traffic
        .recent()
        .iter()
        .filter_map(|r| match &r.outcome {
            kplay_core::network::connect::Outcome::Answered(a) => Some(a.pod.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        pods_answering.len(),
        10,
        "the last 256 requests reached all 10 pods"
    );
}

#[test]
fn a_client_pod_sends_only_while_it_runs() {
    // `kubectl run client --image=busybox -- sleep 3600`: args replace busybox's `sh`, so the
    // client keeps running; until it runs (and after it is gone) it sends nothing, and nothing
    // is counted as failed.
    let mut cluster = Cluster::new(1);
    assert!(cluster
        .create_json(Kind::Deployment, deployment(2, rolling(), None))
        .is_ok());
    assert!(cluster
        .create_json(Kind::Service, service("ClusterIP"))
        .is_ok());
    cluster.advance(20_000);
    let client = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "client", "namespace": "default"},
        "spec": {"containers": [{"name": "client", "image": "busybox", "args": ["sleep", "3600"]}]}
    });
    assert!(cluster.create_json(Kind::Pod, client).is_ok());
    let from = Origin::Pod("default".into(), "client".into());
    assert_eq!(
        traffic::start(&mut cluster, "default", "web", from, 10),
        Ok(())
    );
    cluster.advance(100);
    assert_eq!(cluster.network().traffic().failed_total(), 0);
    assert!(cluster.network().traffic().answered_total().is_empty());
    cluster.advance(60_000);
    let answered = cluster.network().traffic().answered_total().clone();
    assert!(
        answered.get("1.26").is_some_and(|n| *n > 500),
        "{answered:?}"
    );
    assert_eq!(cluster.network().traffic().failed_total(), 0);
    let phase = cluster
        .store()
        .get::<kplay_core::types::Pod>("default", "client")
        .map(|p| kplay_core::pod::phase(p).to_string());
    assert_eq!(phase.as_deref(), Some("Running"));
    // busybox's `sleep` ignores SIGTERM: the client sends on for the 30 s grace period.
    assert!(cluster.delete(Kind::Pod, "default", "client").is_ok());
    cluster.advance(31_000);
    assert!(cluster
        .store()
        .get::<kplay_core::types::Pod>("default", "client")
        .is_none());
    let answered = cluster.network().traffic().answered_total().clone();
    cluster.advance(60_000);
    let after = cluster.network().traffic();
    assert_eq!(
        after.answered_total(),
        &answered,
        "a deleted client sends nothing"
    );
    assert_eq!(after.failed_total(), 0);
}

#[test]
fn a_network_policy_drops_outside_traffic_until_an_ip_block_allows_it() {
    let mut cluster = Cluster::new(1);
    assert!(cluster
        .create_json(Kind::Deployment, deployment(2, rolling(), None))
        .is_ok());
    assert!(cluster
        .create_json(Kind::Service, service("NodePort"))
        .is_ok());
    cluster.advance(20_000);
    let deny = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "deny", "namespace": "default"}, "spec": {"podSelector": {}}});
    assert!(cluster.create_json(Kind::NetworkPolicy, deny).is_ok());
    assert_eq!(
        traffic::start(&mut cluster, "default", "web", Origin::Outside, 10),
        Ok(())
    );
    cluster.advance(10_000);
    let traffic = cluster.network().traffic();
    assert_eq!(
        (traffic.answered_total().len(), traffic.failed_total()),
        (0, 101)
    );
    let dropped = traffic.recent().back().map(|r| r.outcome.clone());
    assert!(
        matches!(&dropped, Some(kplay_core::network::connect::Outcome::Dropped(d))
            if d.verdict.to_string().starts_with("dropped: ingress of the destination is isolated by default/deny")),
        "{dropped:?}"
    );
    // Outside clients reach the pods from the node's address (kube-proxy masquerades them).
    let allow = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "from-nodes", "namespace": "default"},
        "spec": {"podSelector": {"matchLabels": {"app": "web"}},
            "ingress": [{"from": [{"ipBlock": {"cidr": "172.18.0.0/16"}}]}]}});
    assert!(cluster.create_json(Kind::NetworkPolicy, allow).is_ok());
    cluster.advance(10_000);
    let traffic = cluster.network().traffic();
    assert_eq!(traffic.answered_total().get("1.26"), Some(&100));
    assert_eq!(traffic.failed_total(), 101);
}
