//! Random sequences of valid and invalid API calls and time steps thrown at a cluster. After
//! every step (each call reconciles to a fixpoint at its instant) the test checks what upstream
//! guarantees at such a point:
//! * nothing panics, and a rejected call changes nothing;
//! * every pod and ReplicaSet with owner references has a live owner, or (pods) is terminating:
//!   the garbage collector never leaves an orphan behind;
//! * every ReplicaSet's `status.replicas` counts exactly its active pods, and the non-terminating
//!   pods of a Deployment's ReplicaSets are at most replicas + maxSurge (scale-up is bounded by
//!   spec totals, rolling.go `NewRSNewReplicas`, and proportional scaling targets that same
//!   total, sync.go `scale`); the sequences never edit the strategy mid-rollout, the one
//!   change upstream lets overshoot until old pods drain;
//! * every Deployment's status describes its current generation;
//! * advancing by `a` then `b` leaves the state that advancing by `a + b` does;
//! * the controllers never take a RollingUpdate Deployment's available pods below
//!   `replicas - maxUnavailable` themselves: only external deletions and failing containers
//!   may (rolling.go `reconcileOldReplicaSets` scales old ReplicaSets down only above
//!   `minAvailable`);
//! * with healthy images, every sequence converges: once resumed and given time, each
//!   Deployment runs exactly `replicas` available pods of its current template and its old
//!   ReplicaSets are scaled to zero.

use kplay_core::api::decode_strict;
use kplay_core::strategy::rolling_bounds;
use kplay_core::types::IntOrString;
use kplay_core::types::Pod;
use kplay_core::types::{Deployment, ReplicaSet, ToJson};
use kplay_core::{pod, ApiObject, Cluster, Kind, Object};
use proptest::prelude::*;
use serde_json::{json, Value};

mod seeded;

const NAMES: [&str; 3] = ["web", "api", "db"];
/// Healthy images first; the last two never become ready (pull failure, crash loop).
const IMAGES: [&str; 6] = [
    "nginx:1.26",
    "nginx:1.27",
    "flask-app:1.0",
    "agnhost:2.53",
    "flask-app:broken",
    "flask-app:crash",
];
/// How many of [`IMAGES`] run healthily.
const HEALTHY: usize = 4;

/// One step of a sequence.
#[derive(Debug, Clone)]
enum Op {
    /// Create Deployment `NAMES[name]` with these replicas, image and strategy.
    Create {
        name: usize,
        replicas: i64,
        image: usize,
        strategy: Value,
    },
    /// Set the image of Deployment `NAMES[name]` (a new rollout when it differs).
    SetImage { name: usize, image: usize },
    /// Set the replicas of Deployment `NAMES[name]` (a scaling event).
    Scale { name: usize, replicas: i64 },
    /// Delete Deployment `NAMES[name]`.
    Delete { name: usize },
    /// `kubectl rollout undo` of Deployment `NAMES[name]`: to the previous revision (0) or to
    /// the `to`-th oldest revision, done client-side as kubectl does it.
    Undo { name: usize, to: usize },
    /// `kubectl rollout pause` (true) or `resume` (false).
    Pause { name: usize, paused: bool },
    /// Delete the `index`-th pod (modulo the number of pods).
    DeletePod { index: usize },
    /// Create a malformed or incomplete object.
    CreateJunk { kind: Kind, manifest: Value },
    /// Let `ms` of virtual time pass.
    Advance { ms: u64 },
    /// Advance by `a` then `b`, and check that a copy advanced by `a + b` ends the same.
    SplitAdvance { a: u64, b: u64 },
}

fn replicas() -> impl Strategy<Value = i64> {
    prop_oneof![
        8 => 0i64..12,
        1 => Just(-1i64),
        1 => prop::sample::select(vec![999_999_999i64, i64::from(i32::MAX), i64::from(i32::MIN)]),
    ]
}

fn int_or_percent() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(0),
        json!(1),
        json!(3),
        json!(-2),
        json!("0%"),
        json!("25%"),
        json!("50%"),
        json!("100%"),
        json!("1000%"),
        json!("abc%"),
        json!("-5%"),
        json!("5"),
        json!(""),
    ])
}

fn strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "Recreate"})),
        Just(json!({})),
        Just(json!({"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})),
        Just(json!({"type": "Sideways"})),
        (int_or_percent(), int_or_percent()).prop_map(|(surge, unavailable)| json!({
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}
        })),
    ]
}

