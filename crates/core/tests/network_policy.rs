//! NetworkPolicy truth tables on the upstream e2e scaffold (test/e2e/network/netpol): namespaces
//! x, y and z, pods a, b and c in each (label `pod=<name>`), every pod serving TCP 80 and 81
//! on container ports named `serve-80-tcp` and `serve-81-tcp`. Each case applies policies and
//! compares the 9x9 reachability matrix for one port with the expected one, written as the
//! e2e tests write it: all allowed, then exceptions in order. Loopback is ignored, as there.

use kplay_core::network::policy::{judge, End, Judgement};
use kplay_core::types::Pod;
use kplay_core::{Cluster, Kind};
use serde_json::{json, Value};

const NAMESPACES: [&str; 3] = ["x", "y", "z"];
const PODS: [&str; 3] = ["a", "b", "c"];

/// A cluster with the scaffold running.
fn scaffold() -> Cluster {
    let mut cluster = Cluster::new(1);
    for ns in NAMESPACES {
        let namespace = json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ns, "labels": {"ns": ns}}});
        assert!(cluster.create_json(Kind::Namespace, namespace).is_ok());
        for pod in PODS {
            let manifest = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": pod, "namespace": ns, "labels": {"pod": pod}},
            "spec": {"containers": [{"name": "serve", "image": "agnhost",
                "ports": [
                    {"name": "serve-80-tcp", "containerPort": 80},
                    {"name": "serve-81-tcp", "containerPort": 81}
                ]}]}});
            assert!(cluster.create_json(Kind::Pod, manifest).is_ok());
        }
    }
    cluster.advance(30_000);
    cluster
}

/// Applies a NetworkPolicy `name` in `namespace` with `spec`.
fn policy(cluster: &mut Cluster, namespace: &str, name: &str, spec: Value) {
    let manifest = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace}, "spec": spec});
    let created = cluster.create_json(Kind::NetworkPolicy, manifest);
    assert!(created.is_ok(), "{created:?}");
}

fn pod<'a>(cluster: &'a Cluster, id: &str) -> &'a Pod {
    let (ns, name) = id.split_once('/').unwrap_or(("", id));
    let found = cluster.store().get::<Pod>(ns, name);
    assert!(found.is_some(), "pod {id}");
    found.unwrap_or_else(|| unreachable!())
}

/// Every pod, as `ns/name`.
fn ids() -> Vec<String> {
    NAMESPACES
        .iter()
        .flat_map(|ns| PODS.iter().map(move |p| format!("{ns}/{p}")))
        .collect()
}

/// Whether `pattern` (`*`, `x/*` or `x/a`) names `id`.
fn names(pattern: &str, id: &str) -> bool {
    pattern == "*"
        || pattern == id
        || pattern
            .strip_suffix("/*")
            .is_some_and(|ns| id.starts_with(&format!("{ns}/")))
}

/// Checks the matrix on `port`/`protocol`: all allowed, then each `(from, to, allowed)`.
fn expect(cluster: &Cluster, port: i32, protocol: &str, exceptions: &[(&str, &str, bool)]) {
    let mut wrong = Vec::new();
    for from in ids() {
        for to in ids() {
            if from == to {
                continue;
            }
            let mut want = true;
            for (f, t, allowed) in exceptions {
                if names(f, &from) && names(t, &to) {
                    want = *allowed;
                }
            }
            let verdict = judge(
                cluster,
                End::Pod(pod(cluster, &from)),
                End::Pod(pod(cluster, &to)),
                port,
                protocol,
            );
            if verdict.allowed() != want {
                wrong.push(format!("{from} -> {to}: want {want}, {verdict}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "port {port}/{protocol}:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn without_policies_everything_connects() {
    let cluster = scaffold();
    expect(&cluster, 80, "TCP", &[]);
}

#[test]
fn default_deny_ingress_isolates_every_pod_of_its_namespace_only() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "deny-ingress",
        json!({"podSelector": {}}),
    );
    expect(&cluster, 80, "TCP", &[("*", "x/*", false)]);
}

#[test]
fn allow_all_wins_over_deny_all() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "deny-ingress",
        json!({"podSelector": {}}),
    );
    policy(
        &mut cluster,
        "x",
        "allow-all",
        json!({"podSelector": {}, "ingress": [{}]}),
    );
    expect(&cluster, 80, "TCP", &[]);
}

#[test]
fn default_deny_all_isolates_both_directions() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "deny-all",
        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[("*", "x/*", false), ("x/*", "*", false)],
    );
}

