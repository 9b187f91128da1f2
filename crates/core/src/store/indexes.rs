//! The store's secondary indexes, kept with every write, so that controllers find what they
//! look for without reading every object: a rollout of hundreds of pods records thousands of
//! Events and runs the controllers hundreds of times a virtual second.
//!
//! They are [`VecMap`]s (sorted vectors), not trees: an insert in the middle moves memory, but
//! most go at the end (Events are recorded in time order), and each new `BTreeMap` type would
//! add its tree code to the page's Wasm.

use crate::api::{ApiObject, Kind, Object, ObjectKey};
use crate::owner::controller_of;
use crate::time::{millis_of, Millis};
use crate::types::Event;
use crate::vecmap::VecMap;

/// What makes an Event a repeat of another for an event recorder: its namespace, the uid of
/// the object it is about, its reason and its message.
type EventIdentity = (String, Option<String>, Option<String>, Option<String>);

/// The Events by [`EventIdentity`] (their names) and by when they were last seen: a recorder
/// finds the Event a repeat bumps, and expiry finds the Events due.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct EventIndex {
    /// Boxed keys: an insert in the middle of tens of thousands of Events moves a quarter of
    /// the memory it would move with the keys inline.
    by_identity: VecMap<Box<EventIdentity>, VecMap<String, ()>>,
    by_last_seen: VecMap<(Millis, ObjectKey), ()>,
}

impl EventIndex {
    /// Indexes `object` if it is an Event.
    pub(super) fn add(&mut self, object: &Object) {
        let Some(event) = Event::from_object(object) else {
            return;
        };
        self.by_identity
            .entry_or_default(Box::new(identity(object.namespace(), event)))
            .insert(object.name().to_string(), ());
        self.by_last_seen
            .insert((last_seen(event), object.key()), ());
    }

    /// Forgets `object` if it is an Event.
    pub(super) fn forget(&mut self, object: &Object) {
        let Some(event) = Event::from_object(object) else {
            return;
        };
        let identity = identity(object.namespace(), event);
        if let Some(names) = self.by_identity.get_mut(&identity) {
            names.remove(object.name());
            if names.is_empty() {
                self.by_identity.remove(&identity);
            }
        }
        self.by_last_seen.remove(&(last_seen(event), object.key()));
    }

    /// The first name (in order) of the Events with this identity.
    pub(super) fn first_named(
        &self,
        namespace: &str,
        uid: Option<&str>,
        reason: &str,
        message: &str,
    ) -> Option<&String> {
        let identity = (
            namespace.to_string(),
            uid.map(str::to_string),
            Some(reason.to_string()),
            Some(message.to_string()),
        );
        self.by_identity.get(&identity)?.keys().next()
    }

    /// Every Event, by when it was last seen, oldest first.
    pub(super) fn by_last_seen(&self) -> impl DoubleEndedIterator<Item = &ObjectKey> {
        self.by_last_seen.keys().map(|(_, key)| key)
    }

    /// The Events last seen at `at` or before, oldest first.
    pub(super) fn seen_until(&self, at: Millis) -> impl Iterator<Item = &ObjectKey> {
        self.by_last_seen
            .keys()
            .take_while(move |(seen, _)| *seen <= at)
            .map(|(_, key)| key)
    }
}

fn identity(namespace: &str, event: &Event) -> EventIdentity {
    (
        namespace.to_string(),
        event.involved_object.uid.clone(),
        event.reason.clone(),
        event.message.clone(),
    )
}

/// When an Event was last seen, what the events panel shows and sorts by and what expiry
/// counts from: `lastTimestamp`, or without one (an Event a client wrote) `firstTimestamp` or
/// when it was stored.
pub fn last_seen(event: &Event) -> Millis {
    let meta = &event.metadata;
    let seen = event.last_timestamp.or(event.first_timestamp);
    seen.or(meta.creation_timestamp)
        .as_ref()
        .map_or(0, millis_of)
}

/// The objects by the owners their references name (kind and name, in the dependent's
/// namespace), and the pods without a controller: what the garbage collector and the
/// ReplicaSet controller ask for on every pass.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct OwnerIndex {
    dependents: VecMap<ObjectKey, VecMap<ObjectKey, ()>>,
    uncontrolled_pods: VecMap<ObjectKey, ()>,
}

