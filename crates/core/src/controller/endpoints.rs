//! The endpoints controller (`pkg/controller/endpoint/endpoints_controller.go`, `syncService`):
//! one `Endpoints` object per Service with a selector, listing the matching pods' IPs as ready
//! (`addresses`) or not (`notReadyAddresses`) for each resolved target port.

use super::sorted_patch::{is_one_of, patch_sorted, same_pod};
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
pub(crate) fn is_candidate(pod: &Pod, service: &Service, include_terminating: bool) -> bool {
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

/// Which of `pods` (names, in any namespace, changed since the last sync) may change the
/// endpoints of `service`, without repeats: those that are candidates now, and those `listed`
/// says the current endpoints list. Any other pod was not an endpoint and is not one now, so
/// for it syncing would change nothing (the real controller's pod handlers enqueue a Service
/// on the same test, `podEndpointsChanged`).
pub(crate) fn affected_by<'a>(
    cluster: &Cluster,
    service: &Service,
    pods: &'a [String],
    include_terminating: bool,
    listed: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    let namespace = service.metadata.namespace.as_deref().unwrap_or("default");
    let mut affected: Vec<&str> = pods
        .iter()
        .map(String::as_str)
        .filter(|name| {
            let pod = cluster.store().get::<Pod>(namespace, name);
            pod.is_some_and(|p| is_candidate(p, service, include_terminating)) || listed(name)
        })
        .collect();
    crate::sort::sort(&mut affected);
    affected.dedup();
    affected
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

/// Whether a Service publishes not-ready addresses (`publishNotReadyAddresses`): its
/// Endpoints then list every candidate pod as ready, terminating ones too.
pub(crate) fn publishes_not_ready(service: &Service) -> bool {
    service
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false)
}

/// A pod's address in Endpoints, if it has an IP.
fn endpoint_address(pod: &Pod) -> Option<EndpointAddress> {
    Some(EndpointAddress {
        ip: pod_ip(pod)?,
        node_name: crate::pod::node_name(pod).map(str::to_string),
        target_ref: Some(pod_reference(pod)),
        ..Default::default()
    })
}

/// A subset's ports for a set of resolved ports (`None` for none).
fn endpoint_ports(ports: &PortSet) -> Option<Vec<EndpointPort>> {
    (!ports.is_empty()).then(|| {
        ports
            .iter()
            .map(|(name, port, protocol)| EndpointPort {
                name: (!name.is_empty()).then(|| name.clone()),
                port: *port,
                protocol: Some(protocol.clone()),
                ..Default::default()
            })
            .collect()
    })
}

/// The name of the pod an endpoint refers to (its `targetRef`), or `""`.
pub(crate) fn pod_name(target_ref: Option<&ObjectReference>) -> &str {
    target_ref
        .and_then(|r| r.name.as_deref())
        .unwrap_or_default()
}

/// The subsets of a Service's Endpoints, computed from the pods (`syncService` then
/// `RepackSubsets`): addresses grouped by identical port sets, sorted by IP string.
pub fn subsets(cluster: &Cluster, service: &Service) -> Vec<EndpointSubset> {
    let publish_not_ready = publishes_not_ready(service);
    // (ready, address) per pod, by the ports the pods serve.
    let by_ports = pods_by_ports(cluster, service, publish_not_ready);
    let by_ports = by_ports.iter().map(|(ports, pods)| {
        let addresses: Vec<(bool, EndpointAddress)> = pods
            .iter()
            .filter_map(|pod| {
                let ready = publish_not_ready || crate::pod::is_ready(pod);
                Some((ready, endpoint_address(pod)?))
            })
            .collect();
        (ports, addresses)
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
            ports: endpoint_ports(ports),
            ..Default::default()
        });
    }
    crate::sort::sort_by(&mut subsets, |a, b| first_ip(a).cmp(first_ip(b)));
    subsets
}

