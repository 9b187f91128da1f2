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

/// The IP of pod `id`.
fn pod_ip(cluster: &Cluster, id: &str) -> String {
    kplay_core::network::connect::pod_ip(pod(cluster, id))
        .unwrap_or_default()
        .to_string()
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

/// Exceptions to "everything connects": (from, to, allowed), later ones winning.
type Exceptions = &'static [(&'static str, &'static str, bool)];

/// A row of the truth table: policies applied in namespace x, then the matrix on each port.
struct Case {
    name: &'static str,
    policies: Vec<Value>,
    ports: Vec<(i32, Exceptions)>,
}

fn case(name: &'static str, policies: Vec<Value>, ports: Vec<(i32, Exceptions)>) -> Case {
    Case {
        name,
        policies,
        ports,
    }
}

const ALL: Exceptions = &[];
const X_A_CLOSED: Exceptions = &[("*", "x/a", false)];

/// The cases of the upstream e2e suite as data: (what, the specs of the policies in x, and
/// per port the exceptions to "everything connects").
fn cases() -> Vec<Case> {
    let a = json!({"matchLabels": {"pod": "a"}});
    let pods = |p: &str| json!({"matchLabels": {"pod": p}});
    let ns = |n: &str| json!({"matchLabels": {"ns": n}});
    vec![
        case("no policies", vec![], vec![(80, ALL)]),
        case(
            "default deny ingress isolates every pod of its namespace only",
            vec![json!({"podSelector": {}})],
            vec![(80, &[("*", "x/*", false)])],
        ),
        case(
            "allow all wins over deny all",
            vec![
                json!({"podSelector": {}}),
                json!({"podSelector": {}, "ingress": [{}]}),
            ],
            vec![(80, ALL)],
        ),
        case(
            "default deny all isolates both directions",
            vec![json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})],
            vec![(80, &[("*", "x/*", false), ("x/*", "*", false)])],
        ),
        case(
            "a podSelector peer means the policy's own namespace",
            vec![json!({"podSelector": a, "ingress": [{"from": [{"podSelector": pods("b")}]}]})],
            vec![(80, &[("*", "x/a", false), ("x/b", "x/a", true)])],
        ),
        case(
            "a namespaceSelector peer admits every pod of those namespaces",
            vec![
                json!({"podSelector": a, "ingress": [{"from": [{"namespaceSelector": ns("y")}]}]}),
            ],
            vec![(80, &[("*", "x/a", false), ("y/*", "x/a", true)])],
        ),
        case(
            "selectors with matchExpressions",
            vec![json!({
                "podSelector": {"matchExpressions": [{"key": "pod", "operator": "In", "values": ["a"]}]},
                "ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [
                    {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["x"]}]}}]}]})],
            vec![(
                80,
                &[
                    ("*", "x/a", false),
                    ("y/*", "x/a", true),
                    ("z/*", "x/a", true),
                ],
            )],
        ),
        case(
            "two peers are OR",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"namespaceSelector": ns("y")}, {"podSelector": pods("b")}]}]})],
            vec![(
                80,
                &[
                    ("*", "x/a", false),
                    ("y/*", "x/a", true),
                    ("x/b", "x/a", true),
                ],
            )],
        ),
        case(
            "one peer with both selectors is AND",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"namespaceSelector": ns("y"), "podSelector": pods("b")}]}]})],
            vec![(80, &[("*", "x/a", false), ("y/b", "x/a", true)])],
        ),
        case(
            "an empty namespaceSelector with a podSelector means those pods everywhere",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"namespaceSelector": {}, "podSelector": pods("b")}]}]})],
            vec![(
                80,
                &[
                    ("*", "x/a", false),
                    ("x/b", "x/a", true),
                    ("y/b", "x/a", true),
                    ("z/b", "x/a", true),
                ],
            )],
        ),
        case(
            "a port by number",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"port": 81}]}]})],
            vec![(80, X_A_CLOSED), (81, ALL)],
        ),
        case(
            "a port by the destination's port name",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"port": "serve-81-tcp"}]}]})],
            vec![(80, X_A_CLOSED), (81, ALL)],
        ),
        case(
            "a range with endPort",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"port": 80, "endPort": 81}]}]})],
            vec![(80, ALL), (81, ALL)],
        ),
        case(
            "a range of one port",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"port": 80, "endPort": 80}]}]})],
            vec![(80, ALL), (81, X_A_CLOSED)],
        ),
        case(
            "a rule for UDP only still isolates TCP",
            vec![
                json!({"podSelector": a, "ingress": [{"ports": [{"port": 80, "protocol": "UDP"}]}]}),
            ],
            vec![(80, X_A_CLOSED)],
        ),
        case(
            "a port name no destination container has matches nothing",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"port": "serve-99-tcp"}]}]})],
            vec![(80, X_A_CLOSED), (81, X_A_CLOSED)],
        ),
        case(
            "egress to pods of the namespace",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"],
                "egress": [{"to": [{"podSelector": pods("b")}]}]})],
            vec![(80, &[("x/a", "*", false), ("x/a", "x/b", true)])],
        ),
        case(
            "named egress ports resolve on the destination pod",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"],
                "egress": [{"ports": [{"port": "serve-81-tcp"}]}]})],
            vec![(80, &[("x/a", "*", false)]), (81, ALL)],
        ),
        case(
            "an egress policy without policyTypes also isolates ingress",
            vec![json!({"podSelector": a, "egress": [{"to": [{"namespaceSelector": {}}]}]})],
            vec![(80, X_A_CLOSED)],
        ),
    ]
}

#[test]
fn truth_table_of_the_upstream_e2e_cases() {
    for case in cases() {
        let mut cluster = scaffold();
        for (i, spec) in case.policies.into_iter().enumerate() {
            policy(&mut cluster, "x", &format!("policy-{i}"), spec);
        }
        for (port, exceptions) in case.ports {
            eprintln!("{}: port {port}", case.name);
            expect(&cluster, port, "TCP", exceptions);
        }
    }
}

#[test]
fn ip_blocks_with_except_for_egress() {
    let mut cluster = scaffold();
    let yb = pod_ip(&cluster, "y/b");
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
fn an_ip_block_for_ingress() {
    let mut cluster = scaffold();
    let yc = pod_ip(&cluster, "y/c");
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
