//! The EndpointSlice controller (`pkg/controller/endpointslice`, its `reconciler.go`): for each
//! Service with a selector, slices named `<service>-<5 random>` listing every selected pod
//! with an IP (terminating ones included) and its `ready`/`serving`/`terminating` conditions.
//! Pods are grouped into one slice per distinct set of resolved ports; kplay does not split
//! slices at the 100-endpoint maximum.

use super::endpoints::{
    affected_by, changed_endpoints, endpoint_labels, managed_services, pod_ip, pod_name,
    pod_reference, pods_by_ports, pods_changed_since,
    publishes_not_ready as service_publishes_not_ready, PortSet,
};
use super::sorted_patch::{is_one_of, patch_sorted, same_pod};
use crate::api::{ApiObject, Kind, ObjectKey};
use crate::types::{
    Endpoint, EndpointConditions, EndpointSlice, ObjectMeta, Pod, Service, SliceEndpointPort,
};
use crate::vecmap::VecMap;
use crate::Cluster;

/// The label that ties a slice to its Service (`discovery.LabelServiceName`).
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// The label naming the slice's manager (`discovery.LabelManagedBy`).
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// This controller's `LabelManagedBy` value.
pub const CONTROLLER_NAME: &str = "endpointslice-controller.k8s.io";

/// The desired slices of a Service: endpoints (sorted by address) per port set.
pub(crate) fn desired(cluster: &Cluster, service: &Service) -> VecMap<PortSet, Vec<Endpoint>> {
    let publish_not_ready = service_publishes_not_ready(service);
    let mut slices: VecMap<PortSet, Vec<Endpoint>> = VecMap::new();
    for (ports, pods) in pods_by_ports(cluster, service, true).iter() {
        let endpoints = pods
            .iter()
            .filter_map(|pod| endpoint(pod, publish_not_ready));
        slices.insert(ports.clone(), endpoints.collect());
    }
    for endpoints in slices.values_mut() {
        crate::sort::sort_by(endpoints, |a, b| a.addresses.cmp(&b.addresses));
    }
    if slices.is_empty() {
        // reconciler.go: a Service without endpoints keeps one placeholder slice, without
        // ports or endpoints (`kubectl get` shows `<unset>` for both).
        slices.insert(Vec::new(), Vec::new());
    }
    slices
}

/// A pod's endpoint in a slice, if it has an IP (endpointslice/utils.go `podToEndpoint`):
/// serving is the pod's readiness, ready also requires that it is not terminating;
/// publishNotReadyAddresses makes both true.
fn endpoint(pod: &Pod, publish_not_ready: bool) -> Option<Endpoint> {
    let terminating = crate::pod::is_terminating(pod);
    let serving = publish_not_ready || crate::pod::is_ready(pod);
    let ready = publish_not_ready || (serving && !terminating);
    Some(Endpoint {
        addresses: vec![pod_ip(pod)?],
        conditions: Some(EndpointConditions {
            ready: Some(ready),
            serving: Some(serving),
            terminating: Some(terminating),
            ..Default::default()
        }),
        node_name: crate::pod::node_name(pod).map(str::to_string),
        target_ref: Some(pod_reference(pod)),
        ..Default::default()
    })
}

