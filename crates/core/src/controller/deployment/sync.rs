//! Finding and creating the new ReplicaSet, scaling ReplicaSets, and the Deployment's status:
//! kubernetes `pkg/controller/deployment/sync.go`.

use super::hash::compute_hash;
use super::util::{self, reason};
use super::{ReplicaSets, SyncError, COMPONENT};
use crate::api::ApiObject;
use crate::owner::{is_controlled_by, new_controller_ref};
use crate::types::ObjectMeta;
use crate::types::{Deployment, DeploymentStatus, ReplicaSet, ReplicaSetSpec};
use crate::Cluster;
use std::collections::BTreeMap;

/// `getAllReplicaSetsAndSyncRevision`: splits the Deployment's ReplicaSets into the new one
/// (template equal to the Deployment's) and the old ones, bringing the new one's revision and
/// annotations up to date; with `create`, makes the new ReplicaSet if there is none.
pub(super) fn get_all_replica_sets_and_sync_revision(
    cluster: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    create: bool,
) -> Result<ReplicaSets, SyncError> {
    let new_index = find_new_replica_set(d, rs_list);
    let existing = new_index.and_then(|i| rs_list.get(i)).cloned();
    let old: Vec<ReplicaSet> = rs_list
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != new_index)
        .map(|(_, rs)| rs.clone())
        .collect();
    let new = get_new_replica_set(cluster, d, existing, &old, create)?;
    Ok(ReplicaSets { new, old })
}

/// `FindNewReplicaSet`: the index of the oldest ReplicaSet whose template equals the
/// Deployment's, ignoring the hash label (several can exist after odd histories; the oldest
/// wins, deterministically).
fn find_new_replica_set(d: &Deployment, rs_list: &[ReplicaSet]) -> Option<usize> {
    let template = &d.spec.as_ref()?.template;
    rs_list
        .iter()
        .enumerate()
        .filter(|(_, rs)| {
            rs.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .is_some_and(|t| util::equal_ignore_hash(t, template))
        })
        .min_by(|(_, a), (_, b)| util::by_creation(a, b))
        .map(|(i, _)| i)
}