fn junk() -> impl Strategy<Value = (Kind, Value)> {
    let meta = json!({"name": "junk", "namespace": "default"});
    prop::sample::select(vec![
        (Kind::Deployment, json!({"metadata": meta})),
        (Kind::Deployment, json!({"metadata": meta, "spec": {}})),
        (
            Kind::Deployment,
            json!({"metadata": meta, "spec": {"selector": {"matchLabels": {"a": "b"}}}}),
        ),
        (
            Kind::Deployment,
            json!({"metadata": meta, "spec": {
                "selector": {"matchLabels": {"a": "b"}},
                "template": {"metadata": {"labels": {"a": "b"}}, "spec": {}}}}),
        ),
        (Kind::Deployment, json!({"spec": {"replicas": 1}})),
        (
            Kind::Deployment,
            json!({"metadata": meta, "spec": {"replicas": "many"}}),
        ),
        (
            Kind::ReplicaSet,
            json!({"metadata": meta, "spec": {"replicas": -5}}),
        ),
        (
            Kind::Pod,
            json!({"spec": {"containers": [{"name": "c", "image": "nginx"}]}}),
        ),
        (Kind::Pod, json!({"metadata": meta})),
        (
            Kind::Pod,
            json!({"metadata": meta, "spec": {"containers": [{"name": "c"}]}}),
        ),
        (Kind::Pod, json!(null)),
        (Kind::Namespace, json!({})),
        (Kind::Namespace, json!({"metadata": {"name": "Bad_Name"}})),
        (Kind::Node, json!({})),
        (Kind::Node, json!({"metadata": {"name": "kplay-worker9"}})),
        (Kind::Service, json!({"metadata": meta})),
        (Kind::Event, json!({})),
        (Kind::Event, json!({"metadata": meta})),
        (Kind::ReplicaSet, json!([1, 2, 3])),
        (Kind::Service, json!(42)),
    ])
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..NAMES.len(), replicas(), 0..IMAGES.len(), strategy()).prop_map(
            |(name, replicas, image, strategy)| Op::Create { name, replicas, image, strategy }
        ),
        3 => (0..NAMES.len(), 0..IMAGES.len()).prop_map(|(name, image)| Op::SetImage { name, image }),
        2 => (0..NAMES.len(), replicas()).prop_map(|(name, replicas)| Op::Scale { name, replicas }),
        1 => (0..NAMES.len()).prop_map(|name| Op::Delete { name }),
        2 => (0..NAMES.len(), 0usize..4).prop_map(|(name, to)| Op::Undo { name, to }),
        2 => (0..NAMES.len(), any::<bool>()).prop_map(|(name, paused)| Op::Pause { name, paused }),
        2 => (0usize..64).prop_map(|index| Op::DeletePod { index }),
        1 => junk().prop_map(|(kind, manifest)| Op::CreateJunk { kind, manifest }),
        4 => prop_oneof![0u64..50, 0u64..3_000, 0u64..40_000].prop_map(|ms| Op::Advance { ms }),
        1 => (0u64..5_000, 0u64..5_000).prop_map(|(a, b)| Op::SplitAdvance { a, b }),
    ]
}

fn manifest(name: &str, replicas: i64, image: &str, strategy: &Value) -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": strategy,
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": image}]}
            }
        }
    })
}

/// Edits the stored Deployment `name` with `edit` and sends it back as `PUT` would.
fn edit(cluster: &mut Cluster, name: &str, edit: impl FnOnce(&mut Value)) {
    let Some(d) = cluster.store().get::<Deployment>("default", name) else {
        return;
    };
    let mut value = d.clone().into_object().to_json();
    edit(&mut value);
    if let Ok(object) = decode_strict(Kind::Deployment, value) {
        apply(cluster, |c| c.update(object).map(drop));
    }
}

/// The templates of the Deployment's ReplicaSets by revision, as `kubectl rollout undo` finds
/// them (controller owner reference, `deployment.kubernetes.io/revision`).
fn revisions(cluster: &Cluster, d: &Deployment) -> Vec<(i64, Value)> {
    let uid = d.metadata.uid.as_deref().unwrap_or("");
    let mut out: Vec<(i64, Value)> = cluster
        .store()
        .list::<ReplicaSet>(Some("default"))
        .filter(|rs| controlled(&rs.metadata, uid))
        .filter_map(|rs| {
            let revision = rs
                .metadata
                .annotations
                .as_ref()?
                .get("deployment.kubernetes.io/revision")?
                .parse()
                .ok()?;
            let mut template = rs.spec.as_ref()?.template.as_ref()?.to_json();
            if let Some(labels) = template["metadata"]["labels"].as_object_mut() {
                labels.remove("pod-template-hash");
            }
            Some((revision, template))
        })
        .collect();
    out.sort_by_key(|(revision, _)| *revision);
    out
}

