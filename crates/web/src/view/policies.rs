//! "Network policies": which workloads can open connections to which on a port, as the
//! cluster's network plugin judges them now ([`kplay_core::network::policy`]), each verdict
//! explained; the policies in force in one sentence each; and presets that write a policy,
//! show its YAML and what it would change in the matrix, and apply it on confirmation.

use super::form;
use crate::snapshot::NAMESPACE;
use kplay_core::network::policy::{self, judge_with, Direction, End};
use kplay_core::types::{Deployment, IntOrString, NetworkPolicy, Node, Pod};
use kplay_core::{labels, Cluster, Kind, Object};
use kplay_kubectl::labels::format_selector;
use std::rc::Rc;
use yew::prelude::*;

/// The presets: name, what it does in one sentence, and its manifest.
const PRESETS: [(&str, &str, &str); 4] = [
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
fn manifest(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n{spec}"
    )
}

/// One cell of the matrix: whether the connection is allowed, and why.
#[derive(Clone, PartialEq)]
struct Cell {
    allowed: bool,
    reason: AttrValue,
}

/// The verdicts for one port: rows are the sources (each Deployment, then outside the
/// cluster), columns the destinations (each Deployment); `None` when a workload has no pod.
type Grid = Vec<Vec<Option<Cell>>>;

/// Everything the panel shows, computed from the cluster.
#[derive(PartialEq)]
struct Data {
    workloads: Vec<AttrValue>,
    ports: Vec<i32>,
    /// Per port: the grid now, and with each preset applied.
    grids: Vec<(Grid, Vec<Grid>)>,
    /// The policies of the namespace: name and what it does.
    policies: Vec<(AttrValue, AttrValue)>,
}

/// The panel, once a Deployment exists.
pub fn panel(cluster: &Cluster, run: &Callback<String>) -> Html {
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
        return html! {};
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
    let outside = store
        .list::<Node>(None)
        .flat_map(|n| n.status.iter().flat_map(|s| s.addresses.iter().flatten()))
        .map(|a| a.address.clone())
        .next()
        .unwrap_or_default();
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
    let data = Rc::new(Data {
        workloads,
        ports,
        grids,
        policies,
    });
    html! { <Policies {data} run={run.clone()} /> }
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
                    Some(ports) => ports
                        .iter()
                        .map(|p| {
                            let protocol = p.protocol.as_deref().unwrap_or("TCP");
                            let number = match &p.port {
                                None => "any port".to_string(),
                                Some(IntOrString::Int(n)) => match p.end_port {
                                    Some(end) => format!("{n}-{end}"),
                                    None => n.to_string(),
                                },
                                Some(IntOrString::String(name)) => name.clone(),
                            };
                            format!("{protocol} {number}")
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
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

/// Props of [`Policies`].
#[derive(Properties, PartialEq)]
struct PoliciesProps {
    data: Rc<Data>,
    run: Callback<String>,
}

/// The panel: policies, the matrix for a port, presets with their preview.
#[function_component]
fn Policies(props: &PoliciesProps) -> Html {
    let data = &props.data;
    let port = use_state(String::new);
    let preset = use_state(String::new);
    let picked = use_state(|| Option::<(usize, usize)>::None);
    let port_index = data
        .ports
        .iter()
        .position(|p| p.to_string() == *port)
        .unwrap_or(0);
    let preset_index = PRESETS.iter().position(|(name, _, _)| *name == *preset);
    let Some((now, previews)) = data.grids.get(port_index) else {
        return html! {};
    };
    let shown_port = data.ports.get(port_index).copied().unwrap_or(80);
    let preview = preset_index.and_then(|i| previews.get(i));
    let reason = picked.and_then(|(r, c)| {
        let cell = now.get(r)?.get(c)?.as_ref()?;
        let from = data
            .workloads
            .get(r)
            .map_or("outside the cluster", |w| w.as_str());
        Some(format!(
            "{from} → {}: {}",
            data.workloads.get(c)?,
            cell.reason
        ))
    });
    // Open while policies exist, until the learner decides: the state is the app's, not the
    // DOM's, so re-renders never open or close it under the learner.
    let open = use_state(|| Option::<bool>::None);
    let shown = open.unwrap_or(!data.policies.is_empty());
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            open.set(Some(!shown));
        })
    };
    html! {
        <details class="card policies" data-testid="policies" open={shown}>
            <summary onclick={toggle}>{"Network policies"}</summary>
            <p class="hint">{"The cluster's network plugin enforces NetworkPolicies here; on a real cluster that depends on the CNI plugin (Calico and Cilium do, flannel alone does not). A policy only ever allows: once one selects a pod for a direction, only what some policy allows gets through."}</p>
            if data.policies.is_empty() {
                <p>{"No NetworkPolicy in default: every pod accepts every connection."}</p>
            } else {
                <ul class="policy-list">
                    { for data.policies.iter().map(|(name, text)| html! {
                        <li key={name.as_str()}><code>{format!("networkpolicy/{name}")}</code>{" "}{text.clone()}</li>
                    }) }
                </ul>
            }
            <label class="field">{"Port "}
                <select aria-label="Connectivity port" onchange={form::chosen_into(&port)}>
                    { for data.ports.iter().map(|p| html! {
                        <option value={p.to_string()} selected={*p == shown_port}>{format!("TCP {p}")}</option>
                    }) }
                </select>
            </label>
            <p class="hint">{"Each row's pods open connections to each column's pods; focus a cell for the reason."}</p>
            { matrix(data, now, None, "Connectivity now", Some(&picked)) }
            if let Some(reason) = reason {
                <p class="verdict" data-testid="verdict">{reason}</p>
            }
            <h3>{"Write a policy"}</h3>
            <label class="field">{"Preset "}
                <select aria-label="Policy preset" onchange={form::chosen_into(&preset)}>
                    <option value="" selected={preset_index.is_none()}>{"choose…"}</option>
                    { for PRESETS.iter().map(|(name, _, _)| html! {
                        <option value={*name} selected={*preset == *name}>{*name}</option>
                    }) }
                </select>
            </label>
            if let (Some(i), Some(grid)) = (preset_index, preview) {
                { preset_view(data, now, grid, i, &props.run, &preset) }
            }
        </details>
    }
}

