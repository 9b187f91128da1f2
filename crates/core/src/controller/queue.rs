//! Which objects a controller's pass syncs: what its informers' event handlers would have put
//! on its work queue since its last pass, read from the change feed. A pass over only these
//! gives the same result as a pass over all, because a sync depends only on the object, what
//! it owns and the time, and the time-dependent parts set timers ([`Wakes`]).

use crate::api::{Kind, ObjectKey};
use crate::feed::WatchEventType;
use crate::owner::controller_of;
use crate::types::{Pod, ReplicaSet};
use crate::Cluster;

/// Where a controller last read the change feed and the timers that wake it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cursor {
    /// The feed position it has read to.
    read_until: u64,
    /// [`Wakes::resyncs`] when its last pass started.
    resyncs: u64,
    /// (namespace, name) of objects its last pass left work for: synced again by the next.
    again: Vec<(String, String)>,
}

impl Cursor {
    /// Moves past the controller's own writes of the pass that just ended (it need not read
    /// them), queueing `again` for the next pass.
    pub(crate) fn read_to(&mut self, cluster: &Cluster, again: Vec<(String, String)>) {
        self.read_until = cluster.store().feed().head();
        self.again = again;
    }
}

/// The timers that fired for the controllers, which the change feed does not show.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wakes {
    /// How many `Resync` timers fired (a ReplicaSet's pods become available after
    /// minReadySeconds).
    pub(crate) resyncs: u64,
    /// The objects whose own wake-up fired (a Deployment's progress deadline), until the
    /// Deployment controller reads them.
    pub(crate) woken: Vec<ObjectKey>,
}

/// The objects of one kind a pass syncs.
#[derive(Debug, Default)]
pub(crate) struct Queue {
    /// Every object of the kind.
    all: bool,
    /// Every object of the kind in these namespaces.
    namespaces: Vec<String>,
    /// These (namespace, name).
    keys: Vec<(String, String)>,
}

impl Queue {
    fn add(&mut self, namespace: &str, name: &str) {
        if !self.keys.iter().any(|(n, k)| n == namespace && k == name) {
            self.keys.push((namespace.to_string(), name.to_string()));
        }
    }

    fn add_namespace(&mut self, namespace: &str) {
        if !self.namespaces.iter().any(|n| n == namespace) {
            self.namespaces.push(namespace.to_string());
        }
    }

    /// The (namespace, name) of the queued objects of `kind` that exist, in key order: the
    /// order a pass over all of them takes.
    pub(crate) fn keys(self, cluster: &Cluster, kind: Kind) -> Vec<(String, String)> {
        let objects = cluster.store().list_objects(kind, None);
        objects
            .map(|o| o.key())
            .filter(|k| {
                self.all
                    || self.namespaces.contains(&k.namespace)
                    || self
                        .keys
                        .iter()
                        .any(|(n, name)| *n == k.namespace && *name == k.name)
            })
            .map(|k| (k.namespace, k.name))
            .collect()
    }
}

/// Reads the feed from `cursor` for a controller that syncs `kind`, moving the cursor to now
/// (its own writes of this pass are read by the next, unless it moves on with
/// [`Cursor::read_to`]), and takes the objects the last pass left work for: `route` queues
/// for each change to a pod or ReplicaSet. A change of `kind` queues the object itself; a `Resync` timer, a feed
/// that dropped events, or the removal of anything that counts under the object limit (room
/// for a create that was refused, perhaps in another namespace) queue all.
fn read(
    cluster: &Cluster,
    cursor: &mut Cursor,
    kind: Kind,
    route: impl Fn(&Cluster, &ObjectKey, &mut Queue),
) -> Queue {
    let mut queue = Queue {
        keys: std::mem::take(&mut cursor.again),
        ..Queue::default()
    };
    let store = cluster.store();
    let resyncs = cluster.progress().wakes.resyncs;
    let (events, missed) = store.feed().since(cursor.read_until);
    queue.all = missed || resyncs != cursor.resyncs;
    cursor.read_until = store.feed().head();
    cursor.resyncs = resyncs;
    if queue.all {
        return queue;
    }
    for event in events {
        let key = &event.key;
        match key.kind {
            Kind::Event => {}
            _ if event.event_type == WatchEventType::Deleted => {
                queue.all = true;
                return queue;
            }
            k if k == kind => queue.add(&key.namespace, &key.name),
            Kind::Pod | Kind::ReplicaSet => route(cluster, key, &mut queue),
            _ => {}
        }
    }
    queue
}

/// The owner a pod or ReplicaSet `key` has of `owner_kind` (its controller reference): `Ok`
/// with its name, `Ok(None)` when another kind controls it, `Err` when it has no controller or
/// is gone (then any object of the namespace may adopt it or have owned it).
fn controller_named(
    cluster: &Cluster,
    key: &ObjectKey,
    owner_kind: &str,
) -> Result<Option<String>, ()> {
    let store = cluster.store();
    let meta = match key.kind {
        Kind::Pod => store
            .get::<Pod>(&key.namespace, &key.name)
            .map(|p| &p.metadata),
        _ => store
            .get::<ReplicaSet>(&key.namespace, &key.name)
            .map(|r| &r.metadata),
    };
    let owner = meta.and_then(controller_of).ok_or(())?;
    Ok((owner.kind == owner_kind).then(|| owner.name.clone()))
}

/// The ReplicaSets a pass of their controller syncs (`cursor` moves on): those changed and
/// those whose pods changed (`addPod`/`updatePod` enqueue the controller), every one of a
/// namespace where a pod without a controller changed.
pub(crate) fn replica_sets(cluster: &Cluster, cursor: &mut Cursor) -> Vec<(String, String)> {
    read(cluster, cursor, Kind::ReplicaSet, |cluster, key, queue| {
        if key.kind != Kind::Pod {
            return;
        }
        match controller_named(cluster, key, "ReplicaSet") {
            Ok(Some(owner)) => queue.add(&key.namespace, &owner),
            Ok(None) => {}
            Err(()) => queue.add_namespace(&key.namespace),
        }
    })
    .keys(cluster, Kind::ReplicaSet)
}

/// The Deployments a pass of their controller syncs (`cursor` moves on): those changed, woken
/// by their progress deadline, or whose ReplicaSets or those ReplicaSets' pods changed (the
/// pods matter to Recreate); every one of a namespace where such an object without a
/// controller changed.
pub(crate) fn deployments(cluster: &mut Cluster, cursor: &mut Cursor) -> Vec<(String, String)> {
    let woken = std::mem::take(&mut cluster.progress_mut().wakes.woken);
    let mut queue = read(cluster, cursor, Kind::Deployment, |cluster, key, queue| {
        let rs = match key.kind {
            Kind::Pod => match controller_named(cluster, key, "ReplicaSet") {
                Ok(Some(rs)) => ObjectKey::new(Kind::ReplicaSet, &key.namespace, &rs),
                Ok(None) => return,
                Err(()) => return queue.add_namespace(&key.namespace),
            },
            _ => key.clone(),
        };
        match controller_named(cluster, &rs, "Deployment") {
            Ok(Some(owner)) => queue.add(&key.namespace, &owner),
            Ok(None) => {}
            Err(()) => queue.add_namespace(&key.namespace),
        }
    });
    for key in woken.iter().filter(|k| k.kind == Kind::Deployment) {
        queue.add(&key.namespace, &key.name);
    }
    queue.keys(cluster, Kind::Deployment)
}