/// The pods among `changed` (names) that are endpoints of `service` now
/// ([`is_candidate`]), with the ports each serves: what a patch puts back.
pub(crate) fn changed_endpoints<'a>(
    cluster: &'a Cluster,
    service: &'a Service,
    changed: &'a [&'a str],
    include_terminating: bool,
) -> impl Iterator<Item = (&'a Pod, PortSet)> + 'a {
    let namespace = service.metadata.namespace.as_deref().unwrap_or("default");
    let spec = service.spec.as_ref();
    changed.iter().filter_map(move |&name| {
        let pod = cluster.store().get::<Pod>(namespace, name)?;
        if !is_candidate(pod, service, include_terminating) {
            return None;
        }
        Some((pod, served_ports(pod, spec?)?))
    })
}

/// A new address a patch of Endpoints puts in: the subset it joins, whether it is ready, and
/// the address.
type Addition = (usize, bool, EndpointAddress);

/// What patching `service`'s Endpoints (their subsets `current`) puts in after the pods
/// `changed` (names, without repeats) changed, instead of recomputing [`subsets`] from every
/// pod: each changed pod that is an endpoint now, with its subset and whether it is ready
/// ([`apply_patch`] takes every changed pod's old address out). `None` when the change needs
/// what a patch does not do (a new subset, an emptied one, two subsets starting at the same
/// IP): the caller then recomputes. Reads only: the Endpoints are changed in place after.
fn plan_patch(
    cluster: &Cluster,
    service: &Service,
    current: &[EndpointSubset],
    changed: &[&str],
) -> Option<Vec<Addition>> {
    let publish_not_ready = publishes_not_ready(service);
    let mut additions = Vec::new();
    for (pod, ports) in changed_endpoints(cluster, service, changed, publish_not_ready) {
        let address = endpoint_address(pod)?;
        let ports = endpoint_ports(&ports);
        let subset = current.iter().position(|s| s.ports == ports)?;
        let ready = publish_not_ready || crate::pod::is_ready(pod);
        additions.push((subset, ready, address));
    }
    {
        // Each subset's first IP after the patch: that of its first kept or new ready
        // address, or else of its first kept or new not-ready one.
        let mut starts = Vec::new();
        for (i, subset) in current.iter().enumerate() {
            let new = |ready: bool| {
                let mine = additions
                    .iter()
                    .filter(move |(s, r, _)| *s == i && *r == ready);
                mine.map(|(_, _, a)| a)
            };
            let start = first_ip_after(&subset.addresses, new(true), changed)
                .or_else(|| first_ip_after(&subset.not_ready_addresses, new(false), changed))?;
            starts.push(start);
        }
        crate::sort::sort(&mut starts);
        if starts.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
    }
    Some(additions)
}

/// The first IP of an address `list` once the addresses of the pods `changed` are taken out
/// and `added` put in; `None` if it is left empty.
fn first_ip_after<'a>(
    list: &'a Option<Vec<EndpointAddress>>,
    added: impl Iterator<Item = &'a EndpointAddress>,
    changed: &[&str],
) -> Option<&'a str> {
    let kept = (list.iter().flatten()).find(|a| !is_one_of(address_pod(a), changed));
    kept.into_iter().chain(added).map(|a| a.ip.as_str()).min()
}

/// Patches `subsets` as [`plan_patch`] planned: every changed pod's address out, the
/// additions in, each list in IP order (pod name order among equal IPs, as the stable sort
/// of [`subsets`] leaves them) and the subsets by their first IP. Returns whether they
/// changed.
fn apply_patch(subsets: &mut [EndpointSubset], changed: &[&str], additions: Vec<Addition>) -> bool {
    let lists: Vec<&mut Option<Vec<EndpointAddress>>> = (subsets.iter_mut())
        .flat_map(|s| [&mut s.addresses, &mut s.not_ready_addresses])
        .collect();
    let mut added: Vec<Vec<EndpointAddress>> = lists.iter().map(|_| Vec::new()).collect();
    for (subset, ready, address) in additions {
        if let Some(list) = added.get_mut(2 * subset + usize::from(!ready)) {
            list.push(address);
        }
    }
    let mut differs = false;
    for (list, added) in lists.into_iter().zip(added) {
        let addresses = list.get_or_insert_with(Vec::new);
        differs |= patch_sorted(addresses, changed, added, address_pod, |a, b| {
            (a.ip.as_str(), address_pod(a)).cmp(&(b.ip.as_str(), address_pod(b)))
        });
        if addresses.is_empty() {
            *list = None;
        }
    }
    crate::sort::sort_by(subsets, |a, b| first_ip(a).cmp(first_ip(b)));
    differs
}

