//! The Recreate strategy: kubernetes `pkg/controller/deployment/recreate.go`.
//!
//! All old pods go first; the new ReplicaSet is created (at full size) only once no old pod is
//! left at all, terminating ones included, so old and new never run together and there is a
//! window with no pod.

use super::progress::sync_rollout_status;
use super::rolling::is_complete;
use super::sync::{
    cleanup_deployment, get_all_replica_sets_and_sync_revision, scale_replica_set_and_record_event,
};
use super::util;
use super::{ReplicaSets, SyncError};
use crate::owner::is_controlled_by;
use crate::pod;
use crate::types::Pod;
use crate::types::{Deployment, ReplicaSet};
use crate::Cluster;

/// `rolloutRecreate`: scale old ReplicaSets to 0; wait until their pods are gone; then create
/// or scale the new ReplicaSet to replicas.
pub(super) fn rollout_recreate(
    cluster: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), SyncError> {
    // No new ReplicaSet yet: creating it would scale up before scaling down.
    let mut rss = get_all_replica_sets_and_sync_revision(cluster, d, rs_list, false)?;
    if scale_down_old_replica_sets_for_recreate(cluster, d, &mut rss)
        || old_pods_running(cluster, d, &rss, rs_list)
    {
        sync_rollout_status(cluster, d, &rss);
        return Ok(());
    }
    if rss.new.is_none() {
        rss = get_all_replica_sets_and_sync_revision(cluster, d, rs_list, true)?;
    }
    if let Some(new) = rss.new.as_ref() {
        let written = scale_replica_set_and_record_event(cluster, new, util::replicas(d), d).1;
        rss.new = Some(written);
    }
    if is_complete(d) {
        cleanup_deployment(cluster, d, &mut rss.old);
    }
    sync_rollout_status(cluster, d, &rss);
    Ok(())
}

/// `scaleDownOldReplicaSetsForRecreate`: every active old ReplicaSet to 0. Returns whether any
/// was scaled.
fn scale_down_old_replica_sets_for_recreate(
    cluster: &mut Cluster,
    d: &Deployment,
    rss: &mut ReplicaSets,
) -> bool {
    let mut scaled = false;
    for rs in rss.old.iter_mut().filter(|rs| util::rs_replicas(rs) > 0) {
        let (did_scale, written) = scale_replica_set_and_record_event(cluster, rs, 0, d);
        scaled |= did_scale;
        *rs = written;
    }
    scaled
}

/// `oldPodsRunning`: an old ReplicaSet still reports pods, or some pod of one of the
/// Deployment's ReplicaSets other than the new one is not Succeeded/Failed. Terminating pods
/// count: Recreate waits for them to be gone.
fn old_pods_running(
    cluster: &Cluster,
    d: &Deployment,
    rss: &ReplicaSets,
    rs_list: &[ReplicaSet],
) -> bool {
    if util::status_replicas_sum(&rss.old) > 0 {
        return true;
    }
    let new_uid = rss.new.as_ref().and_then(|rs| rs.metadata.uid.as_deref());
    let old_uids: Vec<&str> = rs_list
        .iter()
        .filter_map(|rs| rs.metadata.uid.as_deref())
        .filter(|uid| Some(*uid) != new_uid)
        .collect();
    let namespace = d.metadata.namespace.as_deref().unwrap_or("");
    cluster.store().list::<Pod>(Some(namespace)).any(|p| {
        old_uids
            .iter()
            .any(|uid| is_controlled_by(&p.metadata, uid))
            && !matches!(pod::phase(p), "Succeeded" | "Failed")
    })
}
