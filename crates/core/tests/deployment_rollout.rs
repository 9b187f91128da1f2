//! Deployment rollouts end to end through the public API, advancing virtual time one timer at
//! a time and checking, at every step, by counting the pods actually in the store:
//! * never more than replicas + maxSurge pods that are not terminating;
//! * during a rolling update, never fewer than replicas - maxUnavailable available pods;
//! * Recreate never has old and new pods at the same time (terminating old pods count);
//! * at the end every pod runs the new image and the Deployment reports the rollout complete.
//!
//! The bounds are computed by an independent oracle of K8S-SEMANTICS A3 (surge rounds up,
//! unavailability rounds down, both 0 -> unavailable 1, unavailable capped at replicas).

use kplay_core::types::{Deployment, ReplicaSet};
use kplay_core::types::{Event, Pod};
use kplay_core::{pod, ApiObject, Cluster, Kind};
use proptest::prelude::*;
use serde_json::{json, Value};

mod seeded;

/// The rollout strategy of a test Deployment: `None` for Recreate, else (maxSurge,
/// maxUnavailable) as they would appear in a manifest (`2` or `"25%"`).
type RolloutStrategy = Option<(Value, Value)>;

fn manifest(replicas: i32, image: &str, strategy: &RolloutStrategy) -> Value {
    let strategy = match strategy {
        None => json!({"type": "Recreate"}),
        Some((surge, unavailable)) => json!({
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}
        }),
    };
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": strategy,
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": image}]}
            }
        }
    })
}

/// The oracle: `value` of `total`, a percentage rounded up or down.
fn scaled(value: &Value, total: i32, round_up: bool) -> i32 {
    match value {
        Value::Number(n) => n.as_i64().and_then(|v| i32::try_from(v).ok()).unwrap_or(0),
        Value::String(s) => {
            let percent: i32 = s.trim_end_matches('%').parse().unwrap_or(0);
            let product = percent * total;
            if round_up {
                (product + 99) / 100
            } else {
                product / 100
            }
        }
        _ => 0,
    }
}

/// (maxSurge, maxUnavailable) as the controller must resolve them.
fn fenceposts(strategy: &RolloutStrategy, replicas: i32) -> (i32, i32) {
    let Some((surge, unavailable)) = strategy else {
        return (0, 0);
    };
    let surge = scaled(surge, replicas, true);
    let unavailable = scaled(unavailable, replicas, false);
    if surge == 0 && unavailable == 0 {
        return (0, 1.min(replicas));
    }
    (surge, unavailable.min(replicas))
}

fn image_of(p: &Pod) -> &str {
    p.spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.as_deref())
        .unwrap_or("")
}

fn pods(cluster: &Cluster) -> Vec<&Pod> {
    cluster.store().list::<Pod>(Some("default")).collect()
}

fn deployment(cluster: &Cluster) -> Deployment {
    cluster
        .store()
        .get::<Deployment>("default", "web")
        .cloned()
        .unwrap_or_default()
}

/// The rollout to `image` is over: the status says so and only `replicas` pods of `image`
/// exist, none terminating.
fn rolled_out(cluster: &Cluster, replicas: i32, image: &str) -> bool {
    let d = deployment(cluster);
    let status = d.status.clone().unwrap_or_default();
    let n = |v: Option<i32>| v.unwrap_or(0);
    let pods = pods(cluster);
    status.observed_generation >= d.metadata.generation
        && n(status.updated_replicas) == replicas
        && n(status.replicas) == replicas
        && n(status.available_replicas) == replicas
        && pods.len() == usize::try_from(replicas).unwrap_or(0)
        && pods
            .iter()
            .all(|p| image_of(p) == image && pod::is_available(p, 0, cluster.now()))
}

/// The extremes seen during a rollout, to show the bounds are reached, not just respected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Extremes {
    /// The most non-terminating pods at one instant.
    max_live: usize,
    /// The fewest available (non-terminating) pods at one instant.
    min_available: usize,
}

