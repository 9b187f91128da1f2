//! The object store: every object by kind, namespace and name, with resourceVersions and the
//! change feed. It knows nothing of validation or controllers; [`crate::Cluster`] does.

use crate::api::{ApiObject, Kind, Object, ObjectKey};
use crate::feed::{Feed, WatchEventType};
use crate::time::{timestamp, Millis};
use crate::types::{Event, Pod};
use crate::vecmap::VecMap;
use std::collections::BTreeMap;

mod indexes;

pub use indexes::last_seen;
pub use indexes::NodePods;
use indexes::{EventIndex, NodeIndex, OwnerIndex};

/// Every object of the cluster, ordered by [`ObjectKey`] so that listings are deterministic.
#[derive(Debug, Clone, Default)]
pub struct Store {
    objects: BTreeMap<ObjectKey, Object>,
    resource_version: u64,
    feed: Feed,
    /// How many of `objects` are Events, which kplay's object limit leaves out.
    events: usize,
    /// How many Events each namespace holds (the page shows "the latest 10 of N").
    events_by_namespace: VecMap<String, usize>,
    /// The Events by what they report and by when they were last seen.
    event_index: EventIndex,
    /// The objects by their owners, and the pods without a controller.
    owner_index: OwnerIndex,
    /// The pods by their node.
    node_index: NodeIndex,
    /// The resourceVersion of the latest change to an object of each kind (by
    /// [`Kind::index`]): whether a controller has something new to look at.
    changed: [u64; Kind::ALL.len()],
}

impl Store {
    /// The object under `key`.
    pub fn get_object(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects.get(key)
    }

    /// The typed object `namespace/name` (namespace ignored for cluster-scoped kinds).
    pub fn get<T: ApiObject>(&self, namespace: &str, name: &str) -> Option<&T> {
        self.get_object(&ObjectKey::new(T::KIND, namespace, name))
            .and_then(T::from_object)
    }