impl OwnerIndex {
    /// Indexes `object`'s owner references.
    pub(super) fn add(&mut self, object: &Object) {
        let key = object.key();
        for owner in owners(object) {
            self.dependents
                .entry_or_default(owner)
                .insert(key.clone(), ());
        }
        if is_uncontrolled_pod(object) {
            self.uncontrolled_pods.insert(key, ());
        }
    }

    /// Forgets `object`'s owner references.
    pub(super) fn forget(&mut self, object: &Object) {
        let key = object.key();
        for owner in owners(object) {
            if let Some(dependents) = self.dependents.get_mut(&owner) {
                dependents.remove(&key);
                if dependents.is_empty() {
                    self.dependents.remove(&owner);
                }
            }
        }
        if is_uncontrolled_pod(object) {
            self.uncontrolled_pods.remove(&key);
        }
    }

    /// The keys of the objects with a reference to `owner`.
    pub(super) fn dependents_of(&self, owner: &ObjectKey) -> impl Iterator<Item = &ObjectKey> {
        self.dependents
            .get(owner)
            .into_iter()
            .flat_map(VecMap::keys)
    }

    /// The keys of the pods of `namespace` without a controller.
    pub(super) fn uncontrolled_pods<'a>(
        &'a self,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a ObjectKey> + 'a {
        self.uncontrolled_pods
            .keys()
            .filter(move |k| k.namespace == namespace)
    }
}

/// The owners `object`'s references name, as keys; a kind the simulation does not serve names
/// no object and is left out.
fn owners(object: &Object) -> impl Iterator<Item = ObjectKey> + '_ {
    let namespace = object.namespace();
    object
        .meta()
        .owner_references
        .iter()
        .flatten()
        .filter_map(move |r| {
            Some(ObjectKey::new(
                Kind::from_name(&r.kind)?,
                namespace,
                &r.name,
            ))
        })
}

/// The pods by the node they are bound to (`""` for none yet), in key order, with what each
/// node runs counted as the scheduler's cache counts it: the scheduler's queue, one node's
/// pods and every node's load, without walking every pod.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct NodeIndex(VecMap<String, NodePods>);

/// The pods bound to one node and what they take of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodePods {
    keys: VecMap<ObjectKey, ()>,
    /// How many hold a slot: those not finished (terminating ones still do).
    pub holding: u32,
    /// Those not finished nor terminating, per controller uid (what PodTopologySpread counts).
    pub by_owner: VecMap<String, u32>,
}

/// What a pod counts for in the index: its node, whether it holds a slot there, and the
/// controller uid it counts for.
type Place<'a> = (&'a str, bool, Option<&'a str>);

impl NodeIndex {
    /// Indexes `object` if it is a pod.
    pub(super) fn add(&mut self, object: &Object) {
        let Some((node, holding, owner)) = place(object) else {
            return;
        };
        let pods = self.0.entry_or_default(node.to_string());
        pods.keys.insert(object.key(), ());
        pods.holding += u32::from(holding);
        if let Some(owner) = owner {
            *pods.by_owner.entry_or_default(owner.to_string()) += 1;
        }
    }

    /// Forgets `object` if it is a pod.
    pub(super) fn forget(&mut self, object: &Object) {
        let Some((node, holding, owner)) = place(object) else {
            return;
        };
        let Some(pods) = self.0.get_mut(node) else {
            return;
        };
        pods.keys.remove(&object.key());
        pods.holding -= u32::from(holding);
        if let Some(owner) = owner {
            let count = pods.by_owner.get_mut(owner).map(|n| {
                *n -= 1;
                *n
            });
            if count == Some(0) {
                pods.by_owner.remove(owner);
            }
        }
        if pods.keys.is_empty() {
            self.0.remove(node);
        }
    }

    /// Whether a write from `before` to `after` changes what the index holds.
    pub(super) fn moves(before: &Object, after: &Object) -> bool {
        place(before) != place(after)
    }

    /// The keys of the pods bound to `node` (`""`: not bound yet).
    pub(super) fn pods_on(&self, node: &str) -> impl Iterator<Item = &ObjectKey> {
        self.0
            .get(node)
            .into_iter()
            .flat_map(|pods| pods.keys.keys())
    }