#[test]
fn a_pod_selector_peer_means_the_policys_own_namespace() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "allow-b",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"pod": "b"}}}]}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[("*", "x/a", false), ("x/b", "x/a", true)],
    );
}

#[test]
fn a_namespace_selector_peer_admits_every_pod_of_those_namespaces() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "allow-y",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"ns": "y"}}}]}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[("*", "x/a", false), ("y/*", "x/a", true)],
    );
}

#[test]
fn selectors_with_match_expressions() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "not-x",
        json!({"podSelector": {"matchExpressions": [{"key": "pod", "operator": "In", "values": ["a"]}]},
            "ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [
                {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["x"]}]}}]}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[
            ("*", "x/a", false),
            ("y/*", "x/a", true),
            ("z/*", "x/a", true),
        ],
    );
}

#[test]
fn two_peers_are_or_and_one_peer_with_both_selectors_is_and() {
    let from_or = json!([
        {"namespaceSelector": {"matchLabels": {"ns": "y"}}},
        {"podSelector": {"matchLabels": {"pod": "b"}}}
    ]);
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "or",
        json!({"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"from": from_or}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[
            ("*", "x/a", false),
            ("y/*", "x/a", true),
            ("x/b", "x/a", true),
        ],
    );
    let from_and = json!([{
        "namespaceSelector": {"matchLabels": {"ns": "y"}},
        "podSelector": {"matchLabels": {"pod": "b"}}
    }]);
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "and",
        json!({"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"from": from_and}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[("*", "x/a", false), ("y/b", "x/a", true)],
    );
}

#[test]
fn ports_by_number_name_and_range_and_protocol() {
    let only = |ports: Value| {
        let mut cluster = scaffold();
        policy(
            &mut cluster,
            "x",
            "ports",
            json!({"podSelector": {"matchLabels": {"pod": "a"}}, "ingress": [{"ports": ports}]}),
        );
        cluster
    };
    let by_number = only(json!([{"port": 81}]));
    expect(&by_number, 80, "TCP", &[("*", "x/a", false)]);
    expect(&by_number, 81, "TCP", &[]);
    let by_name = only(json!([{"port": "serve-81-tcp"}]));
    expect(&by_name, 80, "TCP", &[("*", "x/a", false)]);
    expect(&by_name, 81, "TCP", &[]);
    let range = only(json!([{"port": 80, "endPort": 81}]));
    expect(&range, 80, "TCP", &[]);
    expect(&range, 81, "TCP", &[]);
    // A rule for UDP only still isolates the pod for TCP.
    let udp = only(json!([{"port": 80, "protocol": "UDP"}]));
    expect(&udp, 80, "TCP", &[("*", "x/a", false)]);
}

#[test]
fn egress_rules_and_ip_blocks() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "to-b",
        json!({"podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"podSelector": {"matchLabels": {"pod": "b"}}}]}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[("x/a", "*", false), ("x/a", "x/b", true)],
    );

    let mut cluster = scaffold();
    let yb = pod(&cluster, "y/b")
        .status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .unwrap_or_default();
    policy(
        &mut cluster,
        "x",
        "cidr",
        json!({"podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": [format!("{yb}/32")]}}]}]}),
    );
    expect(&cluster, 80, "TCP", &[("x/a", "y/b", false)]);
}

#[test]
fn an_egress_policy_without_policy_types_also_isolates_ingress() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "egress-only",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "egress": [{"to": [{"namespaceSelector": {}}]}]}),
    );
    expect(&cluster, 80, "TCP", &[("*", "x/a", false)]);
}

