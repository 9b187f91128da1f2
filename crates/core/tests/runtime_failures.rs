//! The kubelet model's failure modes through the public API: image pulls that fail and back
//! off, crash loops and their restart times, readiness and liveness probes, and a rollout to
//! a broken image that gets stuck. Expected numbers come from the kubelet's sources:
//! `pkg/kubelet/images/image_manager.go` and `kuberuntime_manager.go` `doBackOff` (back-off
//! 10 s doubling to 300 s, `flowcontrol.Backoff`), the pod worker's 10 s re-sync after an
//! error and PLEG's 1 s relist, and `pkg/kubelet/prober/worker.go`.

use kplay_core::time::millis_of;
use kplay_core::types::{ContainerStatus, Deployment, Event, Pod};
use kplay_core::{pod, Cluster, Kind, Millis};
use serde_json::{json, Value};

fn pod_manifest(name: &str, containers: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": containers}
    })
}

fn get_pod(cluster: &Cluster, name: &str) -> Pod {
    cluster
        .store()
        .get::<Pod>("default", name)
        .cloned()
        .unwrap_or_default()
}

fn container(cluster: &Cluster, name: &str) -> ContainerStatus {
    get_pod(cluster, name)
        .status
        .and_then(|s| s.container_statuses)
        .and_then(|c| c.into_iter().next())
        .unwrap_or_default()
}

fn waiting_reason(c: &ContainerStatus) -> Option<String> {
    c.state.as_ref()?.waiting.as_ref()?.reason.clone()
}

/// The count and message of the event about `pod` with `reason` whose message starts with
/// `prefix`.
fn event(cluster: &Cluster, pod: &str, reason: &str, prefix: &str) -> Option<(i32, String)> {
    cluster
        .store()
        .list::<Event>(Some("default"))
        .find(|e| {
            e.involved_object.name.as_deref() == Some(pod)
                && e.reason.as_deref() == Some(reason)
                && e.message.as_deref().unwrap_or("").starts_with(prefix)
        })
        .map(|e| (e.count.unwrap_or(1), e.message.clone().unwrap_or_default()))
}

/// Advances one timer at a time until `until`, calling `observe` after each.
fn step_until(cluster: &mut Cluster, until: Millis, mut observe: impl FnMut(&Cluster)) {
    while let Some(at) = cluster.next_timer_at().filter(|at| *at <= until) {
        cluster.advance(at - cluster.now());
        observe(cluster);
    }
    cluster.advance(until.saturating_sub(cluster.now()));
}

#[test]
fn a_broken_image_goes_err_image_pull_then_image_pull_back_off_with_the_image_back_off() {
    let mut cluster = Cluster::new(3);
    let spec = json!([{"name": "web", "image": "flask-app:broken"}]);
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("web", spec))
        .is_ok());
    // (time, Pulling count, failure count) whenever either changes.
    let mut pulls: Vec<Millis> = Vec::new();
    let mut failures: Vec<Millis> = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    step_until(&mut cluster, 30 * 60 * 1000, |c| {
        let count = |reason, prefix| event(c, "web", reason, prefix).map_or(0, |e| e.0);
        let pulled = usize::try_from(count("Pulling", "Pulling")).unwrap_or(0);
        if pulled > pulls.len() {
            pulls.push(c.now());
        }
        let failed = usize::try_from(count("Failed", "Failed to pull")).unwrap_or(0);
        if failed > failures.len() {
            failures.push(c.now());
        }
        if let Some(r) = waiting_reason(&container(c, "web")) {
            if reasons.last() != Some(&r) {
                reasons.push(r);
            }
        }
    });
    // The next pull starts at the first 10 s sync at or after the back-off window (10 s,
    // doubling, capped at 300 s) since the failure.
    let gaps: Vec<Millis> = failures
        .iter()
        .zip(pulls.iter().skip(1))
        .map(|(failed, next)| (next - failed) / 1000)
        .collect();
    assert_eq!(
        gaps.iter().take(8).copied().collect::<Vec<_>>(),
        [10, 20, 40, 80, 160, 300, 300, 300]
    );
    assert_eq!(
        reasons
            .iter()
            .take(4)
            .map(String::as_str)
            .collect::<Vec<_>>(),
        [
            "ContainerCreating",
            "ErrImagePull",
            "ImagePullBackOff",
            "ErrImagePull"
        ]
    );
    let c = container(&cluster, "web");
    assert_eq!(c.restart_count, 0);
    assert_eq!(pod::phase(&get_pod(&cluster, "web")), "Pending");
    let message = c.state.and_then(|s| s.waiting).and_then(|w| w.message);
    let failed = event(&cluster, "web", "Failed", "Failed to pull").map(|e| e.1);
    assert_eq!(
        failed.as_deref(),
        Some(
            "Failed to pull image \"flask-app:broken\": rpc error: code = NotFound desc = failed \
             to pull and unpack image \"docker.io/library/flask-app:broken\": failed to resolve \
             reference \"docker.io/library/flask-app:broken\": \
             docker.io/library/flask-app:broken: not found"
        )
    );
    // The waiting message is the pull error (ErrImagePull) or the back-off (ImagePullBackOff).
    let pull_error =
        failed.map(|f| f.replacen("Failed to pull image \"flask-app:broken\": ", "", 1));
    assert!(
        message == pull_error
            || message.as_deref() == Some("Back-off pulling image \"flask-app:broken\""),
        "{message:?}"
    );
    for (reason, prefix) in [
        ("Failed", "Error: ErrImagePull"),
        ("BackOff", "Back-off pulling image \"flask-app:broken\""),
        ("Failed", "Error: ImagePullBackOff"),
    ] {
        assert!(event(&cluster, "web", reason, prefix).is_some(), "{prefix}");
    }
}

