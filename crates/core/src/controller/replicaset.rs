//! The ReplicaSet controller (`pkg/controller/replicaset/replica_set.go`): keeps the number of
//! active pods a ReplicaSet owns equal to `spec.replicas`, and reports what it sees in the
//! status the Deployment controller reads.
//!
//! One `sync_one` mirrors `syncReplicaSet`: claim pods (adopt matching orphans, release owned
//! pods whose labels no longer match), `manageReplicas` (create the missing pods, or delete the
//! surplus in `ActivePodsWithRanks` order), then `calculateStatus`.

use crate::api::validation::default_object;
use crate::api::{ApiObject, Kind, ObjectKey};
use crate::cluster::Timer;
use crate::labels::selector_matches;
use crate::owner::{controller_of, is_controlled_by, new_controller_ref};
use crate::time::{millis_of, timestamp, Millis, SECOND};
use crate::types::Pod;
use crate::types::{ObjectMeta, Time};
use crate::types::{ReplicaSet, ReplicaSetStatus};
use crate::{kubelet, naming, pod, Cluster};
use std::cmp::Ordering;

mod kept;

pub(crate) use kept::Surveys;

/// The component name on the controller's events.
const COMPONENT: &str = "replicaset-controller";

/// The most pods one sync creates or deletes (`BurstReplicas`).
const BURST_REPLICAS: usize = 500;

/// Syncs once every ReplicaSet something happened to since the last pass (see
/// [`super::queue::replica_sets`]). Returns whether anything changed.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let before = cluster.store().resource_version();
    let mut cursor = cluster.progress().replica_sets.clone();
    let keys = super::queue::replica_sets(cluster, &mut cursor);
    let mut unfinished = Vec::new();
    for (namespace, name) in keys {
        if sync_one(cluster, &namespace, &name) {
            unfinished.push((namespace, name));
        }
    }
    // A sync leaves its ReplicaSet settled (it surveys again after its own changes), so its
    // own writes are not news; one that left work is synced again.
    cursor.read_to(cluster, unfinished);
    cluster.progress_mut().replica_sets = cursor;
    cluster.store().resource_version() != before
}

/// `syncReplicaSet` for one ReplicaSet. Returns whether it left work for a later sync: a
/// create the API refused, or more pods to create or delete than one burst allows (upstream
/// requeues the ReplicaSet then).
fn sync_one(cluster: &mut Cluster, namespace: &str, name: &str) -> bool {
    let Some(rs) = cluster.store().get::<ReplicaSet>(namespace, name).cloned() else {
        return false;
    };
    let mut unfinished = false;
    // The kept survey answers everything in the common case (nothing to claim, create or
    // delete) from the pods that changed since the last sync.
    let mut survey = Surveys::survey(cluster, &rs);
    debug_assert_eq!(survey, Survey::of(cluster, &rs), "kept survey of {name}");
    if survey.to_claim(&rs) {
        claim_pods(cluster, &rs);
        survey = Surveys::survey(cluster, &rs);
    }
    let desired = usize::try_from(spec_replicas(&rs)).unwrap_or(0);
    let active = survey.active();
    let now = cluster.now();
    if active < desired {
        // `slowStartBatch` stops at the first pod the API refuses.
        unfinished = desired - active > BURST_REPLICAS;
        for _ in 0..(desired - active).min(BURST_REPLICAS) {
            let Some(created) = create_pod(cluster, &rs) else {
                unfinished = true;
                break;
            };
            survey.count(&rs, &created, now, 1);
        }
    } else if active > desired {
        unfinished = active - desired > BURST_REPLICAS;
        let surplus = (active - desired).min(BURST_REPLICAS);
        let victims = {
            let candidates: Vec<&Pod> = owned_active_pods(cluster, &rs).collect();
            let related = related_pods(cluster, &rs);
            pods_to_delete(candidates, &related, surplus, now)
        };
        for victim in victims {
            survey.count(&rs, &victim, now, -1);
            let name = victim.metadata.name.clone().unwrap_or_default();
            kubelet::begin_termination(cluster, victim);
            let message = format!("Deleted pod: {name}");
            cluster.record_event(
                &rs.clone().into_object(),
                "Normal",
                "SuccessfulDelete",
                message,
                COMPONENT,
            );
        }
    }
    debug_assert_eq!(survey, Survey::of(cluster, &rs), "counted survey of {name}");
    update_status(cluster, &rs, survey);
    unfinished
}

