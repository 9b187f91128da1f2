//! The endpoints controller (`pkg/controller/endpoint/endpoints_controller.go`, `syncService`):
//! one `Endpoints` object per Service with a selector, listing the matching pods' IPs as ready
//! (`addresses`) or not (`notReadyAddresses`) for each resolved target port.

use crate::api::{ApiObject, Kind, ObjectKey};
use crate::types::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, IntOrString, ObjectMeta,
    ObjectReference, Pod, Service, ServicePort, ServiceSpec,
};
use crate::vecmap::VecMap;
use crate::Cluster;
use std::collections::BTreeMap;

/// The label the controllers add to the endpoints of a headless Service
/// (`v1.IsHeadlessService`).
pub const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";

/// The Services whose endpoints the controllers manage: those with a selector, except
/// ExternalName ones, which point outside the cluster.
pub(crate) fn managed_services(cluster: &Cluster) -> Vec<Service> {
    cluster
        .store()
        .list::<Service>(None)
        .filter(|s| {
            let spec = s.spec.as_ref();
            spec.and_then(|sp| sp.selector.as_ref()).is_some()
                && spec.and_then(|sp| sp.type_.as_deref()) != Some("ExternalName")
        })
        .cloned()
        .collect()
}

/// The pods a Service selects that may be endpoints ([`is_candidate`]). Borrowed, not copied:
/// this runs for every Service on every pass.
pub(crate) fn candidate_pods<'a>(
    cluster: &'a Cluster,
    service: &'a Service,
    include_terminating: bool,
) -> Vec<&'a Pod> {
    let namespace = service.metadata.namespace.as_deref().unwrap_or("default");
    cluster
        .store()
        .list::<Pod>(Some(namespace))
        .filter(|p| is_candidate(p, service, include_terminating))
        .collect()
}

/// Whether `pod` may be one of `service`'s endpoints (`ShouldPodBeInEndpoints`): selected,
/// not finished, with an IP, and not terminating unless `include_terminating`.
fn is_candidate(pod: &Pod, service: &Service, include_terminating: bool) -> bool {
    let namespace = service.metadata.namespace.as_deref().unwrap_or("default");
    let selector = service.spec.as_ref().and_then(|s| s.selector.as_ref());
    let Some(selector) = selector else {
        return false;
    };
    let labels = pod.metadata.labels.as_ref();
    pod.metadata.namespace.as_deref() == Some(namespace)
        && selector
            .iter()
            .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        && !matches!(crate::pod::phase(pod), "Succeeded" | "Failed")
        && has_ip(pod)
        && (include_terminating || !crate::pod::is_terminating(pod))
}

/// The pods written or removed since an endpoints controller last read the change feed at
/// `cursor`, like the pod events its informer delivers. `None` when it must sync every
/// Service: the feed dropped events, or a Service or an object of the kind it writes (`own`:
/// someone else edited it) changed.
pub(crate) fn pods_changed_since(cluster: &Cluster, cursor: u64, own: Kind) -> Option<Vec<String>> {
    let (events, missed) = cluster.store().feed().since(cursor);
    if missed {
        return None;
    }
    let mut pods = Vec::new();
    for event in events {
        match event.key.kind {
            Kind::Pod => pods.push(event.key.name.clone()),
            kind if kind == Kind::Service || kind == own => return None,
            _ => {}
        }
    }
    Some(pods)
}

/// Whether the endpoints of `service` may have to change when `pods` (names, in any namespace)
/// changed: one is a candidate now, or `listed` says the current endpoints list it. Any other
/// pod was not an endpoint and is not one now, so syncing would change nothing (the real
/// controller's pod handlers enqueue a Service on the same test, `podEndpointsChanged`).
pub(crate) fn affected_by(
    cluster: &Cluster,
    service: &Service,
    pods: &[String],
    include_terminating: bool,
    listed: impl Fn(&str) -> bool,
) -> bool {
    let namespace = service.metadata.namespace.as_deref().unwrap_or("default");
    pods.iter().any(|name| {
        let pod = cluster.store().get::<Pod>(namespace, name);
        pod.is_some_and(|p| is_candidate(p, service, include_terminating)) || listed(name)
    })
}