/// The name of the pod an address belongs to.
fn address_pod(address: &EndpointAddress) -> &str {
    pod_name(address.target_ref.as_ref())
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
        let key = ObjectKey::new(Kind::Endpoints, &namespace, &name);
        // Read only for the Services a change affects.
        let wanted_labels = || Some(endpoint_labels(&service)).filter(|l| !l.is_empty());
        if let Some(pods) = &pods {
            let current = cluster.store().get::<Endpoints>(&namespace, &name);
            let listed = |pod: &str| current.is_some_and(|e| lists(e, pod));
            let terminating = publishes_not_ready(&service);
            let affected = affected_by(cluster, &service, pods, terminating, listed);
            if affected.is_empty() {
                continue;
            }
            let plan = current
                .filter(|e| e.metadata.labels == wanted_labels())
                .and_then(|e| plan_patch(cluster, &service, e.subsets.as_deref()?, &affected));
            if let Some(additions) = plan {
                changed |= cluster.edit::<Endpoints>(&key, |e| {
                    let subsets = e.subsets.get_or_insert_with(Vec::new);
                    apply_patch(subsets, &affected, additions)
                });
                debug_assert_eq!(
                    cluster
                        .store()
                        .get::<Endpoints>(&namespace, &name)
                        .and_then(|e| e.subsets.clone()),
                    Some(subsets(cluster, &service)),
                    "patched endpoints"
                );
                continue;
            }
        }
        let subsets = Some(subsets(cluster, &service)).filter(|s| !s.is_empty());
        let labels = wanted_labels();
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
        .any(|a| same_pod(address_pod(a), name))
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

    /// Pod changes read from the change feed patch Endpoints and slices (checked against the
    /// recomputation in debug builds, as tests run); this drives both controllers through
    /// changes that do and do not fit a patch and compares what they wrote with a
    /// recomputation from every pod.
    #[test]
    fn pod_changes_patch_what_a_recomputation_gives() {
        let mut on_9090 = pod("b", "10.244.2.5", true, false);
        if let Some(c) = on_9090.spec.as_mut().and_then(|s| s.containers.first_mut()) {
            c.ports = Some(vec![crate::types::ContainerPort {
                name: Some("http".into()),
                container_port: 9090,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]);
        }
        let pods = vec![
            pod("a", "10.244.1.10", true, false),
            on_9090,
            pod("c", "10.244.1.11", false, false),
            pod("d", "10.244.1.12", true, false),
            pod("e", "", false, false),
        ];
        let spec =
            json!({"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]});
        let (mut cluster, service) = cluster_with(spec, pods);
        cluster.insert(service.clone().into_object());
        let get = |cluster: &Cluster, name: &str| {
            cluster
                .store()
                .get::<Pod>("default", name)
                .cloned()
                .unwrap_or_default()
        };
        let ready = |mut p: Pod, ready: bool| {
            let status = if ready { "True" } else { "False" };
            let conditions = p.status.as_mut().and_then(|s| s.conditions.as_mut());
            for c in conditions.into_iter().flatten() {
                c.status = status.into();
            }
            p
        };
        let with_ip = |mut p: Pod, ip: &str| {
            if let Some(s) = p.status.as_mut() {
                s.pod_ip = Some(ip.into());
            }
            p
        };
        type Change = Box<dyn Fn(&mut Cluster)>;
        let changes: Vec<(&str, Change)> = vec![
            ("nothing yet", Box::new(|_| {})),
            (
                "a not ready",
                Box::new(move |c| c.put(ready(get(c, "a"), false))),
            ),
            (
                "e gets an IP",
                Box::new(move |c| c.put(with_ip(get(c, "e"), "10.244.1.2"))),
            ),
            (
                "c ready",
                Box::new(move |c| c.put(ready(get(c, "c"), true))),
            ),
            (
                "c moves",
                Box::new(move |c| c.put(with_ip(get(c, "c"), "10.244.1.9"))),
            ),
            (
                "e shares c's IP",
                Box::new(move |c| c.put(with_ip(get(c, "e"), "10.244.1.9"))),
            ),
            (
                "d goes",
                Box::new(|c| {
                    c.remove(&ObjectKey::new(Kind::Pod, "default", "d"));
                }),
            ),
            (
                "the only 9090 pod goes",
                Box::new(|c| {
                    c.remove(&ObjectKey::new(Kind::Pod, "default", "b"));
                }),
            ),
            (
                "a new pod",
                Box::new(|c| {
                    c.insert(pod("f", "10.244.3.3", true, false).into_object());
                }),
            ),
            (
                "a terminating",
                Box::new(move |c| {
                    let mut a = get(c, "a");
                    a.metadata.deletion_timestamp = Some(crate::time::timestamp(0));
                    c.put(a);
                }),
            ),
        ];
        for (moment, change) in changes {
            change(&mut cluster);
            sync_all(&mut cluster);
            super::super::endpointslice::sync_all(&mut cluster);
            let written = cluster.store().get::<Endpoints>("default", "web");
            let expected = Some(subsets(&cluster, &service)).filter(|s| !s.is_empty());
            assert_eq!(
                written.and_then(|e| e.subsets.clone()),
                expected,
                "{moment}"
            );
            let desired = super::super::endpointslice::desired(&cluster, &service);
            let written: Vec<Vec<crate::types::Endpoint>> =
                super::super::endpointslice::slices_of(&cluster, "default", "web")
                    .map(|s| s.endpoints.clone().unwrap_or_default())
                    .collect();
            assert_eq!(written.len(), desired.len(), "{moment}: slices");
            for endpoints in desired.values() {
                assert!(written.contains(endpoints), "{moment}: {endpoints:?}");
            }
        }
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
