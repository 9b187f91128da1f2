//! The connectivity model behind the "Network policies" panel: which workloads (or pods) of
//! every namespace can open connections to which on each port, as the cluster's network
//! plugin judges them ([`kplay_core::network::policy`]); the same with the policy being
//! written, when it is valid, or what is wrong with it ([`crate::policy_draft`]); the
//! policies in force in one sentence each; and the sources and destinations the "block or
//! allow" form offers ([`crate::policy_writer`]). Read from the store when it changes or the
//! draft does (see [`crate::snapshot`]), never per frame.

use crate::policy_draft::{self, Problem};
use crate::policy_writer::Peer;
use crate::snapshot::NAMESPACE;
use kplay_core::network::connect;
use kplay_core::network::policy::{self, judge_with, Direction, End};
use kplay_core::types::{Deployment, IntOrString, Namespace, NetworkPolicy, Node, Pod};
use kplay_core::{labels, Cluster};
use kplay_kubectl::labels::format_selector;
use std::rc::Rc;
use yew::AttrValue;

/// The presets with a fixed text: name, and the spec after the metadata (policies of
/// `default`). "Allow from a namespace" is written by [`crate::policy_writer`] for the
/// namespace chosen.
pub const PRESETS: [(&str, &str); 3] = [
    (
        "default-deny-ingress",
        "spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n",
    ),
    (
        "default-deny-egress",
        "spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n",
    ),
    (
        "allow-dns",
        "spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    ports:\n    - port: 53\n      protocol: UDP\n    - port: 53\n      protocol: TCP\n",
    ),
];

/// The manifest of a policy `name` of the page's namespace with its `spec` text.
pub fn manifest(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {NAMESPACE}\n{spec}"
    )
}

/// What the learner chose that the model depends on: the app keeps it, the panel changes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Pods as rows and columns, instead of workloads.
    pub by_pod: bool,
    /// The YAML of the policy being written, if any.
    pub draft: Option<AttrValue>,
}

impl Options {
    /// The same choices with `draft` as the policy being written (or none).
    pub fn with_draft(&self, draft: Option<AttrValue>) -> Options {
        Options {
            draft,
            ..self.clone()
        }
    }
}

/// The most pods the matrix shows as rows and columns: every cell is a verdict computed on
/// each change, and a wider table cannot be read anyway.
pub const MAX_PODS: usize = 40;

/// One cell of the matrix: whether the connection is allowed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Whether the network plugin lets it through.
    pub allowed: bool,
    /// The verdict in words.
    pub reason: AttrValue,
}

/// The verdicts for one port: rows are the sources (each end, then outside the cluster),
/// columns the destinations (each end); `None` when a workload has no running pod.
pub type Grid = Vec<Vec<Option<Cell>>>;

/// The policy being written: its text, and what it would do or what is wrong with it.
#[derive(Debug, PartialEq)]
pub struct Draft {
    /// The YAML as typed.
    pub text: AttrValue,
    /// The policy in one sentence and the grids with it applied (per port), or its problems.
    pub outcome: Result<(AttrValue, Vec<Grid>), Vec<Problem>>,
    /// `namespace/name` of the policy when the cluster already has it exactly as written
    /// (it was applied), so there is nothing left to preview or apply.
    pub applied: Option<AttrValue>,
}

/// Who can connect to whom, now and with the draft, the policies in force, and the form's
/// choices: read from the store when it or the options change, like the rest of the snapshot.
#[derive(Debug, PartialEq)]
pub struct Connectivity {
    /// Whether the ends are pods (else workloads).
    pub by_pod: bool,
    /// How many running pods the matrix leaves out (past [`MAX_PODS`]).
    pub hidden: usize,
    /// The ends, `name` in the page's namespace and `namespace/name` elsewhere: the columns,
    /// and the first rows.
    pub ends: Vec<AttrValue>,
    /// The TCP ports their pods declare, in order (80 when none does).
    pub ports: Vec<i32>,
    /// Per port, the grid now.
    pub grids: Vec<Grid>,
    /// The policy being written.
    pub draft: Option<Draft>,
    /// The policies of every namespace: namespace, name, and what it does.
    pub policies: Vec<(AttrValue, AttrValue, AttrValue)>,
    /// What the form offers as sources and destinations: a label and the peer.
    pub peers: Vec<(AttrValue, Peer)>,
}

/// Whether the page leaves a namespace out of the matrix: the cluster's own.
fn system(namespace: &str) -> bool {
    namespace.starts_with("kube-")
}

/// How an object of `namespace` is named on the page.
fn label(namespace: &str, name: &str) -> AttrValue {
    if namespace == NAMESPACE {
        AttrValue::from(name.to_string())
    } else {
        AttrValue::from(format!("{namespace}/{name}"))
    }
}