/// What one walk over a ReplicaSet's pods tells its controller.
#[derive(Debug, Clone, Default, PartialEq)]
struct Survey {
    /// Whether there are orphans to adopt ([`claim_pods`]).
    adoptable: bool,
    /// Whether there are owned pods to release ([`claim_pods`]).
    to_release: bool,
    /// Active owned pods, those fully labeled, ready and available.
    replicas: i32,
    fully_labeled: i32,
    ready: i32,
    available: i32,
    /// When ready pods become available (after minReadySeconds).
    wake_ups: Vec<Millis>,
}

/// What one owned pod adds to its ReplicaSet's [`Survey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Share {
    selected: bool,
    active: bool,
    fully_labeled: bool,
    ready: bool,
    available: bool,
    /// When the pod becomes available, if it is ready but not yet available.
    wake_at: Option<Millis>,
}

impl Share {
    /// Pod `p`'s share in `rs`'s survey at `now`.
    fn of(rs: &ReplicaSet, p: &Pod, now: Millis) -> Share {
        let spec = rs.spec.as_ref();
        let active = pod::is_active(p);
        let template = spec.and_then(|s| s.template.as_ref()?.metadata.as_ref()?.labels.as_ref());
        let labels = p.metadata.labels.as_ref();
        let fully_labeled = active
            && (template.into_iter().flatten())
                .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
        let ready = active && pod::is_ready(p);
        let min_ready = spec.and_then(|s| s.min_ready_seconds).unwrap_or(0);
        let available = ready && pod::is_available(p, min_ready, now);
        let wake_at = (ready && !available).then(|| {
            let since = pod::condition(p, "Ready")
                .and_then(|c| c.last_transition_time.as_ref())
                .map_or(0, millis_of);
            since + Millis::try_from(min_ready).unwrap_or(0) * SECOND + 1
        });
        Share {
            selected: selects(rs, p),
            active,
            fully_labeled,
            ready,
            available,
            wake_at,
        }
    }
}

impl Survey {
    /// A walk over every pod `rs` owns: what [`kept::Surveys`] must always agree with.
    fn of(cluster: &Cluster, rs: &ReplicaSet) -> Survey {
        let mut survey = Survey {
            adoptable: orphans_to_adopt(cluster, rs).next().is_some(),
            ..Survey::default()
        };
        for p in owned_pods(cluster, rs) {
            survey.count(rs, p, cluster.now(), 1);
        }
        survey
    }

    /// Counts the owned pod `p` in (`sign` 1) or, as it was when counted, out (-1): the
    /// survey after the controller's own creates and deletes, without walking the pods again.
    fn count(&mut self, rs: &ReplicaSet, p: &Pod, now: Millis, sign: i32) {
        self.add(Share::of(rs, p, now), sign);
    }

    /// Adds a pod's share (`sign` 1) or takes it away (-1).
    fn add(&mut self, share: Share, sign: i32) {
        if sign > 0 {
            self.to_release |= !share.selected;
        }
        if !share.active {
            return;
        }
        self.replicas = self.replicas.saturating_add(sign);
        if share.fully_labeled {
            self.fully_labeled = self.fully_labeled.saturating_add(sign);
        }
        if !share.ready {
            return;
        }
        self.ready = self.ready.saturating_add(sign);
        if share.available {
            self.available = self.available.saturating_add(sign);
        }
        let Some(at) = share.wake_at else {
            return;
        };
        if sign > 0 {
            self.wake_ups.push(at);
        } else if let Some(i) = self.wake_ups.iter().position(|&w| w == at) {
            self.wake_ups.remove(i);
        }
    }

    /// Whether [`claim_pods`] has work.
    fn to_claim(&self, rs: &ReplicaSet) -> bool {
        rs.metadata.uid.is_some() && rs.spec.is_some() && (self.adoptable || self.to_release)
    }

    /// How many owned pods are active.
    fn active(&self) -> usize {
        usize::try_from(self.replicas).unwrap_or(0)
    }

    /// The status these pods give the ReplicaSet (conditions aside).
    fn status(&self) -> ReplicaSetStatus {
        let non_zero = |n: i32| (n != 0).then_some(n);
        ReplicaSetStatus {
            replicas: self.replicas,
            fully_labeled_replicas: non_zero(self.fully_labeled),
            ready_replicas: non_zero(self.ready),
            available_replicas: non_zero(self.available),
            terminating_replicas: None,
            ..Default::default()
        }
    }
}

fn spec_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1)
        .max(0)
}

