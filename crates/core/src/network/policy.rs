//! NetworkPolicy enforcement, as the NetworkPolicy API defines it and the upstream e2e tests
//! check it (K8S-SEMANTICS.md §D): a pod is isolated in a direction once a policy of its
//! namespace selects it with that policy type; an isolated direction allows only what some
//! rule of some selecting policy allows (a union, order-free); a connection needs the source's
//! egress and the destination's ingress. Policies see pod IPs (after kube-proxy's DNAT), named
//! ports resolve on the destination pod, and every verdict says which policy and rule allowed
//! it, or which policies isolate the pod that none of whose rules did.

use crate::labels::selector_matches;
use crate::service::ipallocator;
use crate::types::{
    IntOrString, LabelSelector, Namespace, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec, Pod,
};
use crate::Cluster;
use std::fmt;

/// One end of a connection as policies see it.
#[derive(Debug, Clone, Copy)]
pub enum End<'a> {
    /// A pod of the cluster.
    Pod(&'a Pod),
    /// An address outside the pod network (a client outside the cluster, as seen after
    /// kube-proxy's masquerade).
    Address(&'a str),
}

impl End<'_> {
    /// The end's IP, if known.
    fn ip(&self) -> Option<&str> {
        match self {
            End::Pod(pod) => super::connect::pod_ip(pod),
            End::Address(ip) => Some(ip),
        }
    }
}

/// How one direction judged a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// Not isolated in this direction: every connection is allowed.
    Open,
    /// Allowed by rule `rule` (counted from 0) of the policy `policy`.
    Allowed {
        /// `namespace/name` of the policy.
        policy: String,
        /// The index of the rule in its `ingress` or `egress` list.
        rule: usize,
    },
    /// Isolated by these policies (`namespace/name`), and no rule of theirs allows it.
    Denied {
        /// The policies that select the pod in this direction.
        isolating: Vec<String>,
    },
}

/// The network plugin's verdict on one connection: the source's egress and the
/// destination's ingress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The source pod's egress (Open for a source outside the pod network).
    pub egress: Judgement,
    /// The destination pod's ingress.
    pub ingress: Judgement,
}

impl Verdict {
    /// Whether both directions allow the connection.
    pub fn allowed(&self) -> bool {
        !matches!(self.egress, Judgement::Denied { .. })
            && !matches!(self.ingress, Judgement::Denied { .. })
    }
}

impl fmt::Display for Verdict {
    /// One sentence: what decided, e.g. `dropped: ingress of the destination is isolated by
    /// default/deny-all and no rule allows it`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |judgement: &Judgement, direction: &str, end: &str| match judgement {
            Judgement::Open => format!("{direction} of the {end} is not isolated"),
            Judgement::Allowed { policy, rule } => {
                format!("{direction} rule {rule} of {policy} allows it")
            }
            Judgement::Denied { isolating } => format!(
                "{direction} of the {end} is isolated by {} and no rule allows it",
                isolating.join(", ")
            ),
        };
        let egress = side(&self.egress, "egress", "source");
        let ingress = side(&self.ingress, "ingress", "destination");
        match (&self.egress, &self.ingress) {
            (Judgement::Denied { .. }, Judgement::Denied { .. }) => {
                write!(f, "dropped: {egress}; {ingress}")
            }
            (Judgement::Denied { .. }, _) => write!(f, "dropped: {egress}"),
            (_, Judgement::Denied { .. }) => write!(f, "dropped: {ingress}"),
            _ => write!(f, "allowed: {egress}; {ingress}"),
        }
    }
}

/// Which direction a policy rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Connections to the selected pods (`ingress`, peers in `from`).
    Ingress,
    /// Connections from the selected pods (`egress`, peers in `to`).
    Egress,
}

impl Direction {
    /// The policy type that isolates this direction: `Ingress` or `Egress`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }
}

/// A rule's peers and ports, ingress (`from`) or egress (`to`) alike.
pub type Rule<'a> = (
    Option<&'a [NetworkPolicyPeer]>,
    Option<&'a [NetworkPolicyPort]>,
);