    /// Every node that has pods bound to it, by name, with its pods.
    pub(super) fn nodes(&self) -> impl Iterator<Item = (&str, &NodePods)> {
        let bound = self.0.iter().filter(|(node, _)| !node.is_empty());
        bound.map(|(node, pods)| (node.as_str(), pods))
    }
}

/// Where a pod counts in the [`NodeIndex`]; `None` for other kinds.
fn place(object: &Object) -> Option<Place<'_>> {
    let Object::Pod(p) = object else {
        return None;
    };
    let finished = matches!(crate::pod::phase(p), "Succeeded" | "Failed");
    let owner = controller_of(&p.metadata)
        .map(|r| r.uid.as_str())
        .filter(|_| !finished && !crate::pod::is_terminating(p));
    Some((crate::pod::node_name(p).unwrap_or(""), !finished, owner))
}

fn is_uncontrolled_pod(object: &Object) -> bool {
    object.kind() == Kind::Pod && controller_of(object.meta()).is_none()
}

#[cfg(test)]
mod tests {
    use super::{EventIndex, NodeIndex, OwnerIndex};
    use crate::api::{ApiObject, Kind};
    use crate::types::{Deployment, Pod};
    use crate::Cluster;

    /// The namespaces whose Event counts the test compares.
    const NAMESPACES: [&str; 2] = ["default", "kube-system"];

    /// The indexes (and Event counts) rebuilt from every stored object: what the kept ones
    /// must equal.
    fn rebuilt(cluster: &Cluster) -> (EventIndex, OwnerIndex, NodeIndex, [usize; 2]) {
        let (mut events, mut owners) = (EventIndex::default(), OwnerIndex::default());
        let mut nodes = NodeIndex::default();
        for object in cluster.store().all() {
            events.add(object);
            owners.add(object);
            nodes.add(object);
        }
        let count = |ns| cluster.store().list_objects(Kind::Event, Some(ns)).count();
        (events, owners, nodes, NAMESPACES.map(count))
    }

    fn kept(cluster: &Cluster) -> (EventIndex, OwnerIndex, NodeIndex, [usize; 2]) {
        let store = cluster.store();
        let count = |ns| store.event_count(ns);
        (
            store.event_index.clone(),
            store.owner_index.clone(),
            store.node_index.clone(),
            NAMESPACES.map(count),
        )
    }

    #[test]
    fn indexes_follow_every_write() {
        let mut cluster = Cluster::new(7);
        let manifest = crate::testing::deployment("web", 4);
        cluster
            .create_json(Kind::Deployment, manifest)
            .expect("created");
        cluster.advance(30_000);
        assert_eq!(kept(&cluster), rebuilt(&cluster));
        // A rollout (new ReplicaSet, pods replaced), an orphaned pod adopted by relabelling,
        // then the Deployment deleted (its ReplicaSets and pods collected) and the events
        // expired.
        let mut deployment = cluster
            .store()
            .get::<Deployment>("default", "web")
            .cloned()
            .expect("a deployment");
        let template = deployment.spec.as_mut().map(|s| &mut s.template);
        let containers = template
            .and_then(|t| t.spec.as_mut())
            .map(|s| &mut s.containers);
        containers.expect("containers")[0].image = Some("nginx:1.1".into());
        cluster.update(deployment.into_object()).expect("updated");
        cluster.advance(30_000);
        assert_eq!(kept(&cluster), rebuilt(&cluster));
        let pod = cluster.store().list::<Pod>(Some("default")).next().cloned();
        let mut pod = pod.expect("a pod");
        pod.metadata.owner_references = None;
        cluster.update(pod.into_object()).expect("released");
        assert_eq!(kept(&cluster), rebuilt(&cluster));
        cluster
            .delete(Kind::Deployment, "default", "web")
            .expect("deleted");
        cluster.advance(2 * 60 * 60 * 1_000);
        assert_eq!(kept(&cluster), rebuilt(&cluster));
        assert!(cluster
            .store()
            .list::<Pod>(Some("default"))
            .next()
            .is_none());
        let web = crate::api::ObjectKey::new(Kind::Deployment, "default", "web");
        assert_eq!(cluster.store().dependents_of(&web).count(), 0);
    }
}
