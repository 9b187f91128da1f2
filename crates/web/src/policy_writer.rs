//! The NetworkPolicies the "block or allow" form writes. A source (a Deployment's pods, a
//! namespace's pods, or clients outside the cluster), a destination (a Deployment's pods or a
//! namespace's pods) and an optional TCP port become one policy on the destination's ingress.
//! A policy can only ever allow, so "block" isolates the destination and allows every source
//! except the chosen one: the negation of a label selector is a union of peers, one per
//! negated requirement (`app In (web)` becomes `app NotIn (web)`, which also matches pods
//! without the label), as the API's selector semantics give it.

use kplay_core::bootstrap::POD_NETWORK;
use kplay_core::types::{
    IPBlock, IntOrString, LabelSelector, LabelSelectorRequirement, NetworkPolicy,
    NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec, ObjectMeta,
};
use kplay_core::Object;
use std::collections::BTreeMap;

/// The label the API server puts on every namespace, with the namespace's name.
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The highest port number.
const MAX_PORT: i32 = 65_535;

/// One end the form offers.
#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    /// The pods of a Deployment: its namespace, name and selector.
    Pods {
        /// The Deployment's namespace.
        namespace: String,
        /// The Deployment's name.
        name: String,
        /// The Deployment's `spec.selector`.
        selector: LabelSelector,
    },
    /// Every pod of a namespace.
    Namespace(String),
    /// Clients outside the pod network (they arrive from a node's address).
    Outside,
}

impl Peer {
    /// How the peer appears in the name of a policy of `namespace`: a Deployment of another
    /// namespace carries its namespace, so asks about two Deployments of one name never write
    /// (and so replace) the same policy.
    fn slug(&self, namespace: &str) -> String {
        match self {
            Peer::Pods {
                namespace: theirs,
                name,
                ..
            } if theirs != namespace => format!("{theirs}-{name}"),
            Peer::Pods { name, .. } => name.clone(),
            Peer::Namespace(namespace) => format!("namespace-{namespace}"),
            Peer::Outside => "outside".into(),
        }
    }
}

/// What the learner asked for: allow or block `from` reaching `to`, on one TCP port or all.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    /// Allow (true) or block (false).
    pub allow: bool,
    /// The source.
    pub from: Peer,
    /// The destination; [`Peer::Outside`] has no pods to select and writes nothing.
    pub to: Peer,
    /// The TCP port, or every port and protocol.
    pub port: Option<i32>,
}

/// The policy that does what `ask` says, as YAML for the editor; `None` for a destination
/// outside the cluster.
pub fn write(ask: &Ask) -> Option<String> {
    let (namespace, pod_selector) = match &ask.to {
        Peer::Pods {
            namespace,
            selector,
            ..
        } => (namespace.clone(), selector.clone()),
        Peer::Namespace(namespace) => (namespace.clone(), LabelSelector::default()),
        Peer::Outside => return None,
    };
    let verb = if ask.allow { "allow" } else { "block" };
    let mut name = format!(
        "{verb}-{}-to-{}",
        ask.from.slug(&namespace),
        ask.to.slug(&namespace)
    );
    if let Some(port) = ask.port {
        name.push_str(&format!("-{port}"));
    }
    let peers = if ask.allow {
        vec![peer(&ask.from, &namespace)]
    } else {
        everyone_but(&ask.from, &namespace)
    };
    let chosen = NetworkPolicyIngressRule {
        from: Some(peers),
        ports: ask.port.map(|p| vec![tcp(p, None)]),
        ..Default::default()
    };
    let mut ingress = vec![chosen];
    if let (false, Some(port)) = (ask.allow, ask.port) {
        // Blocking one port leaves the others open to everyone, as they were.
        ingress.push(NetworkPolicyIngressRule {
            ports: Some(other_ports(port)),
            ..Default::default()
        });
    }
    let policy = NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(namespace),
            ..Default::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector,
            policy_types: Some(vec!["Ingress".into()]),
            ingress: Some(ingress),
            ..Default::default()
        }),
        ..Default::default()
    };
    let json = Object::NetworkPolicy(Box::new(policy)).to_json();
    Some(kplay_kubectl::printers::yaml::to_yaml(&json))
}