/// kubectl's rollback (polymorphichelpers/rollback.go): refused while paused; `to == 0` picks
/// the second-highest revision; the chosen template replaces the Deployment's.
fn undo(cluster: &mut Cluster, name: &str, to: usize) {
    let Some(d) = cluster.store().get::<Deployment>("default", name).cloned() else {
        return;
    };
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        return;
    }
    let history = revisions(cluster, &d);
    let target = match to {
        0 if history.len() >= 2 => history.get(history.len() - 2),
        0 => None,
        n => history.get(n - 1),
    };
    if let Some((_, template)) = target.cloned() {
        edit(cluster, name, |v| v["spec"]["template"] = template);
    }
}

fn controlled(meta: &kplay_core::types::ObjectMeta, uid: &str) -> bool {
    meta.owner_references
        .iter()
        .flatten()
        .any(|r| r.controller == Some(true) && r.uid == uid)
}

/// Runs an API call; a rejected one must leave the state exactly as it was.
fn apply(
    cluster: &mut Cluster,
    call: impl FnOnce(&mut Cluster) -> Result<(), kplay_core::ApiError>,
) {
    let before = cluster.state_hash();
    if call(cluster).is_err() {
        assert_eq!(
            cluster.state_hash(),
            before,
            "a rejected call changed the state"
        );
    }
}

fn run(cluster: &mut Cluster, op: &Op) {
    match op {
        Op::Create {
            name,
            replicas,
            image,
            strategy,
        } => {
            let value = manifest(NAMES[*name], *replicas, IMAGES[*image], strategy);
            apply(cluster, |c| {
                c.create_json(Kind::Deployment, value).map(drop)
            });
        }
        Op::SetImage { name, image } => edit(cluster, NAMES[*name], |v| {
            v["spec"]["template"]["spec"]["containers"][0]["image"] = json!(IMAGES[*image]);
        }),
        Op::Scale { name, replicas } => edit(cluster, NAMES[*name], |v| {
            v["spec"]["replicas"] = json!(replicas);
        }),
        Op::Undo { name, to } => undo(cluster, NAMES[*name], *to),
        Op::Pause { name, paused } => edit(cluster, NAMES[*name], |v| {
            v["spec"]["paused"] = json!(paused);
        }),
        Op::Delete { name } => {
            apply(cluster, |c| {
                c.delete(Kind::Deployment, "default", NAMES[*name])
                    .map(drop)
            });
        }
        Op::DeletePod { index } => {
            let pods: Vec<String> = cluster
                .store()
                .list::<Pod>(Some("default"))
                .map(|p| p.metadata.name.clone().unwrap_or_default())
                .collect();
            if let Some(victim) = pods.get(index % pods.len().max(1)) {
                apply(cluster, |c| {
                    c.delete(Kind::Pod, "default", victim).map(drop)
                });
            }
        }
        Op::CreateJunk { kind, manifest } => {
            apply(cluster, |c| {
                c.create_json(*kind, manifest.clone()).map(drop)
            });
        }
        Op::Advance { ms } => cluster.advance(*ms),
        Op::SplitAdvance { a, b } => {
            let mut whole = cluster.clone();
            // Advanced in slices, as the page does when a frame's budget is spent: a few
            // timers or request batches per call.
            let mut sliced = cluster.clone();
            let target = sliced.now() + a + b;
            let per_call = usize::try_from(a % 7).unwrap_or(0);
            let mut calls = 0;
            loop {
                let handled = std::cell::Cell::new(0);
                let spent = || {
                    handled.set(handled.get() + 1);
                    handled.get() > per_call
                };
                calls += 1;
                if sliced.advance_within(target - sliced.now(), &spent) {
                    break;
                }
            }
            cluster.advance(*a);
            cluster.advance(*b);
            whole.advance(a + b);
            assert_eq!(
                cluster.state_hash(),
                whole.state_hash(),
                "a then b differs from a + b"
            );
            assert_eq!(
                sliced.state_hash(),
                whole.state_hash(),
                "advancing in {calls} slices differs from advancing at once"
            );
        }
    }
}

