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
use crate::{pod, Cluster, ObjectKey};
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateWaiting, ContainerStatus, HostIP, Node,
    Pod, PodCondition, PodIP, PodStatus,
};
use rand_core::Rng;

/// A step in a pod's life that happens at a scheduled instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodStep {
    /// The pod sandbox is up: the pod gets its IP and the image pull begins.
    SandboxReady,
    /// The images are pulled and the containers started (phase Running, not ready yet).
    ContainersStarted,
    /// The apps serve: containers and pod become Ready.
    ContainersReady,
    /// The grace period is over, or the app exited: the pod goes away.
    Terminated,
}

/// How long creating the pod sandbox (network namespace, pause container) takes, in ms.
const SANDBOX_MS: (Millis, Millis) = (200, 600);

/// The grace period when the spec has none (`DefaultTerminationGracePeriodSeconds`).
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// Admits every pod bound to a node that the kubelet has not seen yet: writes its first status
/// and schedules its sandbox. Returns whether anything changed.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let new: Vec<Pod> = cluster
        .store()
        .list::<Pod>(None)
        .filter(|p| node_name(p).is_some() && !pod::is_terminating(p))
        .filter(|p| p.status.as_ref().is_none_or(|s| s.start_time.is_none()))
        .cloned()
        .collect();
    let changed = !new.is_empty();
    for pod in new {
        admit(cluster, pod);
    }
    changed
}

fn node_name(pod: &Pod) -> Option<&str> {
    pod.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .filter(|n| !n.is_empty())
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
    let host_ip = node_name(&pod)
        .and_then(|n| cluster.store().get::<Node>("", n))
        .and_then(internal_ip);
    let names = container_names(&pod);
    let images = images_of(&pod);
    let status = pod.status.get_or_insert_with(PodStatus::default);
    status.phase = Some("Pending".into());
    status.host_ip = host_ip.clone();
    status.host_ips = host_ip.map(|ip| vec![HostIP { ip }]);
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
                    }),
                    ..ContainerState::default()
                }),
                ..ContainerStatus::default()
            })
            .collect(),
    );
    let delay = images::draw(SANDBOX_MS, cluster.rng());
    schedule_step(cluster, &pod, now + delay, PodStep::SandboxReady);
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
        Some(c) if c.status == value => c.last_transition_time.clone(),
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
        conditions.sort_by_key(|c| ORDER.iter().position(|t| *t == c.type_));
    }
}

fn schedule_step(cluster: &mut Cluster, pod: &Pod, at: Millis, step: PodStep) {
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
        PodStep::ContainersStarted => containers_started(cluster, pod),
        PodStep::ContainersReady => containers_ready(cluster, pod),
        PodStep::Terminated => {}
    }
}

/// The sandbox is up: the pod gets the lowest free address of its node's podCIDR (kind's
/// host-local IPAM hands out `10.244.N.2` upwards; reusing the lowest free one keeps the model
/// stateless), and pulling starts. The kubelet pulls images one at a time by default
/// (`serializeImagePulls: true`), so the pull times add up.
fn sandbox_ready(cluster: &mut Cluster, mut pod: Pod) {
    let now = cluster.now();
    let ip = node_name(&pod).and_then(|n| free_pod_ip(cluster, n));
    let status = pod.status.get_or_insert_with(PodStatus::default);
    status.pod_ip = ip.clone();
    status.pod_ips = ip.map(|ip| vec![PodIP { ip }]);
    set_condition(status, "PodReadyToStartContainers", "True", None, now);
    let mut pull = 0;
    for image in images_of(&pod) {
        pull += images::draw(images::profile(&image).pull_ms, cluster.rng());
    }
    schedule_step(cluster, &pod, now + pull, PodStep::ContainersStarted);
    cluster.write(pod);
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
        .filter(|p| node_name(p) == Some(node))
        .filter_map(|p| p.status.as_ref()?.pod_ip.as_deref())
        .collect();
    (2..=254)
        .map(|host| format!("{prefix}.{host}"))
        .find(|ip| !used.contains(&ip.as_str()))
}

/// Images pulled, containers running (`started: true`) but not ready until the app answers.
fn containers_started(cluster: &mut Cluster, mut pod: Pod) {
    let now = cluster.now();
    let mut startup: Millis = 0;
    for image in images_of(&pod) {
        startup = startup.max(images::draw(
            images::profile(&image).startup_ms,
            cluster.rng(),
        ));
    }
    let mut ids = Vec::new();
    for _ in container_names(&pod) {
        ids.push(container_id(cluster));
    }
    let status = pod.status.get_or_insert_with(PodStatus::default);
    status.phase = Some("Running".into());
    for (container, id) in status.container_statuses.iter_mut().flatten().zip(ids) {
        container.container_id = Some(id);
        container.started = Some(true);
        container.state = Some(ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(timestamp(now)),
            }),
            ..ContainerState::default()
        });
    }
    schedule_step(cluster, &pod, now + startup, PodStep::ContainersReady);
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
pub(crate) fn begin_termination(cluster: &mut Cluster, mut pod: Pod) -> Pod {
    if pod::is_terminating(&pod) {
        return pod;
    }
    let key: ObjectKey = pod.clone().into_object().key();
    let grace = pod
        .spec
        .as_ref()
        .and_then(|s| s.termination_grace_period_seconds)
        .unwrap_or(DEFAULT_GRACE_SECONDS)
        .max(0);
    let finished = matches!(pod::phase(&pod), "Succeeded" | "Failed");
    if node_name(&pod).is_none() || finished || grace == 0 {
        cluster.remove(&key);
        return pod;
    }
    let now = cluster.now();
    let grace_ms = Millis::try_from(grace).unwrap_or(0).saturating_mul(SECOND);
    pod.metadata.deletion_timestamp = Some(timestamp(now.saturating_add(grace_ms)));
    pod.metadata.deletion_grace_period_seconds = Some(grace);
    let names = container_names(&pod);
    let status = pod.status.get_or_insert_with(PodStatus::default);
    for container in status.container_statuses.iter_mut().flatten() {
        container.ready = false;
    }
    let unready = not_ready_message(&names);
    set_condition(status, "ContainersReady", "False", Some(&unready), now);
    set_condition(status, "Ready", "False", Some(&unready), now);
    let mut exit_after: Millis = 0;
    for image in images_of(&pod) {
        let exit = match images::profile(&image).on_sigterm {
            SigtermBehaviour::ExitsWithin(lo, hi) => images::draw((lo, hi), cluster.rng()),
            SigtermBehaviour::Ignores => grace_ms,
        };
        exit_after = exit_after.max(exit.min(grace_ms));
    }
    schedule_step(cluster, &pod, now + exit_after, PodStep::Terminated);
    cluster.write(pod.clone()).unwrap_or(pod)
}
