//! The kubelet model: how a pod's status moves through time on its node.
//!
//! A bound pod goes through the steps a real kubelet reports (`pkg/kubelet/status`,
//! `generateAPIPodStatus`): admitted (phase Pending, containers waiting in ContainerCreating),
//! sandbox up (pod IP), image pulled and containers started (phase Running, not ready), app
//! ready (Ready). Each step after admission is a timer whose delay comes from the image
//! catalogue ([`crate::images`]), drawn from the cluster's seeded generator when the previous
//! step happens. Deletion is graceful: the pod shows a deletionTimestamp (kubectl prints
//! Terminating) until its app exits or the grace period ends.

use crate::api::ApiObject;
use crate::cluster::Timer;
use crate::images::{self, SigtermBehaviour};
use crate::time::{timestamp, Millis, SECOND};
use crate::types::{
    ContainerState, ContainerStateRunning, ContainerStateWaiting, ContainerStatus, HostIP, Node,
    Pod, PodCondition, PodIP, PodStatus,
};
use crate::{pod, Cluster, ObjectKey};
use rand_core::Rng;

/// A step in a pod's life that happens at a scheduled instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodStep {
    /// The pod sandbox is up: the pod gets its IP and the first image pull begins.
    SandboxReady,
    /// The image of container `index` is pulled (it took `pull_ms`); the container is created
    /// and started, and the next container's pull begins. Once the last one runs, the pod is
    /// Running (not ready yet).
    ContainerStarted {
        /// The container's position in `spec.containers`.
        index: u32,
        /// How long its pull took, for the `Pulled` event.
        pull_ms: Millis,
    },
    /// The apps serve: containers and pod become Ready.
    ContainersReady,
    /// The grace period is over, or the app exited: the pod goes away.
    Terminated,
}

/// The component name on the kubelet's events.
const COMPONENT: &str = "kubelet";

/// How long creating the pod sandbox (network namespace, pause container) takes, in ms.
const SANDBOX_MS: (Millis, Millis) = (200, 600);

/// The grace period when the spec has none (`DefaultTerminationGracePeriodSeconds`).
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// Admits every pod bound to an existing node that the kubelet has not seen yet: writes its
/// first status and schedules its sandbox. A pod bound to a node that does not exist has no
/// kubelet and stays Pending, as in a real cluster. Returns whether anything changed.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let store = cluster.store();
    let new: Vec<Pod> = store
        .list::<Pod>(None)
        .filter(|p| p.status.as_ref().is_none_or(|s| s.start_time.is_none()))
        .filter(|p| !pod::is_terminating(p))
        .filter(|p| pod::node_name(p).is_some_and(|n| store.get::<Node>("", n).is_some()))
        .cloned()
        .collect();
    let changed = !new.is_empty();
    for pod in new {
        admit(cluster, pod);
    }
    changed
}

fn container_names(pod: &Pod) -> Vec<String> {
    pod.spec
        .iter()
        .flat_map(|s| s.containers.iter().map(|c| c.name.clone()))
        .collect()
}

fn images_of(pod: &Pod) -> Vec<String> {
    pod.spec
        .iter()
        .flat_map(|s| {
            s.containers
                .iter()
                .map(|c| c.image.clone().unwrap_or_default())
        })
        .collect()
}