/// (maxSurge, replicas) as upstream resolves them for a stored (defaulted, valid) Deployment:
/// surge rounds up; Recreate has none.
fn surge_and_replicas(d: &Deployment) -> (i64, i64) {
    let spec = d.spec.clone().unwrap_or_default();
    let replicas = i64::from(spec.replicas.unwrap_or(1));
    let strategy = spec.strategy.unwrap_or_default();
    if strategy.type_.as_deref() == Some("Recreate") {
        return (0, replicas);
    }
    let surge = match strategy.rolling_update.and_then(|r| r.max_surge) {
        Some(IntOrString::Int(n)) => i64::from(n),
        Some(IntOrString::String(s)) => {
            let percent: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            (percent * replicas + 99) / 100
        }
        None => 0,
    };
    (surge, replicas)
}

fn uid_of(o: &Object) -> Option<&str> {
    o.meta().uid.as_deref()
}

fn check(cluster: &Cluster) {
    let store = cluster.store();
    let live: Vec<&str> = store.all().filter_map(uid_of).collect();
    for object in store.all() {
        let refs = object
            .meta()
            .owner_references
            .as_deref()
            .unwrap_or_default();
        let owned = refs.iter().any(|r| live.contains(&r.uid.as_str()));
        let terminating = object.meta().deletion_timestamp.is_some();
        assert!(
            refs.is_empty() || owned || terminating,
            "{:?} outlived its owners",
            object.key()
        );
    }
    let pods: Vec<&Pod> = store.list::<Pod>(None).collect();
    let controlled_by = |p: &Pod, uid: &str| {
        p.metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.controller == Some(true) && r.uid == uid)
    };
    for rs in store.list::<ReplicaSet>(None) {
        let uid = rs.metadata.uid.as_deref().unwrap_or("");
        let active = pods
            .iter()
            .filter(|p| pod::is_active(p) && controlled_by(p, uid))
            .count();
        let reported = rs.status.as_ref().map_or(0, |s| s.replicas);
        assert_eq!(
            usize::try_from(reported).ok(),
            Some(active),
            "{:?}",
            rs.metadata.name
        );
    }
    for d in store.list::<Deployment>(None) {
        let uid = d.metadata.uid.as_deref().unwrap_or("");
        let observed = d.status.as_ref().and_then(|s| s.observed_generation);
        assert_eq!(observed, d.metadata.generation, "{:?}", d.metadata.name);
        let rs_uids: Vec<&str> = store
            .list::<ReplicaSet>(None)
            .filter(|rs| {
                rs.metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|r| r.controller == Some(true) && r.uid == uid)
            })
            .filter_map(|rs| rs.metadata.uid.as_deref())
            .collect();
        let live_pods = pods
            .iter()
            .filter(|p| pod::is_active(p) && rs_uids.iter().any(|u| controlled_by(p, u)))
            .count();
        let (surge, replicas) = surge_and_replicas(d);
        assert!(
            i64::try_from(live_pods).unwrap_or(i64::MAX) <= replicas + surge,
            "{:?}: {live_pods} pods > {replicas} + {surge}",
            d.metadata.name
        );
    }
}

/// The pods of Deployment `d`'s ReplicaSets.
fn deployment_pods<'a>(cluster: &'a Cluster, d: &Deployment) -> Vec<&'a Pod> {
    let uid = d.metadata.uid.as_deref().unwrap_or("");
    let rs_uids: Vec<String> = cluster
        .store()
        .list::<ReplicaSet>(None)
        .filter(|rs| controlled(&rs.metadata, uid))
        .filter_map(|rs| rs.metadata.uid.clone())
        .collect();
    cluster
        .store()
        .list::<Pod>(None)
        .filter(|p| rs_uids.iter().any(|u| controlled(&p.metadata, u)))
        .collect()
}

/// A pod whose container has failed at least once (a crash loop): failures, not controllers,
/// make such pods unavailable.
fn has_failed(p: &Pod) -> bool {
    p.status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten())
        .any(|c| {
            // A container that has just exited counts too: a crashing app can be ready for a
            // moment (no readiness probe), let the controller scale an old pod down, then die
            // before its first restart.
            c.restart_count > 0
                || c.last_state
                    .as_ref()
                    .is_some_and(|l| l.terminated.is_some())
                || c.state.as_ref().is_some_and(|s| s.terminated.is_some())
        })
}