/// Checks the invariants of the current instant; `old` is the image being replaced (None
/// during the first rollout, when there is nothing to keep available). Returns the live and
/// available pod counts.
fn check(
    cluster: &Cluster,
    replicas: i32,
    strategy: &RolloutStrategy,
    old: Option<&str>,
    new: &str,
) -> (usize, usize) {
    let (surge, unavailable) = fenceposts(strategy, replicas);
    let pods = pods(cluster);
    let now = cluster.now();
    let live = pods.iter().filter(|p| pod::is_active(p)).count();
    let available = pods
        .iter()
        .filter(|p| pod::is_active(p) && pod::is_available(p, 0, now))
        .count();
    let limit = usize::try_from(replicas + surge).unwrap_or(0);
    assert!(
        live <= limit,
        "at {now} ms: {live} non-terminating pods > replicas {replicas} + maxSurge {surge}"
    );
    let Some(old) = old else {
        return (live, available);
    };
    if strategy.is_some() {
        let floor = usize::try_from(replicas - unavailable).unwrap_or(0);
        assert!(
            available >= floor,
            "at {now} ms: {available} available pods < replicas {replicas} - maxUnavailable {unavailable}"
        );
    } else {
        let exists = |image: &str| {
            pods.iter()
                .any(|p| image_of(p) == image && !matches!(pod::phase(p), "Succeeded" | "Failed"))
        };
        assert!(
            !(exists(old) && exists(new)),
            "at {now} ms: Recreate runs {old} and {new} pods together"
        );
    }
    (live, available)
}

/// Advances from timer to timer until the rollout to `new` is over, checking at every step.
fn run_rollout(
    cluster: &mut Cluster,
    replicas: i32,
    strategy: &RolloutStrategy,
    old: Option<&str>,
    new: &str,
) -> Extremes {
    let mut extremes = Extremes {
        max_live: 0,
        min_available: usize::MAX,
    };
    for _ in 0..100_000 {
        let (live, available) = check(cluster, replicas, strategy, old, new);
        extremes.max_live = extremes.max_live.max(live);
        extremes.min_available = extremes.min_available.min(available);
        if rolled_out(cluster, replicas, new) {
            return extremes;
        }
        let next = cluster.next_timer_at();
        let Some(at) = next else {
            panic!(
                "stuck at {} ms with nothing scheduled: {:?}",
                cluster.now(),
                deployment(cluster).status
            );
        };
        cluster.advance(at - cluster.now());
    }
    panic!("rollout did not finish");
}

/// Creates the Deployment with `v1`, rolls it out, changes the image to `v2` and rolls that
/// out, checking the invariants all along. Returns the cluster and the extremes of the update.
fn create_and_update(seed: u64, replicas: i32, strategy: &RolloutStrategy) -> (Cluster, Extremes) {
    let (v1, v2) = ("nginx:1.26", "nginx:1.27");
    let mut cluster = Cluster::new(seed);
    let created = cluster.create_json(Kind::Deployment, manifest(replicas, v1, strategy));
    assert!(created.is_ok(), "{created:?}");
    run_rollout(&mut cluster, replicas, strategy, None, v1);

    let mut d = deployment(&cluster);
    if let Some(c) = d
        .spec
        .as_mut()
        .and_then(|s| s.template.spec.as_mut())
        .and_then(|s| s.containers.first_mut())
    {
        c.image = Some(v2.to_string());
    }
    let updated = cluster.update(d.into_object());
    assert!(updated.is_ok(), "{updated:?}");
    let extremes = run_rollout(&mut cluster, replicas, strategy, Some(v1), v2);
    (cluster, extremes)
}

fn replica_sets(cluster: &Cluster) -> Vec<ReplicaSet> {
    cluster
        .store()
        .list::<ReplicaSet>(Some("default"))
        .cloned()
        .collect()
}

fn annotation<'a>(rs: &'a ReplicaSet, key: &str) -> Option<&'a str> {
    rs.metadata
        .annotations
        .as_ref()?
        .get(key)
        .map(String::as_str)
}