/// The first status the kubelet posts for a pod it starts (`generateAPIPodStatus`): phase
/// Pending, hostIP and startTime, containers waiting in ContainerCreating, and the five
/// conditions in the order the kubelet writes them.
fn admit(cluster: &mut Cluster, mut pod: Pod) {
    let now = cluster.now();
    let host_ip = pod::node_name(&pod)
        .and_then(|n| cluster.store().get::<Node>("", n))
        .and_then(internal_ip);
    let names = container_names(&pod);
    let images = images_of(&pod);
    crate::scheduler::prepare_status(&mut pod);
    let status = pod.status.get_or_insert_with(PodStatus::default);
    let scheduled = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "PodScheduled");
    if !scheduled {
        // generateAPIPodStatus always reports PodScheduled, also for pods bound by the user.
        set_condition(status, "PodScheduled", "True", None, now);
    }
    status.host_ip = host_ip.clone();
    status.host_ips = host_ip.map(|ip| {
        vec![HostIP {
            ip,
            ..Default::default()
        }]
    });
    status.start_time = Some(timestamp(now));
    let unready = not_ready_message(&names);
    set_condition(status, "PodReadyToStartContainers", "False", None, now);
    set_condition(status, "Initialized", "True", None, now);
    set_condition(status, "Ready", "False", Some(&unready), now);
    set_condition(status, "ContainersReady", "False", Some(&unready), now);
    order_conditions(status);
    status.container_statuses = Some(
        names
            .iter()
            .zip(&images)
            .map(|(name, image)| ContainerStatus {
                name: name.clone(),
                image: image.clone(),
                image_id: String::new(),
                last_state: Some(ContainerState::default()),
                ready: false,
                restart_count: 0,
                started: Some(false),
                state: Some(ContainerState {
                    waiting: Some(ContainerStateWaiting {
                        reason: Some("ContainerCreating".into()),
                        message: None,
                        ..Default::default()
                    }),
                    ..ContainerState::default()
                }),
                ..ContainerStatus::default()
            })
            .collect(),
    );
    let delay = images::draw(SANDBOX_MS, cluster.rng());
    schedule_step(cluster, &pod, delay, PodStep::SandboxReady);
    cluster.write(pod);
}

fn internal_ip(node: &Node) -> Option<String> {
    node.status
        .as_ref()?
        .addresses
        .as_ref()?
        .iter()
        .find(|a| a.type_ == "InternalIP")
        .map(|a| a.address.clone())
}

/// `containers with unready status: [a b]`, as the kubelet's `GeneratePodReadyCondition` says.
fn not_ready_message(names: &[String]) -> (String, String) {
    (
        "ContainersNotReady".to_string(),
        format!("containers with unready status: [{}]", names.join(" ")),
    )
}

/// Sets a pod condition; its lastTransitionTime moves only when the status changes, as the
/// kubelet's status manager does. `reason` is `(reason, message)`.
pub(crate) fn set_condition(
    status: &mut PodStatus,
    type_: &str,
    value: &str,
    reason: Option<&(String, String)>,
    now: Millis,
) {
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    let existing = conditions.iter_mut().find(|c| c.type_ == type_);
    let transition = match &existing {
        Some(c) if c.status == value => c.last_transition_time,
        _ => Some(timestamp(now)),
    };
    let condition = PodCondition {
        type_: type_.to_string(),
        status: value.to_string(),
        last_transition_time: transition,
        last_probe_time: None,
        reason: reason.map(|(r, _)| r.clone()),
        message: reason.map(|(_, m)| m.clone()),
        observed_generation: None,
        ..Default::default()
    };
    match existing {
        Some(c) => *c = condition,
        None => conditions.push(condition),
    }
}

/// The kubelet lists conditions in this order (`-o yaml` of a real pod).
fn order_conditions(status: &mut PodStatus) {
    const ORDER: [&str; 5] = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    if let Some(conditions) = status.conditions.as_mut() {
        let rank = |c: &PodCondition| ORDER.iter().position(|t| *t == c.type_);
        crate::sort::sort_by(conditions, |a, b| rank(a).cmp(&rank(b)));
    }
}

/// Schedules `step` of `pod` `after` ms from now. The sum saturates: a grace period is a
/// user-chosen int64 of seconds, and one near its maximum must end at the end of time rather
/// than overflow the clock.
fn schedule_step(cluster: &mut Cluster, pod: &Pod, after: Millis, step: PodStep) {
    let at = cluster.now().saturating_add(after);
    let key = pod.clone().into_object().key();
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    cluster.schedule(at, Timer::Pod { key, uid, step });
}

/// Carries out a scheduled step. Steps of the start-up do nothing once the pod is terminating.
pub(crate) fn step(cluster: &mut Cluster, pod: Pod, step: PodStep) {
    if step == PodStep::Terminated {
        let key = pod.into_object().key();
        cluster.remove(&key);
        return;
    }
    if pod::is_terminating(&pod) {
        return;
    }
    match step {
        PodStep::SandboxReady => sandbox_ready(cluster, pod),
        PodStep::ContainerStarted { index, pull_ms } => {
            container_started(cluster, pod, index, pull_ms)
        }
        PodStep::ContainersReady => containers_ready(cluster, pod),
        PodStep::Terminated => {}
    }
}

