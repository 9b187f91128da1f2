//! The Deployment controller's arithmetic and bookkeeping helpers, mirroring kubernetes
//! `pkg/controller/deployment/util/deployment_util.go` (and the few `intstr` and
//! `controller_utils.go` helpers it leans on). Everything here is pure: no cluster access.
//!
//! Numbers are Kubernetes' `int32`s; sums and differences saturate instead of overflowing, so
//! absurd user input (replicas near `i32::MAX`) cannot panic.

use crate::time::{millis_of, timestamp};
use crate::types::IntOrString;
use crate::types::{Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet};
use crate::types::{ObjectMeta, PodTemplateSpec};
use crate::Millis;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// `deployment.kubernetes.io/revision`: the revision of a ReplicaSet and of its Deployment.
pub(crate) const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// `deployment.kubernetes.io/revision-history`: earlier numbers of a renumbered ReplicaSet.
pub(crate) const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// `deployment.kubernetes.io/desired-replicas`: the Deployment's replicas when the RS was last
/// scaled (how a scaling event is detected).
pub(crate) const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// `deployment.kubernetes.io/max-replicas`: replicas + maxSurge when the RS was last scaled
/// (the denominator of proportional scaling).
pub(crate) const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// The label that tells the ReplicaSets (and pods) of one Deployment apart.
pub(crate) const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
/// `kubectl apply`'s annotation, never copied onto ReplicaSets.
const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// The legacy controller-side rollback request, never copied onto ReplicaSets.
const ROLLBACK_TO_ANNOTATION: &str = "deprecated.deployment.rollback.to";
/// `maxRevHistoryLengthInChars` in sync.go: the longest revision-history annotation kept.
const MAX_REVISION_HISTORY_CHARS: usize = 2000;

/// Condition types and reasons, spelled as in deployment_util.go.
pub(crate) mod reason {
    /// Condition type: enough pods are available.
    pub(crate) const AVAILABLE: &str = "Available";
    /// Condition type: the rollout is moving (or done).
    pub(crate) const PROGRESSING: &str = "Progressing";
    /// Available=True.
    pub(crate) const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
    /// Available=False.
    pub(crate) const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";
    /// Progressing=True when the controller created the new ReplicaSet.
    pub(crate) const NEW_REPLICA_SET: &str = "NewReplicaSetCreated";
    /// Progressing=True when the new ReplicaSet existed before any Progressing condition.
    pub(crate) const FOUND_NEW_REPLICA_SET: &str = "FoundNewReplicaSet";
    /// Progressing=True while pods are being replaced.
    pub(crate) const REPLICA_SET_UPDATED: &str = "ReplicaSetUpdated";
    /// Progressing=True once the rollout is complete.
    pub(crate) const NEW_REPLICA_SET_AVAILABLE: &str = "NewReplicaSetAvailable";
    /// Progressing=False when a rollout made no progress for progressDeadlineSeconds.
    pub(crate) const TIMED_OUT: &str = "ProgressDeadlineExceeded";
    /// Progressing=Unknown while the Deployment is paused.
    pub(crate) const PAUSED: &str = "DeploymentPaused";
    /// Progressing=Unknown after a paused Deployment is resumed.
    pub(crate) const RESUMED: &str = "DeploymentResumed";
}

/// A `maxSurge`/`maxUnavailable` that is neither an integer nor a percentage (validation
/// rejects these; the controller must still not panic on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InvalidIntOrString;

// ----- IntOrString and fenceposts -----

/// `intstr.GetScaledValueFromIntOrPercent`: an integer as is, a percentage of `total` rounded
/// up or down. Integer arithmetic replaces Go's float ceil/floor (exact for int32 inputs).
/// Concrete example:
///   "25%" of 10, rounding up   -> ceil(250 / 100)  = 3
///   "25%" of 10, rounding down -> floor(250 / 100) = 2
pub(crate) fn scaled_value(
    value: &IntOrString,
    total: i32,
    round_up: bool,
) -> Result<i32, InvalidIntOrString> {
    let percent = match value {
        IntOrString::Int(i) => return Ok(*i),
        IntOrString::String(s) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or(InvalidIntOrString)?,
    };
    // A percent beyond ±2^32 times a replica count still fits in 64 bits once clamped.
    let product = percent
        .clamp(-(1 << 32), 1 << 32)
        .saturating_mul(i64::from(total));
    let scaled = if round_up {
        -((-product).div_euclid(100))
    } else {
        product.div_euclid(100)
    };
    Ok(i32::try_from(scaled).unwrap_or(if scaled < 0 { i32::MIN } else { i32::MAX }))
}