/// The peer that matches `from`, in a policy of `namespace`.
fn peer(from: &Peer, namespace: &str) -> NetworkPolicyPeer {
    match from {
        Peer::Pods {
            namespace: theirs,
            selector,
            ..
        } => pods_in(theirs, namespace, selector.clone()),
        Peer::Namespace(theirs) => NetworkPolicyPeer {
            namespace_selector: Some(named(theirs)),
            ..Default::default()
        },
        Peer::Outside => outside(),
    }
}

/// Peers that match every source except `from`, in a policy of `namespace`.
fn everyone_but(from: &Peer, namespace: &str) -> Vec<NetworkPolicyPeer> {
    let other_namespaces = |theirs: &str| NetworkPolicyPeer {
        namespace_selector: Some(requirement(NAMESPACE_NAME_LABEL, "NotIn", Some(theirs))),
        ..Default::default()
    };
    match from {
        Peer::Pods {
            namespace: theirs,
            selector,
            ..
        } => {
            // The other pods of their namespace: one peer per negated requirement.
            let negated = requirements(selector).into_iter().map(|r| {
                let selector = LabelSelector {
                    match_expressions: Some(vec![negate(r)]),
                    ..Default::default()
                };
                pods_in(theirs, namespace, selector)
            });
            let mut peers: Vec<NetworkPolicyPeer> = negated.collect();
            peers.push(other_namespaces(theirs));
            peers.push(outside());
            peers
        }
        Peer::Namespace(theirs) => vec![other_namespaces(theirs), outside()],
        Peer::Outside => vec![NetworkPolicyPeer {
            namespace_selector: Some(LabelSelector::default()),
            ..Default::default()
        }],
    }
}

/// Pods `selector` matches in namespace `theirs`, from a policy of `namespace` (a podSelector
/// alone means the policy's own namespace).
fn pods_in(theirs: &str, namespace: &str, selector: LabelSelector) -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        pod_selector: Some(selector),
        namespace_selector: (theirs != namespace).then(|| named(theirs)),
        ..Default::default()
    }
}

