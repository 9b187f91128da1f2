//! Tables as `kubectl get` prints them: the server-side column definitions of kubernetes
//! `pkg/printers/internalversion/printers.go` (v1.32), laid out like Go's tabwriter with
//! kubectl's settings (`printers.GetNewTabWriter`: minwidth 6, padding 3, pad with spaces;
//! the last column is not padded).

use crate::duration::human_duration;
use crate::labels::{format_labels, format_selector};
use crate::status::pod_row;
use kplay_core::time::millis_of;
use kplay_core::types::Time;
use kplay_core::types::{Container, Event, Namespace, Node, Pod, PodTemplateSpec, Service};
use kplay_core::types::{Deployment, EndpointSlice, Endpoints, ReplicaSet};
use kplay_core::{Kind, Millis, Object};

/// tabwriter's minimum cell width in kubectl's writer.
const MIN_WIDTH: usize = 6;
/// The padding kubectl's tabwriter adds after every cell but the last.
const PADDING: usize = 3;

/// Lays out rows as kubectl's tabwriter does: every column but the last is as wide as its
/// widest cell plus 3 (at least 6).
pub fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max((cell.chars().count() + PADDING).max(MIN_WIDTH));
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                out.push_str(&" ".repeat(widths[i] - cell.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}

/// The column headers for a kind (`wide` adds the `-o wide` columns).
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::NetworkPolicy => (&["NAME", "POD-SELECTOR", "AGE"], &[]),
        // The wide columns go around MESSAGE, in the server's column order (printers.go).
        Kind::Event if wide => (
            &[
                "LAST SEEN",
                "TYPE",
                "REASON",
                "OBJECT",
                "SUBOBJECT",
                "SOURCE",
                "MESSAGE",
                "FIRST SEEN",
                "COUNT",
                "NAME",
            ],
            &[],
        ),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
    };
    let mut headers = base.to_vec();
    if wide {
        headers.extend_from_slice(extra);
    }
    headers
}

/// The AGE of something created at `time`: kubectl's `translateTimestampSince`, on the
/// whole-second timestamp the API returns.
pub fn age(time: Option<&Time>, now: Millis) -> String {
    match time {
        Some(t) => {
            let created = millis_of(t);
            human_duration(now.saturating_sub(created - created % 1000))
        }
        None => "<unknown>".to_string(),
    }
}

/// The cells of one object's row (`name` is the NAME cell, which `get all` prefixes with
/// the kind).
pub fn row(object: &Object, name: String, now: Millis, wide: bool) -> Vec<String> {
    match object {
        Object::Deployment(d) => deployment_row(d, name, now, wide),
        Object::ReplicaSet(r) => replica_set_row(r, name, now, wide),
        Object::Pod(p) => pod_cells(p, name, now, wide),
        Object::Node(n) => node_row(n, name, now, wide),
        Object::Namespace(n) => namespace_row(n, name, now),
        Object::Service(s) => service_row(s, name, now, wide),
        Object::Event(e) => event_row(e, now, wide),
        Object::Endpoints(e) => vec![
            name,
            format_endpoints(e),
            age(e.metadata.creation_timestamp.as_ref(), now),
        ],
        Object::EndpointSlice(s) => endpoint_slice_row(s, name, now),
        // printers.go `printNetworkPolicy`.
        Object::NetworkPolicy(p) => vec![
            name,
            crate::labels::format_selector(p.spec.as_ref().map(|s| &s.pod_selector)),
            age(p.metadata.creation_timestamp.as_ref(), now),
        ],
    }
}

/// The most items the ENDPOINTS and PORTS cells list before ` + N more...` (printers.go).
const LIST_MAX: usize = 3;

/// printers.go `listWithMoreString`: the first items, ` + N more...` for the rest, or
/// `empty` when there are none.
fn list_with_more(items: Vec<String>, empty: &str) -> String {
    let count = items.len();
    if count == 0 {
        return empty.to_string();
    }
    let shown = items[..count.min(LIST_MAX)].join(",");
    if count > LIST_MAX {
        format!("{shown} + {} more...", count - LIST_MAX)
    } else {
        shown
    }
}