/// `ResolveFenceposts`: the absolute (surge, unavailable) for `desired` replicas. A missing
/// value counts as 0; surge rounds UP, unavailability rounds DOWN, and if both end up 0
/// unavailability becomes 1 ("surge might not work due to quota").
/// Concrete example:
///   10 replicas, 25% / 25% -> surge ceil(2.5) = 3, unavailable floor(2.5) = 2
///   5 replicas, 0 / 10%    -> surge 0, unavailable floor(0.5) = 0 -> forced to 1
pub(crate) fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), InvalidIntOrString> {
    let zero = IntOrString::Int(0);
    let surge = scaled_value(max_surge.unwrap_or(&zero), desired, true)?;
    let unavailable = scaled_value(max_unavailable.unwrap_or(&zero), desired, false)?;
    if surge == 0 && unavailable == 0 {
        return Ok((0, 1));
    }
    Ok((surge, unavailable))
}

// ----- reading a Deployment -----

/// `spec.replicas`; unset only on objects that skipped API defaulting, read as the apps/v1
/// default 1.
pub(crate) fn replicas(d: &Deployment) -> i32 {
    d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

/// A ReplicaSet's `spec.replicas` (0 when unset: the controller always sets it).
pub(crate) fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0)
}

/// The ReplicaSet's `status.availableReplicas`, written by the ReplicaSet controller.
pub(crate) fn rs_available(rs: &ReplicaSet) -> i32 {
    rs.status
        .as_ref()
        .and_then(|s| s.available_replicas)
        .unwrap_or(0)
}

/// Whether the Deployment uses the Recreate strategy (otherwise RollingUpdate, the apps/v1
/// default for an unset type).
pub(crate) fn is_recreate(d: &Deployment) -> bool {
    d.spec
        .as_ref()
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        == Some("Recreate")
}

/// `IsRollingUpdate`.
pub(crate) fn is_rolling_update(d: &Deployment) -> bool {
    !is_recreate(d)
}

/// The Deployment's resolved (surge, unavailable). Unset values (only on objects that skipped
/// API defaulting) are read as the apps/v1 default 25%.
fn fenceposts(d: &Deployment) -> Result<(i32, i32), InvalidIntOrString> {
    let default = IntOrString::String("25%".to_string());
    let rolling = d
        .spec
        .as_ref()
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.rolling_update.as_ref());
    let surge = rolling.and_then(|r| r.max_surge.as_ref());
    let unavailable = rolling.and_then(|r| r.max_unavailable.as_ref());
    resolve_fenceposts(
        Some(surge.unwrap_or(&default)),
        Some(unavailable.unwrap_or(&default)),
        replicas(d),
    )
}

/// `MaxSurge`: how many pods above `replicas` a rolling update may run (0 for Recreate;
/// invalid values, which validation rejects, count as 0 as upstream ignores the error).
/// Concrete example: 1 replica with the 25%/25% defaults -> ceil(0.25) = 1.
pub(crate) fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    fenceposts(d).map_or(0, |(surge, _)| surge)
}

/// `MaxUnavailable`: how many of `replicas` may be unavailable during a rolling update, never
/// more than `replicas` (0 for Recreate or 0 replicas).
/// Concrete example: 5 replicas, maxUnavailable 10 -> min(10, 5) = 5.
pub(crate) fn max_unavailable(d: &Deployment) -> i32 {
    let replicas = replicas(d);
    if !is_rolling_update(d) || replicas == 0 {
        return 0;
    }
    fenceposts(d).map_or(0, |(_, unavailable)| unavailable.min(replicas))
}

/// `MinAvailable`: the availability floor of a rolling update.
/// Concrete example: 10 replicas, 25% unavailable -> 10 - 2 = 8.
pub(crate) fn min_available(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    replicas(d).saturating_sub(max_unavailable(d))
}

/// Whether a Progressing condition is maintained (`HasProgressDeadline`: set and not MaxInt32).
pub(crate) fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec
        .as_ref()
        .and_then(|s| s.progress_deadline_seconds)
        .is_some_and(|s| s != i32::MAX)
}

// ----- counting over ReplicaSets -----

/// `GetReplicaCountForReplicaSets`: the sum of `spec.replicas`.
pub(crate) fn spec_replicas_sum<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter()
        .fold(0, |sum, rs| sum.saturating_add(rs_replicas(rs)))
}