/// What patching `service`'s `slices` puts in after the pods `changed` (names, without
/// repeats) changed, instead of recomputing [`desired`] from every pod: by slice name, the
/// endpoints of the changed pods that are endpoints now, in the slice of their ports
/// ([`patch_slice`] takes every changed pod's old endpoint out). `None` when the change needs
/// what a patch does not do (a slice for new ports, an emptied slice, the placeholder): the
/// caller then syncs in full. Reads only: the slices are changed in place after.
fn plan_patch(
    cluster: &Cluster,
    service: &Service,
    slices: &[&EndpointSlice],
    changed: &[&str],
) -> Option<Vec<(String, Vec<Endpoint>)>> {
    let publish_not_ready = service_publishes_not_ready(service);
    let mut plan: Vec<(PortSet, String, Vec<Endpoint>)> = Vec::new();
    for slice in slices {
        let ports = port_set(slice);
        if slice.endpoints.is_none() || plan.iter().any(|(p, _, _)| *p == ports) {
            return None;
        }
        let name = slice.metadata.name.clone().unwrap_or_default();
        plan.push((ports, name, Vec::new()));
    }
    for (pod, ports) in changed_endpoints(cluster, service, changed, true) {
        let endpoint = endpoint(pod, publish_not_ready)?;
        let (_, _, added) = plan.iter_mut().find(|(p, _, _)| *p == ports)?;
        added.push(endpoint);
    }
    for (slice, (_, _, added)) in slices.iter().zip(&plan) {
        let endpoints = slice.endpoints.iter().flatten();
        if added.is_empty()
            && endpoints
                .clone()
                .all(|e| is_one_of(endpoint_pod(e), changed))
        {
            return None;
        }
    }
    Some(plan.into_iter().map(|(_, n, e)| (n, e)).collect())
}

/// Patches a slice's endpoints as [`plan_patch`] planned: every changed pod's endpoint out,
/// `added` in, in address order (pod name order among equal addresses, as the stable sort of
/// [`desired`] leaves them). Returns whether they changed.
fn patch_slice(slice: &mut EndpointSlice, changed: &[&str], added: Vec<Endpoint>) -> bool {
    let endpoints = slice.endpoints.get_or_insert_with(Vec::new);
    patch_sorted(endpoints, changed, added, endpoint_pod, |a, b| {
        (&a.addresses, endpoint_pod(a)).cmp(&(&b.addresses, endpoint_pod(b)))
    })
}

/// The name of the pod an endpoint belongs to.
fn endpoint_pod(endpoint: &Endpoint) -> &str {
    pod_name(endpoint.target_ref.as_ref())
}

fn slice_ports(ports: &PortSet) -> Option<Vec<SliceEndpointPort>> {
    (!ports.is_empty()).then(|| {
        ports
            .iter()
            .map(|(name, port, protocol)| SliceEndpointPort {
                name: Some(name.clone()),
                port: Some(*port),
                protocol: Some(protocol.clone()),
                ..Default::default()
            })
            .collect()
    })
}