/// printers.go `formatEndpoints`: the ready addresses only, `ip:port` for each port of each
/// subset (just `ip` for a headless Service without ports), at most three, `<none>` if none.
fn format_endpoints(e: &Endpoints) -> String {
    let mut items = Vec::new();
    for subset in e.subsets.iter().flatten() {
        let addresses = subset.addresses.as_deref().unwrap_or_default();
        match subset.ports.as_deref() {
            None | Some([]) => items.extend(addresses.iter().map(|a| a.ip.clone())),
            Some(ports) => {
                for port in ports {
                    items.extend(addresses.iter().map(|a| format!("{}:{}", a.ip, port.port)));
                }
            }
        }
    }
    list_with_more(items, "<none>")
}

/// printers.go `printEndpointSlice`: PORTS are the port numbers (the name, or `*`, when a
/// port has none), ENDPOINTS every address whatever its conditions; empty lists print
/// `<unset>`.
fn endpoint_slice_row(s: &EndpointSlice, name: String, now: Millis) -> Vec<String> {
    let ports = s
        .ports
        .iter()
        .flatten()
        .map(|p| match (p.port, &p.name) {
            (Some(port), _) => port.to_string(),
            (None, Some(name)) => name.clone(),
            (None, None) => "*".to_string(),
        })
        .collect();
    let addresses = s
        .endpoints
        .iter()
        .flatten()
        .flat_map(|e| e.addresses.iter().cloned())
        .collect();
    vec![
        name,
        s.address_type.clone(),
        list_with_more(ports, "<unset>"),
        list_with_more(addresses, "<unset>"),
        age(s.metadata.creation_timestamp.as_ref(), now),
    ]
}

/// The CONTAINERS, IMAGES and SELECTOR cells of `-o wide` for workloads.
fn workload_wide(template: Option<&PodTemplateSpec>, selector: String) -> [String; 3] {
    let containers: &[Container] = template
        .and_then(|t| t.spec.as_ref())
        .map_or(&[], |s| s.containers.as_slice());
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers
        .iter()
        .map(|c| c.image.as_deref().unwrap_or(""))
        .collect();
    [names.join(","), images.join(","), selector]
}

