//! kube-proxy's view of each Service's endpoints, which lags the API by a propagation delay.
//!
//! A real kube-proxy watches EndpointSlices and rewrites the node's iptables/nftables rules; the
//! rules change a moment after the endpoints do (the watch, then `--iptables-min-sync-period`,
//! 1 s by default). That lag is why a pod that stops serving the instant it is deleted still
//! gets a few connections: they were routed by rules that still listed it. Here every change
//! of a Service's endpoints is recorded with its time, and routing at time `t` uses the
//! endpoints as they were at `t - PROPAGATION_DELAY`.

use crate::controller::endpointslice::slices_of;
use crate::time::Millis;
use crate::types::{EndpointConditions, EndpointSlice, Service};
use crate::vecmap::VecMap;
use crate::{Cluster, Kind};
use std::rc::Rc;

/// How long an endpoint change takes to reach the proxy rules on every node: the default
/// `--iptables-min-sync-period` of kube-proxy (1 s), which dominates on a quiet cluster.
pub const PROPAGATION_DELAY: Millis = 1_000;

/// One endpoint of a Service as the proxy rules know it. Its text is shared (`Rc`) with the
/// same endpoint in the Service's earlier changes: the rules are recorded again whenever one
/// endpoint changes, and copying hundreds of names and addresses each time was most of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    /// The pod behind the address (the endpoint's `targetRef`).
    pub pod: Rc<str>,
    /// The pod's IP.
    pub ip: Rc<str>,
    /// The EndpointSlice conditions: ready, serving, terminating.
    pub ready: bool,
    /// Serving (ready, ignoring termination).
    pub serving: bool,
    /// Terminating.
    pub terminating: bool,
    /// The slice's ports: (Service port name, target port on the pod, protocol).
    pub ports: Rc<[(String, i32, String)]>,
}

/// The changes of one Service's endpoints: when, and the endpoints from then on.
type Changes = Vec<(Millis, Vec<Backend>)>;

/// What the proxy rules know, per Service (namespace, name): each change of its endpoints with
/// the time it happened, oldest first; only the entries still needed are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyState {
    history: VecMap<(String, String), Changes>,
    /// The store's resourceVersion at the last observation: nothing changed if it is the
    /// same, and the access logs read the change feed from there (see `network::observe`).
    pub(super) seen_version: u64,
}

impl ProxyState {
    /// The endpoints of the Service `namespace/name` that the proxy rules route to at `now`:
    /// those of the last change at least [`PROPAGATION_DELAY`] old (none before the first).
    pub fn backends(&self, namespace: &str, name: &str, now: Millis) -> &[Backend] {
        let Some(changes) = self.history.get(&(namespace.to_string(), name.to_string())) else {
            return &[];
        };
        changes
            .iter()
            .rev()
            .find(|(at, _)| at.saturating_add(PROPAGATION_DELAY) <= now)
            .map_or(&[], |(_, backends)| backends.as_slice())
    }
}

/// Records the endpoints of every Service if a Service or an EndpointSlice changed since the
/// last call; called after every reconcile. Returns the store's resourceVersion at the last
/// call, if the store changed since.
pub(crate) fn observe(cluster: &mut Cluster) -> Option<u64> {
    let version = cluster.store().resource_version();
    let seen = cluster.network().proxy().seen_version;
    if seen == version {
        return None;
    }
    cluster.network_mut().proxy_mut().seen_version = version;
    if !cluster
        .store()
        .changed_since(&[Kind::Service, Kind::EndpointSlice], seen)
    {
        return Some(seen);
    }
    let now = cluster.now();
    let mut current: VecMap<(String, String), Vec<Backend>> = VecMap::new();
    let history = &cluster.network().proxy().history;
    for service in cluster.store().list::<Service>(None) {
        let namespace = service.metadata.namespace.clone().unwrap_or_default();
        let name = service.metadata.name.clone().unwrap_or_default();
        let key = (namespace, name);
        let last = history
            .get(&key)
            .and_then(|c| c.last())
            .map(|(_, b)| b.as_slice());
        let mut backends = Vec::new();
        // Where the next slice's endpoints are looked for in `last`, which lists them in the
        // same slice order.
        let mut next = 0;
        for slice in slices_of(cluster, &key.0, &key.1) {
            backends.extend(slice_backends(slice, last.unwrap_or_default(), &mut next));
        }
        current.insert(key, backends);
    }
    let state = cluster.network_mut().proxy_mut();
    state.history.retain(|key, _| current.contains_key(key));
    for (key, backends) in current {
        let changes = state.history.entry_or_default(key);
        if changes.last().map(|(_, b)| b) != Some(&backends) {
            changes.push((now, backends));
        }
        // Only the newest change already in effect, and those after it, can still be seen.
        let in_effect = changes
            .iter()
            .rposition(|(at, _)| at.saturating_add(PROPAGATION_DELAY) <= now)
            .unwrap_or(0);
        changes.drain(..in_effect);
    }
    Some(seen)
}