/// `GetActualReplicaCountForReplicaSets`: the sum of `status.replicas` (live pods).
pub(crate) fn status_replicas_sum<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().fold(0, |sum, rs| {
        sum.saturating_add(rs.status.as_ref().map_or(0, |s| s.replicas))
    })
}

/// `GetReadyReplicaCountForReplicaSets`.
pub(crate) fn ready_replicas_sum<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().fold(0, |sum, rs| {
        sum.saturating_add(
            rs.status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0),
        )
    })
}

/// `GetAvailableReplicaCountForReplicaSets`.
pub(crate) fn available_replicas_sum<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter()
        .fold(0, |sum, rs| sum.saturating_add(rs_available(rs)))
}

/// `FilterActiveReplicaSets`: ReplicaSets with `spec.replicas > 0`.
pub(crate) fn active<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> Vec<&'a ReplicaSet> {
    rss.into_iter().filter(|rs| rs_replicas(rs) > 0).collect()
}

/// `ReplicaSetsByCreationTimestamp`: oldest first, ties by name.
pub(crate) fn by_creation(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    a.metadata
        .creation_timestamp
        .cmp(&b.metadata.creation_timestamp)
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// `ReplicaSetsByRevision`: lowest revision first (a missing or unparsable revision counts as
/// 0), ties oldest first.
pub(crate) fn by_revision(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    revision(a)
        .cmp(&revision(b))
        .then_with(|| by_creation(a, b))
}

/// `ReplicaSetsBySizeOlder`: larger first, ties oldest first (the order to scale down in).
pub(crate) fn by_size_older(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    rs_replicas(b)
        .cmp(&rs_replicas(a))
        .then_with(|| by_creation(a, b))
}

/// `ReplicaSetsBySizeNewer`: larger first, ties newest first (the order to scale up in).
pub(crate) fn by_size_newer(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    rs_replicas(b)
        .cmp(&rs_replicas(a))
        .then_with(|| by_creation(b, a))
}

// ----- rollout arithmetic -----

/// `NewRSNewReplicas`: the size to give the new ReplicaSet now. Recreate: all replicas.
/// RollingUpdate: grow while the total of `spec.replicas` stays within replicas + maxSurge,
/// never past replicas.
/// Concrete example:
///   10 replicas, surge 3, old 10 + new 0 = 10 -> room 13 - 10 = 3 -> new 0 + min(3, 10) = 3
///   later old 8 + new 3 = 11               -> room 2                -> new 3 + min(2, 7) = 5
pub(crate) fn new_rs_new_replicas(
    d: &Deployment,
    all_rss: &[&ReplicaSet],
    new_rs: &ReplicaSet,
) -> Result<i32, InvalidIntOrString> {
    let replicas = replicas(d);
    if is_recreate(d) {
        return Ok(replicas);
    }
    let (surge, _) = fenceposts(d)?;
    let current = spec_replicas_sum(all_rss.iter().copied());
    let max_total = replicas.saturating_add(surge);
    let new_replicas = rs_replicas(new_rs);
    if current >= max_total {
        return Ok(new_replicas);
    }
    let scale_up = (max_total - current).min(replicas.saturating_sub(new_replicas));
    Ok(new_replicas.saturating_add(scale_up))
}

/// An annotation parsed as a non-negative int32 (`getNonNegativeInt32FromAnnotation`).
fn annotation_i32(rs: &ReplicaSet, key: &str) -> Option<i32> {
    rs.metadata
        .annotations
        .as_ref()?
        .get(key)?
        .parse::<i32>()
        .ok()
        .filter(|v| *v >= 0)
}

/// `GetDesiredReplicasAnnotation`.
pub(crate) fn desired_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    annotation_i32(rs, DESIRED_REPLICAS_ANNOTATION)
}

/// `IsSaturated`: the new ReplicaSet has all replicas, was last sized for this replica count,
/// and all its pods are available.
/// Concrete example: 3 replicas; new RS spec 3, desired-replicas "3", 3 available -> true;
///   with 2 available (one pod still starting) -> false.
pub(crate) fn is_saturated(d: &Deployment, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else { return false };
    let replicas = replicas(d);
    rs_replicas(rs) == replicas
        && desired_replicas_annotation(rs) == Some(replicas)
        && rs_available(rs) == replicas
}