/// Whether the pod has an IP yet (borrowed: this filters every pod of the namespace).
fn has_ip(pod: &Pod) -> bool {
    let ip = pod.status.as_ref().and_then(|s| s.pod_ip.as_deref());
    ip.is_some_and(|ip| !ip.is_empty())
}

/// The pod's IP, if it has one yet.
pub(crate) fn pod_ip(pod: &Pod) -> Option<String> {
    pod.status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .filter(|ip| !ip.is_empty())
}

/// `podutil.FindPort`: a numeric targetPort is used as is; a name is looked up among the
/// pod's container ports with the same protocol, and `None` leaves the pod out for this port.
pub fn resolve_target_port(pod: &Pod, port: &ServicePort) -> Option<i32> {
    let protocol = port.protocol.as_deref().unwrap_or("TCP");
    match port.target_port.as_ref() {
        None => Some(port.port),
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => pod
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .flat_map(|c| c.ports.iter().flatten())
            .find(|p| {
                p.name.as_deref() == Some(name.as_str())
                    && p.protocol.as_deref().unwrap_or("TCP") == protocol
            })
            .map(|p| p.container_port),
    }
}

/// The reference to a pod that endpoints carry.
pub(crate) fn pod_reference(pod: &Pod) -> ObjectReference {
    ObjectReference {
        kind: Some("Pod".into()),
        name: pod.metadata.name.clone(),
        namespace: pod.metadata.namespace.clone(),
        uid: pod.metadata.uid.clone(),
        ..Default::default()
    }
}

/// A pod's resolved ports for a Service: (name, target port, protocol) per Service port.
pub(crate) type PortSet = Vec<(String, i32, String)>;

/// The Service ports `pod` serves, as (name, resolved target port, protocol); `None` when the
/// Service has ports and none resolves on this pod (its named ports are all missing), so the
/// pod is no endpoint at all.
pub(crate) fn served_ports(pod: &Pod, spec: &ServiceSpec) -> Option<PortSet> {
    let ports: PortSet = spec
        .ports
        .iter()
        .flatten()
        .filter_map(|p| {
            let target = resolve_target_port(pod, p)?;
            let protocol = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            Some((p.name.clone().unwrap_or_default(), target, protocol))
        })
        .collect();
    let has_ports = !spec.ports.as_deref().unwrap_or_default().is_empty();
    (!ports.is_empty() || !has_ports).then_some(ports)
}

/// A Service's candidate pods ([`candidate_pods`]) grouped by the ports they serve
/// ([`served_ports`]), in pod order within each group. When no Service port names a container
/// port (the common case) every pod serves the same ports: they are resolved once, not once
/// per pod.
pub(crate) fn pods_by_ports<'a>(
    cluster: &'a Cluster,
    service: &'a Service,
    include_terminating: bool,
) -> VecMap<PortSet, Vec<&'a Pod>> {
    let no_spec = ServiceSpec::default();
    let spec = service.spec.as_ref().unwrap_or(&no_spec);
    let named = (spec.ports.iter().flatten())
        .any(|p| matches!(p.target_port, Some(IntOrString::String(_))));
    let fixed = (!named)
        .then(|| served_ports(&Pod::default(), spec))
        .flatten();
    let mut groups: VecMap<PortSet, Vec<&Pod>> = VecMap::new();
    for pod in candidate_pods(cluster, service, include_terminating) {
        let resolved;
        let ports = match &fixed {
            Some(ports) => ports,
            None => match served_ports(pod, spec) {
                Some(ports) => {
                    resolved = ports;
                    &resolved
                }
                None => continue,
            },
        };
        match groups.get_mut(ports) {
            Some(group) => group.push(pod),
            None => {
                groups.insert(ports.clone(), vec![pod]);
            }
        }
    }
    groups
}