/// The active pods (`controller.IsPodActive`) whose controller is `rs`.
fn owned_active_pods<'a>(
    cluster: &'a Cluster,
    rs: &'a ReplicaSet,
) -> impl Iterator<Item = &'a Pod> + 'a {
    owned_pods(cluster, rs).filter(|p| pod::is_active(p))
}

/// The pods `rs` controls, in name order. (A walk over the namespace's pods in store order:
/// faster than looking up each of a large ReplicaSet's pods through the owner index.)
fn owned_pods<'a>(cluster: &'a Cluster, rs: &'a ReplicaSet) -> impl Iterator<Item = &'a Pod> + 'a {
    let uid = rs.metadata.uid.as_deref();
    cluster
        .store()
        .list::<Pod>(rs.metadata.namespace.as_deref())
        .filter(move |p| controller_of(&p.metadata).map(|r| r.uid.as_str()) == uid)
}

/// Whether `rs`'s selector matches `pod`'s labels.
fn selects(rs: &ReplicaSet, pod: &Pod) -> bool {
    let spec = rs.spec.as_ref();
    spec.is_some_and(|s| selector_matches(&s.selector, pod.metadata.labels.as_ref()))
}

/// The pods of `rs`'s namespace without a controller that it would adopt: selected and not
/// being deleted.
fn orphans_to_adopt<'a>(cluster: &'a Cluster, rs: &'a ReplicaSet) -> impl Iterator<Item = &'a Pod> {
    let namespace = rs.metadata.namespace.as_deref().unwrap_or_default();
    cluster
        .store()
        .uncontrolled_pods(namespace)
        .filter_map(Pod::from_object)
        .filter(|p| !pod::is_terminating(p) && selects(rs, p))
}

/// `ClaimPods` (`PodControllerRefManager`): adopt orphans whose labels match the selector and
/// that are not being deleted; release owned pods whose labels no longer match.
fn claim_pods(cluster: &mut Cluster, rs: &ReplicaSet) {
    let Some(uid) = rs.metadata.uid.clone() else {
        return;
    };
    if rs.spec.is_none() {
        return;
    }
    // Only the pods to adopt or release are copied.
    let adopt = orphans_to_adopt(cluster, rs).map(|p| (p.clone(), true));
    let release = owned_pods(cluster, rs)
        .filter(|p| !selects(rs, p))
        .map(|p| (p.clone(), false));
    let mut changes: Vec<(Pod, bool)> = adopt.chain(release).collect();
    // In name order, as one list of the namespace's pods would have them.
    crate::sort::sort_by(&mut changes, |a, b| {
        a.0.metadata.name.cmp(&b.0.metadata.name)
    });
    for (mut pod, adopt) in changes {
        if adopt {
            pod.metadata
                .owner_references
                .get_or_insert_with(Vec::new)
                .push(new_controller_ref(rs));
        } else if let Some(refs) = pod.metadata.owner_references.as_mut() {
            refs.retain(|r| r.uid != uid);
        }
        cluster.put(pod);
    }
}

/// Creates one pod from the template (`GetPodFromTemplate`): generateName `<rs-name>-`, the
/// template's labels, annotations and spec, and the controller reference; the API server then
/// applies the pod defaults. Returns the pod as stored, or `None` when the API refused it.
fn create_pod(cluster: &mut Cluster, rs: &ReplicaSet) -> Option<Pod> {
    let spec = rs.spec.as_ref()?;
    let template = spec.template.clone().unwrap_or_default();
    let template_meta = template.metadata.unwrap_or_default();
    let rs_name = rs.metadata.name.clone().unwrap_or_default();
    let namespace = rs.metadata.namespace.clone().unwrap_or_default();
    let prefix = format!("{rs_name}-");
    // Admission refuses before a name is generated, so the error names the prefix, as a
    // used-up ResourceQuota's does (`pods "web-5d4f8b7c9-" is forbidden: ...`).
    if let Err(refused) = cluster.check_room(&ObjectKey::new(Kind::Pod, &namespace, &prefix)) {
        // The controller retries on its next sync; one event per instant, so that the retry
        // within the same instant's passes is no change and the passes settle.
        let now = Some(timestamp(cluster.now()));
        let message = format!("Error creating: {}", refused.message);
        let uid = rs.metadata.uid.as_deref();
        let told = cluster
            .store()
            .event_about(&namespace, uid, "FailedCreate", &message)
            .is_some_and(|e| e.last_timestamp == now);
        if !told {
            let rs = rs.clone().into_object();
            cluster.record_event(&rs, "Warning", "FailedCreate", message, COMPONENT);
        }
        return None;
    }
    let mut name = naming::generate_name(&prefix, cluster.rng());
    while cluster.store().get::<Pod>(&namespace, &name).is_some() {
        name = naming::generate_name(&prefix, cluster.rng());
    }
    let pod = Pod {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            generate_name: Some(prefix),
            namespace: Some(namespace),
            labels: template_meta.labels,
            annotations: template_meta.annotations,
            finalizers: template_meta.finalizers,
            owner_references: Some(vec![new_controller_ref(rs)]),
            ..ObjectMeta::default()
        },
        spec: template.spec,
        status: None,
        ..Default::default()
    };
    let mut object = pod.into_object();
    default_object(&mut object);
    let created = Pod::from_object_owned(cluster.insert(object));
    let message = format!("Created pod: {name}");
    cluster.record_event(
        &rs.clone().into_object(),
        "Normal",
        "SuccessfulCreate",
        message,
        COMPONENT,
    );
    created
}