/// `DeploymentComplete`: every replica is updated and available, no old pod is left, and the
/// status describes the current generation.
/// Concrete example: 5 replicas, status replicas 5 / updated 5 / available 4 -> false (the
///   Available condition may already be True, but the rollout is not complete).
pub(crate) fn deployment_complete(d: &Deployment, status: &DeploymentStatus) -> bool {
    let replicas = replicas(d);
    status.updated_replicas.unwrap_or(0) == replicas
        && status.replicas.unwrap_or(0) == replicas
        && status.available_replicas.unwrap_or(0) == replicas
        && status.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0)
}

/// `DeploymentProgressing`: the new status shows more updated, ready or available pods, or
/// fewer old ones, than the Deployment's current status.
/// Concrete example: (replicas, updated) (10, 4) -> (8, 4): old pods 6 -> 4, progressing;
///   (10, 7) -> (10, 6) with equal ready/available: not progressing.
pub(crate) fn deployment_progressing(d: &Deployment, new: &DeploymentStatus) -> bool {
    let default = DeploymentStatus::default();
    let old = d.status.as_ref().unwrap_or(&default);
    let n = |v: Option<i32>| v.unwrap_or(0);
    let old_old_pods = n(old.replicas).saturating_sub(n(old.updated_replicas));
    let new_old_pods = n(new.replicas).saturating_sub(n(new.updated_replicas));
    n(new.updated_replicas) > n(old.updated_replicas)
        || new_old_pods < old_old_pods
        || n(new.ready_replicas) > n(old.ready_replicas)
        || n(new.available_replicas) > n(old.available_replicas)
}

/// `DeploymentTimedOut`: the Progressing condition (in the new status) last reported progress
/// more than progressDeadlineSeconds before `now` (strictly). Without a deadline or a condition
/// there is no estimate; a completed rollout never times out; a timed-out one stays so.
/// Concrete example: lastUpdateTime 10 s, deadline 30 s: at 40 s not yet, at 40.001 s timed out.
pub(crate) fn deployment_timed_out(d: &Deployment, status: &DeploymentStatus, now: Millis) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(condition) = get_condition(Some(status), reason::PROGRESSING) else {
        return false;
    };
    match condition.reason.as_deref() {
        Some(reason::NEW_REPLICA_SET_AVAILABLE) => return false,
        Some(reason::TIMED_OUT) => return true,
        _ => {}
    }
    let deadline = d
        .spec
        .as_ref()
        .and_then(|s| s.progress_deadline_seconds)
        .unwrap_or(0);
    let from = condition.last_update_time.as_ref().map_or(0, millis_of);
    let deadline_ms = Millis::try_from(deadline)
        .unwrap_or(0)
        .saturating_mul(1_000);
    from.saturating_add(deadline_ms) < now
}

/// Go's `math.Round(num / den)` (half away from zero) in integers; `den` must not be 0.
/// Concrete example: 5 * 13 / 12 = 5.42 -> 5;  3 * 13 / 6 = 6.5 -> 7;  -6.5 -> -7.
pub(crate) fn round_half_away_from_zero(num: i64, den: i64) -> i64 {
    // (2n + d) / 2d without overflow: n / d, plus one when the remainder is at least half.
    let (n, d) = (num.unsigned_abs(), den.unsigned_abs());
    let magnitude = n / d + u64::from(n % d >= d - n % d);
    let magnitude = i64::try_from(magnitude).unwrap_or(i64::MAX);
    if (num < 0) != (den < 0) {
        -magnitude
    } else {
        magnitude
    }
}

/// `getReplicaSetFraction`: how much `rs` should grow (or shrink, negative) when the
/// Deployment's replicas + maxSurge changed from the RS's max-replicas annotation to now.
/// Concrete example:
///   RS of 5 annotated max-replicas 12, Deployment now 10 + surge 3 = 13
///   -> round(5 * 13 / 12) - 5 = round(5.42) - 5 = 0
pub(crate) fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    let replicas = replicas(d);
    let size = rs_replicas(rs);
    if replicas == 0 {
        return size.saturating_neg();
    }
    let max_now = replicas.saturating_add(max_surge(d));
    let before = match annotation_i32(rs, MAX_REPLICAS_ANNOTATION).filter(|v| *v != 0) {
        Some(v) => v,
        // No annotation (e.g. the RS was scaled by hand): fall back to the Deployment's
        // current pod count; with none, do not scale this RS.
        None => match d.status.as_ref().and_then(|s| s.replicas).unwrap_or(0) {
            0 => return 0,
            v => v,
        },
    };
    let target = round_half_away_from_zero(i64::from(size) * i64::from(max_now), i64::from(before));
    let delta = target - i64::from(size);
    i32::try_from(delta).unwrap_or(if delta < 0 { i32::MIN } else { i32::MAX })
}