/// The labels of a Service's endpoints: the Service's own, plus the headless marker.
pub(crate) fn endpoint_labels(service: &Service) -> BTreeMap<String, String> {
    let mut labels = service.metadata.labels.clone().unwrap_or_default();
    if service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None") {
        labels.insert(HEADLESS_LABEL.into(), String::new());
    }
    labels
}

/// The subsets of a Service's Endpoints, computed from the pods (`syncService` then
/// `RepackSubsets`): addresses grouped by identical port sets, sorted by IP string.
pub fn subsets(cluster: &Cluster, service: &Service) -> Vec<EndpointSubset> {
    let publish_not_ready = service
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    // (ready, address) per pod, by the ports the pods serve.
    let by_ports = pods_by_ports(cluster, service, publish_not_ready);
    let by_ports = by_ports.iter().map(|(ports, pods)| {
        let addresses: Vec<(bool, EndpointAddress)> = pods
            .iter()
            .filter_map(|pod| {
                let address = EndpointAddress {
                    ip: pod_ip(pod)?,
                    node_name: crate::pod::node_name(pod).map(str::to_string),
                    target_ref: Some(pod_reference(pod)),
                    ..Default::default()
                };
                Some((publish_not_ready || crate::pod::is_ready(pod), address))
            })
            .collect();
        (ports.clone(), addresses)
    });
    let mut subsets = Vec::new();
    for (ports, mut addresses) in by_ports {
        crate::sort::sort_by(&mut addresses, |a, b| a.1.ip.cmp(&b.1.ip));
        let (ready, not_ready): (Vec<_>, Vec<_>) = addresses.into_iter().partition(|a| a.0);
        let strip = |v: Vec<(bool, EndpointAddress)>| {
            let v: Vec<EndpointAddress> = v.into_iter().map(|a| a.1).collect();
            (!v.is_empty()).then_some(v)
        };
        subsets.push(EndpointSubset {
            addresses: strip(ready),
            not_ready_addresses: strip(not_ready),
            ports: (!ports.is_empty()).then(|| {
                ports
                    .into_iter()
                    .map(|(name, port, protocol)| EndpointPort {
                        name: (!name.is_empty()).then_some(name),
                        port,
                        protocol: Some(protocol),
                        ..Default::default()
                    })
                    .collect()
            }),
            ..Default::default()
        });
    }
    crate::sort::sort_by(&mut subsets, |a, b| first_ip(a).cmp(first_ip(b)));
    subsets
}

fn first_ip(subset: &EndpointSubset) -> &str {
    subset
        .addresses
        .iter()
        .chain(subset.not_ready_addresses.iter())
        .flatten()
        .map(|a| a.ip.as_str())
        .next()
        .unwrap_or("")
}

/// One pass: creates or updates the Endpoints of every managed Service. Returns whether
/// anything changed.
///
/// Like the real controller's work queue, it syncs only the Services a pod change since its
/// last pass may affect ([`affected_by`]), or all when a Service or an Endpoints changed.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let mut changed = false;
    let cursor = cluster.progress().endpoints_read_until;
    let pods = pods_changed_since(cluster, cursor, Kind::Endpoints);
    for service in managed_services(cluster) {
        let namespace = service.metadata.namespace.clone().unwrap_or_default();
        let name = service.metadata.name.clone().unwrap_or_default();
        if let Some(pods) = &pods {
            let current = cluster.store().get::<Endpoints>(&namespace, &name);
            let listed = |pod: &str| current.is_some_and(|e| lists(e, pod));
            if !affected_by(cluster, &service, pods, false, listed) {
                continue;
            }
        }
        let subsets = Some(subsets(cluster, &service)).filter(|s| !s.is_empty());
        let labels = Some(endpoint_labels(&service)).filter(|l| !l.is_empty());
        // Compared in place, copied only to write.
        match cluster.store().get::<Endpoints>(&namespace, &name) {
            Some(e) if e.subsets == subsets && e.metadata.labels == labels => {}
            Some(e) => {
                // The old addresses are not copied only to be replaced.
                let mut metadata = e.metadata.clone();
                metadata.labels = labels;
                let e = Endpoints {
                    metadata,
                    subsets,
                    extra: e.extra.clone(),
                };
                cluster.put(e);
                changed = true;
            }
            None => {
                let endpoints = Endpoints {
                    metadata: ObjectMeta {
                        name: Some(name),
                        namespace: Some(namespace),
                        labels,
                        ..Default::default()
                    },
                    subsets,
                    ..Default::default()
                };
                cluster.insert(endpoints.into_object());
                changed = true;
            }
        }
    }
    // Its own writes are read: only what others change from here on is news.
    cluster.progress_mut().endpoints_read_until = cluster.store().feed().head();
    changed
}