#[test]
fn verdicts_name_the_deciding_policy_and_rule() {
    let mut cluster = scaffold();
    policy(&mut cluster, "x", "deny", json!({"podSelector": {}}));
    policy(
        &mut cluster,
        "x",
        "allow-b",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "ingress": [{"ports": [{"port": 81}]}, {"from": [{"podSelector": {"matchLabels": {"pod": "b"}}}]}]}),
    );
    let verdict = |from: &str, to: &str| {
        judge(
            &cluster,
            End::Pod(pod(&cluster, from)),
            End::Pod(pod(&cluster, to)),
            80,
            "TCP",
        )
    };
    let allowed = verdict("x/b", "x/a");
    assert_eq!(
        allowed.ingress,
        Judgement::Allowed {
            policy: "x/allow-b".into(),
            rule: 1
        }
    );
    assert_eq!(allowed.egress, Judgement::Open);
    let denied = verdict("y/c", "x/a");
    assert_eq!(
        denied.to_string(),
        "dropped: ingress of the destination is isolated by x/allow-b, x/deny and no rule allows it"
    );
    assert!(verdict("x/a", "y/c").allowed());
}

#[test]
fn an_empty_namespace_selector_with_a_pod_selector_means_those_pods_everywhere() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "b-anywhere",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "ingress": [{"from": [{"namespaceSelector": {},
                "podSelector": {"matchLabels": {"pod": "b"}}}]}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[
            ("*", "x/a", false),
            ("x/b", "x/a", true),
            ("y/b", "x/a", true),
            ("z/b", "x/a", true),
        ],
    );
}

#[test]
fn named_ports_resolve_on_the_destination_pod_also_for_egress() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "egress-81",
        json!({"podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"ports": [{"port": "serve-81-tcp"}]}]}),
    );
    expect(&cluster, 80, "TCP", &[("x/a", "*", false)]);
    expect(&cluster, 81, "TCP", &[]);
    // A name no destination container has matches nothing.
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "no-such-name",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "ingress": [{"ports": [{"port": "serve-99-tcp"}]}]}),
    );
    expect(&cluster, 80, "TCP", &[("*", "x/a", false)]);
    expect(&cluster, 81, "TCP", &[("*", "x/a", false)]);
}

#[test]
fn a_range_of_one_port_and_an_ip_block_for_ingress() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "just-80",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "ingress": [{"ports": [{"port": 80, "endPort": 80}]}]}),
    );
    expect(&cluster, 80, "TCP", &[]);
    expect(&cluster, 81, "TCP", &[("*", "x/a", false)]);

    let mut cluster = scaffold();
    let yc = pod(&cluster, "y/c")
        .status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .unwrap_or_default();
    policy(
        &mut cluster,
        "x",
        "from-yc",
        json!({"podSelector": {"matchLabels": {"pod": "a"}},
            "ingress": [{"from": [{"ipBlock": {"cidr": format!("{yc}/32")}}]}]}),
    );
    expect(
        &cluster,
        80,
        "TCP",
        &[("*", "x/a", false), ("y/c", "x/a", true)],
    );
}

#[test]
fn egress_isolation_needs_dns_allowed_explicitly() {
    let mut cluster = scaffold();
    policy(
        &mut cluster,
        "x",
        "deny-egress",
        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
    );
    let coredns = cluster
        .store()
        .list::<Pod>(Some("kube-system"))
        .next()
        .cloned();
    assert!(coredns.is_some());
    let coredns = coredns.unwrap_or_default();
    let dns = |cluster: &Cluster| {
        judge(
            cluster,
            End::Pod(pod(cluster, "x/a")),
            End::Pod(&coredns),
            53,
            "UDP",
        )
        .allowed()
    };
    assert!(!dns(&cluster), "egress isolation blocks DNS too");
    policy(
        &mut cluster,
        "x",
        "allow-dns",
        json!({"podSelector": {}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}]}),
    );
    assert!(dns(&cluster), "the allow-DNS preset lets lookups through");
    expect(&cluster, 80, "TCP", &[("x/*", "*", false)]);
}