/// `GetProportion`: the share of `to_add` (positive or negative) that `rs` takes, bounded by
/// what is still left to distribute.
/// Concrete example: to_add 3, already added 2, fraction 2 -> min(2, 3 - 2) = 1.
pub(crate) fn proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs_replicas(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add.saturating_sub(added);
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

// ----- templates, revisions, annotations -----

/// `EqualIgnoreHash`: whether two pod templates are equal apart from the pod-template-hash
/// label (an emptied label map equals an absent one, as in apimachinery's semantic equality).
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    // The specs, most of a template, are compared in place: this runs on every sync.
    a.spec == b.spec && a.extra == b.extra && metadata_without_hash(a) == metadata_without_hash(b)
}

/// A template's metadata without the pod-template-hash label.
fn metadata_without_hash(template: &PodTemplateSpec) -> Option<ObjectMeta> {
    let mut metadata = template.metadata.clone();
    if let Some(meta) = metadata.as_mut() {
        if let Some(labels) = meta.labels.as_mut() {
            labels.remove(POD_TEMPLATE_HASH_LABEL);
            if labels.is_empty() {
                meta.labels = None;
            }
        }
    }
    metadata
}

/// `Revision`: the ReplicaSet's revision annotation (0 when absent or not a number).
pub(crate) fn revision(rs: &ReplicaSet) -> i64 {
    rs.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// `MaxRevision`: the highest revision among `rss`.
pub(crate) fn max_revision<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i64 {
    rss.into_iter().map(revision).max().unwrap_or(0)
}

/// `SetReplicasAnnotations`: records the Deployment's replicas and replicas + maxSurge on a
/// ReplicaSet being scaled. Returns whether anything changed.
pub(crate) fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let annotations = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let mut changed = false;
    for (key, value) in [
        (DESIRED_REPLICAS_ANNOTATION, desired),
        (MAX_REPLICAS_ANNOTATION, max),
    ] {
        let value = value.to_string();
        if annotations.get(key) != Some(&value) {
            annotations.insert(key.to_string(), value);
            changed = true;
        }
    }
    changed
}

/// `ReplicasAnnotationsNeedUpdate`.
pub(crate) fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32, max: i32) -> bool {
    set_replicas_annotations(&mut rs.clone(), desired, max)
}

/// `copyDeploymentAnnotationsToReplicaSet`: the Deployment's own annotations (e.g.
/// `kubernetes.io/change-cause`) travel to the new ReplicaSet, except the controller's and
/// kubectl apply's bookkeeping.
fn copy_deployment_annotations(d: &Deployment, rs: &mut ReplicaSet) -> bool {
    let annotations = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let mut changed = false;
    for (key, value) in d.metadata.annotations.iter().flatten() {
        let skip = matches!(
            key.as_str(),
            LAST_APPLIED_ANNOTATION
                | REVISION_ANNOTATION
                | REVISION_HISTORY_ANNOTATION
                | DESIRED_REPLICAS_ANNOTATION
                | MAX_REPLICAS_ANNOTATION
                | ROLLBACK_TO_ANNOTATION
        );
        if skip || annotations.get(key) == Some(value) {
            continue;
        }
        annotations.insert(key.clone(), value.clone());
        changed = true;
    }
    changed
}

/// `SetNewReplicaSetAnnotations`: copies the Deployment's annotations, raises the revision to
/// `new_revision` when lower (keeping the old number in the revision history: this is how a
/// rollback renumbers a revision), and on creation (`exists == false`) records the replica
/// annotations. Returns whether anything changed.
pub(crate) fn set_new_replica_set_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
) -> bool {
    let mut changed = copy_deployment_annotations(d, rs);
    let annotations = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let old = annotations.get(REVISION_ANNOTATION).cloned();
    let old_number = match old.as_deref() {
        None | Some("") => 0,
        // A revision that is not a number is left alone, as upstream does.
        Some(text) => match text.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return changed,
        },
    };
    if old_number < new_revision {
        annotations.insert(REVISION_ANNOTATION.to_string(), new_revision.to_string());
        changed = true;
        if let Some(old) = old {
            let history = append_revision_history(
                annotations
                    .get(REVISION_HISTORY_ANNOTATION)
                    .map_or("", String::as_str),
                &old,
            );
            if let Some(history) = history {
                annotations.insert(REVISION_HISTORY_ANNOTATION.to_string(), history);
            }
        }
    }
    if !exists {
        let replicas = replicas(d);
        changed |= set_replicas_annotations(rs, replicas, replicas.saturating_add(max_surge(d)));
    }
    changed
}

