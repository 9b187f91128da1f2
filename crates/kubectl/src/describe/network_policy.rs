//! `describeNetworkPolicy` (describe.go): the selected pods, then what each direction allows,
//! rule by rule, with the sentences kubectl prints for empty lists.

use super::{annotations_multiline, labels_multiline, Writer};
use crate::labels::format_selector;
use kplay_core::network::policy::{self, Direction, Rule};
use kplay_core::types::{IntOrString, NetworkPolicy, NetworkPolicyPeer};

/// Writes the description of `policy`.
pub(super) fn network_policy(w: &mut Writer, policy: &NetworkPolicy) {
    let meta = &policy.metadata;
    w.field(0, "Name", meta.name.as_deref().unwrap_or(""));
    w.field(0, "Namespace", meta.namespace.as_deref().unwrap_or(""));
    // metav1.Time's String(): Go's time.Time format.
    let created = meta
        .creation_timestamp
        .as_ref()
        .map(|t| {
            kplay_core::time::format_rfc3339(t.0)
                .replace('T', " ")
                .replace('Z', " +0000 UTC")
        })
        .unwrap_or_default();
    w.field(0, "Created on", &created);
    labels_multiline(w, "Labels", meta.labels.as_ref());
    annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    let spec = policy.spec.clone().unwrap_or_default();
    w.write(0, "Spec:\n");
    let selector = &spec.pod_selector;
    let selects_all = selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(|e| e.is_empty());
    // No tab: describe.go writes this line past the tabwriter's columns.
    w.write(1, "PodSelector: ");
    if selects_all {
        w.write(
            2,
            "<none> (Allowing the specific traffic to all pods in this namespace)\n",
        );
    } else {
        w.write(2, &format!("{}\n", format_selector(Some(selector))));
    }
    let types = policy::policy_types(policy);
    for direction in [Direction::Ingress, Direction::Egress] {
        let name = direction.name().to_ascii_lowercase();
        if types.contains(&direction.name()) {
            w.write(1, &format!("Allowing {name} traffic:\n"));
            write_rules(w, &policy::rules(&spec, direction), direction);
        } else {
            w.write(1, &format!("Not affecting {name} traffic\n"));
        }
    }
    w.write(1, &format!("Policy Types: {}\n", types.join(", ")));
}

/// `printNetworkPolicySpecIngressFrom` and `printNetworkPolicySpecEgressTo`.
fn write_rules(w: &mut Writer, rules: &[Rule<'_>], direction: Direction) {
    const INDENT: &str = "    ";
    let (name, peer_title, any_peer) = match direction {
        Direction::Ingress => (
            "ingress",
            "From",
            "From: <any> (traffic not restricted by source)",
        ),
        Direction::Egress => (
            "egress",
            "To",
            "To: <any> (traffic not restricted by destination)",
        ),
    };
    if rules.is_empty() {
        w.write(
            0,
            &format!("{INDENT}<none> (Selected pods are isolated for {name} connectivity)\n"),
        );
        return;
    }
    for (i, (peers, ports)) in rules.iter().enumerate() {
        match ports {
            None | Some([]) => w.write(
                0,
                &format!("{INDENT}To Port: <any> (traffic allowed to all ports)\n"),
            ),
            Some(ports) => {
                for port in *ports {
                    let number = match &port.port {
                        Some(IntOrString::Int(n)) => n.to_string(),
                        Some(IntOrString::String(s)) => s.clone(),
                        None => "<nil>".to_string(),
                    };
                    let protocol = port.protocol.as_deref().unwrap_or("TCP");
                    w.write(0, &format!("{INDENT}To Port: {number}/{protocol}\n"));
                }
            }
        }
        match peers {
            None | Some([]) => w.write(0, &format!("{INDENT}{any_peer}\n")),
            Some(peers) => {
                for peer in *peers {
                    w.write(0, &format!("{INDENT}{peer_title}:\n"));
                    write_peer(w, peer, INDENT);
                }
            }
        }
        if i + 1 != rules.len() {
            w.write(0, &format!("{INDENT}----------\n"));
        }
    }
}

/// One peer: its selectors, or its IP block.
fn write_peer(w: &mut Writer, peer: &NetworkPolicyPeer, indent: &str) {
    let namespace = peer.namespace_selector.as_ref();
    let pod = peer.pod_selector.as_ref();
    if let Some(selector) = namespace {
        w.write(
            1,
            &format!(
                "{indent}NamespaceSelector: {}\n",
                format_selector(Some(selector))
            ),
        );
    }
    if let Some(selector) = pod {
        w.write(
            1,
            &format!("{indent}PodSelector: {}\n", format_selector(Some(selector))),
        );
    }
    if let (None, None, Some(block)) = (namespace, pod, &peer.ip_block) {
        w.write(1, &format!("{indent}IPBlock:\n"));
        w.write(2, &format!("{indent}CIDR: {}\n", block.cidr));
        let except = block.except.as_deref().unwrap_or_default().join(", ");
        w.write(2, &format!("{indent}Except: {except}\n"));
    }
}