/// How many places on in the previous backends [`slice_backends`] looks for an endpoint's match.
const REUSE_WINDOW: usize = 4;

/// The backends one EndpointSlice lists, sharing the text of those in `last` (the Service's
/// latest recorded backends) that are the same pod at the same address with the same ports,
/// looked for from `next` on (moved past each one found).
fn slice_backends(slice: &EndpointSlice, last: &[Backend], next: &mut usize) -> Vec<Backend> {
    let ports: Vec<(String, i32, String)> = slice
        .ports
        .iter()
        .flatten()
        .map(|p| {
            (
                p.name.clone().unwrap_or_default(),
                p.port.unwrap_or(0),
                p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            )
        })
        .collect();
    let mut ports: Rc<[(String, i32, String)]> = ports.into();
    let mut backends = Vec::new();
    for endpoint in slice.endpoints.iter().flatten() {
        let (Some(ip), Some(pod)) = (
            endpoint.addresses.first(),
            endpoint.target_ref.as_ref().and_then(|r| r.name.as_deref()),
        ) else {
            continue;
        };
        let same = |b: &Backend| &*b.pod == pod && &*b.ip == ip.as_str() && b.ports == ports;
        // A change moves a few endpoints: a match is looked for a few places on, no further.
        let found = (last.get(*next..)).and_then(|rest| {
            rest.iter()
                .take(REUSE_WINDOW)
                .enumerate()
                .find(|(_, b)| same(b))
        });
        let (pod, ip) = match found {
            Some((at, seen)) => {
                *next += at + 1;
                ports = seen.ports.clone();
                (seen.pod.clone(), seen.ip.clone())
            }
            None => (Rc::from(pod), Rc::from(ip.as_str())),
        };
        let conditions = endpoint.conditions.as_ref();
        let condition =
            |c: fn(&EndpointConditions) -> Option<bool>| conditions.and_then(c).unwrap_or(false);
        backends.push(Backend {
            pod,
            ip,
            ready: condition(|c| c.ready),
            serving: condition(|c| c.serving),
            terminating: condition(|c| c.terminating),
            ports: ports.clone(),
        });
    }
    backends
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_rules_learn_of_a_new_endpoint_one_propagation_delay_after_the_api() {
        let mut cluster = Cluster::new(1);
        let service = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}});
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx"}]}});
        assert!(cluster.create_json(crate::Kind::Service, service).is_ok());
        assert!(cluster.create_json(crate::Kind::Pod, pod).is_ok());
        let mut ready_at = None;
        for _ in 0..200 {
            cluster.advance(50);
            let slices = slices_of(&cluster, "default", "web");
            let ready = slices
                .flat_map(|s| slice_backends(s, &[], &mut 0))
                .any(|b| b.ready && &*b.pod == "web");
            if ready {
                ready_at = Some(cluster.now());
                break;
            }
        }
        let ready_at = ready_at.expect("the pod becomes a ready endpoint");
        let seen = |c: &Cluster| {
            let backends = c.network().proxy().backends("default", "web", c.now());
            backends.iter().filter(|b| b.ready).count()
        };
        assert_eq!(seen(&cluster), 0);
        cluster.advance(PROPAGATION_DELAY - 50 - (cluster.now() - ready_at));
        assert_eq!(seen(&cluster), 0, "not yet: 50 ms early at the most");
        cluster.advance(50);
        assert_eq!(seen(&cluster), 1);
    }
}