fn deployment_row(d: &Deployment, name: String, now: Millis, wide: bool) -> Vec<String> {
    let spec = d.spec.as_ref();
    let status = d.status.clone().unwrap_or_default();
    let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
    let mut cells = vec![
        name,
        format!("{}/{desired}", status.ready_replicas.unwrap_or(0)),
        status.updated_replicas.unwrap_or(0).to_string(),
        status.available_replicas.unwrap_or(0).to_string(),
        age(d.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        cells.extend(workload_wide(
            spec.map(|s| &s.template),
            format_selector(spec.map(|s| &s.selector)),
        ));
    }
    cells
}

fn replica_set_row(r: &ReplicaSet, name: String, now: Millis, wide: bool) -> Vec<String> {
    let spec = r.spec.as_ref();
    let status = r.status.clone().unwrap_or_default();
    let mut cells = vec![
        name,
        spec.and_then(|s| s.replicas).unwrap_or(1).to_string(),
        status.replicas.to_string(),
        status.ready_replicas.unwrap_or(0).to_string(),
        age(r.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        cells.extend(workload_wide(
            spec.and_then(|s| s.template.as_ref()),
            format_selector(spec.map(|s| &s.selector)),
        ));
    }
    cells
}

fn pod_cells(p: &Pod, name: String, now: Millis, wide: bool) -> Vec<String> {
    let row = pod_row(p);
    let restarts = match row.last_restart {
        Some(at) if row.restarts != 0 => format!(
            "{} ({} ago)",
            row.restarts,
            human_duration(now.saturating_sub(at - at % 1000))
        ),
        _ => row.restarts.to_string(),
    };
    let mut cells = vec![
        name,
        format!("{}/{}", row.ready, row.total),
        row.status,
        restarts,
        age(p.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        let status = p.status.as_ref();
        let ip = status
            .and_then(|s| s.pod_ips.as_ref())
            .and_then(|ips| ips.first())
            .map(|ip| ip.ip.clone())
            .filter(|ip| !ip.is_empty())
            .unwrap_or_else(|| "<none>".into());
        let node = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".into());
        let nominated = status
            .and_then(|s| s.nominated_node_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".into());
        let gates = p
            .spec
            .as_ref()
            .and_then(|s| s.readiness_gates.as_ref())
            .filter(|g| !g.is_empty())
            .map_or_else(
                || "<none>".to_string(),
                |gates| {
                    let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);
                    let met = gates
                        .iter()
                        .filter(|g| {
                            conditions
                                .iter()
                                .any(|c| c.type_ == g.condition_type && c.status == "True")
                        })
                        .count();
                    format!("{met}/{}", gates.len())
                },
            );
        cells.extend([ip, node, nominated, gates]);
    }
    cells
}

fn node_row(n: &Node, name: String, now: Millis, wide: bool) -> Vec<String> {
    let status = n.status.as_ref();
    let mut states: Vec<String> = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .map(|c| {
            if c.status == "True" {
                "Ready"
            } else {
                "NotReady"
            }
            .to_string()
        })
        .into_iter()
        .collect();
    if states.is_empty() {
        states.push("Unknown".into());
    }
    if n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
        states.push("SchedulingDisabled".into());
    }
    // findNodeRoles: `node-role.kubernetes.io/ROLE` labels and `kubernetes.io/role`, sorted.
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in n.metadata.labels.iter().flatten() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    kplay_core::sort::sort(&mut roles);
    roles.dedup();
    let info = status.and_then(|s| s.node_info.clone()).unwrap_or_default();
    let mut cells = vec![
        name,
        states.join(","),
        if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles.join(",")
        },
        age(n.metadata.creation_timestamp.as_ref(), now),
        info.kubelet_version.clone(),
    ];
    if wide {
        let address = |type_: &str| {
            status
                .and_then(|s| s.addresses.as_ref())
                .and_then(|a| a.iter().find(|a| a.type_ == type_))
                .map_or_else(|| "<none>".to_string(), |a| a.address.clone())
        };
        let or_unknown = |s: &str| {
            if s.is_empty() {
                "<unknown>".to_string()
            } else {
                s.to_string()
            }
        };
        cells.extend([
            address("InternalIP"),
            address("ExternalIP"),
            or_unknown(&info.os_image),
            or_unknown(&info.kernel_version),
            or_unknown(&info.container_runtime_version),
        ]);
    }
    cells
}

fn namespace_row(n: &Namespace, name: String, now: Millis) -> Vec<String> {
    vec![
        name,
        n.status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_default(),
        age(n.metadata.creation_timestamp.as_ref(), now),
    ]
}

fn service_row(s: &Service, name: String, now: Millis, wide: bool) -> Vec<String> {
    let spec = s.spec.clone().unwrap_or_default();
    let type_ = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = spec
        .cluster_ip
        .clone()
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "<none>".into());
    let external_ips = spec.external_ips.clone().unwrap_or_default();
    let external = match type_.as_str() {
        "LoadBalancer" => {
            let mut ips: Vec<String> = s
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                .collect();
            ips.extend(external_ips);
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ if external_ips.is_empty() => "<none>".to_string(),
        _ => external_ips.join(","),
    };
    let ports: Vec<String> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port {
                Some(np) if np != 0 => format!("{}:{np}/{protocol}", p.port),
                _ => format!("{}/{protocol}", p.port),
            }
        })
        .collect();
    let mut cells = vec![
        name,
        type_,
        cluster_ip,
        external,
        if ports.is_empty() {
            "<none>".to_string()
        } else {
            ports.join(",")
        },
        age(s.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        cells.push(format_labels(spec.selector.as_ref()));
    }
    cells
}