fn port_set(slice: &EndpointSlice) -> PortSet {
    slice
        .ports
        .iter()
        .flatten()
        .map(|p| {
            (
                p.name.clone().unwrap_or_default(),
                p.port.unwrap_or(0),
                p.protocol.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// The slices this controller manages for the Service `name` in `namespace`.
pub fn slices_of<'a>(
    cluster: &'a Cluster,
    namespace: &'a str,
    name: &'a str,
) -> impl Iterator<Item = &'a EndpointSlice> + 'a {
    cluster
        .store()
        .list::<EndpointSlice>(Some(namespace))
        .filter(move |s| {
            let labels = s.metadata.labels.as_ref();
            labels
                .and_then(|l| l.get(SERVICE_NAME_LABEL))
                .map(String::as_str)
                == Some(name)
                && labels
                    .and_then(|l| l.get(MANAGED_BY_LABEL))
                    .map(String::as_str)
                    == Some(CONTROLLER_NAME)
        })
}

/// One pass: brings every managed Service's slices to the desired state. Returns whether
/// anything changed.
///
/// Like the endpoints controller, it syncs only the Services a pod change since its last pass
/// may affect ([`affected_by`]), or all when a Service or an EndpointSlice changed.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let mut changed = false;
    let cursor = cluster.progress().slices_read_until;
    let pods = pods_changed_since(cluster, cursor, Kind::EndpointSlice);
    for service in managed_services(cluster) {
        let namespace = service.metadata.namespace.clone().unwrap_or_default();
        let name = service.metadata.name.clone().unwrap_or_default();
        if let Some(pods) = &pods {
            let listed = |pod: &str| slices_of(cluster, &namespace, &name).any(|s| lists(s, pod));
            let affected = affected_by(cluster, &service, pods, true, listed);
            if affected.is_empty() {
                continue;
            }
            let slices: Vec<&EndpointSlice> = slices_of(cluster, &namespace, &name).collect();
            if let Some(plan) = plan_patch(cluster, &service, &slices, &affected) {
                for (slice, added) in plan {
                    let key = ObjectKey::new(Kind::EndpointSlice, &namespace, &slice);
                    changed |= cluster.edit(&key, |s| patch_slice(s, &affected, added));
                }
                debug_assert_eq!(
                    slices_of(cluster, &namespace, &name)
                        .map(|s| (port_set(s), s.endpoints.clone().unwrap_or_default()))
                        .collect::<VecMap<_, _>>(),
                    desired(cluster, &service),
                    "patched endpoint slices"
                );
                continue;
            }
        }
        changed |= sync_one(cluster, &service, &namespace, &name);
    }
    // Its own writes are read: only what others change from here on is news.
    cluster.progress_mut().slices_read_until = cluster.store().feed().head();
    changed
}

/// Whether `slice` lists the pod `name`.
fn lists(slice: &EndpointSlice, name: &str) -> bool {
    (slice.endpoints.iter().flatten()).any(|e| same_pod(endpoint_pod(e), name))
}

/// Brings one Service's slices to the desired state; whether anything changed.
fn sync_one(cluster: &mut Cluster, service: &Service, namespace: &str, name: &str) -> bool {
    let mut changed = false;
    {
        let mut labels = endpoint_labels(service);
        labels.insert(SERVICE_NAME_LABEL.into(), name.to_string());
        labels.insert(MANAGED_BY_LABEL.into(), CONTROLLER_NAME.into());
        // Each existing slice's name and port set; a slice is compared in place and copied
        // only to write: this runs whenever a pod changed.
        let mut existing: Vec<(String, PortSet)> = slices_of(cluster, namespace, name)
            .map(|s| (s.metadata.name.clone().unwrap_or_default(), port_set(s)))
            .collect();
        for (ports, endpoints) in desired(cluster, service) {
            let endpoints = (!endpoints.is_empty()).then_some(endpoints);
            let position = existing.iter().position(|(_, p)| *p == ports);
            let Some((slice_name, _)) = position.map(|i| existing.remove(i)) else {
                let base = format!("{name}-");
                let slice_name = crate::naming::generate_name(&base, cluster.rng());
                let fresh = EndpointSlice {
                    metadata: ObjectMeta {
                        name: Some(slice_name),
                        generate_name: Some(base),
                        namespace: Some(namespace.to_string()),
                        labels: Some(labels.clone()),
                        owner_references: Some(vec![crate::owner::new_controller_ref(service)]),
                        ..Default::default()
                    },
                    address_type: "IPv4".into(),
                    ports: slice_ports(&ports),
                    endpoints,
                    ..Default::default()
                };
                cluster.insert(fresh.into_object());
                changed = true;
                continue;
            };
            let Some(slice) = cluster.store().get::<EndpointSlice>(namespace, &slice_name) else {
                continue;
            };
            if slice.metadata.labels.as_ref() != Some(&labels) || slice.endpoints != endpoints {
                // The old endpoints are not copied only to be replaced.
                let mut metadata = slice.metadata.clone();
                metadata.labels = Some(labels.clone());
                let slice = EndpointSlice {
                    metadata,
                    endpoints,
                    address_type: slice.address_type.clone(),
                    ports: slice.ports.clone(),
                    extra: slice.extra.clone(),
                };
                cluster.put(slice);
                changed = true;
            }
        }
        for (stale, _) in existing {
            let key = ObjectKey::new(Kind::EndpointSlice, namespace, &stale);
            cluster.remove(&key);
            changed = true;
        }
    }
    changed
}
