//! The load-balancer half of the cloud provider's service controller
//! (`k8s.io/cloud-provider/controllers/service/controller.go`, `syncLoadBalancerIfNeeded`),
//! with a provider like kind's cloud-provider-kind or MetalLB behind it: a LoadBalancer
//! Service gets an external address from a fixed pool of the node network.
//!
//! Creating the balancer takes [`PROVISIONING_DELAY`] of virtual time: the controller records
//! `EnsuringLoadBalancer` at once and, when the delay has passed, writes
//! `status.loadBalancer.ingress: [{ip}]` and records `EnsuredLoadBalancer`. Each address of
//! [`POOL_FIRST`]..=[`POOL_LAST`] serves one Service at a time; which ones are taken is read
//! from the Services' statuses, so deleting a Service releases its address. With the pool
//! exhausted the Service waits (`SyncLoadBalancerFailed`) until an address is released. A
//! cluster without a cloud provider ([`crate::Cluster::set_load_balancers`] off) leaves
//! LoadBalancer Services pending for ever, as a bare kubeadm cluster does.

use crate::api::{ApiObject, Kind, ObjectKey};
use crate::service::ipallocator;
use crate::time::Millis;
use crate::types::{LoadBalancerIngress, LoadBalancerStatus, Service};
use crate::vecmap::VecMap;
use crate::Cluster;

/// How long the simulated provider takes to create a load balancer: a couple of seconds, as
/// cloud-provider-kind takes to start its proxy container.
pub const PROVISIONING_DELAY: Millis = 2_000;

/// The first address of the pool (the top of kind's `172.18.0.0/16` docker network, where
/// kind's MetalLB guide and cloud-provider-kind put load-balancer addresses).
pub const POOL_FIRST: &str = "172.18.255.200";

/// The last address of the pool (51 addresses in all).
pub const POOL_LAST: &str = "172.18.255.250";

/// The event source, as the cloud controller manager's recorder names it.
const COMPONENT: &str = "service-controller";

/// Where a Service without an address stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// `EnsuringLoadBalancer` was recorded; the address comes at this instant.
    Ensuring(Millis),
    /// The pool was empty; the Service gets the next released address.
    Waiting,
}

/// The controller's memory, kept in the cluster: whether a provider exists, and the Services
/// (by uid) whose balancer is being created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    enabled: bool,
    pending: VecMap<String, Phase>,
}

impl Default for State {
    fn default() -> Self {
        State {
            enabled: true,
            pending: VecMap::new(),
        }
    }
}

impl State {
    /// Whether LoadBalancer Services get addresses.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Turns the provider on or off; Services already given an address keep it.
    pub(crate) fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
    }
}

/// The pool's addresses in order.
fn pool() -> impl Iterator<Item = u32> {
    let first = ipallocator::parse(POOL_FIRST).unwrap_or(0);
    let last = ipallocator::parse(POOL_LAST).unwrap_or(0);
    first..=last
}

/// The ingress addresses of a Service's status.
fn ingress_ips(service: &Service) -> Vec<String> {
    service
        .status
        .iter()
        .flat_map(|s| s.load_balancer.iter())
        .flat_map(|lb| lb.ingress.iter().flatten())
        .filter_map(|i| i.ip.clone())
        .collect()
}

fn is_load_balancer(service: &Service) -> bool {
    service.spec.as_ref().and_then(|s| s.type_.as_deref()) == Some("LoadBalancer")
}

fn set_ingress(service: &mut Service, ingress: Option<Vec<LoadBalancerIngress>>) {
    service
        .status
        .get_or_insert_with(Default::default)
        .load_balancer = Some(LoadBalancerStatus {
        ingress,
        ..Default::default()
    });
}

