//! The garbage collector (`pkg/controller/garbagecollector`): deletes objects whose owners are
//! all gone, as background cascading deletion does after `kubectl delete deployment`.
//!
//! Concrete example: deleting Deployment `web` removes it at once; on the next pass its
//! ReplicaSet `web-7d9c5b8f6d` has no owner left and is removed; on the pass after, that
//! ReplicaSet's pods start terminating gracefully.

use crate::api::{ApiObject, Kind, Object};
use crate::{kubelet, Cluster};
use k8s_openapi::api::core::v1::Pod;
use std::collections::BTreeSet;

/// Deletes every dependent whose owner references all point to objects that no longer exist.
/// Pods terminate gracefully through the kubelet model; other kinds are removed at once.
/// Returns whether anything changed.
pub(crate) fn collect(cluster: &mut Cluster) -> bool {
    let before = cluster.store().resource_version();
    let live: BTreeSet<String> = cluster
        .store()
        .all()
        .filter_map(|o| o.meta().uid.clone())
        .collect();
    let orphans: Vec<Object> = cluster
        .store()
        .all()
        .filter(|o| o.meta().deletion_timestamp.is_none())
        .filter(|o| {
            let refs = o.meta().owner_references.as_deref().unwrap_or_default();
            !refs.is_empty() && refs.iter().all(|r| !live.contains(&r.uid))
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