/// A chosen preset: its sentence and YAML, the matrix it would give, and Apply.
fn preset_view(
    data: &Data,
    now: &Grid,
    grid: &Grid,
    index: usize,
    run: &Callback<String>,
    chosen: &UseStateHandle<String>,
) -> Html {
    let Some((name, sentence, spec)) = PRESETS.get(index) else {
        return html! {};
    };
    let line = format!("kubectl apply -f - <<EOF\n{}EOF", manifest(name, spec));
    let apply = {
        let (run, chosen, line) = (run.clone(), chosen.clone(), line.clone());
        // Applied, the preview would only repeat the matrix above: close it.
        Callback::from(move |_: MouseEvent| {
            run.emit(line.clone());
            chosen.set(String::new());
        })
    };
    html! {
        <section class="preset" aria-label="Preset preview">
            <p>{*sentence}</p>
            <pre>{line.clone()}</pre>
            { matrix(data, grid, Some(now), "With this policy", None) }
            <button type="button" class="btn" onclick={apply}>{"Apply"}</button>
        </section>
    }
}

/// A matrix: sources down, destinations across; a cell is ✓ or ✕ (never colour alone) and
/// says why when focused or clicked; `before` marks the cells a preview changes.
fn matrix(
    data: &Data,
    grid: &Grid,
    before: Option<&Grid>,
    caption: &str,
    picked: Option<&UseStateHandle<Option<(usize, usize)>>>,
) -> Html {
    let name = |r: usize| data.workloads.get(r).map_or("outside", |w| w.as_str());
    html! {
        <table class="matrix" aria-label={caption.to_string()}>
            <caption>{caption}</caption>
            <tr><th scope="col">{"from \\ to"}</th>
                { for data.workloads.iter().map(|w| html! { <th scope="col">{w.clone()}</th> }) }
            </tr>
            { for grid.iter().enumerate().map(|(r, row)| html! {
                <tr><th scope="row">{name(r)}</th>
                    { for row.iter().enumerate().map(|(c, cell)| {
                        let Some(cell) = cell else {
                            return html! { <td class="none" title="no running pod">{"–"}</td> };
                        };
                        let changed = before
                            .and_then(|b| b.get(r)?.get(c)?.as_ref())
                            .is_some_and(|b| b.allowed != cell.allowed);
                        let label = format!("{} to {}: {}", name(r), data.workloads.get(c).map_or("", |w| w.as_str()), cell.reason);
                        let focus = picked.map(|p| {
                            let p = p.clone();
                            Callback::from(move |_: FocusEvent| p.set(Some((r, c))))
                        });
                        let click = picked.map(|p| {
                            let p = p.clone();
                            Callback::from(move |_: MouseEvent| p.set(Some((r, c))))
                        });
                        html! {
                            <td class={classes!(if cell.allowed { "ok" } else { "blocked" }, changed.then_some("changed"))}>
                                <button type="button" aria-label={label.clone()} title={label}
                                    data-testid={format!("cell-{}-{}", name(r), data.workloads.get(c).map_or("", |w| w.as_str()))}
                                    onfocus={focus} onclick={click}>
                                    {if cell.allowed { "✓" } else { "✕" }}
                                </button>
                            </td>
                        }
                    }) }
                </tr>
            }) }
        </table>
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
