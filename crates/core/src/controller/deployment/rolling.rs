//! The RollingUpdate strategy: kubernetes `pkg/controller/deployment/rolling.go`.
//!
//! Each pass takes at most one kind of step: grow the new ReplicaSet (bounded by the *spec*
//! total replicas + maxSurge), or else shrink old ones (bounded by *available* pods staying at
//! least replicas - maxUnavailable). Nothing more happens until pods become available, so a
//! rollout advances in waves driven by the kubelet's timers.

use super::progress::sync_rollout_status;
use super::sync::{
    cleanup_deployment, get_all_replica_sets_and_sync_revision, scale_replica_set_and_record_event,
};
use super::util;
use super::{ReplicaSets, SyncError};
use crate::types::{Deployment, ReplicaSet};
use crate::Cluster;

/// `rolloutRolling`: creates the new ReplicaSet if needed, then scales up or else down, then
/// updates the status.
pub(super) fn rollout_rolling(
    cluster: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), SyncError> {
    let mut rss = get_all_replica_sets_and_sync_revision(cluster, d, rs_list, true)?;
    // One kind of step per pass: scale up if possible, else scale down; when neither applies
    // and the rollout is complete (as the stored status says), prune old ReplicaSets.
    let scaled = reconcile_new_replica_set(cluster, d, &mut rss)?
        || reconcile_old_replica_sets(cluster, d, &mut rss);
    if !scaled && is_complete(d) {
        cleanup_deployment(cluster, d, &mut rss.old);
    }
    sync_rollout_status(cluster, d, &rss);
    Ok(())
}

/// `DeploymentComplete` on the Deployment's stored status.
pub(super) fn is_complete(d: &Deployment) -> bool {
    d.status
        .as_ref()
        .is_some_and(|status| util::deployment_complete(d, status))
}

/// `reconcileNewReplicaSet`: scales the new ReplicaSet down to replicas if above, else up as
/// far as `NewRSNewReplicas` allows. Returns whether it scaled.
pub(super) fn reconcile_new_replica_set(
    cluster: &mut Cluster,
    d: &Deployment,
    rss: &mut ReplicaSets,
) -> Result<bool, SyncError> {
    let replicas = util::replicas(d);
    let Some(new) = rss.new.as_ref() else {
        return Ok(false);
    };
    let current = util::rs_replicas(new);
    let target = match current.cmp(&replicas) {
        std::cmp::Ordering::Equal => return Ok(false),
        std::cmp::Ordering::Greater => replicas,
        std::cmp::Ordering::Less => util::new_rs_new_replicas(d, &rss.all(), new)?,
    };
    let (scaled, written) = scale_replica_set_and_record_event(cluster, new, target, d);
    rss.new = Some(written);
    Ok(scaled)
}

/// `reconcileOldReplicaSets`: shrinks old ReplicaSets as far as availability allows.
/// Concrete example (rolling_test.go, 10 replicas, maxUnavailable 2, surge 0):
///   old 10 of which 9 available, new 0: allPods 10 - minAvailable 8 - newUnavailable 0 = 2
///   cleanup: the 1 unavailable old pod goes (old 9); then available 9 - 8 = 1 more (old 8).
pub(super) fn reconcile_old_replica_sets(
    cluster: &mut Cluster,
    d: &Deployment,
    rss: &mut ReplicaSets,
) -> bool {
    let old_pods = util::spec_replicas_sum(util::active(&rss.old));
    if old_pods == 0 {
        return false;
    }
    let all_pods = util::spec_replicas_sum(rss.all());
    let min_available = util::min_available(d);
    let new_unavailable = rss.new.as_ref().map_or(0, |rs| {
        util::rs_replicas(rs).saturating_sub(util::rs_available(rs))
    });
    let max_scaled_down = all_pods
        .saturating_sub(min_available)
        .saturating_sub(new_unavailable);
    if max_scaled_down <= 0 {
        return false;
    }
    // Unavailable old pods go first (kubernetes issue 16737): removing them costs no
    // availability, and left alone they could block the rollout.
    let cleaned = cleanup_unhealthy_replicas(cluster, d, &mut rss.old, max_scaled_down);
    let scaled_down = scale_down_old_replica_sets_for_rolling_update(cluster, d, rss);
    cleaned.saturating_add(scaled_down) > 0
}