/// The connectivity of the cluster's workloads, once a Deployment exists.
pub fn take(cluster: &Cluster, options: &Options) -> Option<Rc<Connectivity>> {
    let store = cluster.store();
    let live = |p: &&Pod| {
        p.metadata.deletion_timestamp.is_none()
            && p.status.as_ref().is_some_and(|s| s.pod_ip.is_some())
            && !system(p.metadata.namespace.as_deref().unwrap_or_default())
    };
    let deployments: Vec<&Deployment> = store
        .list::<Deployment>(None)
        .filter(|d| !system(d.metadata.namespace.as_deref().unwrap_or_default()))
        .collect();
    if deployments.is_empty() {
        return None;
    }
    let mut ends = Vec::new();
    let mut pods: Vec<Option<&Pod>> = Vec::new();
    let mut peers = Vec::new();
    for deployment in &deployments {
        let namespace = deployment.metadata.namespace.as_deref().unwrap_or_default();
        let name = deployment.metadata.name.as_deref().unwrap_or_default();
        let selector = deployment
            .spec
            .as_ref()
            .map(|s| s.selector.clone())
            .unwrap_or_default();
        if !options.by_pod {
            let pod = store
                .list::<Pod>(Some(namespace))
                .filter(live)
                .find(|p| labels::selector_matches(&selector, p.metadata.labels.as_ref()));
            ends.push(label(namespace, name));
            pods.push(pod);
        }
        let shown = format!("pods of deployment {}", label(namespace, name));
        let (namespace, name) = (namespace.to_string(), name.to_string());
        peers.push((
            AttrValue::from(shown),
            Peer::Pods {
                namespace,
                name,
                selector,
            },
        ));
    }
    let mut hidden = 0;
    if options.by_pod {
        let running: Vec<&Pod> = store.list::<Pod>(None).filter(live).collect();
        hidden = running.len().saturating_sub(MAX_PODS);
        for pod in running.into_iter().take(MAX_PODS) {
            let meta = &pod.metadata;
            let namespace = meta.namespace.as_deref().unwrap_or_default();
            ends.push(label(namespace, meta.name.as_deref().unwrap_or_default()));
            pods.push(Some(pod));
        }
    }
    for namespace in store.list::<Namespace>(None) {
        let name = namespace.metadata.name.clone().unwrap_or_default();
        let shown = AttrValue::from(format!("every pod of namespace {name}"));
        peers.push((shown, Peer::Namespace(name)));
    }
    peers.push(("outside the cluster".into(), Peer::Outside));
    let mut ports: Vec<i32> = pods
        .iter()
        .flatten()
        .flat_map(|p| p.spec.iter().flat_map(|s| s.containers.iter()))
        .flat_map(|c| c.ports.iter().flatten())
        .filter(|p| p.protocol.as_deref().unwrap_or("TCP") == "TCP")
        .map(|p| p.container_port)
        .collect();
    ports.sort_unstable();
    ports.dedup();
    if ports.is_empty() {
        ports.push(80);
    }
    // A client outside the cluster arrives from a node's address (kube-proxy masquerades it).
    let outside = store
        .list::<Node>(None)
        .flat_map(connect::node_ips)
        .next()
        .unwrap_or_default()
        .to_string();
    let grid = |port: i32, extra: &[NetworkPolicy]| -> Grid {
        let sources = pods
            .iter()
            .map(|p| p.map(End::Pod))
            .chain([Some(End::Address(&outside))]);
        sources
            .map(|from| {
                pods.iter()
                    .map(|to| {
                        let (from, to) = (from?, (*to)?);
                        let verdict = judge_with(cluster, extra, from, End::Pod(to), port, "TCP");
                        Some(Cell {
                            allowed: verdict.allowed(),
                            reason: verdict.to_string().into(),
                        })
                    })
                    .collect()
            })
            .collect()
    };
    let draft = options.draft.as_ref().map(|text| {
        let checked = policy_draft::check(cluster, text);
        let applied = checked.as_ref().ok().and_then(|policy| {
            let meta = &policy.metadata;
            let namespace = meta.namespace.as_deref().unwrap_or(NAMESPACE);
            let name = meta.name.as_deref()?;
            let stored = store.get::<NetworkPolicy>(namespace, name)?;
            (stored.spec == policy.spec).then(|| AttrValue::from(format!("{namespace}/{name}")))
        });
        let outcome = checked.map(|policy| {
            let grids = ports
                .iter()
                .map(|&port| grid(port, std::slice::from_ref(&policy)));
            (AttrValue::from(explain(&policy)), grids.collect())
        });
        Draft {
            text: text.clone(),
            outcome,
            applied,
        }
    });
    let grids = ports.iter().map(|&port| grid(port, &[])).collect();
    let policies = store
        .list::<NetworkPolicy>(None)
        .map(|p| {
            let namespace = p.metadata.namespace.clone().unwrap_or_default();
            let name = p.metadata.name.clone().unwrap_or_default();
            (namespace.into(), name.into(), AttrValue::from(explain(p)))
        })
        .collect();
    Some(Rc::new(Connectivity {
        by_pod: options.by_pod,
        hidden,
        ends,
        ports,
        grids,
        draft,
        policies,
        peers,
    }))
}

