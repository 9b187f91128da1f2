//! The garbage collector (`pkg/controller/garbagecollector`): deletes objects whose owners are
//! all gone, as background cascading deletion does after `kubectl delete deployment`.
//!
//! It also plays the API server's part of expiring old events ([`expire_events`]).
//!
//! Concrete example: deleting Deployment `web` removes it at once; on the next pass its
//! ReplicaSet `web-7d9c5b8f6d` has no owner left and is removed; on the pass after, that
//! ReplicaSet's pods start terminating gracefully.

use crate::api::{ApiObject, Kind, Object, ObjectKey};
use crate::store::Store;
use crate::time::{millis_of, Millis};
use crate::types::OwnerReference;
use crate::types::{Event, Pod};
use crate::{kubelet, Cluster};

/// How long events live: the API server stores them with a lease of `--event-ttl`, 1h by
/// default, after which they vanish.
const EVENT_TTL: Millis = 60 * 60 * 1_000;

/// Deletes every dependent whose owner references all point to objects that no longer exist.
/// Pods terminate gracefully through the kubelet model; other kinds are removed at once.
/// Returns whether anything changed.
pub(crate) fn collect(cluster: &mut Cluster) -> bool {
    let before = cluster.store().resource_version();
    let store = cluster.store();
    let orphans: Vec<Object> = store
        .all()
        .filter(|o| o.meta().deletion_timestamp.is_none())
        .filter(|o| {
            let refs = o.meta().owner_references.as_deref().unwrap_or_default();
            !refs.is_empty() && refs.iter().all(|r| is_dangling(store, o.namespace(), r))
        })
        .cloned()
        .collect();
    for object in orphans {
        match object.kind() {
            Kind::Pod => {
                if let Some(pod) = Pod::from_object_owned(object) {
                    kubelet::begin_termination(cluster, pod);
                }
            }
            _ => {
                cluster.remove(&object.key());
            }
        }
    }
    cluster.store().resource_version() != before
}

/// `isDangling`: the owner a reference names (kind, the dependent's namespace, name) is gone,
/// or is another object of that name (its uid differs). A kind the simulation does not serve
/// has no object either.
fn is_dangling(store: &Store, namespace: &str, owner: &OwnerReference) -> bool {
    let Some(kind) = Kind::from_name(&owner.kind) else {
        return true;
    };
    store
        .get_object(&ObjectKey::new(kind, namespace, &owner.name))
        .is_none_or(|o| o.meta().uid.as_deref() != Some(owner.uid.as_str()))
}

/// Removes events last seen more than [`EVENT_TTL`] ago, so a long session does not pile them
/// up. Expiry is checked once each time the controllers run (after every API call and timer),
/// which is deterministic; events written during that run are new and cannot be due.
pub(crate) fn expire_events(cluster: &mut Cluster) {
    let now = cluster.now();
    let expired: Vec<_> = cluster
        .store()
        .list::<Event>(None)
        .filter(|e| {
            let seen = e.last_timestamp.as_ref().map_or(0, millis_of);
            seen.saturating_add(EVENT_TTL) <= now
        })
        .map(|e| e.clone().into_object().key())
        .collect();
    for key in expired {
        cluster.remove(&key);
    }
}