/// The rules of `spec` for `direction`, in order.
pub fn rules(spec: &NetworkPolicySpec, direction: Direction) -> Vec<Rule<'_>> {
    match direction {
        Direction::Ingress => spec
            .ingress
            .iter()
            .flatten()
            .map(|r| (r.from.as_deref(), r.ports.as_deref()))
            .collect(),
        Direction::Egress => spec
            .egress
            .iter()
            .flatten()
            .map(|r| (r.to.as_deref(), r.ports.as_deref()))
            .collect(),
    }
}

/// The verdict on a connection from `from` to `to` on the destination's `port`/`protocol`.
pub fn judge(cluster: &Cluster, from: End<'_>, to: End<'_>, port: i32, protocol: &str) -> Verdict {
    judge_with(cluster, &[], from, to, port, protocol)
}

/// The verdict as it would be with `extra` policies applied too (each replacing the policy
/// of its name, as `kubectl apply` would): what a policy would change, before it is applied.
pub fn judge_with(
    cluster: &Cluster,
    extra: &[NetworkPolicy],
    from: End<'_>,
    to: End<'_>,
    port: i32,
    protocol: &str,
) -> Verdict {
    let target = Target {
        pod: match to {
            End::Pod(pod) => Some(pod),
            End::Address(_) => None,
        },
        port,
        protocol,
    };
    let egress = match from {
        End::Pod(pod) => side(cluster, extra, pod, Direction::Egress, to, &target),
        End::Address(_) => Judgement::Open,
    };
    let ingress = match to {
        End::Pod(pod) => side(cluster, extra, pod, Direction::Ingress, from, &target),
        End::Address(_) => Judgement::Open,
    };
    Verdict { egress, ingress }
}

/// What the connection reaches: the destination pod (whose port names rules resolve) and port.
struct Target<'a> {
    pod: Option<&'a Pod>,
    port: i32,
    protocol: &'a str,
}

/// The judgement of `pod`'s policies in `direction` on a connection with `peer` at its other
/// end.
fn side(
    cluster: &Cluster,
    extra: &[NetworkPolicy],
    pod: &Pod,
    direction: Direction,
    peer: End<'_>,
    target: &Target<'_>,
) -> Judgement {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut isolating = Vec::new();
    let extra = extra
        .iter()
        .filter(|p| p.metadata.namespace.as_deref().unwrap_or("default") == namespace);
    let replaced = |p: &NetworkPolicy| extra.clone().any(|e| e.metadata.name == p.metadata.name);
    let stored = cluster.store().list::<NetworkPolicy>(Some(namespace));
    for policy in stored.filter(|p| !replaced(p)).chain(extra.clone()) {
        let Some(spec) = &policy.spec else { continue };
        if !selector_matches(&spec.pod_selector, pod.metadata.labels.as_ref())
            || !policy_types(policy).contains(&direction.name())
        {
            continue;
        }
        let name = format!(
            "{namespace}/{}",
            policy.metadata.name.as_deref().unwrap_or("")
        );
        for (index, (peers, ports)) in rules(spec, direction).into_iter().enumerate() {
            let peer_ok = match peers {
                None | Some([]) => true,
                Some(peers) => peers
                    .iter()
                    .any(|p| peer_matches(cluster, namespace, p, peer)),
            };
            let port_ok = match ports {
                None | Some([]) => true,
                Some(ports) => ports.iter().any(|p| port_matches(p, target)),
            };
            if peer_ok && port_ok {
                return Judgement::Allowed {
                    policy: name,
                    rule: index,
                };
            }
        }
        isolating.push(name);
    }
    if isolating.is_empty() {
        Judgement::Open
    } else {
        Judgement::Denied { isolating }
    }
}

/// The policy's types: as written, or as the API server defaults them (`Ingress`, and
/// `Egress` when it has egress rules).
pub fn policy_types(policy: &NetworkPolicy) -> Vec<&str> {
    let Some(spec) = &policy.spec else {
        return vec!["Ingress"];
    };
    match &spec.policy_types {
        Some(types) => types.iter().map(String::as_str).collect(),
        None if spec.egress.as_ref().is_some_and(|e| !e.is_empty()) => {
            vec!["Ingress", "Egress"]
        }
        None => vec!["Ingress"],
    }
}

