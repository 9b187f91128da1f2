//! The Service and Namespace describers (`describeService`, `describeNamespace` in
//! describe.go, v1.32).

use super::{annotations_multiline, describe_events, events_for, labels_multiline, Writer};
use crate::labels::format_labels;
use kplay_core::store::Store;
use kplay_core::types::{Endpoint, EndpointSlice, IntOrString, Namespace, Service};
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
    // Fields kplay does not model travel in `extra`; kubectl prints them when set.
    if let Some(ip) = spec
        .extra
        .get("loadBalancerIP")
        .and_then(|v| v.as_str())
        .filter(|ip| !ip.is_empty())
    {
        w.field(0, "Desired LoadBalancer IP", ip);
    }
    if let Some(name) = spec.external_name.as_deref().filter(|n| !n.is_empty()) {
        w.field(0, "External Name", name);
    }
    // buildIngressString (v1.31+, kubernetes#125117): the IP (else the hostname), then the
    // ipMode the API server defaults to VIP for an IP: `172.18.255.200 (VIP)`.
    let ingress: Vec<String> = s
        .status
        .as_ref()
        .and_then(|st| st.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .into_iter()
        .flatten()
        .map(|i| {
            let address =
                i.ip.as_deref()
                    .filter(|ip| !ip.is_empty())
                    .or(i.hostname.as_deref())
                    .unwrap_or_default();
            match i.extra.get("ipMode").and_then(|m| m.as_str()) {
                Some(mode) => format!("{address} ({mode})"),
                None => address.to_string(),
            }
        })
        .collect();
    if !ingress.is_empty() {
        w.field(0, "LoadBalancer Ingress", &ingress.join(", "));
    }
    // kubectl lists the Service's EndpointSlices by their `kubernetes.io/service-name` label.
    let slices: Vec<&EndpointSlice> = store
        .list::<EndpointSlice>(meta.namespace.as_deref())
        .filter(|slice| {
            slice
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/service-name"))
                == meta.name.as_ref()
        })
        .collect();
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
        w.field(
            0,
            "Endpoints",
            &format_endpoint_slices(&slices, port.name.as_deref().unwrap_or("")),
        );
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

/// describe.go's `formatEndpointSlices` for one Service port (v1.32): the ready endpoints
/// of every slice port with the Service port's name as `ip:port` (a slice without ports,
/// of a headless Service, lists bare addresses), at most 3 then `+ N more...`; `<none>`
/// without any slice, and nothing for slices without a ready endpoint. As in v1.32 the
/// "more" flag is raised on visiting a fourth endpoint before the readiness check, so
/// three ready endpoints followed by an unready one print `+ 0 more...`.
/// Example: ready 10.244.1.5 and 10.244.2.7 on port 80 → `10.244.1.5:80,10.244.2.7:80`.
fn format_endpoint_slices(slices: &[&EndpointSlice], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count: usize = 0;
    let mut visit = |endpoint: &Endpoint, port: Option<i32>| {
        if list.len() == MAX {
            more = true;
        }
        // A missing `ready` condition means "unknown", which consumers treat as ready.
        if endpoint.conditions.as_ref().and_then(|c| c.ready) == Some(false) {
            return;
        }
        if !more {
            let address = endpoint.addresses.first().cloned().unwrap_or_default();
            list.push(match port {
                Some(port) => format!("{address}:{port}"),
                None => address,
            });
        }
        count += 1;
    };
    for slice in slices {
        let endpoints = slice.endpoints.iter().flatten();
        match slice.ports.as_deref() {
            None | Some([]) => endpoints.for_each(|e| visit(e, None)),
            Some(ports) => {
                for port in ports {
                    if port.name.as_deref().unwrap_or("") == port_name {
                        let number = port.port.unwrap_or(0);
                        slice
                            .endpoints
                            .iter()
                            .flatten()
                            .for_each(|e| visit(e, Some(number)));
                    }
                }
            }
        }
    }
    let text = list.join(",");
    if more {
        format!("{text} + {} more...", count.saturating_sub(MAX))
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

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::types::FromJson;
    use serde_json::json;

    fn slice(ports: serde_json::Value, endpoints: &[(&str, Option<bool>)]) -> EndpointSlice {
        let endpoints: Vec<serde_json::Value> = endpoints
            .iter()
            .map(|(ip, ready)| match ready {
                Some(r) => json!({"addresses": [ip], "conditions": {"ready": r}}),
                None => json!({"addresses": [ip], "conditions": {}}),
            })
            .collect();
        EndpointSlice::from_json(json!({
            "addressType": "IPv4", "metadata": {"name": "s"}, "ports": ports, "endpoints": endpoints,
        }))
    }

    /// describe.go `formatEndpointSlices` (v1.32) and its test cases in describe_test.go.
    #[test]
    fn endpoints_as_describe_service_formats_them() {
        let http = json!([{"name": "", "port": 8080, "protocol": "TCP"}]);
        let up = |ip| (ip, Some(true));
        let cases: &[(&str, Vec<EndpointSlice>, &str)] = &[
            ("no slice", vec![], "<none>"),
            (
                "a slice without ready endpoints",
                vec![slice(http.clone(), &[("10.244.0.3", Some(false))])],
                "",
            ),
            (
                "ready and unknown endpoints",
                vec![slice(
                    http.clone(),
                    &[up("10.244.0.3"), ("10.244.0.4", None)],
                )],
                "10.244.0.3:8080,10.244.0.4:8080",
            ),
            (
                "more than three",
                vec![slice(
                    http.clone(),
                    &[
                        up("10.0.0.1"),
                        up("10.0.0.2"),
                        up("10.0.0.3"),
                        up("10.0.0.4"),
                        up("10.0.0.5"),
                    ],
                )],
                "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...",
            ),
            (
                "three ready then an unready one",
                vec![slice(
                    http.clone(),
                    &[
                        up("10.0.0.1"),
                        up("10.0.0.2"),
                        up("10.0.0.3"),
                        ("10.0.0.4", Some(false)),
                    ],
                )],
                "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 0 more...",
            ),
            (
                "another port's name",
                vec![slice(
                    json!([{"name": "metrics", "port": 9090}]),
                    &[up("10.0.0.1")],
                )],
                "",
            ),
            (
                "a slice without ports",
                vec![slice(json!([]), &[up("10.0.0.1")])],
                "10.0.0.1",
            ),
        ];
        for (what, slices, want) in cases {
            let refs: Vec<&EndpointSlice> = slices.iter().collect();
            assert_eq!(format_endpoint_slices(&refs, ""), *want, "{what}");
        }
    }
}