/// The revision-history annotation with `old` appended, dropping the oldest entries to stay
/// within 2000 characters (`None` if even `old` alone does not fit).
fn append_revision_history(history: &str, old: &str) -> Option<String> {
    if history.is_empty() {
        return Some(old.to_string());
    }
    let mut entries: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > MAX_REVISION_HISTORY_CHARS && start < entries.len() {
        total -= entries.get(start).map_or(0, |e| e.len()) + 1;
        start += 1;
    }
    if total > MAX_REVISION_HISTORY_CHARS {
        return None;
    }
    entries.drain(..start);
    entries.push(old);
    Some(entries.join(","))
}

/// `SetDeploymentRevision`: the Deployment's revision annotation. Returns whether it changed.
pub(crate) fn set_deployment_revision(d: &mut Deployment, revision: &str) -> bool {
    let annotations = d.metadata.annotations.get_or_insert_with(BTreeMap::new);
    if annotations.get(REVISION_ANNOTATION).map(String::as_str) == Some(revision) {
        return false;
    }
    annotations.insert(REVISION_ANNOTATION.to_string(), revision.to_string());
    true
}

// ----- conditions -----

/// `NewDeploymentCondition`, stamped with the virtual time `now`.
pub(crate) fn new_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: String,
    now: Millis,
) -> DeploymentCondition {
    DeploymentCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: Some(reason.to_string()),
        message: Some(message),
        last_update_time: Some(timestamp(now)),
        last_transition_time: Some(timestamp(now)),
        ..Default::default()
    }
}

/// `GetDeploymentCondition`.
pub(crate) fn get_condition<'a>(
    status: Option<&'a DeploymentStatus>,
    type_: &str,
) -> Option<&'a DeploymentCondition> {
    status?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

/// `SetDeploymentCondition`: replaces the condition of that type unless status and reason are
/// unchanged; keeps lastTransitionTime when only the reason changes. The new condition goes
/// last, as upstream appends it.
pub(crate) fn set_condition(status: &mut DeploymentStatus, mut condition: DeploymentCondition) {
    if let Some(current) = get_condition(Some(status), &condition.type_) {
        if current.status == condition.status && current.reason == condition.reason {
            return;
        }
        if current.status == condition.status {
            condition
                .last_transition_time
                .clone_from(&current.last_transition_time);
        }
    }
    remove_condition(status, &condition.type_);
    status
        .conditions
        .get_or_insert_with(Vec::new)
        .push(condition);
}