/// What a policy does, in one sentence per isolated direction.
fn explain(policy: &NetworkPolicy) -> String {
    let Some(spec) = &policy.spec else {
        return String::new();
    };
    let selected = match format_selector(Some(&spec.pod_selector)).as_str() {
        "<none>" => "all pods".to_string(),
        selector => format!("pods {selector}"),
    };
    let namespace = policy.metadata.namespace.as_deref().unwrap_or(NAMESPACE);
    let mut text = format!("Selects {selected} in namespace {namespace}.");
    let types = policy::policy_types(policy);
    for direction in [Direction::Ingress, Direction::Egress] {
        if !types.contains(&direction.name()) {
            continue;
        }
        let (what, word) = match direction {
            Direction::Ingress => ("Ingress", "from"),
            Direction::Egress => ("Egress", "to"),
        };
        let rules: Vec<String> = policy::rules(spec, direction)
            .into_iter()
            .map(|(peers, ports)| {
                let peers = match peers {
                    None | Some([]) => "anywhere".to_string(),
                    Some(peers) => peers.iter().map(peer_text).collect::<Vec<_>>().join(" or "),
                };
                let ports = match ports {
                    None | Some([]) => "any port".to_string(),
                    Some(ports) => ports.iter().map(port_text).collect::<Vec<_>>().join(", "),
                };
                format!("{word} {peers} on {ports}")
            })
            .collect();
        if rules.is_empty() {
            text.push_str(&format!(" {what}: isolated, nothing allowed."));
        } else {
            text.push_str(&format!(" {what}: only {}.", rules.join("; ")));
        }
    }
    text
}

/// A rule's port in words: `TCP 80`, `TCP 8000-8100`, `UDP dns`, `TCP any port`.
fn port_text(port: &kplay_core::types::NetworkPolicyPort) -> String {
    let protocol = port.protocol.as_deref().unwrap_or("TCP");
    let number = match &port.port {
        None => "any port".to_string(),
        Some(IntOrString::Int(n)) => match port.end_port {
            Some(end) => format!("{n}-{end}"),
            None => n.to_string(),
        },
        Some(IntOrString::String(name)) => name.clone(),
    };
    format!("{protocol} {number}")
}

/// A peer in words: pods and namespaces by selector, or an address block.
fn peer_text(peer: &kplay_core::types::NetworkPolicyPeer) -> String {
    if let Some(block) = &peer.ip_block {
        let except = block.except.as_deref().unwrap_or_default();
        return if except.is_empty() {
            format!("addresses {}", block.cidr)
        } else {
            format!("addresses {} except {}", block.cidr, except.join(", "))
        };
    }
    let pods = match peer.pod_selector.as_ref().map(|s| format_selector(Some(s))) {
        None => "all pods".to_string(),
        Some(s) if s == "<none>" => "all pods".to_string(),
        Some(s) => format!("pods {s}"),
    };
    match peer
        .namespace_selector
        .as_ref()
        .map(|s| format_selector(Some(s)))
    {
        None => format!("{pods} of this namespace"),
        Some(s) if s == "<none>" => format!("{pods} of every namespace"),
        Some(s) => format!("{pods} of namespaces {s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_are_explained_in_one_sentence() {
        let deny = manifest(
            "deny",
            "spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n",
        );
        let allow = manifest(
            "allow",
            "spec:\n  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          run: client\n    - namespaceSelector: {}\n      podSelector:\n        matchLabels:\n          role: probe\n    ports:\n    - port: 80\n    - port: 8000\n      endPort: 8100\n",
        );
        let table = [
            (deny, "Selects all pods in namespace default. Ingress: isolated, nothing allowed."),
            (allow, "Selects pods app=web in namespace default. Ingress: only from pods run=client of this namespace or pods role=probe of every namespace on TCP 80, TCP 8000-8100."),
            (
                manifest("dns", PRESETS[2].1),
                "Selects all pods in namespace default. Egress: only to pods k8s-app=kube-dns of namespaces kubernetes.io/metadata.name=kube-system on UDP 53, TCP 53.",
            ),
        ];
        let cluster = Cluster::new(1);
        for (text, expected) in table {
            let policy = policy_draft::check(&cluster, &text).ok();
            assert_eq!(
                policy.as_ref().map(explain).as_deref(),
                Some(expected),
                "{text}"
            );
        }
    }
}