/// Available (active and ready) pods per RollingUpdate Deployment, with the Deployment's
/// `replicas - maxUnavailable` and `replicas + maxSurge`.
fn availability(cluster: &Cluster) -> Vec<(String, usize, usize, i64, i64)> {
    cluster
        .store()
        .list::<Deployment>(Some("default"))
        .filter_map(|d| {
            let spec = d.spec.as_ref()?;
            let strategy = spec.strategy.as_ref()?;
            if strategy.type_.as_deref() != Some("RollingUpdate") {
                return None;
            }
            let rolling = strategy.rolling_update.as_ref()?;
            let replicas = spec.replicas.unwrap_or(1);
            let bounds = rolling_bounds(
                rolling.max_surge.as_ref()?,
                rolling.max_unavailable.as_ref()?,
                replicas,
            )?;
            let pods = deployment_pods(cluster, d);
            let available = pods
                .iter()
                .filter(|p| pod::is_active(p) && pod::is_ready(p))
                .count();
            let failed = pods
                .iter()
                .filter(|p| pod::is_active(p) && has_failed(p))
                .count();
            Some((
                d.metadata.name.clone().unwrap_or_default(),
                available,
                failed,
                i64::from(bounds.min_available),
                i64::from(bounds.max_pods),
            ))
        })
        .collect()
}

/// After a step without external deletions: no Deployment lost available pods below its
/// bound, except to failing containers and to a scale-down. A scale-down resizes the
/// ReplicaSets proportionally (upstream `sync.go` `scale`), the old one's ready pods included
/// and whatever maxUnavailable says, by up to the drop in the most pods the Deployment may run
/// (`replicas + maxSurge`).
fn check_availability(before: &[(String, usize, usize, i64, i64)], cluster: &Cluster) {
    for (name, available, failed, min_available, max_pods) in availability(cluster) {
        let Some((_, was, _, _, was_max_pods)) = before.iter().find(|(n, ..)| *n == name) else {
            continue;
        };
        let scaled_away = (was_max_pods - max_pods).max(0);
        let floor = i64::try_from(*was).unwrap_or(0).min(min_available) - scaled_away;
        let kept = i64::try_from(available + failed).unwrap_or(0);
        assert!(
            kept >= floor,
            "{name}: {available} available (+{failed} failing) < min({was}, {min_available})"
        );
    }
}

/// With healthy images and no pause, given time, every Deployment settles on its template.
fn check_converged(cluster: &mut Cluster) {
    let names: Vec<String> = cluster
        .store()
        .list::<Deployment>(Some("default"))
        .filter_map(|d| d.metadata.name.clone())
        .collect();
    for name in &names {
        edit(cluster, name, |v| v["spec"]["paused"] = json!(false));
    }
    cluster.advance(30 * 60 * 1000);
    for d in cluster.store().list::<Deployment>(Some("default")) {
        let spec = d.spec.clone().unwrap_or_default();
        let image = spec
            .template
            .spec
            .as_ref()
            .and_then(|s| s.containers.first()?.image.clone());
        if !IMAGES[..HEALTHY].contains(&image.as_deref().unwrap_or("")) {
            continue;
        }
        let replicas = usize::try_from(spec.replicas.unwrap_or(1)).unwrap_or(0);
        let pods: Vec<&Pod> = deployment_pods(cluster, d)
            .into_iter()
            .filter(|p| pod::is_active(p))
            .collect();
        let current = pods.iter().filter(|p| {
            pod::is_ready(p)
                && p.spec
                    .as_ref()
                    .and_then(|s| s.containers.first()?.image.clone())
                    == image
        });
        assert_eq!(
            (pods.len(), current.count()),
            (replicas, replicas),
            "{name:?} did not converge",
            name = d.metadata.name
        );
        let status = d.status.clone().unwrap_or_default();
        let want = Some(i32::try_from(replicas).unwrap_or(0));
        assert_eq!(
            (
                status.updated_replicas.or(Some(0)),
                status.available_replicas.or(Some(0))
            ),
            (want, want),
            "{:?} status",
            d.metadata.name
        );
    }
}

proptest! {
    #![proptest_config(seeded::config(48))]

    #[test]
    fn random_operations_keep_the_cluster_consistent(
        seed in 0u64..1_000,
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let mut cluster = Cluster::new(seed);
        for op in &ops {
            let before = availability(&cluster);
            run(&mut cluster, op);
            check(&cluster);
            if !matches!(op, Op::Delete { .. } | Op::DeletePod { .. }) {
                check_availability(&before, &cluster);
            }
        }
        check_converged(&mut cluster);
        check(&cluster);
    }
}