#[test]
fn rolling_update_of_ten_replicas_with_defaults() {
    let strategy = Some((json!("25%"), json!("25%")));
    let (cluster, extremes) = create_and_update(1, 10, &strategy);
    // The bounds are reached: 10 + 3 pods at the peak, 10 - 2 available at the trough.
    assert_eq!(
        extremes,
        Extremes {
            max_live: 13,
            min_available: 8
        }
    );

    // Two ReplicaSets: revision 1 drained to 0, revision 2 with every replica.
    let rss = replica_sets(&cluster);
    let summary: Vec<(Option<&str>, i32)> = rss
        .iter()
        .map(|rs| {
            let replicas = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(-1);
            (
                annotation(rs, "deployment.kubernetes.io/revision"),
                replicas,
            )
        })
        .collect();
    let mut sorted = summary.clone();
    sorted.sort();
    assert_eq!(sorted, vec![(Some("1"), 0), (Some("2"), 10)]);
    for rs in &rss {
        // Annotations written by the last scaling: 10 desired, 10 + ceil(2.5) = 13 at most.
        assert_eq!(
            annotation(rs, "deployment.kubernetes.io/desired-replicas"),
            Some("10")
        );
        assert_eq!(
            annotation(rs, "deployment.kubernetes.io/max-replicas"),
            Some("13")
        );
        let hash = rs
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("pod-template-hash"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            rs.metadata.name.as_deref(),
            Some(format!("web-{hash}").as_str())
        );
    }
    let d = deployment(&cluster);
    let revision = d
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .cloned();
    assert_eq!(revision.as_deref(), Some("2"));

    // The rollout's events, in order: the first wave surges 3 new pods (ceil 25% of 10) and
    // drops 2 old ones (floor 25%), as rolling.go's arithmetic dictates.
    let mut events: Vec<&Event> = cluster.store().list::<Event>(Some("default")).collect();
    events.retain(|e| e.reason.as_deref() == Some("ScalingReplicaSet"));
    events.sort_by_key(|e| {
        e.metadata
            .resource_version
            .as_deref()
            .and_then(|v| v.parse::<u64>().ok())
    });
    let messages: Vec<String> = events
        .iter()
        .filter_map(|e| e.message.clone())
        .map(|m| {
            m.split(' ')
                .filter(|w| !w.starts_with("web-"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        messages.first().map(String::as_str),
        Some("Scaled up replica set to 10")
    );
    assert_eq!(
        messages.get(1).map(String::as_str),
        Some("Scaled up replica set to 3")
    );
    assert_eq!(
        messages.get(2).map(String::as_str),
        Some("Scaled down replica set to 8 from 10")
    );
    let conditions: Vec<(String, String, Option<String>)> = d
        .status
        .and_then(|s| s.conditions)
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.type_, c.status, c.reason))
        .collect();
    assert_eq!(
        conditions,
        vec![
            (
                "Available".into(),
                "True".into(),
                Some("MinimumReplicasAvailable".into())
            ),
            (
                "Progressing".into(),
                "True".into(),
                Some("NewReplicaSetAvailable".into())
            ),
        ]
    );
}

#[test]
fn recreate_rollout_of_five_replicas() {
    let (cluster, extremes) = create_and_update(2, 5, &None);
    // Recreate has a window without any pod.
    assert_eq!(extremes.min_available, 0);
    assert_eq!(extremes.max_live, 5);
    let mut revisions: Vec<(String, i32)> = replica_sets(&cluster)
        .iter()
        .map(|rs| {
            (
                annotation(rs, "deployment.kubernetes.io/revision")
                    .unwrap_or("")
                    .to_string(),
                rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(-1),
            )
        })
        .collect();
    revisions.sort();
    assert_eq!(revisions, vec![("1".to_string(), 0), ("2".to_string(), 5)]);
}

#[test]
fn one_replica_with_defaults_surges_one_and_keeps_one_available() {
    // K8S-SEMANTICS E1: 1 replica with 25%/25% resolves to surge 1, unavailable 0.
    let strategy = Some((json!("25%"), json!("25%")));
    let (_, extremes) = create_and_update(3, 1, &strategy);
    assert_eq!(
        extremes,
        Extremes {
            max_live: 2,
            min_available: 1
        }
    );
}

/// Sets the Deployment's image (as `kubectl set image` does) or replicas (`kubectl scale`).
fn edit(cluster: &mut Cluster, image: Option<&str>, replicas: Option<i32>) {
    let mut d = deployment(cluster);
    if let Some(spec) = d.spec.as_mut() {
        if let Some(r) = replicas {
            spec.replicas = Some(r);
        }
        let container = spec
            .template
            .spec
            .as_mut()
            .and_then(|s| s.containers.first_mut());
        if let (Some(c), Some(image)) = (container, image) {
            c.image = Some(image.to_string());
        }
    }
    let updated = cluster.update(d.into_object());
    assert!(updated.is_ok(), "{updated:?}");
}

/// The Deployment's ScalingReplicaSet event messages, oldest first.
fn scaling_events(cluster: &Cluster) -> Vec<String> {
    let mut events: Vec<&Event> = cluster
        .store()
        .list::<Event>(Some("default"))
        .filter(|e| e.reason.as_deref() == Some("ScalingReplicaSet"))
        .collect();
    events.sort_by_key(|e| {
        e.metadata
            .resource_version
            .as_deref()
            .and_then(|v| v.parse::<u64>().ok())
    });
    events.iter().filter_map(|e| e.message.clone()).collect()
}

fn rs_name_of_image(cluster: &Cluster, image: &str) -> String {
    replica_sets(cluster)
        .into_iter()
        .find(|rs| {
            rs.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref())
                .and_then(|s| s.containers.first())
                .and_then(|c| c.image.as_deref())
                == Some(image)
        })
        .and_then(|rs| rs.metadata.name)
        .unwrap_or_default()
}