/// One pass over every Service; returns whether anything changed.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let services: Vec<Service> = cluster.store().list::<Service>(None).cloned().collect();
    let mut used: VecMap<u32, ()> = services
        .iter()
        .flat_map(ingress_ips)
        .filter_map(|ip| ipallocator::parse(&ip).map(|ip| (ip, ())))
        .collect();
    let now = cluster.now();
    let mut state = cluster.load_balancer_state().clone();
    let mut changed = false;
    let live: Vec<&String> = services
        .iter()
        .filter_map(|s| s.metadata.uid.as_ref())
        .collect();
    state.pending.retain(|uid, _| live.contains(&uid));
    for service in services {
        let uid = service.metadata.uid.clone().unwrap_or_default();
        let key = ObjectKey::new(
            Kind::Service,
            service.metadata.namespace.as_deref().unwrap_or("default"),
            service.metadata.name.as_deref().unwrap_or(""),
        );
        let has_address = !ingress_ips(&service).is_empty();
        if !is_load_balancer(&service) {
            state.pending.remove(&uid);
            if has_address {
                // The type changed away from LoadBalancer: the balancer is deleted.
                let object = service.clone().into_object();
                cluster.record_event(
                    &object,
                    "Normal",
                    "DeletingLoadBalancer",
                    "Deleting load balancer".into(),
                    COMPONENT,
                );
                let mut service = service;
                service
                    .status
                    .get_or_insert_with(Default::default)
                    .load_balancer = None;
                cluster.put(service);
                cluster.record_event(
                    &object,
                    "Normal",
                    "DeletedLoadBalancer",
                    "Deleted load balancer".into(),
                    COMPONENT,
                );
                changed = true;
            }
            continue;
        }
        if has_address || !state.enabled {
            if state.pending.remove(&uid).is_some() {
                cluster.set_wake_up(&key, None);
            }
            continue;
        }
        let object = service.clone().into_object();
        match state.pending.get(&uid).copied() {
            None => {
                cluster.record_event(
                    &object,
                    "Normal",
                    "EnsuringLoadBalancer",
                    "Ensuring load balancer".into(),
                    COMPONENT,
                );
                let due = now.saturating_add(PROVISIONING_DELAY);
                state.pending.insert(uid, Phase::Ensuring(due));
                cluster.set_wake_up(&key, Some(due));
                changed = true;
            }
            Some(Phase::Ensuring(due)) if due > now => {}
            Some(phase) => match pool().find(|ip| !used.contains_key(ip)) {
                Some(ip) => {
                    used.insert(ip, ());
                    state.pending.remove(&uid);
                    let mut service = service;
                    set_ingress(
                        &mut service,
                        Some(vec![LoadBalancerIngress {
                            ip: Some(ipallocator::format(ip)),
                            ..Default::default()
                        }]),
                    );
                    cluster.put(service);
                    cluster.record_event(
                        &object,
                        "Normal",
                        "EnsuredLoadBalancer",
                        "Ensured load balancer".into(),
                        COMPONENT,
                    );
                    changed = true;
                }
                None if phase != Phase::Waiting => {
                    // syncService's error path: "Error syncing load balancer: %v".
                    let message = format!(
                        "Error syncing load balancer: failed to ensure load balancer: no \
                         available IPs in the pool {POOL_FIRST}-{POOL_LAST}"
                    );
                    cluster.record_event(
                        &object,
                        "Warning",
                        "SyncLoadBalancerFailed",
                        message,
                        COMPONENT,
                    );
                    state.pending.insert(uid, Phase::Waiting);
                    changed = true;
                }
                None => {}
            },
        }
    }
    *cluster.load_balancer_state_mut() = state;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lb(cluster: &mut Cluster, name: &str) {
        let manifest = json!({
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}
        });
        cluster
            .create_json(Kind::Service, manifest)
            .expect("a created Service");
    }

    fn address(cluster: &Cluster, name: &str) -> Option<String> {
        cluster
            .store()
            .get::<Service>("default", name)
            .and_then(|s| ingress_ips(s).first().cloned())
    }

    fn reasons(cluster: &Cluster, name: &str) -> Vec<String> {
        cluster
            .store()
            .list::<crate::types::Event>(Some("default"))
            .filter(|e| e.involved_object.name.as_deref() == Some(name))
            .filter_map(|e| e.reason.clone())
            .collect()
    }

    #[test]
    fn addresses_come_after_the_delay_in_pool_order_and_are_released_on_delete() {
        let mut c = Cluster::new(1);
        lb(&mut c, "a");
        assert_eq!(address(&c, "a"), None);
        assert_eq!(reasons(&c, "a"), ["EnsuringLoadBalancer"]);
        c.advance(PROVISIONING_DELAY - 1);
        assert_eq!(address(&c, "a"), None);
        lb(&mut c, "b");
        c.advance(1);
        assert_eq!(address(&c, "a").as_deref(), Some("172.18.255.200"));
        assert_eq!(
            address(&c, "b"),
            None,
            "b was created 1ms before a was ready"
        );
        let mut r = reasons(&c, "a");
        r.sort();
        assert_eq!(r, ["EnsuredLoadBalancer", "EnsuringLoadBalancer"]);
        c.advance(PROVISIONING_DELAY);
        assert_eq!(address(&c, "b").as_deref(), Some("172.18.255.201"));
        c.delete(Kind::Service, "default", "a").expect("deleted");
        lb(&mut c, "c");
        c.advance(PROVISIONING_DELAY);
        assert_eq!(address(&c, "c").as_deref(), Some("172.18.255.200"));
    }

    #[test]
    fn an_exhausted_pool_makes_services_wait_for_a_released_address() {
        let mut c = Cluster::new(1);
        let size = pool().count();
        assert_eq!(size, 51);
        for i in 0..=size {
            lb(&mut c, &format!("s{i:02}"));
        }
        c.advance(PROVISIONING_DELAY);
        let last = format!("s{size:02}");
        assert_eq!(
            address(&c, &format!("s{:02}", size - 1)).as_deref(),
            Some(POOL_LAST)
        );
        assert_eq!(address(&c, &last), None);
        assert!(reasons(&c, &last).contains(&"SyncLoadBalancerFailed".to_string()));
        c.delete(Kind::Service, "default", "s07").expect("deleted");
        assert_eq!(address(&c, &last).as_deref(), Some("172.18.255.207"));
    }

    #[test]
    fn without_a_provider_services_stay_pending() {
        let mut c = Cluster::new(1);
        c.set_load_balancers(false);
        lb(&mut c, "a");
        c.advance(60_000);
        assert_eq!(address(&c, "a"), None);
        assert!(reasons(&c, "a").is_empty());
        assert_ne!(c.state_hash(), {
            let mut on = c.clone();
            on.set_load_balancers(true);
            on.advance(0);
            on.state_hash()
        });
        c.set_load_balancers(true);
        c.advance(PROVISIONING_DELAY);
        assert_eq!(address(&c, "a").as_deref(), Some(POOL_FIRST));
    }

    #[test]
    fn changing_the_type_away_deletes_the_balancer() {
        let mut c = Cluster::new(1);
        lb(&mut c, "a");
        c.advance(PROVISIONING_DELAY);
        let mut s = c.store().get::<Service>("default", "a").expect("a").clone();
        if let Some(spec) = s.spec.as_mut() {
            spec.type_ = Some("NodePort".into());
        }
        c.update(s.into_object()).expect("updated");
        assert_eq!(address(&c, "a"), None);
        assert!(reasons(&c, "a").contains(&"DeletedLoadBalancer".to_string()));
    }
}