/// The sandbox is up: the pod gets the lowest free address of its node's podCIDR (kind's
/// host-local IPAM hands out `10.244.N.2` upwards; reusing the lowest free one keeps the model
/// stateless), and pulling starts.
fn sandbox_ready(cluster: &mut Cluster, mut pod: Pod) {
    let now = cluster.now();
    let ip = pod::node_name(&pod).and_then(|n| free_pod_ip(cluster, n));
    let status = pod.status.get_or_insert_with(PodStatus::default);
    status.pod_ip = ip.clone();
    status.pod_ips = ip.map(|ip| {
        vec![PodIP {
            ip,
            ..Default::default()
        }]
    });
    set_condition(status, "PodReadyToStartContainers", "True", None, now);
    if let Some(pod) = cluster.write(pod) {
        start_pull(cluster, &pod, 0);
    }
}

/// Begins pulling the image of container `index`. The kubelet starts containers in order and
/// pulls one image at a time by default (`serializeImagePulls: true`), so each container's
/// pull begins when the previous container has started.
fn start_pull(cluster: &mut Cluster, pod: &Pod, index: u32) {
    let images = images_of(pod);
    let Some(image) = usize::try_from(index).ok().and_then(|i| images.get(i)) else {
        return;
    };
    let pull_ms = images::draw(images::profile(image).pull_ms, cluster.rng());
    let message = format!("Pulling image {image:?}");
    record(cluster, pod, "Pulling", message);
    schedule_step(
        cluster,
        pod,
        pull_ms,
        PodStep::ContainerStarted { index, pull_ms },
    );
}

fn record(cluster: &mut Cluster, pod: &Pod, reason: &str, message: String) {
    let object = pod.clone().into_object();
    cluster.record_event(&object, "Normal", reason, message, COMPONENT);
}

/// A duration as Go's `time.Duration.String` prints one truncated to milliseconds, e.g.
/// `0s`, `850ms`, `2.3s`, `1m2.005s`.
fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < SECOND {
        return format!("{ms}ms");
    }
    let minutes = ms / 60_000;
    let seconds = (ms % 60_000) / SECOND;
    let fraction = format!("{:03}", ms % SECOND);
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if minutes > 0 {
        out.push_str(&format!("{minutes}m"));
    }
    out.push_str(&seconds.to_string());
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out.push('s');
    out
}

fn free_pod_ip(cluster: &Cluster, node: &str) -> Option<String> {
    let cidr = cluster
        .store()
        .get::<Node>("", node)?
        .spec
        .as_ref()?
        .pod_cidr
        .clone()?;
    let network = cidr.split('/').next()?;
    let prefix = network.rsplit_once('.')?.0;
    let used: Vec<&str> = cluster
        .store()
        .list::<Pod>(None)
        .filter(|p| pod::node_name(p) == Some(node))
        .filter_map(|p| p.status.as_ref()?.pod_ip.as_deref())
        .collect();
    (2..=254)
        .map(|host| format!("{prefix}.{host}"))
        .find(|ip| !used.contains(&ip.as_str()))
}

/// Container `index` is pulled, created and started (`started: true`, not ready until the app
/// answers), with the kubelet's `Pulled`, `Created` and `Started` events. When every container
/// runs, the pod phase is Running and the apps' start-up begins.
fn container_started(cluster: &mut Cluster, mut pod: Pod, index: u32, pull_ms: Millis) {
    let now = cluster.now();
    let images = images_of(&pod);
    let names = container_names(&pod);
    let position = usize::try_from(index).unwrap_or(usize::MAX);
    let (Some(image), Some(name)) = (images.get(position), names.get(position)) else {
        return;
    };
    let size = images::profile(image).size_bytes;
    let took = go_duration(pull_ms);
    let pulled = format!(
        "Successfully pulled image {image:?} in {took} ({took} including waiting). \
         Image size: {size} bytes."
    );
    record(cluster, &pod, "Pulled", pulled);
    record(
        cluster,
        &pod,
        "Created",
        format!("Created container: {name}"),
    );
    record(
        cluster,
        &pod,
        "Started",
        format!("Started container {name}"),
    );
    let id = container_id(cluster);
    let status = pod.status.get_or_insert_with(PodStatus::default);
    if let Some(container) = status
        .container_statuses
        .iter_mut()
        .flatten()
        .find(|c| &c.name == name)
    {
        container.container_id = Some(id);
        container.started = Some(true);
        container.state = Some(ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(timestamp(now)),
                ..Default::default()
            }),
            ..ContainerState::default()
        });
    }
    if position + 1 < images.len() {
        if let Some(pod) = cluster.write(pod) {
            start_pull(cluster, &pod, index + 1);
        }
        return;
    }
    // getPhase: every container has started, so the pod is Running.
    status.phase = Some("Running".into());
    let mut startup: Millis = 0;
    for image in &images {
        startup = startup.max(images::draw(
            images::profile(image).startup_ms,
            cluster.rng(),
        ));
    }
    schedule_step(cluster, &pod, startup, PodStep::ContainersReady);
    cluster.write(pod);
}