#[test]
fn template_back_to_an_old_revision_reuses_and_renumbers_its_replica_set() {
    // K8S-SEMANTICS A2: the RS whose template matches becomes the new one, is renumbered
    // maxOld + 1 = 3, and its old number goes to revision-history; no third RS appears.
    let strategy = Some((json!("25%"), json!("25%")));
    let (mut cluster, _) = create_and_update(4, 3, &strategy);
    let v1_rs = rs_name_of_image(&cluster, "nginx:1.26");
    edit(&mut cluster, Some("nginx:1.26"), None);
    run_rollout(&mut cluster, 3, &strategy, Some("nginx:1.27"), "nginx:1.26");
    let rss = replica_sets(&cluster);
    assert_eq!(rss.len(), 2);
    let v1 = rss
        .iter()
        .find(|rs| rs.metadata.name.as_deref() == Some(v1_rs.as_str()));
    let got = v1.map(|rs| {
        (
            annotation(rs, "deployment.kubernetes.io/revision"),
            annotation(rs, "deployment.kubernetes.io/revision-history"),
        )
    });
    assert_eq!(got, Some((Some("3"), Some("1"))));
    let d = deployment(&cluster);
    let revision = d
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .cloned();
    assert_eq!(revision.as_deref(), Some("3"));
}

#[test]
fn scaling_mid_rollout_is_proportional() {
    // 10 replicas, 25%/25%: at the instant of the image change the new RS is created at 3
    // (13 - 10), the old one drops to 8 (10 available - 8), and the new one fills the room
    // to 5; both are annotated max-replicas 13. Scaling to 15 allows 15 + ceil(3.75) = 19, so
    // 6 more are shared (sync.go scale, largest first): old round(8 * 19 / 13) - 8 = 4, new
    // min(round(5 * 19 / 13) - 5, 6 - 4) = 2, no leftover: old 12, new 7.
    let strategy = Some((json!("25%"), json!("25%")));
    let mut cluster = Cluster::new(5);
    let created = cluster.create_json(Kind::Deployment, manifest(10, "nginx:1.26", &strategy));
    assert!(created.is_ok(), "{created:?}");
    run_rollout(&mut cluster, 10, &strategy, None, "nginx:1.26");
    edit(&mut cluster, Some("nginx:1.27"), None);
    let (old, new) = (
        rs_name_of_image(&cluster, "nginx:1.26"),
        rs_name_of_image(&cluster, "nginx:1.27"),
    );
    let before = scaling_events(&cluster).len();
    edit(&mut cluster, None, Some(15));
    let events = scaling_events(&cluster);
    assert_eq!(
        events.get(before..before + 2),
        Some(
            &[
                format!("Scaled up replica set {old} to 12 from 8"),
                format!("Scaled up replica set {new} to 7 from 5"),
            ][..]
        )
    );
    // The rollout then goes on to 15 new pods without breaking the surge bound (19).
    run_rollout(&mut cluster, 15, &strategy, None, "nginx:1.27");
}