/// Pods of every ReplicaSet with the same controlling owner (`getIndirectlyRelatedPods`: for
/// a Deployment's ReplicaSet, the pods of all its ReplicaSets), or of this one alone.
fn related_pods<'a>(cluster: &'a Cluster, rs: &'a ReplicaSet) -> Vec<&'a Pod> {
    let owner = controller_of(&rs.metadata).map(|r| r.uid.as_str());
    let namespace = rs.metadata.namespace.as_deref();
    let related: Vec<&str> = cluster
        .store()
        .list::<ReplicaSet>(namespace)
        .filter(|other| {
            other.metadata.uid == rs.metadata.uid
                || owner.is_some_and(|uid| is_controlled_by(&other.metadata, uid))
        })
        .filter_map(|other| other.metadata.uid.as_deref())
        .collect();
    cluster
        .store()
        .list::<Pod>(namespace)
        .filter(|p| controller_of(&p.metadata).is_some_and(|r| related.contains(&r.uid.as_str())))
        .collect()
}

/// `getPodsToDelete`: ranks the active pods (`ActivePodsWithRanks`, each ranked by how many
/// related active pods share its node) and returns copies of the first `count`.
pub(crate) fn pods_to_delete(
    active: Vec<&Pod>,
    related: &[&Pod],
    count: usize,
    now: Millis,
) -> Vec<Pod> {
    fn on_node(p: &Pod) -> &str {
        pod::node_name(p).unwrap_or_default()
    }
    let mut per_node: crate::vecmap::VecMap<&str, usize> = Default::default();
    for p in related.iter().filter(|p| pod::is_active(p)) {
        *per_node.entry_or_default(on_node(p)) += 1;
    }
    // What the comparison reads of each pod, read once: a sort of thousands of pods compares
    // each pod many times.
    let mut ranked: Vec<DeletionKey> = active
        .into_iter()
        .map(|p| DeletionKey::of(p, per_node.get(on_node(p)).copied().unwrap_or(0)))
        .collect();
    crate::sort::sort_by(&mut ranked, |a, b| compare_for_deletion(a, b, now));
    ranked
        .into_iter()
        .take(count)
        .map(|key| key.pod.clone())
        .collect()
}

/// What [`compare_for_deletion`] reads of one pod.
struct DeletionKey<'a> {
    pod: &'a Pod,
    scheduled: bool,
    phase_ordinal: u8,
    ready: bool,
    deletion_cost: i32,
    /// How many related active pods share its node.
    rank: usize,
    ready_since: Option<Millis>,
    restarts: i32,
    created: Option<Millis>,
    uid: &'a str,
}

impl DeletionKey<'_> {
    fn of(p: &Pod, rank: usize) -> DeletionKey<'_> {
        let annotations = p.metadata.annotations.as_ref();
        DeletionKey {
            pod: p,
            scheduled: pod::node_name(p).is_some(),
            phase_ordinal: match pod::phase(p) {
                "Pending" => 0,
                "Unknown" => 1,
                "Running" => 2,
                _ => 3,
            },
            ready: pod::is_ready(p),
            deletion_cost: annotations
                .and_then(|a| a.get("controller.kubernetes.io/pod-deletion-cost"))
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or(0),
            rank,
            ready_since: ready_since(p),
            restarts: max_restarts(p),
            created: created_at(p),
            uid: p.metadata.uid.as_deref().unwrap_or_default(),
        }
    }
}