/// Every address outside the pod network: clients outside the cluster, and the nodes.
fn outside() -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        ip_block: Some(IPBlock {
            cidr: "0.0.0.0/0".into(),
            except: Some(vec![POD_NETWORK.into()]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The namespace selector for namespace `name`.
fn named(name: &str) -> LabelSelector {
    LabelSelector {
        match_labels: Some(BTreeMap::from([(NAMESPACE_NAME_LABEL.into(), name.into())])),
        ..Default::default()
    }
}

/// A selector of one requirement.
fn requirement(key: &str, operator: &str, value: Option<&str>) -> LabelSelector {
    let requirement = LabelSelectorRequirement {
        key: key.into(),
        operator: operator.into(),
        values: value.map(|v| vec![v.into()]),
        ..Default::default()
    };
    LabelSelector {
        match_expressions: Some(vec![requirement]),
        ..Default::default()
    }
}

/// A selector's requirements, `matchLabels` as `In` with one value.
fn requirements(selector: &LabelSelector) -> Vec<LabelSelectorRequirement> {
    let labels = selector.match_labels.iter().flatten();
    let mut all: Vec<LabelSelectorRequirement> = labels
        .map(|(key, value)| LabelSelectorRequirement {
            key: key.clone(),
            operator: "In".into(),
            values: Some(vec![value.clone()]),
            ..Default::default()
        })
        .collect();
    all.extend(selector.match_expressions.iter().flatten().cloned());
    all
}

/// The requirement a label set meets exactly when it does not meet `requirement`.
fn negate(requirement: LabelSelectorRequirement) -> LabelSelectorRequirement {
    // A Deployment's selector passed the API's validation: these are its only operators.
    let operator = match requirement.operator.as_str() {
        "In" => "NotIn",
        "NotIn" => "In",
        "Exists" => "DoesNotExist",
        "DoesNotExist" => "Exists",
        other => other,
    }
    .to_string();
    LabelSelectorRequirement {
        operator,
        ..requirement
    }
}

/// A TCP port or range.
fn tcp(port: i32, end_port: Option<i32>) -> NetworkPolicyPort {
    NetworkPolicyPort {
        protocol: Some("TCP".into()),
        port: Some(IntOrString::Int(port)),
        end_port,
        ..Default::default()
    }
}

/// Every port but TCP `port`: the TCP ranges below and above it, and all of UDP and SCTP.
fn other_ports(port: i32) -> Vec<NetworkPolicyPort> {
    let mut ports = Vec::new();
    if port > 1 {
        ports.push(tcp(1, (port > 2).then_some(port - 1)));
    }
    if port < MAX_PORT {
        ports.push(tcp(port + 1, (port + 1 < MAX_PORT).then_some(MAX_PORT)));
    }
    for protocol in ["UDP", "SCTP"] {
        ports.push(NetworkPolicyPort {
            protocol: Some(protocol.into()),
            port: Some(IntOrString::Int(1)),
            end_port: Some(MAX_PORT),
            ..Default::default()
        });
    }
    ports
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::network::policy::{judge_with, End};
    use kplay_core::types::Pod;
    use kplay_core::Cluster;

    /// Deployments web, api (default) and probe (namespace other), running.
    fn cluster() -> Cluster {
        let mut cluster = Cluster::new(1);
        let script = "kubectl create namespace other\nkubectl create deployment web --image=nginx\nkubectl create deployment api --image=nginx\nkubectl create deployment probe --image=nginx -n other\nsleep 60s\n";
        crate::command::run(&mut cluster, script);
        cluster
    }

    fn pods(namespace: &str, name: &str) -> Peer {
        let labels = BTreeMap::from([("app".to_string(), name.to_string())]);
        Peer::Pods {
            namespace: namespace.into(),
            name: name.into(),
            selector: LabelSelector {
                match_labels: Some(labels),
                ..Default::default()
            },
        }
    }

    /// Whether a connection from `from` (`ns/app`, or `outside`) to `to` on TCP `port` gets
    /// through with `policy` applied.
    fn allowed(cluster: &Cluster, policy: &NetworkPolicy, from: &str, to: &str, port: i32) -> bool {
        let pod = |id: &str| -> Option<&Pod> {
            let (ns, app) = id.split_once('/').unwrap_or(("default", id));
            let mut pods = cluster.store().list::<Pod>(None);
            pods.find(|p| {
                p.metadata.namespace.as_deref() == Some(ns)
                    && p.metadata
                        .labels
                        .as_ref()
                        .and_then(|l| l.get("app"))
                        .map(String::as_str)
                        == Some(app)
            })
        };
        let Some(to) = pod(to) else {
            panic!("no pod {to}");
        };
        let from = match from {
            "outside" => End::Address("172.18.0.2"),
            id => match pod(id) {
                Some(p) => End::Pod(p),
                None => panic!("no pod {id}"),
            },
        };
        judge_with(
            cluster,
            std::slice::from_ref(policy),
            from,
            End::Pod(to),
            port,
            "TCP",
        )
        .allowed()
    }

    #[test]
    fn written_policies_do_what_the_form_says() {
        let cluster = cluster();
        let sources = ["web", "api", "other/probe", "outside"];
        // (ask, name, the sources that reach api on TCP 80, and on TCP 81)
        let table: Vec<(Ask, &str, Vec<&str>, Vec<&str>)> = vec![
            (
                Ask {
                    allow: false,
                    from: pods("default", "web"),
                    to: pods("default", "api"),
                    port: None,
                },
                "block-web-to-api",
                vec!["api", "other/probe", "outside"],
                vec!["api", "other/probe", "outside"],
            ),
            (
                Ask {
                    allow: false,
                    from: pods("default", "web"),
                    to: pods("default", "api"),
                    port: Some(80),
                },
                "block-web-to-api-80",
                vec!["api", "other/probe", "outside"],
                vec!["web", "api", "other/probe", "outside"],
            ),
            (
                Ask {
                    allow: true,
                    from: pods("default", "web"),
                    to: pods("default", "api"),
                    port: Some(80),
                },
                "allow-web-to-api-80",
                vec!["web"],
                vec![],
            ),
            (
                Ask {
                    allow: false,
                    from: Peer::Namespace("other".into()),
                    to: pods("default", "api"),
                    port: None,
                },
                "block-namespace-other-to-api",
                vec!["web", "api", "outside"],
                vec!["web", "api", "outside"],
            ),
            (
                Ask {
                    allow: true,
                    from: Peer::Namespace("other".into()),
                    to: Peer::Namespace("default".into()),
                    port: None,
                },
                "allow-namespace-other-to-namespace-default",
                vec!["other/probe"],
                vec!["other/probe"],
            ),
            (
                Ask {
                    allow: false,
                    from: Peer::Outside,
                    to: pods("default", "api"),
                    port: Some(81),
                },
                "block-outside-to-api-81",
                vec!["web", "api", "other/probe", "outside"],
                vec!["web", "api", "other/probe"],
            ),
            (
                Ask {
                    allow: true,
                    from: Peer::Outside,
                    to: pods("default", "api"),
                    port: None,
                },
                "allow-outside-to-api",
                vec!["outside"],
                vec!["outside"],
            ),
            (
                Ask {
                    allow: true,
                    from: pods("other", "probe"),
                    to: pods("default", "api"),
                    port: Some(81),
                },
                "allow-other-probe-to-api-81",
                vec![],
                vec!["other/probe"],
            ),
        ];
        for (ask, name, on_80, on_81) in table {
            let text = write(&ask).unwrap_or_default();
            let policy = crate::policy_draft::check(&cluster, &text);
            let Ok(policy) = policy else {
                panic!("{text}\n{policy:?}");
            };
            assert_eq!(policy.metadata.name.as_deref(), Some(name));
            for (port, expected) in [(80, on_80), (81, on_81)] {
                let reached: Vec<&str> = sources
                    .iter()
                    .copied()
                    .filter(|from| allowed(&cluster, &policy, from, "api", port))
                    .collect();
                assert_eq!(reached, expected, "{name}, TCP {port}:\n{text}");
            }
        }
        assert_eq!(
            write(&Ask {
                allow: true,
                from: Peer::Outside,
                to: Peer::Outside,
                port: None
            }),
            None
        );
    }

    #[test]
    fn each_operator_negates_to_its_opposite() {
        // The four operators of metav1.LabelSelectorRequirement.
        let table = [
            ("In", "NotIn"),
            ("NotIn", "In"),
            ("Exists", "DoesNotExist"),
            ("DoesNotExist", "Exists"),
        ];
        for (operator, expected) in table {
            let requirement = LabelSelectorRequirement {
                key: "app".into(),
                operator: operator.into(),
                ..Default::default()
            };
            assert_eq!(negate(requirement).operator, expected, "{operator}");
        }
    }

    #[test]
    fn deployments_of_one_name_in_two_namespaces_write_two_policies() {
        let name = |from: Peer| {
            let to = pods("default", "api");
            let ask = Ask {
                allow: false,
                from,
                to,
                port: None,
            };
            write(&ask).and_then(|t| t.lines().nth(3).map(str::to_string))
        };
        let table = [
            (pods("default", "web"), "  name: block-web-to-api"),
            (pods("a", "web"), "  name: block-a-web-to-api"),
            (pods("b", "web"), "  name: block-b-web-to-api"),
            (
                Peer::Namespace("web".into()),
                "  name: block-namespace-web-to-api",
            ),
        ];
        for (from, expected) in table {
            assert_eq!(name(from).as_deref(), Some(expected));
        }
    }

    #[test]
    fn blocking_one_port_keeps_every_other_port_and_protocol_open() {
        let ranges = |port| -> Vec<String> {
            other_ports(port)
                .iter()
                .map(|p| {
                    let start = match &p.port {
                        Some(IntOrString::Int(n)) => *n,
                        _ => 0,
                    };
                    let end = p.end_port.map(|e| format!("-{e}")).unwrap_or_default();
                    format!("{} {start}{end}", p.protocol.as_deref().unwrap_or(""))
                })
                .collect()
        };
        let table = [
            (
                80,
                vec!["TCP 1-79", "TCP 81-65535", "UDP 1-65535", "SCTP 1-65535"],
            ),
            (1, vec!["TCP 2-65535", "UDP 1-65535", "SCTP 1-65535"]),
            (
                2,
                vec!["TCP 1", "TCP 3-65535", "UDP 1-65535", "SCTP 1-65535"],
            ),
            (
                65_534,
                vec!["TCP 1-65533", "TCP 65535", "UDP 1-65535", "SCTP 1-65535"],
            ),
            (65_535, vec!["TCP 1-65534", "UDP 1-65535", "SCTP 1-65535"]),
        ];
        for (port, expected) in table {
            assert_eq!(ranges(port), expected, "{port}");
        }
    }
}