#[test]
fn a_crashing_app_restarts_with_the_container_back_off() {
    let mut cluster = Cluster::new(5);
    let spec = json!([{"name": "app", "image": "flask-app:crash"}]);
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("crash", spec))
        .is_ok());
    // For each restart: the gap between the exit (lastState finishedAt) and the new start.
    let mut gaps: Vec<Millis> = Vec::new();
    let mut restarts = 0;
    let mut messages: Vec<String> = Vec::new();
    step_until(&mut cluster, 40 * 60 * 1000, |c| {
        let status = container(c, "crash");
        let state = status.state.clone().unwrap_or_default();
        if let Some(w) = state.waiting.as_ref() {
            let message = w.message.clone().unwrap_or_default();
            if !message.is_empty() && messages.last() != Some(&message) {
                messages.push(message);
            }
        }
        if status.restart_count > restarts {
            restarts = status.restart_count;
            let finished = status
                .last_state
                .as_ref()
                .and_then(|s| s.terminated.as_ref())
                .and_then(|t| t.finished_at.as_ref())
                .map_or(0, millis_of);
            let started = state
                .running
                .as_ref()
                .and_then(|r| r.started_at.as_ref())
                .map_or(0, millis_of);
            gaps.push((started - finished) / 1000);
        }
    });
    // Relist after 1 s; the first restart is immediate, then 10 s doubling to 5 minutes.
    assert_eq!(
        gaps.iter().take(9).copied().collect::<Vec<_>>(),
        [1, 11, 21, 41, 81, 161, 301, 301, 301]
    );
    let pod = get_pod(&cluster, "crash");
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let expected: Vec<String> = ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s"]
        .iter()
        .map(|w| format!("back-off {w} restarting failed container=app pod=crash_default({uid})"))
        .collect();
    assert_eq!(&messages[..6], &expected[..]);
    let last = container(&cluster, "crash")
        .last_state
        .and_then(|s| s.terminated)
        .unwrap_or_default();
    assert_eq!((last.exit_code, last.reason.as_deref()), (1, Some("Error")));
    assert_eq!(pod::phase(&pod), "Running");
    assert!(event(
        &cluster,
        "crash",
        "BackOff",
        "Back-off restarting failed container app in pod crash_default("
    )
    .is_some());
}

fn probed(image: &str, port: i32, kind: &str, extra: Value) -> Value {
    let mut probe = json!({"httpGet": {"path": "/", "port": port}, "periodSeconds": 5});
    if let (Some(p), Some(e)) = (probe.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    json!([{"name": "web", "image": image, kind: probe}])
}

#[test]
fn readiness_follows_the_probe_and_a_wrong_port_keeps_the_pod_not_ready() {
    let mut cluster = Cluster::new(7);
    let good = probed("nginx:1.27", 80, "readinessProbe", json!({}));
    let bad = probed("nginx:1.27", 8080, "readinessProbe", json!({}));
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("good", good))
        .is_ok());
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("bad", bad))
        .is_ok());
    cluster.advance(60_000);
    let good = get_pod(&cluster, "good");
    assert!(pod::is_ready(&good));
    let bad = get_pod(&cluster, "bad");
    assert_eq!(pod::phase(&bad), "Running");
    assert!(!pod::is_ready(&bad));
    let ip = bad.status.and_then(|s| s.pod_ip).unwrap_or_default();
    let (count, message) = event(&cluster, "bad", "Unhealthy", "").unwrap_or_default();
    assert_eq!(
        message,
        format!(
            "Readiness probe failed: Get \"http://{ip}:8080/\": dial tcp {ip}:8080: connect: connection refused"
        )
    );
    assert!(count >= 10, "one event per failed probe every 5 s: {count}");
    let warning = cluster
        .store()
        .list::<Event>(Some("default"))
        .any(|e| e.reason.as_deref() == Some("Unhealthy") && e.type_.as_deref() == Some("Warning"));
    assert!(warning);
    // The API defaults the probe (SetDefaults_Probe, SetDefaults_HTTPGetAction).
    let probe = get_pod(&cluster, "good")
        .spec
        .and_then(|s| s.containers.into_iter().next())
        .and_then(|c| c.readiness_probe)
        .unwrap_or_default();
    assert_eq!(
        (
            probe.timeout_seconds,
            probe.success_threshold,
            probe.failure_threshold,
            probe.initial_delay_seconds,
            probe.http_get.and_then(|g| g.scheme)
        ),
        (Some(1), Some(1), Some(3), None, Some("HTTP".to_string()))
    );
}