/// `ActivePodsWithRanks.Less`: `Less` means "delete first". In order:
///
/// 1. unscheduled before scheduled;
/// 2. Pending before Unknown before Running;
/// 3. not ready before ready;
/// 4. lower `controller.kubernetes.io/pod-deletion-cost` first;
/// 5. more related pods on the same node first;
/// 6. ready for a shorter time first;
/// 7. more restarts first;
/// 8. newer first.
///
/// Times compare in logarithmic buckets of their age (LogarithmicScaleDown, GA in v1.31), with
/// the UID breaking ties inside a bucket. Concrete example: with now = 100 s, pods ready since
/// 90 s (age 10 s, bucket floor(log2(10e9 ns)) = 33) and 95 s (age 5 s, bucket 32): the one
/// ready for 5 s goes first; ready since 92 s and 93 s share bucket 32 and the UID decides.
fn compare_for_deletion(a: &DeletionKey, b: &DeletionKey, now: Millis) -> Ordering {
    let by_time = |ta: Option<Millis>, tb: Option<Millis>| -> Ordering {
        match (ta, tb) {
            (Some(x), Some(y)) if x == y => Ordering::Equal,
            // afterOrZero: a zero time sorts first.
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (None, None) => Ordering::Equal,
            (Some(x), Some(y)) => match log_bucket(now, x).cmp(&log_bucket(now, y)) {
                Ordering::Equal => a.uid.cmp(b.uid),
                other => other,
            },
        }
    };
    a.scheduled
        .cmp(&b.scheduled)
        .then_with(|| a.phase_ordinal.cmp(&b.phase_ordinal))
        .then_with(|| a.ready.cmp(&b.ready))
        .then_with(|| a.deletion_cost.cmp(&b.deletion_cost))
        .then_with(|| b.rank.cmp(&a.rank))
        .then_with(|| {
            if a.ready && b.ready {
                by_time(a.ready_since, b.ready_since)
            } else {
                Ordering::Equal
            }
        })
        .then_with(|| b.restarts.cmp(&a.restarts))
        .then_with(|| by_time(a.created, b.created))
}

/// Seconds are what the API carries; the controller compares timestamps at that precision.
fn whole_seconds(time: &Time) -> Millis {
    millis_of(time) / SECOND * SECOND
}

fn ready_since(p: &Pod) -> Option<Millis> {
    pod::condition(p, "Ready")
        .and_then(|c| c.last_transition_time.as_ref())
        .map(whole_seconds)
}

fn created_at(p: &Pod) -> Option<Millis> {
    p.metadata.creation_timestamp.as_ref().map(whole_seconds)
}

/// `logarithmicRankDiff`'s bucket: floor(log2(age in nanoseconds)), or -1 for no age.
fn log_bucket(now: Millis, at: Millis) -> i64 {
    // Nanoseconds, as Go counts them: ages up to 584 years fit in 64 bits.
    let age_ns = now.saturating_sub(at).saturating_mul(1_000_000);
    if age_ns == 0 {
        return -1;
    }
    i64::from(63 - age_ns.leading_zeros())
}

fn max_restarts(p: &Pod) -> i32 {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0)
}