    /// Objects of `kind`, in one namespace or (with `None`) in all, in key order.
    pub fn list_objects<'a>(
        &'a self,
        kind: Kind,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Object> + 'a {
        let start = ObjectKey::new(kind, namespace.unwrap_or(""), "");
        self.objects
            .range(start..)
            .take_while(move |(k, _)| {
                k.kind == kind && namespace.is_none_or(|ns| !kind.namespaced() || k.namespace == ns)
            })
            .map(|(_, o)| o)
    }

    /// Typed objects of one kind, in one namespace or in all.
    pub fn list<'a, T: ApiObject + 'a>(
        &'a self,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.list_objects(T::KIND, namespace)
            .filter_map(T::from_object)
    }

    /// The first Event (by name) in `namespace` about the object with `uid`, with this reason
    /// and message: the one an event recorder counts a repeat on.
    pub fn event_about(
        &self,
        namespace: &str,
        uid: Option<&str>,
        reason: &str,
        message: &str,
    ) -> Option<&Event> {
        let name = self
            .event_index
            .first_named(namespace, uid, reason, message)?;
        self.get::<Event>(namespace, name)
    }

    /// Every Event (of every namespace) by when it was last seen, oldest first (ties in key
    /// order), as `kubectl events` lists them: the latest are at the back.
    pub fn events_by_last_seen(&self) -> impl DoubleEndedIterator<Item = &ObjectKey> {
        self.event_index.by_last_seen()
    }

    /// The Events last seen at `at` or before, oldest first: those an expiry at `at` removes.
    pub fn events_seen_until(&self, at: Millis) -> impl Iterator<Item = &ObjectKey> {
        self.event_index.seen_until(at)
    }

    /// The objects with an owner reference to `owner` (by kind and name, in the dependent's
    /// namespace: any uid), in key order.
    pub fn dependents_of<'a>(&'a self, owner: &ObjectKey) -> impl Iterator<Item = &'a Object> {
        self.owner_index
            .dependents_of(owner)
            .filter_map(|key| self.objects.get(key))
    }

    /// The pods of `namespace` without a controller, in key order: the ones a controller may
    /// adopt.
    pub fn uncontrolled_pods<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Object> {
        self.owner_index
            .uncontrolled_pods(namespace)
            .filter_map(|key| self.objects.get(key))
    }

    /// The pods bound to `node` (`None`: the pods not bound to a node yet), in key order.
    pub fn pods_on_node<'a>(&'a self, node: Option<&str>) -> impl Iterator<Item = &'a Pod> {
        self.node_index
            .pods_on(node.unwrap_or(""))
            .filter_map(|key| Pod::from_object(self.objects.get(key)?))
    }

    /// The pods under `keys` that still exist, each once, in key order: the pods a reader of
    /// the change feed saw change.
    pub fn pods_at<'a>(&'a self, mut keys: Vec<&ObjectKey>) -> Vec<&'a Pod> {
        crate::sort::sort(&mut keys);
        keys.dedup();
        let pod = |key: &&ObjectKey| self.get::<Pod>(&key.namespace, &key.name);
        keys.iter().filter_map(pod).collect()
    }

    /// Every node that has pods bound to it, by name, with what they take of it.
    pub fn node_loads(&self) -> impl Iterator<Item = (&str, &NodePods)> {
        self.node_index.nodes()
    }

    /// How many Events `namespace` holds, without walking them.
    pub fn event_count(&self, namespace: &str) -> usize {
        self.events_by_namespace
            .get(namespace)
            .copied()
            .unwrap_or(0)
    }

    /// Every object, in key order.
    pub fn all(&self) -> impl Iterator<Item = &Object> {
        self.objects.values()
    }

    /// Inserts a new object: sets its resourceVersion, creationTimestamp and (for kinds with a
    /// spec generation) generation 1. The caller has checked that the key is free.
    pub fn insert(&mut self, mut object: Object, now: Millis) -> Object {
        let key = object.key();
        let version = self.record(WatchEventType::Added, &key, now);
        let meta = object.meta_mut();
        meta.resource_version = Some(version.to_string());
        meta.creation_timestamp = Some(timestamp(now));
        if tracks_generation(object.kind()) {
            object.meta_mut().generation = Some(1);
        }
        if key.kind == Kind::Event {
            self.events += 1;
            *self
                .events_by_namespace
                .entry_or_default(key.namespace.clone()) += 1;
        }
        self.event_index.add(&object);
        self.owner_index.add(&object);
        self.node_index.add(&object);
        self.objects.insert(key, object.clone());
        object
    }

    /// Replaces a stored object with `object`, bumping resourceVersion, and generation when the
    /// spec changed. Returns `None` (and changes nothing) if no such object exists; a write that
    /// changes nothing is not recorded, as the API server skips no-op updates.
    pub fn replace<T: ApiObject>(&mut self, object: T, now: Millis) -> Option<T> {
        let key = self.put(object, now)?;
        self.get_object(&key).and_then(T::from_object).cloned()
    }

    /// [`Store::replace`] without handing back a copy of what was stored, for writers that do
    /// not read it again: copying a 300-endpoint slice was most of the cost of writing it.
    /// Returns the object's key, or `None` (and changes nothing) if no such object exists.
    pub fn put<T: ApiObject>(&mut self, mut object: T, now: Millis) -> Option<ObjectKey> {
        let key = ObjectKey::new(
            T::KIND,
            object.meta().namespace.as_deref().unwrap_or(""),
            object.meta().name.as_deref().unwrap_or(""),
        );
        let old = self.objects.get(&key).and_then(T::from_object)?;
        let mut generation = old.meta().generation;
        if tracks_generation(T::KIND) && old.spec_differs(&object) {
            generation = Some(generation.unwrap_or(0) + 1);
        }
        {
            let meta = object.meta_mut();
            meta.generation = generation;
            meta.resource_version = old.meta().resource_version.clone();
            meta.uid = old.meta().uid.clone();
            meta.creation_timestamp = old.meta().creation_timestamp;
        }
        if *old == object {
            return Some(key);
        }
        self.modify(&key, object.into_object(), now);
        Some(key)
    }

    /// Stores the changed `object` under `key` with a new resourceVersion, in the feed and the
    /// indexes: the part of [`Store::put`] that is the same for every kind (compiled once).
    fn modify(&mut self, key: &ObjectKey, mut stored: Object, now: Millis) {
        let version = self.record(WatchEventType::Modified, key, now);
        stored.meta_mut().resource_version = Some(version.to_string());
        if let Some(previous) = self.objects.get(key) {
            self.event_index.forget(previous);
            self.event_index.add(&stored);
            if previous.meta().owner_references != stored.meta().owner_references {
                self.owner_index.forget(previous);
                self.owner_index.add(&stored);
            }
            if NodeIndex::moves(previous, &stored) {
                self.node_index.forget(previous);
                self.node_index.add(&stored);
            }
        }
        self.objects.insert(key.clone(), stored);
    }

    /// Removes an object for good (after any graceful deletion is over).
    pub fn remove(&mut self, key: &ObjectKey, now: Millis) -> Option<Object> {
        let object = self.objects.remove(key)?;
        if key.kind == Kind::Event {
            self.events -= 1;
            if let Some(count) = self.events_by_namespace.get_mut(&key.namespace) {
                *count -= 1;
            }
        }
        self.event_index.forget(&object);
        self.owner_index.forget(&object);
        self.node_index.forget(&object);
        self.record(WatchEventType::Deleted, key, now);
        Some(object)
    }

    /// Changes the stored object `key` in place with `edit`, which returns whether it changed
    /// anything; only a change is recorded (a new resourceVersion, a feed event), as
    /// [`Store::put`] records only real changes. For a writer that changes a small part of a
    /// large object: the endpoints controllers move one pod's address among 300, which `put`
    /// would have them copy and compare whole. The edit leaves the metadata alone; the kinds
    /// the indexes read by content (pods, Events) and those with a generation are written
    /// with `put`. Returns whether the object exists and changed.
    pub fn edit<T: ApiObject>(
        &mut self,
        key: &ObjectKey,
        now: Millis,
        edit: impl FnOnce(&mut T) -> bool,
    ) -> bool {
        debug_assert!(
            !matches!(T::KIND, Kind::Pod | Kind::Event) && !tracks_generation(T::KIND),
            "{:?} is written with put",
            T::KIND
        );
        let Some(object) = self.objects.get_mut(key).and_then(T::from_object_mut) else {
            return false;
        };
        let before = cfg!(debug_assertions).then(|| object.meta().clone());
        let changed = edit(object);
        debug_assert!(
            before.is_none_or(|b| b == *object.meta()),
            "edited metadata"
        );
        if changed {
            let version = self.record(WatchEventType::Modified, key, now);
            if let Some(object) = self.objects.get_mut(key) {
                object.meta_mut().resource_version = Some(version.to_string());
            }
        }
        changed
    }

    /// Hands out the next resourceVersion for a change of `key`, in the feed and in the
    /// kind's last change.
    fn record(&mut self, event: WatchEventType, key: &ObjectKey, now: Millis) -> u64 {
        self.resource_version += 1;
        (self.feed).push(event, key.clone(), self.resource_version, now);
        self.changed[key.kind.index()] = self.resource_version;
        self.resource_version
    }

    /// How many objects are stored, Events aside: what [`crate::Limits::objects`] counts.
    pub fn count_without_events(&self) -> usize {
        self.objects.len() - self.events
    }

    /// The change feed.
    pub fn feed(&self) -> &Feed {
        &self.feed
    }

    /// Whether an object of one of `kinds` changed (was added, modified or removed) after
    /// resourceVersion `since`.
    pub fn changed_since(&self, kinds: &[Kind], since: u64) -> bool {
        kinds.iter().any(|k| self.changed[k.index()] > since)
    }

    /// The latest resourceVersion handed out.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }
}

/// Kinds whose `metadata.generation` counts spec changes.
fn tracks_generation(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::ReplicaSet)
}
