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

/// The connections on `port`/`protocol` whose verdict differs from the expected matrix (all
/// allowed, then each `(from, to, allowed)`), one line each with the verdict.
fn mismatches(
    cluster: &Cluster,
    port: i32,
    protocol: &str,
    exceptions: &[(&str, &str, bool)],
) -> Vec<String> {
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
    wrong
}

/// Checks the matrix on `port`/`protocol`: all allowed, then each `(from, to, allowed)`.
fn expect(cluster: &Cluster, port: i32, protocol: &str, exceptions: &[(&str, &str, bool)]) {
    let wrong = mismatches(cluster, port, protocol, exceptions);
    assert!(
        wrong.is_empty(),
        "port {port}/{protocol}:\n{}",
        wrong.join("\n")
    );
}

/// Exceptions to "everything connects": (from, to, allowed), later ones winning.
type Exceptions = &'static [(&'static str, &'static str, bool)];

/// A row of the truth table: policies (in namespace x unless said), then the matrix on each
/// probed port and protocol.
struct Case {
    name: &'static str,
    policies: Vec<(&'static str, Value)>,
    probes: Vec<(i32, &'static str, Exceptions)>,
}

/// A row whose policies are all in x and whose probes are all TCP.
fn case(name: &'static str, policies: Vec<Value>, ports: Vec<(i32, Exceptions)>) -> Case {
    Case {
        name,
        policies: policies.into_iter().map(|spec| ("x", spec)).collect(),
        probes: ports
            .into_iter()
            .map(|(port, exceptions)| (port, "TCP", exceptions))
            .collect(),
    }
}

impl Case {
    /// Adds a policy in `namespace` (applied after those in x).
    fn also_in(mut self, namespace: &'static str, spec: Value) -> Case {
        self.policies.push((namespace, spec));
        self
    }

    /// Adds a probe of UDP `port`.
    fn udp(mut self, port: i32, exceptions: Exceptions) -> Case {
        self.probes.push((port, "UDP", exceptions));
        self
    }
}

const ALL: Exceptions = &[];
const X_A_CLOSED: Exceptions = &[("*", "x/a", false)];

/// The cases of the upstream e2e suite and of cyclonus's generator as data: (what, the specs
/// of the policies in x, and per port the exceptions to "everything connects"). `cluster` is
/// the scaffold, for pod IPs (the simulation is deterministic, so every scaffold has the same).
fn cases(cluster: &Cluster) -> Vec<Case> {
    let a = json!({"matchLabels": {"pod": "a"}});
    let pods = |p: &str| json!({"matchLabels": {"pod": p}});
    let ns = |n: &str| json!({"matchLabels": {"ns": n}});
    let ip = |id: &str| format!("{}/32", pod_ip(cluster, id));
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
        // Ported from the upstream e2e suite (test/e2e/network/netpol/network_policy.go, the
        // `It` named in each comment) and cyclonus (pkg/generator, the generator named): the
        // expected matrices are theirs, on the full 3x3 scaffold.
        // e2e: "should enforce policy to allow ingress traffic for a target"
        case(
            "deny all plus allow all to one pod opens that pod only",
            vec![
                json!({"podSelector": {}}),
                json!({"podSelector": a, "ingress": [{"from": [
                    {"podSelector": {}, "namespaceSelector": {}}]}]}),
            ],
            vec![(80, &[("*", "x/*", false), ("*", "x/a", true)])],
        ),
        // e2e: "should enforce policy to allow ingress traffic from pods in all namespaces"
        case(
            "a namespaceSelector with empty matchLabels admits every namespace",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"namespaceSelector": {"matchLabels": {}}}]}]})],
            vec![(80, ALL)],
        ),
        // e2e: "should enforce policy based on PodSelector with MatchExpressions"
        case(
            "a podSelector peer with In",
            vec![json!({"podSelector": a, "ingress": [{"from": [{"podSelector": {"matchExpressions": [
                {"key": "pod", "operator": "In", "values": ["b"]}]}}]}]})],
            vec![(80, &[("*", "x/a", false), ("x/b", "x/a", true)])],
        ),
        // e2e: "should enforce policy based on NamespaceSelector with MatchExpressions"
        case(
            "a namespaceSelector peer with In on the namespace name label",
            vec![json!({"podSelector": a, "ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [
                {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["y"]}]}}]}]})],
            vec![(80, &[("*", "x/a", false), ("y/*", "x/a", true)])],
        ),
        // e2e: "should enforce policy based on PodSelector or NamespaceSelector"
        case(
            "NotIn namespaces OR a pod of the own namespace",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"namespaceSelector": {"matchExpressions": [
                    {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["x"]}]}},
                {"podSelector": pods("b")}]}]})],
            vec![(80, &[("x/c", "x/a", false)])],
        ),
        // e2e: "should enforce policy based on Multiple PodSelectors and NamespaceSelectors"
        case(
            "NotIn namespaces AND In pods in one peer",
            vec![json!({"podSelector": a, "ingress": [{"from": [{
                "namespaceSelector": {"matchExpressions": [
                    {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["x"]}]},
                "podSelector": {"matchExpressions": [
                    {"key": "pod", "operator": "In", "values": ["b", "c"]}]}}]}]})],
            vec![(
                80,
                &[
                    ("x/*", "x/a", false),
                    ("y/a", "x/a", false),
                    ("z/a", "x/a", false),
                ],
            )],
        ),
        // e2e: "should enforce policy based on any PodSelectors"
        case(
            "two podSelector peers admit both pods",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"podSelector": pods("b")}, {"podSelector": pods("c")}]}]})],
            vec![(
                80,
                &[
                    ("*", "x/a", false),
                    ("x/b", "x/a", true),
                    ("x/c", "x/a", true),
                ],
            )],
        ),
        // e2e: "should enforce policy to allow traffic only from a pod in a different namespace
        // based on PodSelector and NamespaceSelector", over TCP and (the [LinuxOnly] UDP
        // context) UDP
        case(
            "one pod of another namespace, TCP and UDP",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "y"}},
                 "podSelector": a}]}]})],
            vec![(80, &[("*", "x/a", false), ("y/a", "x/a", true)])],
        )
        .udp(80, &[("*", "x/a", false), ("y/a", "x/a", true)]),
        // e2e: "should enforce policy based on Ports"
        case(
            "a namespace on exactly one port",
            vec![json!({"podSelector": a, "ingress": [{
                "from": [{"namespaceSelector": ns("y")}],
                "ports": [{"port": 81, "protocol": "TCP"}]}]})],
            vec![
                (81, &[("*", "x/a", false), ("y/*", "x/a", true)]),
                (80, X_A_CLOSED),
            ],
        ),
        // e2e [LinuxOnly] UDP: "should enforce policy based on Ports"
        case(
            "a namespace on exactly one UDP port leaves that TCP port closed",
            vec![json!({"podSelector": a, "ingress": [{
                "from": [{"namespaceSelector": ns("y")}],
                "ports": [{"port": 81, "protocol": "UDP"}]}]})],
            vec![(81, X_A_CLOSED)],
        )
        .udp(81, &[("*", "x/a", false), ("y/*", "x/a", true)])
        .udp(80, X_A_CLOSED),
        // e2e: "should enforce multiple, stacked policies with overlapping podSelectors"
        case(
            "stacked policies on overlapping pods add their ports",
            vec![
                json!({"podSelector": a, "ingress": [{"from": [{"namespaceSelector": ns("y")}],
                    "ports": [{"port": 81, "protocol": "TCP"}]}]}),
                json!({"podSelector": a, "ingress": [{"from": [{"namespaceSelector": ns("y")}],
                    "ports": [{"port": 80, "protocol": "TCP"}]}]}),
            ],
            vec![
                (80, &[("*", "x/a", false), ("y/*", "x/a", true)]),
                (81, &[("*", "x/a", false), ("y/*", "x/a", true)]),
            ],
        ),
        // e2e: "should support allow-all policy"
        case(
            "allow all ingress on every pod",
            vec![json!({"podSelector": {}, "ingress": [{}]})],
            vec![(80, ALL), (81, ALL)],
        ),
        // e2e: "should allow ingress access on one named port"
        case(
            "one named port for the whole namespace",
            vec![json!({"podSelector": {}, "ingress": [{"ports": [{"port": "serve-81-tcp"}]}]})],
            vec![(81, ALL), (80, &[("*", "x/*", false)])],
        ),
        // e2e: "should allow ingress access from namespace on one named port"
        case(
            "a namespace on one named port",
            vec![json!({"podSelector": a, "ingress": [{
                "from": [{"namespaceSelector": ns("y")}],
                "ports": [{"port": "serve-80-tcp", "protocol": "TCP"}]}]})],
            vec![
                (80, &[("*", "x/a", false), ("y/*", "x/a", true)]),
                (81, X_A_CLOSED),
            ],
        ),
        // e2e: "should allow egress access on one named port"
        case(
            "egress on one named port for the whole namespace",
            vec![json!({"podSelector": {}, "policyTypes": ["Egress"],
                "egress": [{"ports": [{"port": "serve-80-tcp"}]}]})],
            vec![(80, ALL), (81, &[("x/*", "*", false)])],
        ),
        // e2e: "should deny ingress from pods on other namespaces"
        case(
            "a podSelector {} peer admits the own namespace only",
            vec![json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]})],
            vec![(80, &[("y/*", "x/*", false), ("z/*", "x/*", false)])],
        ),
        // e2e: "should deny egress from pods based on PodSelector"
        case(
            "deny all egress of one pod",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"]})],
            vec![(80, &[("x/a", "*", false)])],
        ),
        // e2e: "should work with Ingress, Egress specified together"
        case(
            "ingress from a pod and egress on one port in one policy",
            vec![json!({"podSelector": a, "policyTypes": ["Egress", "Ingress"],
                "ingress": [{"from": [{"podSelector": pods("b")}]}],
                "egress": [{"ports": [{"port": 80}]}]})],
            vec![
                (80, &[("*", "x/a", false), ("x/b", "x/a", true)]),
                (
                    81,
                    &[
                        ("*", "x/a", false),
                        ("x/a", "*", false),
                        ("x/b", "x/a", true),
                    ],
                ),
            ],
        ),
        // e2e: "should support denying of egress traffic on the client side (even if the
        // server explicitly allows this traffic)"
        case(
            "the client's egress denies what the server's ingress allows",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"], "egress": [{"to": [
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "y"}},
                 "podSelector": a}]}]})],
            vec![(
                80,
                &[
                    ("x/a", "*", false),
                    ("*", "y/a", false),
                    ("x/a", "y/a", true),
                    ("*", "y/b", false),
                ],
            )],
        )
        .also_in("y", json!({"podSelector": a, "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "x"}},
             "podSelector": a}]}]}))
        .also_in("y", json!({"podSelector": pods("b"), "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "x"}},
             "podSelector": a}]}]})),
        // e2e: "should enforce egress policy allowing traffic to a server in a different
        // namespace based on PodSelector and NamespaceSelector"
        case(
            "egress to one pod of another namespace",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"], "egress": [{"to": [
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "y"}},
                 "podSelector": a}]}]})],
            vec![(80, &[("x/a", "*", false), ("x/a", "y/a", true)])],
        ),
        // e2e: "should enforce ingress policy allowing any port traffic to a server on a
        // specific protocol"
        case(
            "a protocol without a port allows every port of it",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"protocol": "TCP"}]}]})],
            vec![(80, ALL), (81, ALL)],
        )
        .udp(80, X_A_CLOSED),
        // e2e: "should enforce multiple ingress policies with ingress allow-all policy taking
        // precedence"
        case(
            "an allow-all ingress policy wins over a one-port one",
            vec![
                json!({"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}]}),
                json!({"podSelector": {}, "ingress": [{}]}),
            ],
            vec![(81, ALL)],
        ),
        // e2e: "should enforce multiple egress policies with egress allow-all policy taking
        // precedence"
        case(
            "an allow-all egress policy wins over a one-port one",
            vec![
                json!({"podSelector": {}, "policyTypes": ["Egress"],
                    "egress": [{"ports": [{"port": 80}]}]}),
                json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{}]}),
            ],
            vec![(81, ALL)],
        ),
        // e2e: "should allow egress access to server in CIDR block"
        case(
            "egress to one pod's IP",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"],
                "egress": [{"to": [{"ipBlock": {"cidr": ip("y/b")}}]}]})],
            vec![(80, &[("x/a", "*", false), ("x/a", "y/b", true)])],
        ),
        // e2e: "should enforce except clause while egress access to server in CIDR block"
        // (the large block is the pod network)
        case(
            "egress to the pod network except one pod",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"],
                "egress": [{"to": [{"ipBlock": {"cidr": "10.244.0.0/16", "except": [ip("x/b")]}}]}]})],
            vec![(80, &[("x/a", "x/b", false)])],
        ),
        // e2e: "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is
        // allowed"; cyclonus conflictcases.go: "allow CIDR, deny smaller CIDR": an except only
        // narrows its own peer, another policy's block still allows the IP (a union)
        case(
            "an IP excepted by one policy and allowed by another is allowed",
            vec![
                json!({"podSelector": a, "policyTypes": ["Egress"],
                    "egress": [{"to": [{"ipBlock": {"cidr": "10.244.0.0/16", "except": [ip("x/b")]}}]}]}),
                json!({"podSelector": a, "policyTypes": ["Egress"],
                    "egress": [{"to": [{"ipBlock": {"cidr": ip("x/b")}}]}]}),
            ],
            vec![(80, ALL)],
        ),
        // e2e: "should enforce policies to check ingress and egress policies can be controlled
        // independently based on PodSelector"
        case(
            "allow all egress and deny all ingress of one pod are independent",
            vec![
                json!({"podSelector": a, "policyTypes": ["Egress"], "egress": [{}]}),
                json!({"podSelector": a, "policyTypes": ["Ingress"]}),
            ],
            vec![(80, X_A_CLOSED)],
        ),
        // e2e: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the
        // plugin doesn't support SCTP"
        case(
            "an SCTP rule does not open TCP under deny all",
            vec![
                json!({"podSelector": {}}),
                json!({"podSelector": a, "ingress": [{"ports": [{"port": 81, "protocol": "SCTP"}]}]}),
            ],
            vec![(81, &[("*", "x/*", false)])],
        ),
        // e2e: "should enforce policy based on NamespaceSelector with MatchExpressions using
        // default ns label"
        case(
            "egress to namespaces NotIn one",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"], "egress": [{"to": [
                {"namespaceSelector": {"matchExpressions": [
                    {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["y"]}]}}]}]})],
            vec![(80, &[("x/a", "y/*", false)])],
        ),
        // e2e [LinuxOnly] UDP: "should support a 'default-deny-ingress' policy"
        case(
            "default deny ingress over UDP",
            vec![json!({"podSelector": {}})],
            vec![],
        )
        .udp(80, &[("*", "x/*", false)]),
        // cyclonus conflictcases.go AllowAllIngressDenyAllEgress (source x/b, destination y/c)
        case(
            "the source's deny-all egress wins over the destination's allow-all ingress",
            vec![json!({"podSelector": pods("b"), "policyTypes": ["Egress"]})],
            vec![(80, &[("x/b", "*", false)])],
        )
        .also_in("y", json!({"podSelector": pods("c"), "ingress": [{}]})),
        // cyclonus conflictcases.go AllowAllEgressDenyAllIngress
        case(
            "the destination's deny-all ingress wins over the source's allow-all egress",
            vec![json!({"podSelector": pods("b"), "policyTypes": ["Egress"], "egress": [{}]})],
            vec![(80, &[("*", "y/c", false)])],
        )
        .also_in("y", json!({"podSelector": pods("c"), "policyTypes": ["Ingress"]})),
        // cyclonus conflictcases.go DenyAllEgressAllowAllEgress
        case(
            "deny all egress plus allow all egress",
            vec![
                json!({"podSelector": pods("b"), "policyTypes": ["Egress"]}),
                json!({"podSelector": pods("b"), "policyTypes": ["Egress"], "egress": [{}]}),
            ],
            vec![(80, ALL)],
        ),
        // cyclonus conflictcases.go DenyAllEgressAllowAllEgressByPod
        case(
            "deny all egress plus egress to every namespace's pods",
            vec![
                json!({"podSelector": pods("b"), "policyTypes": ["Egress"], "egress": []}),
                json!({"podSelector": pods("b"), "policyTypes": ["Egress"],
                    "egress": [{"to": [{"namespaceSelector": {}}]}]}),
            ],
            vec![(80, ALL)],
        ),
        // cyclonus conflictcases.go DenyAllEgressByIPAllowAllEgressByPod
        case(
            "egress to a block holding no pod plus egress to every pod",
            vec![
                json!({"podSelector": pods("b"), "policyTypes": ["Egress"],
                    "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/31"}}]}]}),
                json!({"podSelector": pods("b"), "policyTypes": ["Egress"],
                    "egress": [{"to": [{"namespaceSelector": {}}]}]}),
            ],
            vec![(80, ALL)],
        ),
        // cyclonus conflictcases.go DenyAllEgressByIP
        case(
            "egress to a block holding no pod denies all egress",
            vec![json!({"podSelector": pods("b"), "policyTypes": ["Egress"],
                "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/31"}}]}]})],
            vec![(80, &[("x/b", "*", false)])],
        ),
        // cyclonus conflictcases.go DenyAllIngressByPodAllowAllIngressByIP
        case(
            "ingress from no namespace plus ingress from 0.0.0.0/0",
            vec![
                json!({"podSelector": pods("b"), "ingress": [{"from": [
                    {"namespaceSelector": {"matchLabels": {"this-will-never-happen": "qrs123"}}}]}]}),
                json!({"podSelector": pods("b"), "ingress": [{"from": [
                    {"ipBlock": {"cidr": "0.0.0.0/0"}}]}]}),
            ],
            vec![(80, ALL)],
        ),
        // cyclonus conflictcases.go DenyAllIngressByPod
        case(
            "ingress from a namespace label nobody has",
            vec![json!({"podSelector": pods("b"), "ingress": [{"from": [
                {"namespaceSelector": {"matchLabels": {"this-will-never-happen": "qrs123"}}}]}]})],
            vec![(80, &[("*", "x/b", false)])],
        ),
        // cyclonus peerscases.go: TagEmptyPeerSlice (a rule with `from: []` admits every peer)
        case(
            "an empty from list admits every peer",
            vec![json!({"podSelector": a, "ingress": [{"from": []}]})],
            vec![(80, ALL)],
        ),
        // cyclonus peerscases.go: TagAllPods + TagPolicyNamespace
        case(
            "a podSelector {} peer is every pod of the policy's namespace",
            vec![json!({"podSelector": a, "ingress": [{"from": [{"podSelector": {}}]}]})],
            vec![(80, &[("*", "x/a", false), ("x/*", "x/a", true)])],
        ),
        // cyclonus peerscases.go: TagPodsByLabel + TagNamespacesByLabel (pod c, ns x)
        case(
            "pods by label in namespaces by label",
            vec![json!({"podSelector": a, "ingress": [{"from": [
                {"podSelector": pods("c"), "namespaceSelector": ns("x")}]}]})],
            vec![(80, &[("*", "x/a", false), ("x/c", "x/a", true)])],
        ),
        // cyclonus peerscases.go: TagAllPods + TagNamespacesByLabel, egress
        case(
            "egress to every pod of namespaces by label",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"], "egress": [{"to": [
                {"podSelector": {}, "namespaceSelector": ns("x")}]}]})],
            vec![(80, &[("x/a", "*", false), ("x/a", "x/*", true)])],
        ),
        // cyclonus portprotocolcases.go: TagEmptyPortSlice (`ports: []` is every port)
        case(
            "an empty ports list admits every port and protocol",
            vec![json!({"podSelector": a, "ingress": [{"ports": []}]})],
            vec![(80, ALL), (81, ALL)],
        )
        .udp(80, ALL),
        // cyclonus portprotocolcases.go: TagNilPort + TagUDPProtocol
        case(
            "UDP on any port",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"protocol": "UDP"}]}]})],
            vec![(80, X_A_CLOSED)],
        )
        .udp(80, ALL)
        .udp(81, ALL),
        // cyclonus portprotocolcases.go: TagTwoPlusPortSlice (a named TCP port and UDP 80)
        case(
            "two ports of two protocols",
            vec![json!({"podSelector": a, "ingress": [{"ports": [
                {"port": "serve-81-tcp", "protocol": "TCP"}, {"port": 80, "protocol": "UDP"}]}]})],
            vec![(80, X_A_CLOSED), (81, ALL)],
        )
        .udp(80, ALL)
        .udp(81, X_A_CLOSED),
        // cyclonus portprotocolcases.go: TagSCTPProtocol with TagNilPort, egress
        case(
            "egress on SCTP only closes TCP",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"],
                "egress": [{"ports": [{"protocol": "SCTP"}]}]})],
            vec![(80, &[("x/a", "*", false)])],
        ),
        // cyclonus (features "end port"): a range reaching up to the probed port
        case(
            "a range 79-80 holds 80 but not 81",
            vec![json!({"podSelector": a, "ingress": [{"ports": [{"port": 79, "endPort": 80}]}]})],
            vec![(80, ALL), (81, X_A_CLOSED)],
        ),
        // cyclonus (features "end port"): a range starting at the probed port, egress
        case(
            "an egress range 81-82 holds 81 but not 80",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"],
                "egress": [{"ports": [{"port": 81, "endPort": 82}]}]})],
            vec![(80, &[("x/a", "*", false)]), (81, ALL)],
        ),
        // cyclonus (features "end port"): a UDP range does not hold TCP
        case(
            "a UDP range holds UDP only",
            vec![json!({"podSelector": a, "ingress": [{"ports": [
                {"port": 80, "endPort": 81, "protocol": "UDP"}]}]})],
            vec![(80, X_A_CLOSED)],
        )
        .udp(80, ALL)
        .udp(81, ALL),
        // cyclonus fragments.go baseTestPolicy: x/a admits pods In(b, c) of namespaces In(x, y)
        // on TCP 80, and reaches pods In(a, b) of namespaces In(y, z) on TCP 80 plus DNS (UDP
        // 53 anywhere)
        case(
            "cyclonus's base policy",
            vec![json!({"podSelector": a, "policyTypes": ["Ingress", "Egress"],
                "ingress": [{"ports": [{"port": 80, "protocol": "TCP"}], "from": [{
                    "podSelector": {"matchExpressions": [{"key": "pod", "operator": "In", "values": ["b", "c"]}]},
                    "namespaceSelector": {"matchExpressions": [{"key": "ns", "operator": "In", "values": ["x", "y"]}]}}]}],
                "egress": [
                    {"ports": [{"port": 80, "protocol": "TCP"}], "to": [{
                        "podSelector": {"matchExpressions": [{"key": "pod", "operator": "In", "values": ["a", "b"]}]},
                        "namespaceSelector": {"matchExpressions": [{"key": "ns", "operator": "In", "values": ["y", "z"]}]}}]},
                    {"ports": [{"port": 53, "protocol": "UDP"}]}]})],
            vec![
                (
                    80,
                    &[
                        ("*", "x/a", false),
                        ("x/b", "x/a", true),
                        ("x/c", "x/a", true),
                        ("y/b", "x/a", true),
                        ("y/c", "x/a", true),
                        ("x/a", "*", false),
                        ("x/a", "y/a", true),
                        ("x/a", "y/b", true),
                        ("x/a", "z/a", true),
                        ("x/a", "z/b", true),
                    ],
                ),
                (81, &[("*", "x/a", false), ("x/a", "*", false)]),
            ],
        )
        .udp(53, X_A_CLOSED),
        // cyclonus targets (DefaultTargets) with matchExpressions: Exists selects every
        // labelled pod, NotIn the others
        case(
            "a target podSelector with Exists",
            vec![json!({"podSelector": {"matchExpressions": [{"key": "pod", "operator": "Exists"}]}})],
            vec![(80, &[("*", "x/*", false)])],
        ),
        case(
            "a target podSelector with NotIn",
            vec![json!({"podSelector": {"matchExpressions": [
                {"key": "pod", "operator": "NotIn", "values": ["a"]}]}})],
            vec![(80, &[("*", "x/*", false), ("*", "x/a", true)])],
        ),
        // cyclonus peers with matchExpressions DoesNotExist: every scaffold namespace has the
        // label, so no peer matches
        case(
            "a namespaceSelector peer with DoesNotExist",
            vec![json!({"podSelector": a, "ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [
                {"key": "ns", "operator": "DoesNotExist"}]}}]}]})],
            vec![(80, X_A_CLOSED)],
        ),
        // cyclonus namespacecases.go: a policy isolates pods of its own namespace only
        case(
            "a policy in z isolates z only",
            vec![],
            vec![(80, &[("*", "z/*", false), ("z/*", "z/*", true)])],
        )
        .also_in("z", json!({"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]})),
        // API reference (NetworkPolicySpec.policyTypes): with policyTypes [Egress] the
        // ingress rules are ignored and ingress stays open
        case(
            "policyTypes Egress only ignores ingress rules",
            vec![json!({"podSelector": a, "policyTypes": ["Egress"],
                "ingress": [{"from": [{"podSelector": pods("b")}]}]})],
            vec![(80, &[("x/a", "*", false)])],
        ),
        // API reference: `ingress: []` with the Ingress type is deny all, like no ingress
        case(
            "an empty ingress list denies like a missing one",
            vec![json!({"podSelector": a, "policyTypes": ["Ingress"], "ingress": []})],
            vec![(80, X_A_CLOSED)],
        ),
    ]
}

#[test]
fn truth_table_of_the_upstream_e2e_cases() {
    let scaffolded = scaffold();
    let mut wrong = Vec::new();
    for case in cases(&scaffolded) {
        let mut cluster = scaffold();
        for (i, (namespace, spec)) in case.policies.into_iter().enumerate() {
            policy(&mut cluster, namespace, &format!("policy-{i}"), spec);
        }
        for (port, protocol, exceptions) in case.probes {
            for line in mismatches(&cluster, port, protocol, exceptions) {
                wrong.push(format!("{} (port {port}/{protocol}): {line}", case.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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

/// Egress of x/a to a CoreDNS pod (kube-system, `k8s-app=kube-dns`) under egress policies, on
/// UDP and TCP 53: (what, policy spec for x/a's namespace, UDP allowed, TCP allowed).
/// Sources: cyclonus fragments.go AllowDNSRule (UDP 53 to anywhere, the rule its generator
/// adds to every egress case) and the API reference's peer semantics.
#[test]
fn egress_to_coredns_by_rule() {
    let table = [
        // e2e "should deny egress from all pods in a namespace": DNS goes with everything else
        (
            "deny all egress",
            json!({"podSelector": {}, "policyTypes": ["Egress"]}),
            false,
            false,
        ),
        // cyclonus AllowDNSRule: a port with no peers, UDP only
        (
            "UDP 53 to anywhere",
            json!({"podSelector": {}, "policyTypes": ["Egress"],
                "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}),
            true,
            false,
        ),
        // namespaceSelector {} is every namespace, kube-system too
        (
            "every pod of every namespace",
            json!({"podSelector": {}, "policyTypes": ["Egress"],
                "egress": [{"to": [{"namespaceSelector": {}}]}]}),
            true,
            true,
        ),
        // a podSelector alone stays in the policy's namespace
        (
            "every pod of the own namespace",
            json!({"podSelector": {}, "policyTypes": ["Egress"],
                "egress": [{"to": [{"podSelector": {}}]}]}),
            false,
            false,
        ),
        // CoreDNS runs on the pod network, so a block of it holds its pods
        (
            "the pod network by ipBlock",
            json!({"podSelector": {}, "policyTypes": ["Egress"],
                "egress": [{"to": [{"ipBlock": {"cidr": "10.244.0.0/16"}}]}]}),
            true,
            true,
        ),
        // e2e "...NamespaceSelector with MatchExpressions using default ns label": NotIn y
        // still holds kube-system
        (
            "namespaces NotIn y",
            json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
                {"namespaceSelector": {"matchExpressions": [
                    {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["y"]}]}}]}]}),
            true,
            true,
        ),
        // TCP 53 by a port range, kube-dns pods by label in kube-system
        (
            "kube-dns pods on a TCP range",
            json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{
                "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                "ports": [{"port": 50, "endPort": 60, "protocol": "TCP"}]}]}),
            false,
            true,
        ),
    ];
    let mut wrong = Vec::new();
    for (what, spec, udp, tcp) in table {
        let mut cluster = scaffold();
        policy(&mut cluster, "x", "egress", spec);
        let coredns: Vec<Pod> = cluster
            .store()
            .list::<Pod>(Some("kube-system"))
            .filter(|p| {
                p.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("k8s-app"))
                    .is_some_and(|v| v == "kube-dns")
            })
            .cloned()
            .collect();
        assert!(!coredns.is_empty(), "the CoreDNS add-on runs");
        for dns in &coredns {
            for (protocol, want) in [("UDP", udp), ("TCP", tcp)] {
                let from = End::Pod(pod(&cluster, "x/a"));
                let verdict = judge(&cluster, from, End::Pod(dns), 53, protocol);
                if verdict.allowed() != want {
                    wrong.push(format!("{what} ({protocol} 53): want {want}, {verdict}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