/// `calculateStatus`: counts of the active pods it owns; zero counts are omitted as the API
/// server omits them. When a ready pod becomes available only after minReadySeconds, the
/// controller asks to be woken then (`AddAfter` in the real controller).
fn update_status(cluster: &mut Cluster, rs: &ReplicaSet, survey: Survey) {
    let Some(mut current) = cluster
        .store()
        .get::<ReplicaSet>(
            rs.metadata.namespace.as_deref().unwrap_or(""),
            rs.metadata.name.as_deref().unwrap_or(""),
        )
        .cloned()
    else {
        return;
    };
    let conditions = current.status.take().and_then(|s| s.conditions);
    current.status = Some(ReplicaSetStatus {
        observed_generation: current.metadata.generation,
        conditions,
        ..survey.status()
    });
    cluster.put(current);
    for at in survey.wake_ups {
        cluster.schedule_once(at, Timer::Resync);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::timestamp;
    use crate::types::{PodCondition, PodSpec, PodStatus};
    use std::collections::BTreeMap;

    /// A pod for the ranking table: node ("" = unscheduled), phase, ready since (seconds, or
    /// none), restarts, created at (seconds), deletion cost.
    fn pod(
        name: &str,
        node: &str,
        phase: &str,
        ready_since: Option<u64>,
        restarts: i32,
        created: u64,
        cost: i32,
    ) -> Pod {
        let conditions = ready_since.map(|s| {
            vec![PodCondition {
                type_: "Ready".into(),
                status: "True".into(),
                last_transition_time: Some(timestamp(s * SECOND)),
                ..PodCondition::default()
            }]
        });
        let annotations = (cost != 0).then(|| {
            BTreeMap::from([(
                "controller.kubernetes.io/pod-deletion-cost".to_string(),
                cost.to_string(),
            )])
        });
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                uid: Some(format!("uid-{name}")),
                creation_timestamp: Some(timestamp(created * SECOND)),
                annotations,
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec {
                node_name: (!node.is_empty()).then(|| node.to_string()),
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                conditions,
                container_statuses: Some(vec![crate::types::ContainerStatus {
                    restart_count: restarts,
                    ..Default::default()
                }]),
                ..PodStatus::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn surplus_pods_are_deleted_in_active_pods_with_ranks_order() {
        let now = 1_000 * SECOND;
        // Each row: the pods (named so that the expected order is the test's point), how many
        // to delete, and which ones go (controller_utils.go ActivePodsWithRanks).
        let table: Vec<(&str, Vec<Pod>, usize, Vec<&str>)> = vec![
            (
                "unscheduled before scheduled",
                vec![
                    pod("bound", "w1", "Pending", None, 0, 10, 0),
                    pod("unbound", "", "Pending", None, 0, 20, 0),
                ],
                1,
                vec!["unbound"],
            ),
            (
                "pending before running",
                vec![
                    pod("running", "w1", "Running", None, 0, 10, 0),
                    pod("pending", "w2", "Pending", None, 0, 10, 0),
                ],
                1,
                vec!["pending"],
            ),
            (
                "not ready before ready",
                vec![
                    pod("ready", "w1", "Running", Some(50), 0, 10, 0),
                    pod("unready", "w2", "Running", None, 0, 5, 0),
                ],
                1,
                vec!["unready"],
            ),
            (
                "lower deletion cost first",
                vec![
                    pod("dear", "w1", "Running", Some(50), 0, 10, 10),
                    pod("cheap", "w2", "Running", Some(50), 0, 10, -5),
                ],
                1,
                vec!["cheap"],
            ),
            (
                "doubled-up node first",
                vec![
                    pod("alone", "w1", "Running", Some(50), 0, 10, 0),
                    pod("pair-a", "w2", "Running", Some(50), 0, 10, 0),
                    pod("pair-b", "w2", "Running", Some(50), 0, 10, 0),
                ],
                1,
                vec!["pair-a"],
            ),
            (
                "ready for a shorter time first",
                vec![
                    pod("old-ready", "w1", "Running", Some(100), 0, 10, 0),
                    pod("new-ready", "w2", "Running", Some(990), 0, 10, 0),
                ],
                1,
                vec!["new-ready"],
            ),
            (
                "more restarts first",
                vec![
                    pod("steady", "w1", "Running", Some(500), 0, 10, 0),
                    pod("flappy", "w2", "Running", Some(500), 3, 10, 0),
                ],
                1,
                vec!["flappy"],
            ),
            (
                "newer first",
                vec![
                    pod("older", "w1", "Running", Some(500), 0, 10, 0),
                    pod("newer", "w2", "Running", Some(500), 0, 900, 0),
                ],
                1,
                vec!["newer"],
            ),
            (
                "same age bucket: uid decides",
                vec![
                    pod("b", "w1", "Running", Some(500), 0, 996, 0),
                    pod("a", "w2", "Running", Some(500), 0, 997, 0),
                ],
                1,
                vec!["a"],
            ),
            (
                "takes the first k",
                vec![
                    pod("r1", "w1", "Running", Some(100), 0, 10, 0),
                    pod("p1", "w2", "Pending", None, 0, 10, 0),
                    pod("u1", "", "Pending", None, 0, 10, 0),
                ],
                2,
                vec!["u1", "p1"],
            ),
        ];
        for (name, pods, count, expected) in table {
            let refs: Vec<&Pod> = pods.iter().collect();
            let chosen = pods_to_delete(refs.clone(), &refs, count, now);
            let names: Vec<&str> = chosen
                .iter()
                .map(|p| p.metadata.name.as_deref().unwrap_or(""))
                .collect();
            assert_eq!(names, expected, "{name}");
        }
    }

    #[test]
    fn log_buckets_follow_log2_of_nanoseconds() {
        // 1 s = 1e9 ns: 2^29 = 536_870_912 <= 1e9 < 2^30.
        assert_eq!(log_bucket(1_000, 0), 29);
        assert_eq!(log_bucket(5, 5), -1);
    }
}
