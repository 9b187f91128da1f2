//! The Service and Namespace describers (`describeService`, `describeNamespace` in
//! describe.go, v1.32).

use super::{annotations_multiline, describe_events, events_for, labels_multiline, Writer};
use crate::labels::format_labels;
use kplay_core::store::Store;
use kplay_core::types::{IntOrString, Namespace, Pod, Service, ServicePort};
use kplay_core::{Kind, Millis};

/// `describeService`.
pub(super) fn service(w: &mut Writer, store: &Store, s: &Service, now: Millis) {
    let meta = &s.metadata;
    let spec = s.spec.clone().unwrap_or_default();
    w.field(0, "Name", meta.name.as_deref().unwrap_or(""));
    w.field(0, "Namespace", meta.namespace.as_deref().unwrap_or(""));
    labels_multiline(w, "Labels", meta.labels.as_ref());
    annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    w.field(0, "Selector", &format_labels(spec.selector.as_ref()));
    w.field(0, "Type", spec.type_.as_deref().unwrap_or(""));
    if let Some(policy) = &spec.ip_family_policy {
        w.field(0, "IP Family Policy", policy);
    }
    let or_none = |list: Option<&Vec<String>>| {
        list.filter(|l| !l.is_empty())
            .map_or_else(|| "<none>".to_string(), |l| l.join(","))
    };
    w.field(0, "IP Families", &or_none(spec.ip_families.as_ref()));
    w.field(0, "IP", spec.cluster_ip.as_deref().unwrap_or(""));
    w.field(0, "IPs", &or_none(spec.cluster_ips.as_ref()));
    if let Some(ips) = spec.external_ips.as_ref().filter(|l| !l.is_empty()) {
        w.field(0, "External IPs", &ips.join(","));
    }
    if let Some(name) = spec.external_name.as_deref().filter(|n| !n.is_empty()) {
        w.field(0, "External Name", name);
    }
    let ingress: Vec<String> = s
        .status
        .as_ref()
        .and_then(|st| st.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            i.ip.filter(|ip| !ip.is_empty())
                .or(i.hostname)
                .unwrap_or_default()
        })
        .collect();
    if !ingress.is_empty() {
        w.field(0, "LoadBalancer Ingress", &ingress.join(", "));
    }
    let pods: Vec<&Pod> = match spec.selector.as_ref().filter(|s| !s.is_empty()) {
        Some(selector) => store
            .list::<Pod>(meta.namespace.as_deref())
            .filter(|p| {
                let labels = p.metadata.labels.clone().unwrap_or_default();
                selector.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
            .collect(),
        None => Vec::new(),
    };
    for port in spec.ports.iter().flatten() {
        let name = port
            .name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("<unset>");
        let protocol = port.protocol.as_deref().unwrap_or("TCP");
        w.write(0, &format!("Port:\t{name}\t{}/{protocol}\n", port.port));
        let target = match &port.target_port {
            Some(IntOrString::String(s)) => s.clone(),
            Some(IntOrString::Int(i)) => i.to_string(),
            None => port.port.to_string(),
        };
        w.field(0, "TargetPort", &format!("{target}/{protocol}"));
        if let Some(node_port) = port.node_port.filter(|p| *p != 0) {
            w.write(0, &format!("NodePort:\t{name}\t{node_port}/{protocol}\n"));
        }
        let endpoints = if spec.selector.as_ref().is_some_and(|s| !s.is_empty()) {
            endpoints(&pods, port)
        } else {
            "<none>".to_string()
        };
        w.field(0, "Endpoints", &endpoints);
    }
    w.field(
        0,
        "Session Affinity",
        spec.session_affinity.as_deref().unwrap_or(""),
    );
    if let Some(policy) = spec
        .external_traffic_policy
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        w.field(0, "External Traffic Policy", policy);
    }
    if let Some(policy) = &spec.internal_traffic_policy {
        w.field(0, "Internal Traffic Policy", policy);
    }
    describe_events(w, events_for(store, Some(Kind::Service), meta), now);
}

/// `formatEndpointSlices` for one port, over the endpoints the EndpointSlice controller
/// would list: the ready selected pods as `ip:targetPort`, at most 3 then `+ N more...`.
/// A selector always has a (possibly empty) slice, so no ready pod prints as nothing.
fn endpoints(pods: &[&Pod], port: &ServicePort) -> String {
    let mut list: Vec<String> = Vec::new();
    for pod in pods.iter().filter(|p| kplay_core::pod::is_ready(p)) {
        let Some(ip) = pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .filter(|ip| !ip.is_empty())
        else {
            continue;
        };
        let number = match &port.target_port {
            Some(IntOrString::String(name)) => pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .map(|p| p.container_port),
            Some(IntOrString::Int(i)) => Some(*i),
            None => Some(port.port),
        };
        if let Some(number) = number {
            list.push(format!("{ip}:{number}"));
        }
    }
    let more = list.len().saturating_sub(3);
    list.truncate(3);
    let text = list.join(",");
    if more > 0 {
        format!("{text} + {more} more...")
    } else {
        text
    }
}

/// `describeNamespace`, with the empty ResourceQuota and LimitRange lists kplay's API has.
pub(super) fn namespace(w: &mut Writer, n: &Namespace) {
    let meta = &n.metadata;
    w.field(0, "Name", meta.name.as_deref().unwrap_or(""));
    labels_multiline(w, "Labels", meta.labels.as_ref());
    annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    let phase = n
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    w.field(0, "Status", &phase);
    w.write(0, "\nNo resource quota.\n");
    w.write(0, "\nNo LimitRange resource.\n");
}