/// `printEvent`: LAST SEEN falls back to the first occurrence; OBJECT is `kind/name` in
/// lower case; `-o wide` adds the field path, the source (`component, host`), FIRST SEEN,
/// COUNT (1 when unset) and the event's own name.
fn event_row(e: &Event, now: Millis, wide: bool) -> Vec<String> {
    let kind = e
        .involved_object
        .kind
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let object = match e.involved_object.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("{kind}/{name}"),
        None => kind,
    };
    let first_seen = age(e.first_timestamp.as_ref(), now);
    let last_seen = match &e.last_timestamp {
        Some(t) => age(Some(t), now),
        None => first_seen.clone(),
    };
    let message = e.message.as_deref().unwrap_or("").trim().to_string();
    let mut cells = vec![
        last_seen,
        e.type_.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
        object,
    ];
    if !wide {
        cells.push(message);
        return cells;
    }
    let non_empty = |a: Option<&String>, b: Option<&String>| {
        a.filter(|s| !s.is_empty())
            .or(b.filter(|s| !s.is_empty()))
            .cloned()
            .unwrap_or_default()
    };
    let source = e.source.clone().unwrap_or_default();
    let component = non_empty(source.component.as_ref(), e.reporting_component.as_ref());
    let host = non_empty(source.host.as_ref(), e.reporting_instance.as_ref());
    cells.extend([
        e.involved_object.field_path.clone().unwrap_or_default(),
        if host.is_empty() {
            component
        } else {
            format!("{component}, {host}")
        },
        message,
        first_seen,
        e.count.filter(|c| *c != 0).unwrap_or(1).to_string(),
        e.metadata.name.clone().unwrap_or_default(),
    ]);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_layout() {
        let rows = vec![
            vec!["NAME".to_string(), "READY".into(), "AGE".into()],
            vec!["web".to_string(), "3/3".into(), "10s".into()],
            vec!["a".to_string(), "1/1".into(), "5m".into()],
        ];
        // NAME column: max(4 + 3, 6) = 7; READY: 5 + 3 = 8; AGE is last and unpadded.
        assert_eq!(
            render(&rows),
            "NAME   READY   AGE\nweb    3/3     10s\na      1/1     5m\n"
        );
        let narrow = vec![vec!["A".to_string(), "B".into()]];
        assert_eq!(render(&narrow), "A     B\n");
    }

    #[test]
    fn bootstrap_nodes_and_services_print_like_kind() {
        let cluster = kplay_core::Cluster::new(1);
        let now = 3_600_000 * 2;
        let mut rows = vec![headers(Kind::Node, false)
            .iter()
            .map(|s| s.to_string())
            .collect()];
        for node in cluster.store().list_objects(Kind::Node, None) {
            rows.push(row(node, node.name().to_string(), now, false));
        }
        // As `kubectl get nodes` prints a kind cluster (kind v0.26, Kubernetes v1.32.2).
        let want = "\
NAME                  STATUS   ROLES           AGE    VERSION
kplay-control-plane   Ready    control-plane   120m   v1.32.2
kplay-worker          Ready    <none>          120m   v1.32.2
kplay-worker2         Ready    <none>          120m   v1.32.2
kplay-worker3         Ready    <none>          120m   v1.32.2
";
        assert_eq!(render(&rows), want);
        let svc = cluster
            .store()
            .list_objects(Kind::Service, Some("default"))
            .next()
            .cloned();
        let cells = svc.map(|s| row(&s, s.name().to_string(), 5_000, true));
        assert_eq!(
            cells,
            Some(vec![
                "kubernetes".to_string(),
                "ClusterIP".into(),
                "10.96.0.1".into(),
                "<none>".into(),
                "443/TCP".into(),
                "5s".into(),
                "<none>".into()
            ])
        );
    }
}