/// Whether `peer` of a policy in `namespace` matches the other end of the connection.
fn peer_matches(
    cluster: &Cluster,
    namespace: &str,
    peer: &NetworkPolicyPeer,
    other: End<'_>,
) -> bool {
    if let Some(block) = &peer.ip_block {
        let Some(ip) = other.ip().and_then(ipallocator::parse) else {
            return false;
        };
        let inside = |cidr: &str| Cidr::parse(cidr).is_some_and(|c| c.contains(ip));
        return inside(&block.cidr) && !block.except.iter().flatten().any(|e| inside(e));
    }
    let End::Pod(pod) = other else {
        return false;
    };
    let pod_namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    let namespace_ok = match &peer.namespace_selector {
        // A podSelector alone means the policy's own namespace.
        None => pod_namespace == namespace,
        Some(selector) => namespace_matches(cluster, selector, pod_namespace),
    };
    let pod_ok = peer
        .pod_selector
        .as_ref()
        .is_none_or(|s| selector_matches(s, pod.metadata.labels.as_ref()));
    let has_selector = peer.pod_selector.is_some() || peer.namespace_selector.is_some();
    has_selector && namespace_ok && pod_ok
}

/// Whether the namespace `name` carries labels `selector` matches.
fn namespace_matches(cluster: &Cluster, selector: &LabelSelector, name: &str) -> bool {
    let namespace = cluster.store().get::<Namespace>("", name);
    selector_matches(selector, namespace.and_then(|n| n.metadata.labels.as_ref()))
}

/// Whether a rule's port matches the connection: the protocol (TCP when unset), and the port
/// by number, range (`port`..=`endPort`) or name (a container port of the destination pod).
fn port_matches(port: &NetworkPolicyPort, target: &Target<'_>) -> bool {
    if port.protocol.as_deref().unwrap_or("TCP") != target.protocol {
        return false;
    }
    match &port.port {
        None => true,
        Some(IntOrString::Int(number)) => {
            let end = port.end_port.unwrap_or(*number);
            (*number..=end).contains(&target.port)
        }
        Some(IntOrString::String(name)) => target.pod.is_some_and(|pod| {
            pod.spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .any(|p| {
                    p.name.as_deref() == Some(name.as_str())
                        && p.container_port == target.port
                        && p.protocol.as_deref().unwrap_or("TCP") == target.protocol
                })
        }),
    }
}

/// An IPv4 CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: u32,
    prefix: u32,
}

impl Cidr {
    /// Parses `a.b.c.d/n` (host bits allowed, as Go's `ParseCIDR` allows them).
    pub fn parse(text: &str) -> Option<Cidr> {
        let (ip, prefix) = text.split_once('/')?;
        let prefix: u32 = prefix.parse().ok().filter(|p| *p <= 32)?;
        if prefix.to_string().len() != text.len() - ip.len() - 1 {
            return None;
        }
        let ip = ipallocator::parse(ip)?;
        Some(Cidr {
            network: ip & Cidr::mask(prefix),
            prefix,
        })
    }

    fn mask(prefix: u32) -> u32 {
        u32::MAX.checked_shl(32 - prefix).unwrap_or(0)
    }

    /// Whether `ip` is inside the block.
    pub fn contains(&self, ip: u32) -> bool {
        ip & Cidr::mask(self.prefix) == self.network
    }

    /// Whether `other` is a strict subset of this block.
    pub fn strictly_contains(&self, other: &Cidr) -> bool {
        other.prefix > self.prefix && self.contains(other.network)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_parse_and_contain_as_go_does() {
        let block = Cidr::parse("10.244.1.0/24");
        assert!(block.is_some());
        let block = block.unwrap_or(Cidr {
            network: 0,
            prefix: 0,
        });
        let table = [
            ("10.244.1.7", true),
            ("10.244.2.7", false),
            ("10.244.1.255", true),
        ];
        for (ip, inside) in table {
            assert_eq!(
                ipallocator::parse(ip).map(|i| block.contains(i)),
                Some(inside),
                "{ip}"
            );
        }
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/+8",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
        assert_eq!(Cidr::parse("0.0.0.0/0").map(|c| c.contains(1)), Some(true));
        let inner = Cidr::parse("10.244.1.128/25");
        assert!(inner.is_some_and(|i| block.strictly_contains(&i)));
        assert!(!block.strictly_contains(&block));
    }
}