/// `RemoveDeploymentCondition`.
pub(crate) fn remove_condition(status: &mut DeploymentStatus, type_: &str) {
    if let Some(conditions) = status.conditions.as_mut() {
        conditions.retain(|c| c.type_ != type_);
        if conditions.is_empty() {
            status.conditions = None;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::types::ObjectMeta;
    use crate::types::{
        DeploymentSpec, DeploymentStrategy, ReplicaSetSpec, ReplicaSetStatus,
        RollingUpdateDeployment,
    };

    fn ios(s: &str) -> IntOrString {
        match s.parse::<i32>() {
            Ok(i) => IntOrString::Int(i),
            Err(_) => IntOrString::String(s.to_string()),
        }
    }

    fn deployment(replicas: i32, strategy: &str, surge: &str, unavailable: &str) -> Deployment {
        Deployment {
            spec: Some(DeploymentSpec {
                replicas: Some(replicas),
                strategy: Some(DeploymentStrategy {
                    type_: Some(strategy.to_string()),
                    rolling_update: Some(RollingUpdateDeployment {
                        max_surge: Some(ios(surge)),
                        max_unavailable: Some(ios(unavailable)),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..DeploymentSpec::default()
            }),
            ..Deployment::default()
        }
    }

    /// The stored size of the ReplicaSet `name` in `default` (-1 when it is gone), shared by
    /// the deployment controller's table tests.
    pub(crate) fn stored_rs_replicas(cluster: &crate::Cluster, name: &str) -> i32 {
        cluster
            .store()
            .get::<ReplicaSet>("default", name)
            .map_or(-1, rs_replicas)
    }

    /// A ReplicaSet with `replicas` of which `available` are available (shared by the
    /// deployment controller's table tests).
    pub(crate) fn rs(replicas: i32, available: i32, annotations: &[(&str, &str)]) -> ReplicaSet {
        ReplicaSet {
            metadata: ObjectMeta {
                annotations: Some(
                    annotations
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..ObjectMeta::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(replicas),
                ..ReplicaSetSpec::default()
            }),
            status: Some(ReplicaSetStatus {
                replicas,
                available_replicas: Some(available),
                ..ReplicaSetStatus::default()
            }),
            ..Default::default()
        }
    }

    /// deployment_util_test.go TestResolveFenceposts (strings go through `intstr.FromString`,
    /// so "5" is a string that is not a percentage: an error), plus K8S-SEMANTICS E1.
    #[test]
    fn resolve_fenceposts_rounding_table() {
        let s = |v: &str| Some(IntOrString::String(v.to_string()));
        let i = |v: i32| Some(IntOrString::Int(v));
        type Case = (
            &'static str,
            Option<IntOrString>,
            Option<IntOrString>,
            i32,
            Result<(i32, i32), ()>,
        );
        #[rustfmt::skip]
        let table: Vec<Case> = vec![
            ("0%/0% of 0 forces unavailable 1", s("0%"), s("0%"), 0, Ok((0, 1))),
            ("39%/39% of 10: surge up, unavail down", s("39%"), s("39%"), 10, Ok((4, 3))),
            ("invalid surge", s("oops"), s("39%"), 10, Err(())),
            ("invalid unavailable", s("55%"), s("urg"), 10, Err(())),
            ("string without percent", s("5"), s("1"), 7, Err(())),
            ("nil surge", None, s("39%"), 10, Ok((0, 3))),
            ("nil unavailable", s("39%"), None, 10, Ok((4, 0))),
            ("both nil", None, None, 10, Ok((0, 1))),
            ("1 replica with defaults", s("25%"), s("25%"), 1, Ok((1, 0))),
            ("10 replicas with defaults", s("25%"), s("25%"), 10, Ok((3, 2))),
            ("8 replicas with defaults", s("25%"), s("25%"), 8, Ok((2, 2))),
            ("5 replicas, 0 / 10%", i(0), s("10%"), 5, Ok((0, 1))),
            ("integers are taken as is", i(5), i(1), 7, Ok((5, 1))),
            ("percent over 100", s("150%"), s("0%"), 3, Ok((5, 0))),
        ];
        for (name, surge, unavailable, desired, expected) in table {
            let got =
                resolve_fenceposts(surge.as_ref(), unavailable.as_ref(), desired).map_err(|_| ());
            assert_eq!(got, expected, "{name}");
        }
    }

    /// deployment_util_test.go TestMaxUnavailable.
    #[test]
    fn max_unavailable_table() {
        let table = [
            (
                "less than replicas",
                deployment(10, "RollingUpdate", "1", "5"),
                5,
            ),
            (
                "equal replicas",
                deployment(10, "RollingUpdate", "1", "10"),
                10,
            ),
            (
                "greater than replicas",
                deployment(5, "RollingUpdate", "1", "10"),
                5,
            ),
            ("replicas 0", deployment(0, "RollingUpdate", "1", "10"), 0),
            ("Recreate", deployment(10, "Recreate", "1", "5"), 0),
            (
                "percent less",
                deployment(10, "RollingUpdate", "1", "50%"),
                5,
            ),
            (
                "percent equal",
                deployment(10, "RollingUpdate", "1", "100%"),
                10,
            ),
            (
                "percent greater",
                deployment(5, "RollingUpdate", "1", "100%"),
                5,
            ),
        ];
        for (name, d, expected) in table {
            assert_eq!(max_unavailable(&d), expected, "{name}");
        }
    }

    /// deployment_util_test.go TestNewRSNewReplicas (the other RS has 5 replicas).
    #[test]
    fn new_rs_new_replicas_table() {
        let table = [
            ("can not scale up", "RollingUpdate", 1, 5, "1", 5),
            ("scale up to replicas", "RollingUpdate", 6, 2, "10", 6),
            ("recreate", "Recreate", 3, 1, "1", 3),
        ];
        for (name, strategy, replicas, new_replicas, surge, expected) in table {
            let d = deployment(replicas, strategy, surge, "1");
            let other = rs(5, 5, &[]);
            let new = rs(new_replicas, 0, &[]);
            assert_eq!(
                new_rs_new_replicas(&d, &[&other], &new),
                Ok(expected),
                "{name}"
            );
        }
    }

    /// deployment_util_test.go TestDeploymentComplete: (replicas, current, updated, available).
    #[test]
    fn deployment_complete_table() {
        let table = [
            ("min but not all available", (5, 5, 5, 4), false),
            ("complete", (5, 5, 5, 5), true),
            ("all available but not updated", (5, 5, 4, 5), false),
            ("still running old pods", (1, 2, 1, 1), false),
            ("one replica never comes up", (1, 1, 1, 0), false),
        ];
        for (name, (replicas, current, updated, available), expected) in table {
            let d = deployment(replicas, "RollingUpdate", "0", "1");
            let status = DeploymentStatus {
                replicas: Some(current),
                updated_replicas: Some(updated),
                available_replicas: Some(available),
                ..DeploymentStatus::default()
            };
            assert_eq!(deployment_complete(&d, &status), expected, "{name}");
        }
    }

    /// deployment_util_test.go TestDeploymentProgressing: (current, updated, ready, available).
    #[test]
    fn deployment_progressing_table() {
        let status = |(c, u, r, a): (i32, i32, i32, i32)| DeploymentStatus {
            replicas: Some(c),
            updated_replicas: Some(u),
            ready_replicas: Some(r),
            available_replicas: Some(a),
            ..DeploymentStatus::default()
        };
        let table = [
            ("updated pods", (10, 4, 4, 4), (10, 6, 4, 4), true),
            ("not progressing", (10, 4, 4, 4), (10, 4, 4, 4), false),
            ("old pods removed", (10, 4, 6, 6), (8, 4, 6, 6), true),
            ("less new pods", (10, 7, 3, 3), (10, 6, 3, 3), false),
            ("less overall, more new", (10, 4, 7, 7), (8, 8, 5, 5), true),
            ("more ready", (10, 10, 9, 8), (10, 10, 10, 8), true),
            ("more available", (10, 10, 10, 9), (10, 10, 10, 10), true),
        ];
        for (name, old, new, expected) in table {
            let d = Deployment {
                status: Some(status(old)),
                ..Deployment::default()
            };
            assert_eq!(deployment_progressing(&d, &status(new)), expected, "{name}");
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero_in_integers() {
        let table = [
            ((65, 12), 5),
            ((13, 2), 7),
            ((-13, 2), -7),
            ((13, -2), -7),
            ((12, 5), 2),
            ((-12, 5), -2),
            ((0, 7), 0),
        ];
        for ((num, den), expected) in table {
            assert_eq!(round_half_away_from_zero(num, den), expected, "{num}/{den}");
        }
    }

    /// Worked GetProportion examples: a Deployment of 12 replicas with surge 3 (15 allowed)
    /// whose ReplicaSets were last sized for 13 (or 20) allowed.
    #[test]
    fn proportions_follow_the_max_replicas_annotation() {
        let d = deployment(12, "RollingUpdate", "3", "0");
        let table = [
            (
                "scale up by 15/13",
                rs(8, 8, &[(MAX_REPLICAS_ANNOTATION, "13")]),
                2,
                0,
                1,
            ),
            (
                "bounded by what is left",
                rs(8, 8, &[(MAX_REPLICAS_ANNOTATION, "13")]),
                2,
                1,
                1,
            ),
            (
                "empty RS gets nothing",
                rs(0, 0, &[(MAX_REPLICAS_ANNOTATION, "13")]),
                2,
                0,
                0,
            ),
            (
                "scale down",
                rs(8, 8, &[(MAX_REPLICAS_ANNOTATION, "20")]),
                -5,
                0,
                -2,
            ),
        ];
        for (name, rs, to_add, added, expected) in table {
            assert_eq!(proportion(&rs, &d, to_add, added), expected, "{name}");
        }
        let zero = deployment(0, "RollingUpdate", "3", "0");
        assert_eq!(replica_set_fraction(&rs(4, 4, &[]), &zero), -4);
    }

    #[test]
    fn renumbering_keeps_the_old_revision_in_history() {
        let d = deployment(3, "RollingUpdate", "1", "0");
        let mut old = rs(0, 0, &[(REVISION_ANNOTATION, "1")]);
        assert!(set_new_replica_set_annotations(&d, &mut old, 3, true));
        let annotations = old.metadata.annotations.unwrap_or_default();
        assert_eq!(
            annotations.get(REVISION_ANNOTATION).map(String::as_str),
            Some("3")
        );
        assert_eq!(
            annotations
                .get(REVISION_HISTORY_ANNOTATION)
                .map(String::as_str),
            Some("1")
        );
        assert_eq!(
            append_revision_history("1,3", "5").as_deref(),
            Some("1,3,5")
        );
    }
}
