//! The garbage collector (`pkg/controller/garbagecollector`): deletes objects whose owners are
//! all gone, as background cascading deletion does after `kubectl delete deployment`.
//!
//! It also plays the API server's part of expiring old events ([`expire_events`]).
//!
//! Concrete example: deleting Deployment `web` removes it at once; on the next pass its
//! ReplicaSet `web-7d9c5b8f6d` has no owner left and is removed; on the pass after, that
//! ReplicaSet's pods start terminating gracefully.

use crate::api::{ApiObject, Kind, Object, ObjectKey};
use crate::feed::WatchEventType;
use crate::store::Store;
use crate::time::Millis;
use crate::types::OwnerReference;
use crate::types::Pod;
use crate::vecmap::VecMap;
use crate::{kubelet, Cluster};

/// How long events live: the API server stores them with a lease of `--event-ttl`, 1h by
/// default, after which they vanish.
const EVENT_TTL: Millis = 60 * 60 * 1_000;

/// Deletes every dependent whose owner references all point to objects that no longer exist.
/// Pods terminate gracefully through the kubelet model; other kinds are removed at once.
/// Returns whether anything changed.
///
/// Like the real collector's graph builder, it follows the change feed: only the objects
/// written since its last pass, and the dependents of those removed, can have become
/// orphans; it reads everything when it fell behind the feed.
pub(crate) fn collect(cluster: &mut Cluster) -> bool {
    let before = cluster.store().resource_version();
    let suspects = suspects(cluster.store(), cluster.progress().collected_until);
    let head = cluster.store().feed().head();
    cluster.progress_mut().collected_until = head;
    let store = cluster.store();
    let orphan = |o: &&Object| {
        let refs = o.meta().owner_references.as_deref().unwrap_or_default();
        o.meta().deletion_timestamp.is_none()
            && !refs.is_empty()
            && refs.iter().all(|r| is_dangling(store, o.namespace(), r))
    };
    let orphans: Vec<Object> = match suspects {
        Some(keys) => keys
            .keys()
            .filter_map(|key| store.get_object(key))
            .filter(orphan)
            .cloned()
            .collect(),
        None => store.all().filter(orphan).cloned().collect(),
    };
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

/// The objects that may have become orphans since the feed position `cursor`, in key order:
/// those added or changed, and the dependents of those removed; `None` (read everything) when
/// the feed no longer holds all the changes since then.
fn suspects(store: &Store, cursor: u64) -> Option<VecMap<ObjectKey, ()>> {
    let (changes, missed) = store.feed().since(cursor);
    if missed {
        return None;
    }
    let mut keys = VecMap::new();
    for change in changes {
        match change.event_type {
            WatchEventType::Added | WatchEventType::Modified => {
                keys.insert(change.key.clone(), ());
            }
            WatchEventType::Deleted => {
                for dependent in store.dependents_of(&change.key) {
                    keys.insert(dependent.key(), ());
                }
            }
        }
    }
    Some(keys)
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
    let Some(until) = cluster.now().checked_sub(EVENT_TTL) else {
        return;
    };
    // Removed in key order, as a scan of the store would find them.
    let expired: VecMap<ObjectKey, ()> = cluster
        .store()
        .events_seen_until(until)
        .map(|key| (key.clone(), ()))
        .collect();
    for key in expired.keys() {
        cluster.remove(key);
    }
}