/// `getNewReplicaSet`: updates an existing new ReplicaSet (revision `maxOld + 1` if lower,
/// copied annotations, minReadySeconds) or creates it, already scaled by `NewRSNewReplicas`,
/// and records the revision (and a Progressing condition) on the Deployment.
fn get_new_replica_set(
    cluster: &mut Cluster,
    d: &mut Deployment,
    existing: Option<ReplicaSet>,
    old: &[ReplicaSet],
    create: bool,
) -> Result<Option<ReplicaSet>, SyncError> {
    let new_revision = util::max_revision(old).saturating_add(1);
    let min_ready_seconds = d.spec.as_ref().and_then(|s| s.min_ready_seconds);

    if let Some(mut rs) = existing {
        let annotations_updated =
            util::set_new_replica_set_annotations(d, &mut rs, new_revision, true);
        let spec = rs.spec.get_or_insert_with(ReplicaSetSpec::default);
        if annotations_updated
            || spec.min_ready_seconds.unwrap_or(0) != min_ready_seconds.unwrap_or(0)
        {
            spec.min_ready_seconds = min_ready_seconds;
            return Ok(cluster.write(rs));
        }
        let rs_revision = rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(util::REVISION_ANNOTATION))
            .cloned()
            .unwrap_or_default();
        let mut needs_update = util::set_deployment_revision(d, &rs_revision);
        // A new ReplicaSet without any Progressing condition (e.g. progressDeadlineSeconds was
        // just set): progress is estimated from now on.
        if util::has_progress_deadline(d)
            && util::get_condition(d.status.as_ref(), reason::PROGRESSING).is_none()
        {
            let message = format!("Found new replica set \"{}\"", name(&rs.metadata));
            set_condition(
                cluster,
                d,
                reason::PROGRESSING,
                "True",
                reason::FOUND_NEW_REPLICA_SET,
                message,
            );
            needs_update = true;
        }
        if needs_update {
            write_deployment(cluster, d);
        }
        return Ok(Some(rs));
    }
    if !create {
        return Ok(None);
    }
    let Some(spec) = d.spec.as_ref() else {
        return Ok(None);
    };

    // Create the new ReplicaSet, named after the Deployment and the template's hash.
    let collision_count = d.status.as_ref().and_then(|s| s.collision_count);
    let hash = compute_hash(&spec.template, collision_count);
    let mut template = spec.template.clone();
    let labels = template
        .metadata
        .get_or_insert_with(ObjectMeta::default)
        .labels
        .get_or_insert_with(BTreeMap::new);
    labels.insert(util::POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
    let labels = labels.clone();
    let mut selector = spec.selector.clone();
    selector
        .match_labels
        .get_or_insert_with(BTreeMap::new)
        .insert(util::POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
    let rs_name = format!("{}-{}", name(&d.metadata), hash);
    let namespace = d.metadata.namespace.clone();
    let mut new_rs = ReplicaSet {
        metadata: ObjectMeta {
            name: Some(rs_name.clone()),
            namespace: namespace.clone(),
            owner_references: Some(vec![new_controller_ref(&*d)]),
            labels: Some(labels),
            ..ObjectMeta::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(0),
            min_ready_seconds,
            selector,
            template: Some(template),
            ..Default::default()
        }),
        status: None,
        ..Default::default()
    };
    let all: Vec<&ReplicaSet> = old.iter().chain(std::iter::once(&new_rs)).collect();
    let new_replicas = util::new_rs_new_replicas(d, &all, &new_rs)?;
    if let Some(spec) = new_rs.spec.as_mut() {
        spec.replicas = Some(new_replicas);
    }
    util::set_new_replica_set_annotations(d, &mut new_rs, new_revision, false);

    let namespace = namespace.unwrap_or_default();
    let (created, already_existed) = match cluster.store().get::<ReplicaSet>(&namespace, &rs_name) {
        // Ours already (created in an earlier pass): reuse it.
        Some(found)
            if is_controlled_by(&found.metadata, d.metadata.uid.as_deref().unwrap_or(""))
                && found
                    .spec
                    .as_ref()
                    .and_then(|s| s.template.as_ref())
                    .is_some_and(|t| util::equal_ignore_hash(t, &spec.template)) =>
        {
            (found.clone(), true)
        }
        // A different ReplicaSet has this name: a hash collision. Bump collisionCount so the
        // next pass computes another hash.
        Some(_) => {
            let status = d.status.get_or_insert_with(DeploymentStatus::default);
            status.collision_count = Some(status.collision_count.unwrap_or(0).saturating_add(1));
            write_deployment(cluster, d);
            return Err(SyncError::HashCollision);
        }
        None => {
            let object = cluster.insert(new_rs.clone().into_object());
            (
                ReplicaSet::from_object_owned(object).unwrap_or(new_rs),
                false,
            )
        }
    };
    if !already_existed && new_replicas > 0 {
        // Event text of sync.go getNewReplicaSet: no "from" when a ReplicaSet is created.
        let message = format!("Scaled up replica set {rs_name} to {new_replicas}");
        record_scaling_event(cluster, d, message);
    }
    let mut needs_update = util::set_deployment_revision(d, &new_revision.to_string());
    if !already_existed && util::has_progress_deadline(d) {
        let message = format!("Created new replica set \"{rs_name}\"");
        set_condition(
            cluster,
            d,
            reason::PROGRESSING,
            "True",
            reason::NEW_REPLICA_SET,
            message,
        );
        needs_update = true;
    }
    if needs_update {
        write_deployment(cluster, d);
    }
    Ok(Some(created))
}