/// Whether `endpoints` list the pod `name`, ready or not.
fn lists(endpoints: &Endpoints, name: &str) -> bool {
    let subsets = endpoints.subsets.iter().flatten();
    subsets
        .flat_map(|s| {
            s.addresses
                .iter()
                .chain(s.not_ready_addresses.iter())
                .flatten()
        })
        .any(|a| a.target_ref.as_ref().and_then(|r| r.name.as_deref()) == Some(name))
}

/// What the controller does when a Service is deleted: its Endpoints go with it.
pub(crate) fn service_deleted(cluster: &mut Cluster, namespace: &str, name: &str) {
    cluster.remove(&ObjectKey::new(Kind::Endpoints, namespace, name));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Kind;
    use crate::types::EndpointSlice;
    use serde_json::{json, Value};

    /// A pod as the kubelet leaves it: `ip`, Ready or not, maybe terminating, with a named port.
    fn pod(name: &str, ip: &str, ready: bool, terminating: bool) -> Pod {
        let mut pod = crate::types::FromJson::from_json(json!({
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}, "uid": name},
            "spec": {"nodeName": "kplay-worker", "containers": [{"name": "c", "image": "nginx",
                "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]}]},
            "status": {"phase": "Running", "podIP": ip, "conditions": [
                {"type": "Ready", "status": if ready { "True" } else { "False" }}]}
        }));
        if terminating {
            let p: &mut Pod = &mut pod;
            p.metadata.deletion_timestamp = Some(crate::time::timestamp(0));
        }
        pod
    }

    /// A cluster holding `pods` as they are (no controller or kubelet runs) and the Service.
    fn cluster_with(service_spec: Value, pods: Vec<Pod>) -> (Cluster, Service) {
        let mut cluster = Cluster::new(1);
        for p in pods {
            cluster.insert(p.into_object());
        }
        let svc =
            json!({"metadata": {"name": "web", "namespace": "default"}, "spec": service_spec});
        let mut object = crate::api::decode_strict(Kind::Service, svc).expect("decoded");
        crate::api::validation::default_object(&mut object);
        let service = Service::from_object_owned(object).expect("a service");
        (cluster, service)
    }

    fn ips(list: &Option<Vec<EndpointAddress>>) -> Vec<String> {
        list.iter().flatten().map(|a| a.ip.clone()).collect()
    }

    #[test]
    fn membership_table() {
        let pods = || {
            vec![
                pod("a", "10.244.1.10", true, false),
                pod("b", "10.244.1.9", true, false),
                pod("c", "10.244.1.11", false, false),
                pod("d", "10.244.1.12", true, true),
                pod("e", "", true, false),
            ]
        };
        let ports = |target: Value| json!([{"port": 80, "targetPort": target}]);
        // (spec, ready IPs, not-ready IPs, resolved port, slice (ip, ready, serving, terminating))
        let table = [
            (
                json!({"selector": {"app": "web"}, "ports": ports(json!(8080))}),
                vec!["10.244.1.10", "10.244.1.9"],
                vec!["10.244.1.11"],
                Some(8080),
            ),
            (
                json!({"selector": {"app": "web"}, "ports": ports(json!("http"))}),
                vec!["10.244.1.10", "10.244.1.9"],
                vec!["10.244.1.11"],
                Some(8080),
            ),
            (
                json!({"selector": {"app": "web"}, "ports": ports(json!("metrics"))}),
                vec![],
                vec![],
                None,
            ),
            (
                json!({"selector": {"app": "web"}, "publishNotReadyAddresses": true, "ports": ports(json!(8080))}),
                vec!["10.244.1.10", "10.244.1.11", "10.244.1.12", "10.244.1.9"],
                vec![],
                Some(8080),
            ),
        ];
        for (spec, ready, not_ready, port) in table {
            let (cluster, service) = cluster_with(spec.clone(), pods());
            let subset = subsets(&cluster, &service)
                .into_iter()
                .next()
                .unwrap_or_default();
            assert_eq!(ips(&subset.addresses), ready, "{spec}");
            assert_eq!(ips(&subset.not_ready_addresses), not_ready, "{spec}");
            assert_eq!(
                subset.ports.iter().flatten().next().map(|p| p.port),
                port,
                "{spec}"
            );
        }
        // The slice lists the terminating pod too, with its conditions.
        let (mut cluster, service) = cluster_with(
            json!({"selector": {"app": "web"}, "ports": ports(json!("http"))}),
            pods(),
        );
        let desired = super::super::endpointslice::desired(&cluster, &service);
        assert_eq!(desired.len(), 1);
        let conditions: Vec<(String, bool, bool, bool)> = desired
            .values()
            .flatten()
            .map(|e| {
                let c = e.conditions.clone().unwrap_or_default();
                (
                    e.addresses[0].clone(),
                    c.ready == Some(true),
                    c.serving == Some(true),
                    c.terminating == Some(true),
                )
            })
            .collect();
        assert_eq!(
            conditions,
            [
                ("10.244.1.10".to_string(), true, true, false),
                ("10.244.1.11".to_string(), false, false, false),
                ("10.244.1.12".to_string(), false, true, true),
                ("10.244.1.9".to_string(), true, true, false),
            ]
        );
        cluster.create(service.into_object()).expect("created");
        let slices: Vec<&EndpointSlice> = cluster
            .store()
            .list::<EndpointSlice>(Some("default"))
            .filter(|s| s.metadata.name.as_deref() != Some("kubernetes"))
            .collect();
        assert_eq!(slices.len(), 1);
        let name = slices[0].metadata.name.clone().unwrap_or_default();
        assert!(name.starts_with("web-") && name.len() == 9, "{name}");
        assert_eq!(slices[0].address_type, "IPv4");
        let labels = slices[0].metadata.labels.clone().unwrap_or_default();
        assert_eq!(
            labels.get("kubernetes.io/service-name").map(String::as_str),
            Some("web")
        );
        assert_eq!(
            labels
                .get("endpointslice.kubernetes.io/managed-by")
                .map(String::as_str),
            Some("endpointslice-controller.k8s.io")
        );
    }

    #[test]
    fn deleting_the_service_removes_its_endpoints() {
        let (mut cluster, service) = cluster_with(
            json!({"selector": {"app": "web"}, "ports": [{"port": 80}]}),
            vec![],
        );
        cluster.create(service.into_object()).expect("created");
        assert!(cluster.store().get::<Endpoints>("default", "web").is_some());
        cluster
            .delete(Kind::Service, "default", "web")
            .expect("deleted");
        assert!(cluster.store().get::<Endpoints>("default", "web").is_none());
        assert_eq!(
            cluster
                .store()
                .list::<EndpointSlice>(Some("default"))
                .count(),
            1
        );
    }
}
