//! The connectivity model behind the "Network policies" panel: which workloads of the page's
//! namespace can open connections to which on each port, as the cluster's network plugin
//! judges them ([`kplay_core::network::policy`]), now and with each preset policy applied,
//! and the policies in force in one sentence each. Read from the store when it changes (see
//! [`crate::snapshot`]), never per frame.

use crate::snapshot::NAMESPACE;
use kplay_core::network::connect;
use kplay_core::network::policy::{self, judge_with, Direction, End};
use kplay_core::types::{Deployment, IntOrString, NetworkPolicy, Node, Pod};
use kplay_core::{labels, Cluster, Kind, Object};
use kplay_kubectl::labels::format_selector;
use std::rc::Rc;
use yew::AttrValue;

/// The presets: name, what it does in one sentence, and its manifest.
pub const PRESETS: [(&str, &str, &str); 4] = [
    (
        "default-deny-ingress",
        "Every pod of default accepts no connection until another policy allows it.",
        "spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n",
    ),
    (
        "default-deny-egress",
        "Every pod of default opens no connection, DNS lookups included, until another policy allows it.",
        "spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n",
    ),
    (
        "allow-dns",
        "Every pod of default may ask the cluster DNS (CoreDNS in kube-system) on port 53.",
        "spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    ports:\n    - port: 53\n      protocol: UDP\n    - port: 53\n      protocol: TCP\n",
    ),
    (
        "allow-same-namespace",
        "Pods of default accept connections from pods of default only (not from other namespaces or outside the cluster).",
        "spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {}\n",
    ),
];

/// The manifest of preset `name` with its `spec` text.
pub fn manifest(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n{spec}"
    )
}

/// One cell of the matrix: whether the connection is allowed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Whether the network plugin lets it through.
    pub allowed: bool,
    /// The verdict in words.
    pub reason: AttrValue,
}

/// The verdicts for one port: rows are the sources (each Deployment, then outside the
/// cluster), columns the destinations (each Deployment); `None` when a workload has no pod.
pub type Grid = Vec<Vec<Option<Cell>>>;

/// Who can connect to whom in the page's namespace, now and with each preset, and the
/// policies in force: read from the store when it changes, like the rest of the snapshot.
#[derive(Debug, PartialEq, Eq)]
pub struct Connectivity {
    /// The Deployments, in name order: the columns, and the first rows.
    pub workloads: Vec<AttrValue>,
    /// The ports their pods declare, in order (80 when none does).
    pub ports: Vec<i32>,
    /// Per port: the grid now, and with each of [`PRESETS`] applied.
    pub grids: Vec<(Grid, Vec<Grid>)>,
    /// The policies of the namespace: name and what it does.
    pub policies: Vec<(AttrValue, AttrValue)>,
}

/// The connectivity of the page's namespace, once a Deployment exists.
pub fn take(cluster: &Cluster) -> Option<Rc<Connectivity>> {
    let store = cluster.store();
    let mut workloads = Vec::new();
    let mut pods: Vec<Option<&Pod>> = Vec::new();
    for deployment in store.list::<Deployment>(Some(NAMESPACE)) {
        let selector = deployment.spec.as_ref().map(|s| &s.selector);
        let pod = store.list::<Pod>(Some(NAMESPACE)).find(|p| {
            selector.is_some_and(|s| labels::selector_matches(s, p.metadata.labels.as_ref()))
                && p.metadata.deletion_timestamp.is_none()
                && p.status.as_ref().is_some_and(|s| s.pod_ip.is_some())
        });
        workloads.push(AttrValue::from(
            deployment.metadata.name.clone().unwrap_or_default(),
        ));
        pods.push(pod);
    }
    if workloads.is_empty() {
        return None;
    }
    let mut ports: Vec<i32> = pods
        .iter()
        .flatten()
        .flat_map(|p| p.spec.iter().flat_map(|s| s.containers.iter()))
        .flat_map(|c| c.ports.iter().flatten().map(|p| p.container_port))
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
    let presets: Vec<NetworkPolicy> = PRESETS
        .iter()
        .filter_map(|(name, _, spec)| preset_policy(&manifest(name, spec)))
        .collect();
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
    let grids = ports
        .iter()
        .map(|&port| {
            let previews = presets.iter().map(|p| grid(port, std::slice::from_ref(p)));
            (grid(port, &[]), previews.collect())
        })
        .collect();
    let policies = store
        .list::<NetworkPolicy>(Some(NAMESPACE))
        .map(|p| {
            let name = p.metadata.name.clone().unwrap_or_default();
            (AttrValue::from(name), AttrValue::from(explain(p)))
        })
        .collect();
    Some(Rc::new(Connectivity {
        workloads,
        ports,
        grids,
        policies,
    }))
}

/// A preset's manifest as the policy it would create in the namespace.
fn preset_policy(text: &str) -> Option<NetworkPolicy> {
    let (documents, _) = kplay_kubectl::manifest::parse(text);
    let mut value = documents.into_iter().next()?.value;
    value["metadata"]["namespace"] = NAMESPACE.into();
    match Object::from_json(Kind::NetworkPolicy, value) {
        Object::NetworkPolicy(policy) => Some(*policy),
        _ => None,
    }
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
    let mut text = format!("Selects {selected}.");
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
            (deny, "Selects all pods. Ingress: isolated, nothing allowed."),
            (allow, "Selects pods app=web. Ingress: only from pods run=client of this namespace or pods role=probe of every namespace on TCP 80, TCP 8000-8100."),
            (
                manifest("dns", PRESETS[2].2),
                "Selects all pods. Egress: only to pods k8s-app=kube-dns of namespaces kubernetes.io/metadata.name=kube-system on UDP 53, TCP 53.",
            ),
        ];
        for (text, expected) in table {
            let policy = preset_policy(&text);
            assert_eq!(
                policy.as_ref().map(explain).as_deref(),
                Some(expected),
                "{text}"
            );
        }
    }
}