fn name(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

/// `isScalingEvent`: some active ReplicaSet was last sized for a different replica count than
/// the Deployment now asks for (e.g. after `kubectl scale`).
pub(super) fn is_scaling_event(
    cluster: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<bool, SyncError> {
    let rss = get_all_replica_sets_and_sync_revision(cluster, d, rs_list, false)?;
    let replicas = util::replicas(d);
    Ok(util::active(rss.all())
        .into_iter()
        .filter_map(util::desired_replicas_annotation)
        .any(|desired| desired != replicas))
}

/// `sync`: the path for scaling events and paused Deployments: resize ReplicaSets without
/// rolling anything (no new ReplicaSet is created), prune history if paused, then recompute
/// the status.
pub(super) fn sync(
    cluster: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), SyncError> {
    let mut rss = get_all_replica_sets_and_sync_revision(cluster, d, rs_list, false)?;
    scale(cluster, d, &mut rss);
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        cleanup_deployment(cluster, d, &mut rss.old);
    }
    sync_deployment_status(cluster, d, &rss);
    Ok(())
}

/// `checkPausedConditions`: pausing sets Progressing Unknown/DeploymentPaused ("Deployment is
/// paused"), resuming Unknown/DeploymentResumed ("Deployment is resumed"); a timed-out
/// rollout keeps its ProgressDeadlineExceeded, and without a progress deadline there is no
/// Progressing condition at all.
pub(super) fn check_paused_conditions(cluster: &mut Cluster, d: &mut Deployment) {
    if !util::has_progress_deadline(d) {
        return;
    }
    let current =
        util::get_condition(d.status.as_ref(), reason::PROGRESSING).and_then(|c| c.reason.clone());
    if current.as_deref() == Some(reason::TIMED_OUT) {
        return;
    }
    let paused = d.spec.as_ref().and_then(|s| s.paused) == Some(true);
    let paused_shown = current.as_deref() == Some(reason::PAUSED);
    let (new_reason, message) = match (paused, paused_shown) {
        (true, false) => (reason::PAUSED, "Deployment is paused"),
        (false, true) => (reason::RESUMED, "Deployment is resumed"),
        _ => return,
    };
    set_condition(
        cluster,
        d,
        reason::PROGRESSING,
        "Unknown",
        new_reason,
        message.to_string(),
    );
    write_deployment(cluster, d);
}

/// `syncStatusOnly`: a Deployment being deleted only gets its status refreshed.
pub(super) fn sync_status_only(
    cluster: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), SyncError> {
    let rss = get_all_replica_sets_and_sync_revision(cluster, d, rs_list, false)?;
    sync_deployment_status(cluster, d, &rss);
    Ok(())
}

/// `cleanupDeployment`: keeps at most `revisionHistoryLimit` old ReplicaSets. The surplus is
/// taken lowest revision first (ties oldest first), and of those only ReplicaSets that are
/// empty (spec and status 0, status up to date) are deleted; others are skipped, not replaced,
/// so more old ReplicaSets than the limit can survive a while. Unset or MaxInt32 keeps all.
/// Concrete example (sync_test.go TestDeploymentController_cleanupDeployment): limit 1, three
///   empty old ReplicaSets -> 3 - 1 = 2 deleted, revisions 1 and 2; the newest old one stays.
pub(super) fn cleanup_deployment(cluster: &mut Cluster, d: &Deployment, old: &mut Vec<ReplicaSet>) {
    let Some(limit) = d
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .filter(|l| *l != i32::MAX)
    else {
        return;
    };
    let mut cleanable: Vec<&ReplicaSet> = old
        .iter()
        .filter(|rs| rs.metadata.deletion_timestamp.is_none())
        .collect();
    let count = i64::try_from(cleanable.len()).unwrap_or(i64::MAX);
    let diff = count.saturating_sub(i64::from(limit));
    if diff <= 0 {
        return;
    }
    crate::sort::sort_by(&mut cleanable, |a, b| util::by_revision(a, b));
    let doomed: Vec<String> = cleanable
        .into_iter()
        .take(usize::try_from(diff).unwrap_or(usize::MAX))
        .filter(|rs| {
            let status = rs.status.as_ref();
            status.map_or(0, |s| s.replicas) == 0
                && util::rs_replicas(rs) == 0
                && rs.metadata.generation.unwrap_or(0)
                    <= status.and_then(|s| s.observed_generation).unwrap_or(0)
        })
        .map(|rs| name(&rs.metadata).to_string())
        .collect();
    let namespace = d.metadata.namespace.clone().unwrap_or_default();
    for rs_name in &doomed {
        cluster.remove(&crate::ObjectKey::new(
            crate::Kind::ReplicaSet,
            &namespace,
            rs_name,
        ));
    }
    old.retain(|rs| !doomed.iter().any(|n| n == name(&rs.metadata)));
}

/// `scale`: resizes the ReplicaSets after the Deployment's replicas changed.
/// * One active ReplicaSet (or none: the newest) takes the whole new count.
/// * A saturated new ReplicaSet means the old ones just go to 0.
/// * Otherwise (RollingUpdate mid-rollout) the difference between the allowed total
///   (replicas + maxSurge) and the current total is shared in proportion to each ReplicaSet's
///   size, largest first, with the rounding leftover going to the first.
///
/// Concrete example (sync_test.go TestScale "proportional scaling: 5 -> 10", surge 0):
///   old 3 + new 2, both annotated max-replicas 5; allowed now 10: to add 10 - 5 = 5
///   old (larger, first) round(3 * 10 / 5) - 3 = 3, new round(2 * 10 / 5) - 2 = 2
///   -> old 6, new 4, no leftover.
fn scale(cluster: &mut Cluster, d: &Deployment, rss: &mut ReplicaSets) {
    let replicas = util::replicas(d);
    if let Some(target) = find_active_or_latest(rss) {
        if let Some(rs) = rss.get_mut(&target) {
            if util::rs_replicas(rs) != replicas {
                *rs = scale_replica_set_and_record_event(cluster, rs, replicas, d).1;
            }
        }
        return;
    }
    if util::is_saturated(d, rss.new.as_ref()) {
        for rs in rss.old.iter_mut().filter(|rs| util::rs_replicas(rs) > 0) {
            *rs = scale_replica_set_and_record_event(cluster, rs, 0, d).1;
        }
        return;
    }
    if !util::is_rolling_update(d) {
        return;
    }
    let mut active: Vec<&ReplicaSet> = util::active(rss.all());
    let current = util::spec_replicas_sum(active.iter().copied());
    let allowed = if replicas > 0 {
        replicas.saturating_add(util::max_surge(d))
    } else {
        0
    };
    let to_add = allowed.saturating_sub(current);
    let operation = match to_add {
        n if n > 0 => {
            crate::sort::sort_by(&mut active, |a, b| util::by_size_newer(a, b));
            "up"
        }
        n if n < 0 => {
            crate::sort::sort_by(&mut active, |a, b| util::by_size_older(a, b));
            "down"
        }
        _ => "",
    };
    let mut added = 0i32;
    let mut sizes: Vec<(String, i32)> = Vec::with_capacity(active.len());
    for rs in &active {
        let proportion = util::proportion(rs, d, to_add, added);
        added = added.saturating_add(proportion);
        sizes.push((key(rs), util::rs_replicas(rs).saturating_add(proportion)));
    }
    if let Some((_, first)) = sizes.first_mut() {
        *first = first.saturating_add(to_add.saturating_sub(added)).max(0);
    }
    for (rs_key, size) in sizes {
        if let Some(rs) = rss.get_mut(&rs_key) {
            *rs = scale_replica_set(cluster, rs, size, d, operation).1;
        }
    }
}

/// A ReplicaSet's identity within one sync (its uid; the name for hand-built objects).
fn key(rs: &ReplicaSet) -> String {
    rs.metadata
        .uid
        .clone()
        .unwrap_or_else(|| name(&rs.metadata).to_string())
}

/// `FindActiveOrLatest`: the only active ReplicaSet; with none active, the new one or else
/// the newest old one; with several active, none.
fn find_active_or_latest(rss: &ReplicaSets) -> Option<String> {
    let all = rss.all();
    let active = util::active(all.iter().copied());
    match active.as_slice() {
        [only] => Some(key(only)),
        [] => rss
            .new
            .as_ref()
            .or_else(|| rss.old.iter().max_by(|a, b| util::by_creation(a, b)))
            .map(key),
        _ => None,
    }
}

impl ReplicaSets {
    /// The ReplicaSet with `rs_key` (see [`key`]), mutably.
    fn get_mut(&mut self, rs_key: &str) -> Option<&mut ReplicaSet> {
        self.old
            .iter_mut()
            .chain(self.new.as_mut())
            .find(|rs| key(rs) == rs_key)
    }
}

/// `scaleReplicaSetAndRecordEvent`: scales `rs` to `new_scale` if that is a change, naming the
/// direction in the event. Returns whether it scaled, and the ReplicaSet as now stored.
pub(super) fn scale_replica_set_and_record_event(
    cluster: &mut Cluster,
    rs: &ReplicaSet,
    new_scale: i32,
    d: &Deployment,
) -> (bool, ReplicaSet) {
    let current = util::rs_replicas(rs);
    if current == new_scale {
        return (false, rs.clone());
    }
    let operation = if current < new_scale { "up" } else { "down" };
    scale_replica_set(cluster, rs, new_scale, d, operation)
}

/// `scaleReplicaSet`: writes the new `spec.replicas` with the desired/max-replicas
/// annotations (the ReplicaSet controller then creates or deletes pods) and records
/// `Scaled up replica set web-5d59d67564 to 3 from 1` (the v1.27+ sync.go wording).
fn scale_replica_set(
    cluster: &mut Cluster,
    rs: &ReplicaSet,
    new_scale: i32,
    d: &Deployment,
    operation: &str,
) -> (bool, ReplicaSet) {
    let replicas = util::replicas(d);
    let max = replicas.saturating_add(util::max_surge(d));
    let old_scale = util::rs_replicas(rs);
    let size_changes = old_scale != new_scale;
    if !size_changes && !util::replicas_annotations_need_update(rs, replicas, max) {
        return (false, rs.clone());
    }
    let mut copy = rs.clone();
    copy.spec
        .get_or_insert_with(ReplicaSetSpec::default)
        .replicas = Some(new_scale);
    util::set_replicas_annotations(&mut copy, replicas, max);
    let written = cluster.write(copy.clone()).unwrap_or(copy);
    if size_changes {
        let message = format!(
            "Scaled {operation} replica set {} to {new_scale} from {old_scale}",
            name(&written.metadata)
        );
        record_scaling_event(cluster, d, message);
    }
    (size_changes, written)
}

fn record_scaling_event(cluster: &mut Cluster, d: &Deployment, message: String) {
    let involved = d.clone().into_object();
    cluster.record_event(&involved, "Normal", "ScalingReplicaSet", message, COMPONENT);
}

/// `calculateStatus`: replica counts from the ReplicaSets' status (pods, not spec), the
/// observed generation, and the Available condition.
/// Concrete example: 10 replicas, 25% unavailable, 7 available -> 7 < 10 - 2 ->
///   Available=False MinimumReplicasUnavailable.
pub(super) fn calculate_status(
    cluster: &Cluster,
    d: &Deployment,
    rss: &ReplicaSets,
) -> DeploymentStatus {
    let all = rss.all();
    let available = util::available_replicas_sum(all.iter().copied());
    let total = util::spec_replicas_sum(all.iter().copied());
    let unavailable = total.saturating_sub(available).max(0);
    let nonzero = |v: i32| (v != 0).then_some(v);
    let old = d.status.clone().unwrap_or_default();
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation.filter(|g| *g != 0),
        replicas: nonzero(util::status_replicas_sum(all.iter().copied())),
        updated_replicas: nonzero(util::status_replicas_sum(rss.new.as_ref())),
        ready_replicas: nonzero(util::ready_replicas_sum(all.iter().copied())),
        available_replicas: nonzero(available),
        unavailable_replicas: nonzero(unavailable),
        collision_count: old.collision_count,
        conditions: old.conditions,
        terminating_replicas: None,
        ..Default::default()
    };
    let condition = if available >= util::replicas(d).saturating_sub(util::max_unavailable(d)) {
        util::new_condition(
            reason::AVAILABLE,
            "True",
            reason::MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.".to_string(),
            cluster.now(),
        )
    } else {
        util::new_condition(
            reason::AVAILABLE,
            "False",
            reason::MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.".to_string(),
            cluster.now(),
        )
    };
    util::set_condition(&mut status, condition);
    status
}