fn int_or_percent() -> impl proptest::strategy::Strategy<Value = Value> {
    prop_oneof![
        (0i64..=4).prop_map(|v| json!(v)),
        prop::sample::select(vec![0, 10, 25, 33, 50, 100]).prop_map(|p| json!(format!("{p}%"))),
    ]
}

fn is_zero(v: &Value) -> bool {
    v == &json!(0) || v == &json!("0%")
}

proptest! {
    #![proptest_config(seeded::config(16))]

    /// Any valid strategy and size: the invariants hold at every step and both rollouts
    /// complete.
    #[test]
    fn rollouts_keep_their_bounds(
        seed in 0u64..1_000,
        replicas in 1i32..20,
        recreate in any::<bool>(),
        surge in int_or_percent(),
        unavailable in int_or_percent(),
    ) {
        // Validation rejects maxSurge and maxUnavailable both 0.
        prop_assume!(!(is_zero(&surge) && is_zero(&unavailable)));
        let strategy = if recreate { None } else { Some((surge, unavailable)) };
        create_and_update(seed, replicas, &strategy);
    }
}

/// Sets `spec.paused` (as `kubectl rollout pause` / `resume` do).
fn set_paused(cluster: &mut Cluster, paused: bool) {
    let mut d = deployment(cluster);
    if let Some(spec) = d.spec.as_mut() {
        spec.paused = Some(paused);
    }
    let updated = cluster.update(d.into_object());
    assert!(updated.is_ok(), "{updated:?}");
}

fn progressing(cluster: &Cluster) -> (String, Option<String>, Option<String>) {
    deployment(cluster)
        .status
        .and_then(|s| s.conditions)
        .into_iter()
        .flatten()
        .find(|c| c.type_ == "Progressing")
        .map(|c| (c.status, c.reason, c.message))
        .unwrap_or_default()
}

#[test]
fn a_paused_deployment_scales_but_holds_template_changes_until_resumed() {
    // K8S-SEMANTICS A9 (deployment_controller.go syncDeployment, sync.go
    // checkPausedConditions): paused -> Progressing Unknown/DeploymentPaused; image edits make
    // no ReplicaSet and no revision; scaling still works; resuming rolls out the last edit as
    // one new revision, with Unknown/DeploymentResumed until the new ReplicaSet is created.
    let strategy = Some((json!("25%"), json!("25%")));
    let mut cluster = Cluster::new(6);
    let created = cluster.create_json(Kind::Deployment, manifest(3, "nginx:1.26", &strategy));
    assert!(created.is_ok(), "{created:?}");
    run_rollout(&mut cluster, 3, &strategy, None, "nginx:1.26");
    set_paused(&mut cluster, true);
    assert_eq!(
        progressing(&cluster),
        (
            "Unknown".to_string(),
            Some("DeploymentPaused".to_string()),
            Some("Deployment is paused".to_string())
        )
    );
    edit(&mut cluster, Some("nginx:1.27"), None);
    edit(&mut cluster, Some("nginx:1.28"), Some(5));
    cluster.advance(60_000);
    assert_eq!(replica_sets(&cluster).len(), 1);
    let pods_now = pods(&cluster);
    assert_eq!(pods_now.len(), 5);
    assert!(pods_now.iter().all(|p| image_of(p) == "nginx:1.26"));
    let d = deployment(&cluster);
    let revision = d
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .cloned();
    assert_eq!(revision.as_deref(), Some("1"));

    set_paused(&mut cluster, false);
    run_rollout(&mut cluster, 5, &strategy, Some("nginx:1.26"), "nginx:1.28");
    let revisions: Vec<Option<String>> = replica_sets(&cluster)
        .iter()
        .map(|rs| annotation(rs, "deployment.kubernetes.io/revision").map(String::from))
        .collect();
    assert_eq!(revisions.len(), 2, "one new revision for both edits");
    assert!(revisions.contains(&Some("2".to_string())));
    assert_eq!(
        progressing(&cluster).1.as_deref(),
        Some("NewReplicaSetAvailable")
    );
}