#[test]
fn a_failing_liveness_probe_restarts_the_container() {
    let mut cluster = Cluster::new(9);
    let spec = probed(
        "flask-app:1.0",
        8080,
        "livenessProbe",
        json!({"initialDelaySeconds": 3, "failureThreshold": 2}),
    );
    assert!(cluster
        .create_json(Kind::Pod, pod_manifest("live", spec))
        .is_ok());
    cluster.advance(40_000);
    let killing = event(&cluster, "live", "Killing", "Container web").map(|e| e.1);
    assert_eq!(
        killing.as_deref(),
        Some("Container web failed liveness probe, will be restarted")
    );
    let status = container(&cluster, "live");
    assert!(status.restart_count >= 1);
    // Python has no SIGTERM handler: exit code 143.
    let last = status
        .last_state
        .and_then(|s| s.terminated)
        .unwrap_or_default();
    assert_eq!(
        (last.exit_code, last.reason.as_deref()),
        (143, Some("Error"))
    );
}

#[test]
fn a_rollout_to_a_broken_image_gets_stuck_with_the_old_pods_kept() {
    let mut cluster = Cluster::new(11);
    let manifest = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 3,
            "progressDeadlineSeconds": 60,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "flask-app:1.0"}]}
            }
        }
    });
    assert!(cluster
        .create_json(Kind::Deployment, manifest.clone())
        .is_ok());
    cluster.advance(30_000);
    let mut update = manifest;
    update["spec"]["template"]["spec"]["containers"][0]["image"] = json!("flask-app:broken");
    let live = cluster
        .store()
        .get::<Deployment>("default", "web")
        .cloned()
        .unwrap_or_default();
    update["metadata"]["resourceVersion"] = json!(live.metadata.resource_version);
    let object = kplay_core::api::decode_strict(Kind::Deployment, update);
    assert!(object.is_ok());
    if let Ok(object) = object {
        assert!(cluster.update(object).is_ok());
    }
    cluster.advance(5 * 60 * 1000);
    let pods: Vec<Pod> = cluster
        .store()
        .list::<Pod>(Some("default"))
        .cloned()
        .collect();
    let image = |p: &Pod| {
        p.spec
            .as_ref()
            .and_then(|s| s.containers.first()?.image.clone())
            .unwrap_or_default()
    };
    // 25% of 3: surge 1 (rounded up), unavailable 0 (rounded down): one new pod, old kept.
    let old = pods.iter().filter(|p| image(p) == "flask-app:1.0").count();
    let new: Vec<&Pod> = pods
        .iter()
        .filter(|p| image(p) == "flask-app:broken")
        .collect();
    assert_eq!((old, new.len()), (3, 1));
    assert!(pods
        .iter()
        .filter(|p| image(p) == "flask-app:1.0")
        .all(pod::is_ready));
    let reason = new
        .first()
        .and_then(|p| {
            p.status
                .as_ref()?
                .container_statuses
                .as_ref()?
                .first()
                .cloned()
        })
        .as_ref()
        .and_then(waiting_reason);
    assert!(matches!(
        reason.as_deref(),
        Some("ImagePullBackOff") | Some("ErrImagePull")
    ));
    let status = cluster
        .store()
        .get::<Deployment>("default", "web")
        .and_then(|d| d.status.clone())
        .unwrap_or_default();
    let progressing = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Progressing")
        .map(|c| (c.status.clone(), c.reason.clone()));
    assert_eq!(
        progressing,
        Some((
            "False".to_string(),
            Some("ProgressDeadlineExceeded".to_string())
        ))
    );
    assert_eq!(status.available_replicas, Some(3));
}