/// `syncDeploymentStatus`: writes the calculated status if it changed.
fn sync_deployment_status(cluster: &mut Cluster, d: &mut Deployment, rss: &ReplicaSets) {
    let status = calculate_status(cluster, d, rss);
    if d.status.as_ref() != Some(&status) {
        d.status = Some(status);
        write_deployment(cluster, d);
    }
}

/// Sets a condition on the Deployment's status (in memory), stamped now.
fn set_condition(
    cluster: &Cluster,
    d: &mut Deployment,
    type_: &str,
    status: &str,
    reason: &str,
    message: String,
) {
    let condition = util::new_condition(type_, status, reason, message, cluster.now());
    util::set_condition(
        d.status.get_or_insert_with(DeploymentStatus::default),
        condition,
    );
}

/// Stores the Deployment's annotations and status as the controller changed them, and takes
/// back the stored object (new resourceVersion).
pub(super) fn write_deployment(cluster: &mut Cluster, d: &mut Deployment) {
    if let Some(written) = cluster.write(d.clone()) {
        *d = written;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiObject;
    use crate::types::IntOrString;
    use crate::types::LabelSelector;
    use crate::types::{Container, PodSpec, PodTemplateSpec};
    use crate::types::{DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment};

    /// `newDeployment` of deployment_controller_test.go: RollingUpdate, maxUnavailable 0.
    fn deployment(replicas: i32, max_surge: i32, max_unavailable: i32) -> Deployment {
        let labels: BTreeMap<String, String> = [("app".to_string(), "foo".to_string())].into();
        Deployment {
            metadata: ObjectMeta {
                name: Some("foo".into()),
                namespace: Some("default".into()),
                ..ObjectMeta::default()
            },
            spec: Some(DeploymentSpec {
                replicas: Some(replicas),
                selector: LabelSelector {
                    match_labels: Some(labels.clone()),
                    ..LabelSelector::default()
                },
                strategy: Some(DeploymentStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDeployment {
                        max_surge: Some(IntOrString::Int(max_surge)),
                        max_unavailable: Some(IntOrString::Int(max_unavailable)),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(labels),
                        ..ObjectMeta::default()
                    }),
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "foo".into(),
                            image: Some("nginx:1.0".into()),
                            ..Container::default()
                        }],
                        ..PodSpec::default()
                    }),
                    ..Default::default()
                },
                progress_deadline_seconds: Some(600),
                ..DeploymentSpec::default()
            }),
            status: None,
            ..Default::default()
        }
    }

    /// A stored ReplicaSet of `size`, annotated as last scaled for `old` (the Deployment
    /// before the scaling event), as TestScale prepares them.
    fn rs(
        cluster: &mut Cluster,
        name: &str,
        size: i32,
        available: i32,
        old: &Deployment,
    ) -> ReplicaSet {
        let mut rs = ReplicaSet {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..ObjectMeta::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(size),
                ..ReplicaSetSpec::default()
            }),
            status: Some(crate::types::ReplicaSetStatus {
                replicas: size,
                available_replicas: Some(available),
                ..Default::default()
            }),
            ..Default::default()
        };
        let desired = util::replicas(old);
        util::set_replicas_annotations(&mut rs, desired, desired + util::max_surge(old));
        ReplicaSet::from_object_owned(cluster.insert(rs.into_object())).unwrap_or_default()
    }

    /// sync_test.go TestScale (except "failed rs update", which injects an API failure).
    /// Names order the ReplicaSets by age as the test's timestamps do (foo-v1 oldest).
    /// ((replicas, surge, unavailable), (old replicas, old surge), new RS, old RSs, expected
    /// new, expected old).
    #[test]
    fn scale_table() {
        type Case = (
            &'static str,
            (i32, i32, i32),
            (i32, i32),
            Option<(i32, i32)>,
            Vec<i32>,
            Option<i32>,
            Vec<i32>,
        );
        #[rustfmt::skip]
        let table: Vec<Case> = vec![
            ("normal scaling event: 10 -> 12", (12, 0, 0), (10, 0), Some((10, 0)), vec![], Some(12), vec![]),
            ("normal scaling event: 10 -> 5", (5, 0, 0), (10, 0), Some((10, 0)), vec![], Some(5), vec![]),
            ("proportional scaling: 5 -> 10", (10, 0, 0), (5, 0), Some((2, 0)), vec![3], Some(4), vec![6]),
            ("proportional scaling: 5 -> 3", (3, 0, 0), (5, 0), Some((2, 0)), vec![3], Some(1), vec![2]),
            ("proportional scaling: 9 -> 4", (4, 0, 0), (9, 0), Some((8, 0)), vec![1], Some(4), vec![0]),
            ("proportional scaling: 7 -> 10", (10, 0, 0), (7, 0), Some((2, 0)), vec![3, 2], Some(3), vec![4, 3]),
            ("proportional scaling: 13 -> 8", (8, 0, 0), (13, 0), Some((2, 0)), vec![8, 3], Some(1), vec![5, 2]),
            ("leftover distribution: 3 -> 4", (4, 0, 0), (3, 0), Some((1, 0)), vec![1, 1], Some(2), vec![1, 1]),
            ("leftover distribution: 3 -> 2", (2, 0, 0), (3, 0), Some((1, 0)), vec![1, 1], Some(1), vec![1, 0]),
            ("proportional scaling (no new rs): 4 -> 5", (5, 0, 0), (4, 0), None, vec![2, 2], None, vec![3, 2]),
            ("proportional scaling: 6 -> 0", (0, 0, 0), (6, 0), Some((3, 0)), vec![2, 1], Some(0), vec![0, 0]),
            ("proportional scaling: 0 -> 6", (6, 0, 0), (6, 0), Some((0, 0)), vec![0, 0], Some(6), vec![0, 0]),
            ("deployment with surge pods", (20, 2, 0), (10, 2), Some((6, 0)), vec![6], Some(11), vec![11]),
            ("change both surge and size", (50, 6, 0), (10, 3), Some((5, 0)), vec![8], Some(22), vec![34]),
            ("change both size and template", (14, 0, 0), (10, 0), None, vec![7, 3], None, vec![10, 4]),
            ("saturated but broken new replica set", (2, 1, 1), (2, 1), Some((2, 0)), vec![1], Some(2), vec![1]),
            // Not upstream's: the case random_operations found. The old ReplicaSet's share,
            // round(3 x 4 / 5) = 2, takes one ready pod whatever maxUnavailable (0 of 3) says.
            ("scale down mid-rollout: 4 -> 3", (3, 1, 0), (4, 1), Some((2, 0)), vec![3], Some(2), vec![2]),
        ];
        for (
            name,
            (replicas, surge, unavailable),
            (old_replicas, old_surge),
            new,
            old,
            expected_new,
            expected_old,
        ) in table
        {
            let mut cluster = Cluster::new(1);
            let d = deployment(replicas, surge, unavailable);
            let before = deployment(old_replicas, old_surge, unavailable);
            // Oldest first: foo-v1, foo-v2, ...; the new RS is the newest.
            let old_names: Vec<String> =
                (1..=old.len()).rev().map(|i| format!("foo-v{i}")).collect();
            let old_rss: Vec<ReplicaSet> = old
                .iter()
                .zip(&old_names)
                .map(|(size, n)| rs(&mut cluster, n, *size, *size, &before))
                .collect();
            let new_name = format!("foo-v{}", old.len() + 1);
            let new_rs =
                new.map(|(size, available)| rs(&mut cluster, &new_name, size, available, &before));
            let mut rss = ReplicaSets {
                new: new_rs,
                old: old_rss,
            };
            scale(&mut cluster, &d, &mut rss);
            if let Some(expected) = expected_new {
                assert_eq!(
                    util::tests::stored_rs_replicas(&cluster, &new_name),
                    expected,
                    "{name}: new"
                );
            }
            let got_old: Vec<i32> = old_names
                .iter()
                .map(|n| util::tests::stored_rs_replicas(&cluster, n))
                .collect();
            assert_eq!(got_old, expected_old, "{name}: old");
        }
    }

    #[test]
    fn new_replica_set_is_created_scaled_named_and_annotated() {
        let mut cluster = Cluster::new(1);
        let mut d = deployment(10, 3, 2);
        d.metadata.annotations =
            Some([("kubernetes.io/change-cause".to_string(), "v1".to_string())].into());
        let stored = cluster.insert(d.into_object());
        let mut d = Deployment::from_object_owned(stored).unwrap_or_default();
        let rss = get_all_replica_sets_and_sync_revision(&mut cluster, &mut d, &[], true);
        let new = rss.ok().and_then(|r| r.new).unwrap_or_default();
        let spec = d.spec.clone().unwrap_or_default();
        let hash = compute_hash(&spec.template, None);
        assert_eq!(new.metadata.name, Some(format!("foo-{hash}")));
        assert_eq!(
            util::rs_replicas(&new),
            10,
            "created at NewRSNewReplicas: 0 + min(13 - 0, 10)"
        );
        let annotations = new.metadata.annotations.clone().unwrap_or_default();
        let get = |k: &str| annotations.get(k).map(String::as_str);
        assert_eq!(get(util::REVISION_ANNOTATION), Some("1"));
        assert_eq!(get(util::DESIRED_REPLICAS_ANNOTATION), Some("10"));
        assert_eq!(get(util::MAX_REPLICAS_ANNOTATION), Some("13"));
        assert_eq!(get("kubernetes.io/change-cause"), Some("v1"));
        let labels = new.metadata.labels.clone().unwrap_or_default();
        assert_eq!(labels.get(util::POD_TEMPLATE_HASH_LABEL), Some(&hash));
        let selector = new
            .spec
            .as_ref()
            .map(|s| s.selector.clone())
            .unwrap_or_default();
        assert_eq!(
            selector
                .match_labels
                .unwrap_or_default()
                .get(util::POD_TEMPLATE_HASH_LABEL),
            Some(&hash)
        );
        let owner = new.metadata.owner_references.clone().unwrap_or_default();
        assert_eq!(owner, vec![new_controller_ref(&d)]);
        assert_eq!(
            d.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(util::REVISION_ANNOTATION))
                .map(String::as_str),
            Some("1")
        );
        let progressing = util::get_condition(d.status.as_ref(), reason::PROGRESSING);
        assert_eq!(
            progressing.and_then(|c| c.reason.as_deref()),
            Some(reason::NEW_REPLICA_SET)
        );
        let events: Vec<String> = cluster
            .store()
            .list::<crate::types::Event>(Some("default"))
            .filter_map(|e| e.message.clone())
            .collect();
        assert_eq!(
            events,
            vec![format!("Scaled up replica set foo-{hash} to 10")]
        );
    }

    /// sync_test.go TestDeploymentController_cleanupDeployment: old ReplicaSets as (spec,
    /// status) replicas, the history limit, and how many get deleted.
    #[test]
    fn cleanup_deployment_table() {
        type Case = (&'static str, Vec<(i32, i32)>, i32, usize);
        let table: Vec<Case> = vec![
            ("three empty, limit 1", vec![(0, 0), (0, 0), (0, 0)], 1, 2),
            (
                "only the fully empty one",
                vec![(0, 0), (0, 1), (1, 0), (1, 1)],
                0,
                1,
            ),
            ("two empty, limit 0", vec![(0, 0), (0, 0)], 0, 2),
            ("none empty", vec![(1, 1), (1, 1)], 0, 0),
            ("unlimited", vec![(0, 0), (0, 0), (0, 0)], i32::MAX, 0),
        ];
        for (name, old, limit, expected) in table {
            let mut cluster = Cluster::new(1);
            let mut d = deployment(1, 1, 0);
            if let Some(spec) = d.spec.as_mut() {
                spec.revision_history_limit = Some(limit);
            }
            let mut old_rss: Vec<ReplicaSet> = old
                .iter()
                .enumerate()
                .map(|(i, (spec, status))| {
                    let mut rs = rs(&mut cluster, &format!("foo-{i}"), *spec, 0, &d);
                    rs.metadata.annotations =
                        Some([(util::REVISION_ANNOTATION.to_string(), (i + 1).to_string())].into());
                    if let Some(s) = rs.status.as_mut() {
                        s.replicas = *status;
                        s.observed_generation = rs.metadata.generation;
                    }
                    cluster.put(rs.clone());
                    rs
                })
                .collect();
            cleanup_deployment(&mut cluster, &d, &mut old_rss);
            let left = cluster.store().list::<ReplicaSet>(Some("default")).count();
            assert_eq!(old.len() - left, expected, "{name}");
            assert_eq!(old_rss.len(), left, "{name}");
        }
    }

    /// sync_test.go TestDeploymentController_cleanupDeploymentOrder: the lowest revisions go
    /// first, whatever the creation order.
    #[test]
    fn cleanup_deletes_lowest_revisions_first() {
        let mut cluster = Cluster::new(1);
        let mut d = deployment(1, 1, 0);
        if let Some(spec) = d.spec.as_mut() {
            spec.revision_history_limit = Some(2);
        }
        // Created in this order, with these revisions.
        let mut old_rss: Vec<ReplicaSet> = [("foo-a", 4), ("foo-b", 1), ("foo-c", 3), ("foo-d", 2)]
            .iter()
            .map(|(name, revision)| {
                let mut rs = rs(&mut cluster, name, 0, 0, &d);
                rs.metadata.annotations =
                    Some([(util::REVISION_ANNOTATION.to_string(), revision.to_string())].into());
                if let Some(s) = rs.status.as_mut() {
                    s.observed_generation = rs.metadata.generation;
                }
                cluster.put(rs.clone());
                rs
            })
            .collect();
        cleanup_deployment(&mut cluster, &d, &mut old_rss);
        let left: Vec<String> = cluster
            .store()
            .list::<ReplicaSet>(Some("default"))
            .filter_map(|rs| rs.metadata.name.clone())
            .collect();
        assert_eq!(left, vec!["foo-a".to_string(), "foo-c".to_string()]);
    }
}