#[test]
fn old_replica_sets_beyond_the_history_limit_are_deleted_once_the_rollout_completes() {
    // K8S-SEMANTICS A7 (sync.go cleanupDeployment): with revisionHistoryLimit 1, after four
    // templates only the new ReplicaSet (revision 4) and the newest old one (3) remain.
    let strategy = Some((json!(1), json!(0)));
    let mut cluster = Cluster::new(7);
    let mut value = manifest(2, "nginx:1.25", &strategy);
    value["spec"]["revisionHistoryLimit"] = json!(1);
    let created = cluster.create_json(Kind::Deployment, value);
    assert!(created.is_ok(), "{created:?}");
    run_rollout(&mut cluster, 2, &strategy, None, "nginx:1.25");
    let mut previous = "nginx:1.25";
    for image in ["nginx:1.26", "nginx:1.27", "nginx:1.28"] {
        edit(&mut cluster, Some(image), None);
        run_rollout(&mut cluster, 2, &strategy, Some(previous), image);
        previous = image;
    }
    // Cleanup ran at the same instant, on the pass after the status reported completion.
    let mut revisions: Vec<String> = replica_sets(&cluster)
        .iter()
        .filter_map(|rs| annotation(rs, "deployment.kubernetes.io/revision").map(String::from))
        .collect();
    revisions.sort();
    assert_eq!(revisions, vec!["3".to_string(), "4".to_string()]);
}

#[test]
fn a_rollout_without_progress_exceeds_its_deadline_and_is_left_alone() {
    // K8S-SEMANTICS A8 (progress.go syncRolloutStatus, requeueStuckDeployment): pods that no
    // node accepts never get available; once lastUpdateTime + progressDeadlineSeconds has
    // passed, Progressing turns False/ProgressDeadlineExceeded and nothing else changes.
    let mut cluster = Cluster::new(8);
    let mut value = manifest(2, "nginx:1.27", &Some((json!("25%"), json!("25%"))));
    value["spec"]["progressDeadlineSeconds"] = json!(30);
    value["spec"]["template"]["spec"]["nodeSelector"] = json!({"disk": "ssd"});
    let created = cluster.create_json(Kind::Deployment, value);
    assert!(created.is_ok(), "{created:?}");
    let rs = replica_sets(&cluster)
        .first()
        .and_then(|rs| rs.metadata.name.clone())
        .unwrap_or_default();
    // The check is due at lastUpdateTime (0) + 30 s + the second upstream adds. At creation
    // the new ReplicaSet reported 2 (Pending) pods: that was progress.
    cluster.advance(30_999);
    assert_eq!(
        progressing(&cluster),
        (
            "True".to_string(),
            Some("ReplicaSetUpdated".to_string()),
            Some(format!("ReplicaSet \"{rs}\" is progressing."))
        )
    );
    let exceeded = (
        "False".to_string(),
        Some("ProgressDeadlineExceeded".to_string()),
        Some(format!("ReplicaSet \"{rs}\" has timed out progressing.")),
    );
    cluster.advance(1);
    assert_eq!(progressing(&cluster), exceeded);
    // A timed-out rollout is not re-checked: nothing changes (the clock is bounded, as the
    // kube-system add-ons' probe timers never end).
    let deployment_before = deployment(&cluster);
    cluster.advance(600_000);
    assert_eq!(deployment(&cluster).status, deployment_before.status);
    assert_eq!(pods(&cluster).len(), 2);
}