/// A containerd container id: `containerd://` and 64 hex digits.
fn container_id(cluster: &mut Cluster) -> String {
    let mut bytes = [0u8; 32];
    cluster.rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("containerd://{hex}")
}

fn containers_ready(cluster: &mut Cluster, mut pod: Pod) {
    let now = cluster.now();
    let status = pod.status.get_or_insert_with(PodStatus::default);
    for container in status.container_statuses.iter_mut().flatten() {
        container.ready = true;
    }
    set_condition(status, "ContainersReady", "True", None, now);
    set_condition(status, "Ready", "True", None, now);
    cluster.write(pod);
}

/// Starts the graceful deletion of a pod, as `DELETE` on a pod does (the pod strategy's
/// `CheckGracefulDelete`): a pod that never reached a node, or has finished, or has a grace
/// period of 0, is removed at once; otherwise it gets `deletionTimestamp = now + grace` and
/// `deletionGracePeriodSeconds`, turns not-ready at once (its endpoints go away), and is removed
/// when its app exits after SIGTERM, or at the end of the grace period for apps that ignore
/// the signal. Returns the pod as it is now (already gone from the store if removed at once).
pub(crate) fn begin_termination(cluster: &mut Cluster, pod: Pod) -> Pod {
    begin_termination_with_grace(cluster, pod, None)
}

/// [`begin_termination`] with the `DeleteOptions.gracePeriodSeconds` of the request, which
/// replaces the pod's `terminationGracePeriodSeconds` (pod strategy `CheckGracefulDelete`),
/// as `kubectl delete --grace-period=N` and `--now` send it.
pub(crate) fn begin_termination_with_grace(
    cluster: &mut Cluster,
    mut pod: Pod,
    grace_override: Option<i64>,
) -> Pod {
    if pod::is_terminating(&pod) {
        return pod;
    }
    let key: ObjectKey = pod.clone().into_object().key();
    let grace = grace_override
        .or_else(|| {
            pod.spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
        })
        .unwrap_or(DEFAULT_GRACE_SECONDS)
        .max(0);
    let finished = matches!(pod::phase(&pod), "Succeeded" | "Failed");
    if pod::node_name(&pod).is_none() || finished || grace == 0 {
        cluster.remove(&key);
        return pod;
    }
    let now = cluster.now();
    let grace_ms = Millis::try_from(grace).unwrap_or(0).saturating_mul(SECOND);
    pod.metadata.deletion_timestamp = Some(timestamp(now.saturating_add(grace_ms)));
    pod.metadata.deletion_grace_period_seconds = Some(grace);
    // The containers keep running, and the pod keeps its Ready condition, until the app exits
    // (as `kubectl get pods` shows `1/1 Terminating`); endpoints drop it for its
    // deletionTimestamp, not for readiness.
    let names = container_names(&pod);
    for name in &names {
        record(
            cluster,
            &pod,
            "Killing",
            format!("Stopping container {name}"),
        );
    }
    let mut exit_after: Millis = 0;
    for image in images_of(&pod) {
        let exit = match images::profile(&image).on_sigterm {
            SigtermBehaviour::ExitsWithin(lo, hi) => images::draw((lo, hi), cluster.rng()),
            SigtermBehaviour::Ignores => grace_ms,
        };
        exit_after = exit_after.max(exit.min(grace_ms));
    }
    schedule_step(cluster, &pod, exit_after, PodStep::Terminated);
    cluster.write(pod.clone()).unwrap_or(pod)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        let table = [
            (0, "0s"),
            (850, "850ms"),
            (1_000, "1s"),
            (2_300, "2.3s"),
            (2_345, "2.345s"),
            (62_005, "1m2.005s"),
        ];
        for (ms, expected) in table {
            assert_eq!(go_duration(ms), expected);
        }
    }
}