/// `cleanupUnhealthyReplicas`: oldest first, removes up to `max_cleanup` pods that are not
/// available from old ReplicaSets. Returns how many.
/// Concrete example: old 10 with 8 available, max 3 -> min(3, 10 - 8) = 2 -> old 8.
fn cleanup_unhealthy_replicas(
    cluster: &mut Cluster,
    d: &Deployment,
    old: &mut [ReplicaSet],
    max_cleanup: i32,
) -> i32 {
    crate::sort::sort_by(old, util::by_creation);
    let mut total = 0i32;
    for rs in old.iter_mut() {
        if total >= max_cleanup {
            break;
        }
        let replicas = util::rs_replicas(rs);
        let unhealthy = replicas.saturating_sub(util::rs_available(rs));
        if replicas == 0 || unhealthy <= 0 {
            continue;
        }
        let count = (max_cleanup - total).min(unhealthy);
        *rs = scale_replica_set_and_record_event(cluster, rs, replicas - count, d).1;
        total += count;
    }
    total
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: oldest first, removes as many old pods as the
/// available pods above minAvailable. Returns how many.
/// Concrete example: 10 replicas, maxUnavailable 2, 10 available -> 10 - 8 = 2 -> old 8.
fn scale_down_old_replica_sets_for_rolling_update(
    cluster: &mut Cluster,
    d: &Deployment,
    rss: &mut ReplicaSets,
) -> i32 {
    let min_available = util::min_available(d);
    let available = util::available_replicas_sum(rss.all());
    if available <= min_available {
        return 0;
    }
    let to_scale_down = available - min_available;
    crate::sort::sort_by(&mut rss.old, util::by_creation);
    let mut total = 0i32;
    for rs in rss.old.iter_mut() {
        if total >= to_scale_down {
            break;
        }
        let replicas = util::rs_replicas(rs);
        if replicas <= 0 {
            continue;
        }
        let count = replicas.min(to_scale_down - total);
        *rs = scale_replica_set_and_record_event(cluster, rs, replicas - count, d).1;
        total += count;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiObject;
    use crate::types::IntOrString;
    use crate::types::ObjectMeta;
    use crate::types::{DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment};

    /// `newDeployment` of deployment_controller_test.go: RollingUpdate with the given integer
    /// maxSurge and maxUnavailable.
    fn deployment(replicas: i32, max_surge: i32, max_unavailable: i32) -> Deployment {
        Deployment {
            metadata: ObjectMeta {
                name: Some("foo".into()),
                namespace: Some("default".into()),
                uid: Some("deployment-uid".into()),
                ..ObjectMeta::default()
            },
            spec: Some(DeploymentSpec {
                replicas: Some(replicas),
                strategy: Some(DeploymentStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDeployment {
                        max_surge: Some(IntOrString::Int(max_surge)),
                        max_unavailable: Some(IntOrString::Int(max_unavailable)),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..DeploymentSpec::default()
            }),
            status: None,
            ..Default::default()
        }
    }

    /// A ReplicaSet stored in `cluster` with `replicas` of which `available` are available.
    fn rs(cluster: &mut Cluster, name: &str, replicas: i32, available: i32) -> ReplicaSet {
        let mut rs = super::super::util::tests::rs(replicas, available, &[]);
        rs.metadata.name = Some(name.into());
        rs.metadata.namespace = Some("default".into());
        let stored = cluster.insert(rs.into_object());
        ReplicaSet::from_object_owned(stored).unwrap_or_default()
    }

    /// rolling_test.go TestDeploymentController_reconcileNewReplicaSet (maxUnavailable 0):
    /// (replicas, maxSurge, old, new) -> expected new size, or None for no scaling.
    #[test]
    fn reconcile_new_replica_set_table() {
        let table = [
            ("no surge: cannot scale up", (10, 0, 10, 0), None),
            ("surge 2 from 0", (10, 2, 10, 0), Some(2)),
            ("room left by scaled-down old", (10, 2, 5, 0), Some(7)),
            ("surge used up", (10, 2, 10, 2), None),
            ("above replicas: scale down", (10, 2, 2, 11), Some(10)),
        ];
        for (name, (replicas, surge, old, new), expected) in table {
            let mut cluster = Cluster::new(1);
            let d = deployment(replicas, surge, 0);
            let new_rs = rs(&mut cluster, "foo-new", new, 0);
            let old_rs = rs(&mut cluster, "foo-old", old, 0);
            let mut rss = ReplicaSets {
                new: Some(new_rs),
                old: vec![old_rs],
            };
            let scaled = reconcile_new_replica_set(&mut cluster, &d, &mut rss);
            assert_eq!(scaled, Ok(expected.is_some()), "{name}");
            assert_eq!(
                util::tests::stored_rs_replicas(&cluster, "foo-new"),
                expected.unwrap_or(new),
                "{name}"
            );
        }
    }

    /// rolling_test.go TestDeploymentController_reconcileOldReplicaSets (maxSurge 0):
    /// (replicas, maxUnavailable, old, new, old available, new available) -> old size after,
    /// or None for no scaling.
    #[test]
    fn reconcile_old_replica_sets_table() {
        let table = [
            (
                "maxUnavailable 0 still resolves to 1",
                (10, 0, 10, 0, 10, 0),
                Some(9),
            ),
            ("maxUnavailable 2", (10, 2, 10, 0, 10, 0), Some(8)),
            (
                "unhealthy old replicas cleaned up",
                (10, 2, 10, 0, 8, 0),
                Some(8),
            ),
            (
                "one unhealthy cleaned, one ready scaled",
                (10, 2, 10, 0, 9, 0),
                Some(8),
            ),
            (
                "unavailable new pods block scale-down",
                (10, 2, 8, 2, 8, 0),
                None,
            ),
        ];
        for (name, (replicas, unavailable, old, new, old_avail, new_avail), expected) in table {
            let mut cluster = Cluster::new(1);
            let d = deployment(replicas, 0, unavailable);
            let new_rs = rs(&mut cluster, "foo-new", new, new_avail);
            let old_rs = rs(&mut cluster, "foo-old", old, old_avail);
            let mut rss = ReplicaSets {
                new: Some(new_rs),
                old: vec![old_rs],
            };
            let scaled = reconcile_old_replica_sets(&mut cluster, &d, &mut rss);
            assert_eq!(scaled, expected.is_some(), "{name}");
            assert_eq!(
                util::tests::stored_rs_replicas(&cluster, "foo-old"),
                expected.unwrap_or(old),
                "{name}"
            );
        }
    }

    /// rolling_test.go TestDeploymentController_cleanupUnhealthyReplicas (10 replicas,
    /// surge 2, unavailable 2): (old, available, max cleanup) -> cleaned up.
    #[test]
    fn cleanup_unhealthy_replicas_table() {
        let table = [
            ((10, 8, 1), 1),
            ((10, 8, 3), 2),
            ((10, 8, 0), 0),
            ((10, 10, 3), 0),
        ];
        for ((old, available, max), expected) in table {
            let mut cluster = Cluster::new(1);
            let d = deployment(10, 2, 2);
            let mut old_rss = vec![rs(&mut cluster, "foo-v2", old, available)];
            let cleaned = cleanup_unhealthy_replicas(&mut cluster, &d, &mut old_rss, max);
            assert_eq!(cleaned, expected, "{old} {available} {max}");
        }
    }

    /// rolling_test.go TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate
    /// (surge 0, the old RS is the only one): (replicas, maxUnavailable, available, old) ->
    /// old size after, or None for no scaling.
    #[test]
    fn scale_down_old_replica_sets_table() {
        let table = [
            ((10, 0, 10, 10), Some(9)),
            ((10, 2, 10, 10), Some(8)),
            ((10, 2, 8, 10), None),
            ((10, 2, 10, 0), None),
            ((10, 2, 1, 10), None),
        ];
        for ((replicas, unavailable, available, old), expected) in table {
            let mut cluster = Cluster::new(1);
            let d = deployment(replicas, 0, unavailable);
            let old_rs = rs(&mut cluster, "foo-v2", old, available);
            let mut rss = ReplicaSets {
                new: None,
                old: vec![old_rs],
            };
            let scaled = scale_down_old_replica_sets_for_rolling_update(&mut cluster, &d, &mut rss);
            assert_eq!(
                scaled > 0,
                expected.is_some(),
                "{replicas} {unavailable} {available} {old}"
            );
            assert_eq!(
                util::tests::stored_rs_replicas(&cluster, "foo-v2"),
                expected.unwrap_or(old)
            );
        }
    }
}
