//! The kubelet model: how a pod's status moves through time on its node.
//!
//! A bound pod goes through the steps a real kubelet reports (`pkg/kubelet/status`,
//! `generateAPIPodStatus`): admitted (phase Pending, containers waiting in ContainerCreating),
//! sandbox up (pod IP), each container's image pulled and the container started, its app up
//! (ready, or probed by its readinessProbe, see [`crate::prober`]). Each step after admission
//! is a timer whose delay comes from the image catalogue ([`crate::images`]), drawn from the
//! cluster's seeded generator when the previous step happens. Deletion is graceful: the pod
//! shows a deletionTimestamp (kubectl prints Terminating) until its app exits or the grace
//! period ends.
//!
//! Failures follow `pkg/kubelet/images/image_manager.go` and `pkg/kubelet/kuberuntime`: a pull
//! that fails gives ErrImagePull, and the pod worker's syncs (every 10 s after an error,
//! `backOffPeriod`) report ImagePullBackOff until the image back-off ([`crate::backoff`])
//! lets the next pull start. A container that exits is noticed by the next relist (1 s,
//! PLEG's period) and restarted, at once the first time, then after the container back-off
//! (CrashLoopBackOff) at the first sync past it. The real kubelet's syncs come with jitter;
//! here they are exact, so restart times are `exit + 1 s + back-off`.

use crate::api::{ApiObject, Kind};
use crate::backoff::Backoff;
use crate::cluster::Timer;
use crate::images::{self, Exit, SigtermBehaviour};
use crate::prober::{self, Outcome, ProbeKind};
use crate::quote::go_quote;
use crate::store::Store;
use crate::time::{millis_of, timestamp, Millis, SECOND};
use crate::types::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, HostIP, Node, Pod, PodCondition, PodIP, PodStatus,
};
use crate::vecmap::VecMap;
use crate::{pod, Cluster, ObjectKey};
use rand_core::Rng;

/// A step in a pod's life that happens at a scheduled instant. Container steps name the
/// container by position and, where an instance matters, by its restart count, so that a
/// step meant for an instance that is gone does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodStep {
    /// The pod sandbox is up: the pod gets its IP and the first image pull begins.
    SandboxReady,
    /// The pull of container `index`'s image ends (it took `pull_ms`): the container is
    /// created and started, or the pull failed. `chain` starts the next container's pull
    /// (the first attempt of the initial start-up, pulls being serialized).
    PullDone {
        /// The container's position in `spec.containers`.
        index: u32,
        /// How long the pull took, for the `Pulled` event.
        pull_ms: Millis,
        /// Whether the next container's pull follows.
        chain: bool,
    },
    /// The app of container `index` (instance `restart`) accepts connections.
    AppUp {
        /// The container's position.
        index: u32,
        /// The instance (its restart count).
        restart: i32,
    },
    /// The main process of container `index` (instance `restart`) exits with `code`.
    Exited {
        /// The container's position.
        index: u32,
        /// The instance (its restart count).
        restart: i32,
        /// The exit code.
        code: i32,
    },
    /// A pod worker sync for container `index` after a failure: back off, or pull or
    /// restart again.
    Sync {
        /// The container's position.
        index: u32,
    },
    /// A probe worker's tick for container `index`.
    Probe {
        /// The container's position.
        index: u32,
        /// Which probe.
        kind: ProbeKind,
    },
    /// The grace period is over, or the app exited: the pod goes away.
    Terminated,
}

/// What the kubelet keeps in memory, outside the API objects: its back-off windows, its
/// probe workers and which apps are up.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    /// Image pull back-off, keyed `podUID_image` as image_manager.go keys it.
    image_backoff: Backoff,
    /// Container restart back-off, keyed `podUID_container`.
    crash_backoff: Backoff,
    /// Probe workers by (pod uid, container, kind).
    probes: VecMap<(String, String, ProbeKind), prober::Worker>,
    /// Containers whose app accepts connections, and since when, by pod uid and container
    /// name (nested, so that a lookup by `&str` allocates nothing: it runs per connection).
    up: VecMap<String, VecMap<String, Millis>>,
}

impl Memory {
    /// Forgets everything about the pod with `uid` (it is gone).
    fn forget(&mut self, uid: &str) {
        let prefix = format!("{uid}_");
        self.image_backoff.forget_prefix(&prefix);
        self.crash_backoff.forget_prefix(&prefix);
        self.probes.retain(|(u, _, _), _| u != uid);
        self.up.remove(uid);
    }

    /// Since when the app of container `name` of the pod with `uid` accepts connections
    /// (`None` while it starts, or after it stopped), for the access log `kubectl logs` shows
    /// and for [`crate::listen::accepts`].
    pub fn app_up_since(&self, uid: &str, name: &str) -> Option<Millis> {
        self.up.get(uid)?.get(name).copied()
    }

    fn set_up(&mut self, uid: &str, name: &str, since: Millis) {
        let apps = self.up.entry_or_default(uid.to_string());
        apps.insert(name.to_string(), since);
    }

    fn set_down(&mut self, uid: &str, name: &str) {
        if let Some(apps) = self.up.get_mut(uid) {
            apps.remove(name);
        }
    }
}

/// The component name on the kubelet's events.
const COMPONENT: &str = "kubelet";

/// How long creating the pod sandbox (network namespace, pause container) takes, in ms.
const SANDBOX_MS: (Millis, Millis) = (200, 600);

/// The grace period when the spec has none (`DefaultTerminationGracePeriodSeconds`).
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// How soon the kubelet notices that a container exited: PLEG's relist period, 1 s.
const RELIST_MS: Millis = SECOND;

/// How soon a pod worker syncs again after a sync that failed (`backOffPeriod`, 10 s).
const SYNC_RETRY_MS: Millis = 10 * SECOND;

/// Admits every pod bound to an existing node that the kubelet has not seen yet: writes its
/// first status and schedules its sandbox. A pod bound to a node that does not exist has no
/// kubelet and stays Pending, as in a real cluster. Returns whether anything changed.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let cursor = cluster.progress().admitted_until;
    cluster.progress_mut().admitted_until = cluster.store().feed().head();
    let store = cluster.store();
    let new: Vec<Pod> = changed_pods(store, cursor)
        .into_iter()
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

/// The pods that may be new to their kubelet since feed position `cursor`, in key order: those
/// that changed, or every pod after a gap in the feed or a change to a node (a pod may be
/// bound to a node that did not exist yet). Any other pod was admitted by an earlier pass or
/// still cannot be.
fn changed_pods(store: &Store, cursor: u64) -> Vec<&Pod> {
    let (events, missed) = store.feed().since(cursor);
    let mut keys = Vec::new();
    for event in events {
        match event.key.kind {
            Kind::Node => return store.list::<Pod>(None).collect(),
            Kind::Pod => keys.push(&event.key),
            _ => {}
        }
    }
    if missed {
        return store.list::<Pod>(None).collect();
    }
    store.pods_at(keys)
}

fn containers(pod: &Pod) -> &[Container] {
    pod.spec.as_ref().map_or(&[], |s| s.containers.as_slice())
}

fn container_names(pod: &Pod) -> Vec<String> {
    containers(pod).iter().map(|c| c.name.clone()).collect()
}

fn images_of(pod: &Pod) -> Vec<String> {
    containers(pod)
        .iter()
        .map(|c| c.image.clone().unwrap_or_default())
        .collect()
}

fn container_at(pod: &Pod, index: u32) -> Option<&Container> {
    usize::try_from(index)
        .ok()
        .and_then(|i| containers(pod).get(i))
}

fn uid_of(pod: &Pod) -> String {
    pod.metadata.uid.clone().unwrap_or_default()
}

/// `format.Pod`: `name_namespace(uid)`, as the kubelet names a pod in its messages.
fn format_pod(pod: &Pod) -> String {
    format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or(""),
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        uid_of(pod)
    )
}

fn status_mut<'a>(pod: &'a mut Pod, name: &str) -> Option<&'a mut ContainerStatus> {
    pod.status
        .as_mut()?
        .container_statuses
        .as_mut()?
        .iter_mut()
        .find(|c| c.name == name)
}

fn status_of<'a>(pod: &'a Pod, name: &str) -> Option<&'a ContainerStatus> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .iter()
        .find(|c| c.name == name)
}

/// A container state holding only a termination (a restarted container's `lastState`).
fn terminated_state(terminated: ContainerStateTerminated) -> ContainerState {
    ContainerState {
        terminated: Some(terminated),
        ..ContainerState::default()
    }
}

fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()),
            message,
            ..Default::default()
        }),
        ..ContainerState::default()
    }
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
    set_host_ip(status, host_ip);
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
                state: Some(waiting("ContainerCreating", None)),
                ..ContainerStatus::default()
            })
            .collect(),
    );
    let delay = images::draw(SANDBOX_MS, cluster.rng());
    schedule_step(cluster, &pod, delay, PodStep::SandboxReady);
    cluster.put(pod);
}

/// Writes the status of a pod that was already running when the simulation began (the add-ons
/// kubeadm installs before any user arrives): admitted, its sandbox up with the next free pod
/// IP of its node, every container started at `now`, up and ready, as the kubelet reports such
/// a pod once it settled.
pub(crate) fn boot_running(cluster: &mut Cluster, mut pod: Pod) {
    let now = cluster.now();
    let node = pod::node_name(&pod).map(str::to_string);
    let host_ip = node
        .as_deref()
        .and_then(|n| cluster.store().get::<Node>("", n))
        .and_then(internal_ip);
    let pod_ip = node.as_deref().and_then(|n| free_pod_ip(cluster, n));
    let uid = uid_of(&pod);
    let mut statuses = Vec::new();
    for (container, image) in container_names(&pod).into_iter().zip(images_of(&pod)) {
        cluster.kubelet().set_up(&uid, &container, now);
        statuses.push(ContainerStatus {
            name: container,
            image,
            image_id: String::new(),
            container_id: Some(container_id(cluster)),
            last_state: Some(ContainerState::default()),
            ready: true,
            restart_count: 0,
            started: Some(true),
            state: Some(ContainerState {
                running: Some(ContainerStateRunning {
                    started_at: Some(timestamp(now)),
                    ..Default::default()
                }),
                ..ContainerState::default()
            }),
            ..ContainerStatus::default()
        });
    }
    crate::scheduler::prepare_status(&mut pod);
    let status = pod.status.get_or_insert_with(PodStatus::default);
    set_host_ip(status, host_ip);
    status.pod_ip = pod_ip.clone();
    status.pod_ips = pod_ip.map(|ip| {
        vec![PodIP {
            ip,
            ..Default::default()
        }]
    });
    status.start_time = Some(timestamp(now));
    status.container_statuses = Some(statuses);
    for condition in ["PodReadyToStartContainers", "Initialized", "PodScheduled"] {
        set_condition(status, condition, "True", None, now);
    }
    refresh(&mut pod, now);
    if let Some(status) = pod.status.as_mut() {
        order_conditions(status);
    }
    let Some(pod) = cluster.write(pod) else {
        return;
    };
    // The probe workers run as for any pod (they pass: the apps are up).
    for (index, container) in (0u32..).zip(containers(&pod)) {
        let id = status_of(&pod, &container.name).and_then(|c| c.container_id.clone());
        for kind in [ProbeKind::Readiness, ProbeKind::Liveness] {
            if let (Some(probe), Some(id)) = (kind.of(container), id.as_deref()) {
                arm_probe(cluster, &pod, index, &container.name, kind, id, probe);
            }
        }
    }
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

/// The pod phase from its containers (`getPhase` in kubelet_pods.go): Pending while a
/// container waits that never ran; Running once all have started and one runs, or while they
/// restart; with no restarts, Succeeded when all exited 0, else Failed.
fn phase(statuses: &[ContainerStatus], restart_policy: &str) -> &'static str {
    let (mut running, mut stopped, mut succeeded, mut pending) = (0, 0, 0, 0);
    for c in statuses {
        let state = c.state.as_ref();
        if state.is_some_and(|s| s.running.is_some()) {
            running += 1;
        } else if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if c
            .last_state
            .as_ref()
            .is_some_and(|s| s.terminated.is_some())
        {
            stopped += 1;
        } else {
            pending += 1;
        }
    }
    if pending > 0 {
        return "Pending";
    }
    if running > 0 {
        return "Running";
    }
    if stopped == 0 {
        return "Pending";
    }
    match restart_policy {
        "Never" if stopped == succeeded => "Succeeded",
        "Never" => "Failed",
        "OnFailure" if stopped == succeeded => "Succeeded",
        _ => "Running",
    }
}

/// Recomputes the pod's phase and its Ready and ContainersReady conditions from the
/// container statuses (`GeneratePodReadyCondition`: ready when every container is).
fn refresh(pod: &mut Pod, now: Millis) {
    let policy = pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.clone())
        .unwrap_or_else(|| "Always".into());
    let status = pod.status.get_or_insert_with(PodStatus::default);
    let statuses = status.container_statuses.clone().unwrap_or_default();
    let phase = phase(&statuses, &policy);
    status.phase = Some(phase.into());
    let unready: Vec<String> = statuses
        .iter()
        .filter(|c| !c.ready)
        .map(|c| c.name.clone())
        .collect();
    if unready.is_empty() {
        set_condition(status, "ContainersReady", "True", None, now);
        set_condition(status, "Ready", "True", None, now);
    } else {
        let reason = if phase == "Succeeded" {
            ("PodCompleted".to_string(), String::new())
        } else {
            not_ready_message(&unready)
        };
        let reason = Some(&reason).filter(|r| !r.1.is_empty() || r.0 == "PodCompleted");
        set_condition(status, "ContainersReady", "False", reason, now);
        set_condition(status, "Ready", "False", reason, now);
    }
}

/// Schedules `step` of `pod` `after` ms from now. The sum saturates: a grace period is a
/// user-chosen int64 of seconds, and one near its maximum must end at the end of time rather
/// than overflow the clock.
fn schedule_step(cluster: &mut Cluster, pod: &Pod, after: Millis, step: PodStep) {
    let at = cluster.now().saturating_add(after);
    let key = pod.clone().into_object().key();
    let uid = uid_of(pod);
    cluster.schedule(at, Timer::Pod { key, uid, step });
}

/// Carries out a scheduled step. Steps of the start-up do nothing once the pod is terminating.
pub(crate) fn step(cluster: &mut Cluster, pod: Pod, step: PodStep) {
    if step == PodStep::Terminated {
        cluster.kubelet().forget(&uid_of(&pod));
        let key = pod.into_object().key();
        cluster.remove(&key);
        return;
    }
    if pod::is_terminating(&pod) {
        return;
    }
    match step {
        PodStep::SandboxReady => sandbox_ready(cluster, pod),
        PodStep::PullDone {
            index,
            pull_ms,
            chain,
        } => pull_done(cluster, pod, index, pull_ms, chain),
        PodStep::AppUp { index, restart } => app_up(cluster, pod, index, restart),
        PodStep::Exited {
            index,
            restart,
            code,
        } => exited(cluster, pod, index, restart, code),
        PodStep::Sync { index } => sync_container(cluster, pod, index),
        PodStep::Probe { index, kind } => probe_tick(cluster, pod, index, kind),
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
        start_pull(cluster, &pod, 0, true);
    }
}

/// Begins pulling the image of container `index`. The kubelet starts containers in order and
/// pulls one image at a time by default (`serializeImagePulls: true`), so each container's
/// first pull begins when the previous container has started or failed to pull. A pull that
/// will fail takes the registry's answer time instead.
fn start_pull(cluster: &mut Cluster, pod: &Pod, index: u32, chain: bool) {
    let Some(image) = container_at(pod, index).map(|c| c.image.clone().unwrap_or_default()) else {
        return;
    };
    let range = match images::pull_error(&image) {
        Some(_) => images::FAILED_PULL_MS,
        None => images::profile(&image).pull_ms,
    };
    let pull_ms = images::draw(range, cluster.rng());
    record(
        cluster,
        pod,
        "Normal",
        "Pulling",
        format!("Pulling image {}", go_quote(&image)),
    );
    schedule_step(
        cluster,
        pod,
        pull_ms,
        PodStep::PullDone {
            index,
            pull_ms,
            chain,
        },
    );
}

fn record(cluster: &mut Cluster, pod: &Pod, type_: &str, reason: &str, message: String) {
    let object = pod.clone().into_object();
    cluster.record_event(&object, type_, reason, message, COMPONENT);
}

/// A duration as Go's `time.Duration.String` prints one truncated to milliseconds, e.g.
/// `0s`, `850ms`, `2.3s`, `1m2.005s`, `5m0s`.
pub fn go_duration(ms: Millis) -> String {
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
        .pods_on_node(Some(node))
        .filter_map(|p| p.status.as_ref()?.pod_ip.as_deref())
        .collect();
    (2..=254)
        .map(|host| format!("{prefix}.{host}"))
        .find(|ip| !used.contains(&ip.as_str()))
}

/// A pull of container `index`'s image ended: on success the container starts (with the
/// `Pulled` event); on failure the kubelet reports ErrImagePull (image_manager.go
/// `EnsureImageExists`: `Failed` with the runtime's error, then `Error: ErrImagePull` from
/// kuberuntime's `startContainer`), moves the image back-off, and syncs again in 10 s.
fn pull_done(cluster: &mut Cluster, mut pod: Pod, index: u32, pull_ms: Millis, chain: bool) {
    let Some(container) = container_at(&pod, index).cloned() else {
        return;
    };
    let image = container.image.clone().unwrap_or_default();
    if let Some(error) = images::pull_error(&image) {
        let now = cluster.now();
        record(
            cluster,
            &pod,
            "Warning",
            "Failed",
            format!("Failed to pull image {}: {error}", go_quote(&image)),
        );
        record(
            cluster,
            &pod,
            "Warning",
            "Failed",
            "Error: ErrImagePull".into(),
        );
        let key = format!("{}_{image}", uid_of(&pod));
        cluster.kubelet().image_backoff.next(&key, now, now);
        if let Some(c) = status_mut(&mut pod, &container.name) {
            // A restarting container keeps its last termination in lastState.
            if let Some(t) = c.state.as_ref().and_then(|s| s.terminated.clone()) {
                c.last_state = Some(terminated_state(t));
            }
            c.state = Some(waiting("ErrImagePull", Some(error)));
        }
        refresh(&mut pod, now);
        schedule_step(cluster, &pod, SYNC_RETRY_MS, PodStep::Sync { index });
        if let Some(pod) = cluster.write(pod) {
            if chain {
                start_pull(cluster, &pod, index + 1, true);
            }
        }
        return;
    }
    let size = images::profile(&image).size_bytes;
    let took = go_duration(pull_ms);
    let pulled = format!(
        "Successfully pulled image {} in {took} ({took} including waiting). \
         Image size: {size} bytes.",
        go_quote(&image)
    );
    run_container(cluster, pod, index, pulled, chain);
}

/// Creates and starts container `index` (`Pulled`, `Created` and `Started` events), with
/// `started: true` and not ready until its app is up; schedules its app's start-up, its exit
/// if it exits by itself, and its probes. With `chain`, the next container's pull begins.
fn run_container(cluster: &mut Cluster, mut pod: Pod, index: u32, pulled: String, chain: bool) {
    let now = cluster.now();
    let Some(container) = container_at(&pod, index).cloned() else {
        return;
    };
    let name = container.name.clone();
    let image = container.image.clone().unwrap_or_default();
    record(cluster, &pod, "Normal", "Pulled", pulled);
    record(
        cluster,
        &pod,
        "Normal",
        "Created",
        format!("Created container: {name}"),
    );
    record(
        cluster,
        &pod,
        "Normal",
        "Started",
        format!("Started container {name}"),
    );
    let id = container_id(cluster);
    let uid = uid_of(&pod);
    cluster.kubelet().set_down(&uid, &name);
    let mut restart = 0;
    if let Some(c) = status_mut(&mut pod, &name) {
        restart = c.restart_count;
        c.container_id = Some(id.clone());
        c.started = Some(true);
        c.ready = false;
        c.state = Some(ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(timestamp(now)),
                ..Default::default()
            }),
            ..ContainerState::default()
        });
    }
    refresh(&mut pod, now);
    let startup = images::draw(images::profile(&image).startup_ms, cluster.rng());
    schedule_step(cluster, &pod, startup, PodStep::AppUp { index, restart });
    if let Exit::After(range, code) = images::exit(
        &image,
        container.command.as_deref(),
        container.args.as_deref(),
    ) {
        let after = images::draw(range, cluster.rng());
        schedule_step(
            cluster,
            &pod,
            after,
            PodStep::Exited {
                index,
                restart,
                code,
            },
        );
    }
    for kind in [ProbeKind::Readiness, ProbeKind::Liveness] {
        if let Some(probe) = kind.of(&container) {
            arm_probe(cluster, &pod, index, &name, kind, &id, probe);
        }
    }
    if let Some(pod) = cluster.write(pod) {
        if chain {
            start_pull(cluster, &pod, index + 1, true);
        }
    }
}

/// A containerd container id: `containerd://` and 64 hex digits.
fn container_id(cluster: &mut Cluster) -> String {
    let mut bytes = [0u8; 32];
    cluster.rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("containerd://{hex}")
}

/// Whether container `name` of `pod` runs as instance `restart`.
fn runs_instance(pod: &Pod, name: &str, restart: i32) -> bool {
    status_of(pod, name).is_some_and(|c| {
        c.restart_count == restart && c.state.as_ref().is_some_and(|s| s.running.is_some())
    })
}

/// The app accepts connections: without a readinessProbe the container is ready now.
fn app_up(cluster: &mut Cluster, mut pod: Pod, index: u32, restart: i32) {
    let Some(container) = container_at(&pod, index).cloned() else {
        return;
    };
    if !runs_instance(&pod, &container.name, restart) {
        return;
    }
    let uid = uid_of(&pod);
    let now = cluster.now();
    cluster.kubelet().set_up(&uid, &container.name, now);
    if container.readiness_probe.is_some() {
        return;
    }
    if let Some(c) = status_mut(&mut pod, &container.name) {
        c.ready = true;
    }
    refresh(&mut pod, now);
    cluster.put(pod);
}

/// The container's main process exited with `code` (by itself, or after the kubelet stopped
/// it): the container is terminated (`Completed` for 0, else `Error`), and the next relist
/// brings a sync that restarts it or backs off.
fn exited(cluster: &mut Cluster, mut pod: Pod, index: u32, restart: i32, code: i32) {
    let Some(name) = container_at(&pod, index).map(|c| c.name.clone()) else {
        return;
    };
    if !runs_instance(&pod, &name, restart) {
        return;
    }
    let now = cluster.now();
    let uid = uid_of(&pod);
    cluster.kubelet().set_down(&uid, &name);
    if let Some(c) = status_mut(&mut pod, &name) {
        let started_at = c
            .state
            .as_ref()
            .and_then(|s| s.running.as_ref())
            .and_then(|r| r.started_at);
        c.ready = false;
        c.started = Some(false);
        c.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                container_id: c.container_id.clone(),
                exit_code: code,
                finished_at: Some(timestamp(now)),
                reason: Some(if code == 0 { "Completed" } else { "Error" }.into()),
                started_at,
                ..Default::default()
            }),
            ..ContainerState::default()
        });
    }
    refresh(&mut pod, now);
    schedule_step(cluster, &pod, RELIST_MS, PodStep::Sync { index });
    cluster.put(pod);
}

/// Whether the pod's restartPolicy restarts a container that exited with `code`.
fn restarts(pod: &Pod, code: i32) -> bool {
    match pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) {
        Some("Never") => false,
        Some("OnFailure") => code != 0,
        _ => true,
    }
}

/// A pod worker sync for a container that failed to pull or exited.
///
/// Pull failures (image_manager.go): while the image back-off since the last failed pull
/// lasts, `BackOff` ("Back-off pulling image ...") and `Failed` ("Error: ImagePullBackOff"),
/// waiting reason ImagePullBackOff, and another sync in 10 s; after it, a new pull.
///
/// Exits (kuberuntime_manager.go `doBackOff`): while the container back-off since the exit
/// lasts, `BackOff` ("Back-off restarting failed container ...") and waiting reason
/// CrashLoopBackOff with `back-off 10s restarting failed container=NAME pod=NAME_NS(UID)`,
/// and another sync in 10 s; after it (or at once the first time), the back-off moves on and
/// the container restarts with a higher restartCount and the old state in lastState.
fn sync_container(cluster: &mut Cluster, mut pod: Pod, index: u32) {
    let Some(container) = container_at(&pod, index).cloned() else {
        return;
    };
    let name = container.name.clone();
    let image = container.image.clone().unwrap_or_default();
    let Some(current) = status_of(&pod, &name).cloned() else {
        return;
    };
    let now = cluster.now();
    let uid = uid_of(&pod);
    let state = current.state.clone().unwrap_or_default();
    let reason = state.waiting.as_ref().and_then(|w| w.reason.clone());
    if matches!(
        reason.as_deref(),
        Some("ErrImagePull") | Some("ImagePullBackOff")
    ) {
        let key = format!("{uid}_{image}");
        if !cluster
            .kubelet()
            .image_backoff
            .is_in_backoff_since_update(&key, now)
        {
            start_pull(cluster, &pod, index, false);
            return;
        }
        let message = format!("Back-off pulling image {}", go_quote(&image));
        record(cluster, &pod, "Normal", "BackOff", message.clone());
        record(
            cluster,
            &pod,
            "Warning",
            "Failed",
            "Error: ImagePullBackOff".into(),
        );
        if let Some(c) = status_mut(&mut pod, &name) {
            c.state = Some(waiting("ImagePullBackOff", Some(message)));
        }
        schedule_step(cluster, &pod, SYNC_RETRY_MS, PodStep::Sync { index });
        cluster.put(pod);
        return;
    }
    let terminated = state.terminated.clone().or_else(|| {
        let last = current.last_state.as_ref()?.terminated.clone();
        last.filter(|_| reason.as_deref() == Some("CrashLoopBackOff"))
    });
    let Some(terminated) = terminated else {
        return;
    };
    if !restarts(&pod, terminated.exit_code) {
        return;
    }
    let finished = terminated.finished_at.as_ref().map_or(now, millis_of);
    let key = format!("{uid}_{name}");
    let memory = cluster.kubelet();
    if memory
        .crash_backoff
        .is_in_backoff_since(&key, finished, now)
    {
        let window = go_duration(memory.crash_backoff.get(&key));
        let pod_name = format_pod(&pod);
        record(
            cluster,
            &pod,
            "Warning",
            "BackOff",
            format!("Back-off restarting failed container {name} in pod {pod_name}"),
        );
        let message =
            format!("back-off {window} restarting failed container={name} pod={pod_name}");
        if let Some(c) = status_mut(&mut pod, &name) {
            c.last_state = Some(terminated_state(terminated));
            c.state = Some(waiting("CrashLoopBackOff", Some(message)));
        }
        refresh(&mut pod, now);
        schedule_step(cluster, &pod, SYNC_RETRY_MS, PodStep::Sync { index });
        cluster.put(pod);
        return;
    }
    memory.crash_backoff.next(&key, finished, now);
    if let Some(c) = status_mut(&mut pod, &name) {
        c.restart_count += 1;
        c.last_state = Some(terminated_state(terminated));
    }
    // SetDefaults_Container: `Always` for `:latest`; a restart of any other image finds it
    // on the node (image_manager.go: "already present on machine").
    if container.image_pull_policy.as_deref() == Some("Always") {
        if let Some(pod) = cluster.write(pod) {
            start_pull(cluster, &pod, index, false);
        }
        return;
    }
    let pulled = format!(
        "Container image {} already present on machine",
        go_quote(&image)
    );
    run_container(cluster, pod, index, pulled, false);
}

/// Starts (or keeps) the probe worker of `kind` for container `name`: a new container resumes
/// probing, and the next tick is put on the worker's grid (anchored at the pod's start).
fn arm_probe(
    cluster: &mut Cluster,
    pod: &Pod,
    index: u32,
    name: &str,
    kind: ProbeKind,
    container_id: &str,
    probe: &crate::types::Probe,
) {
    let now = cluster.now();
    let anchor = pod
        .status
        .as_ref()
        .and_then(|s| s.start_time.as_ref())
        .map_or(now, millis_of);
    let timing = prober::Timing::of(probe);
    let key = (uid_of(pod), name.to_string(), kind);
    let worker = cluster.kubelet().probes.entry_or_default(key);
    worker.see_container(container_id);
    if worker.scheduled {
        return;
    }
    worker.scheduled = true;
    let at = prober::next_tick(anchor, timing.period, now);
    schedule_step(cluster, pod, at - now, PodStep::Probe { index, kind });
}

/// One tick of a probe worker (`doProbe`): nothing while the container is not running (the
/// worker is re-armed when it starts again), on hold, or within initialDelaySeconds; else the
/// probe runs, a failure is reported as an `Unhealthy` event, and a result past its threshold
/// sets the container's readiness or, for liveness, kills it for a restart.
fn probe_tick(cluster: &mut Cluster, mut pod: Pod, index: u32, kind: ProbeKind) {
    let Some(container) = container_at(&pod, index).cloned() else {
        return;
    };
    let Some(probe) = kind.of(&container).cloned() else {
        return;
    };
    let now = cluster.now();
    let name = container.name.clone();
    let uid = uid_of(&pod);
    let key = (uid.clone(), name.clone(), kind);
    let timing = prober::Timing::of(&probe);
    let Some(current) = status_of(&pod, &name).cloned() else {
        return;
    };
    let started = current
        .state
        .as_ref()
        .and_then(|s| s.running.as_ref())
        .and_then(|r| r.started_at.as_ref())
        .map(millis_of);
    let memory = cluster.kubelet();
    let Some(worker) = memory.probes.get_mut(&key) else {
        return;
    };
    worker.scheduled = false;
    let Some(started) = started else {
        return;
    };
    worker.scheduled = true;
    let on_hold = worker.on_hold;
    schedule_step(cluster, &pod, timing.period, PodStep::Probe { index, kind });
    let running_seconds = (now.saturating_sub(started) / SECOND) as i64;
    if on_hold || running_seconds < i64::from(timing.initial_delay_seconds) {
        return;
    }
    let up = cluster.kubelet().app_up_since(&uid, &name).is_some();
    let ip = pod
        .status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .unwrap_or_default();
    let result = prober::run(&probe, &container, &ip, up);
    if let Err(output) = &result {
        let message = format!("{} probe failed: {output}", kind.word());
        record(cluster, &pod, "Warning", "Unhealthy", message);
    }
    let Some(worker) = cluster.kubelet().probes.get_mut(&key) else {
        return;
    };
    let Outcome::Set(ok) = worker.record(kind, result.is_ok(), timing) else {
        return;
    };
    match kind {
        ProbeKind::Readiness => {
            if let Some(c) = status_mut(&mut pod, &name) {
                if c.ready == ok {
                    return;
                }
                c.ready = ok;
            }
            refresh(&mut pod, now);
            cluster.put(pod);
        }
        ProbeKind::Liveness if !ok => {
            record(
                cluster,
                &pod,
                "Normal",
                "Killing",
                format!("Container {name} failed liveness probe, will be restarted"),
            );
            let grace = grace_ms(&pod);
            let (after, code) = stop_time(cluster, &container, grace);
            let restart = current.restart_count;
            schedule_step(
                cluster,
                &pod,
                after,
                PodStep::Exited {
                    index,
                    restart,
                    code,
                },
            );
        }
        ProbeKind::Liveness => {}
    }
}

/// The pod's grace period in ms (`terminationGracePeriodSeconds`, default 30 s).
fn grace_ms(pod: &Pod) -> Millis {
    let grace = pod
        .spec
        .as_ref()
        .and_then(|s| s.termination_grace_period_seconds)
        .unwrap_or(DEFAULT_GRACE_SECONDS)
        .max(0);
    Millis::try_from(grace).unwrap_or(0).saturating_mul(SECOND)
}

/// The shortest time the kubelet leaves between SIGTERM and SIGKILL, whatever remains of the
/// grace period after the preStop hook (kuberuntime_container.go `minimumGracePeriodInSeconds`).
const MIN_STOP_WINDOW_MS: Millis = 2 * SECOND;

/// How long the preStop hook of `container` runs, in ms: `sleep: {seconds: N}` and an `exec`
/// of `sleep N` (also through `sh -c`) take N seconds; any other command and an `httpGet`
/// return at once. The kubelet blocks on the hook before it sends SIGTERM.
pub fn pre_stop_ms(container: &Container) -> Millis {
    let Some(handler) = container
        .lifecycle
        .as_ref()
        .and_then(|l| l.pre_stop.as_ref())
    else {
        return 0;
    };
    let seconds = match (&handler.sleep, &handler.exec) {
        (Some(sleep), _) => Millis::try_from(sleep.seconds).unwrap_or(0),
        (None, Some(exec)) => {
            let argv: Vec<&str> = exec.command.iter().flatten().map(String::as_str).collect();
            images::sleep_seconds(&argv).unwrap_or(0)
        }
        (None, None) => 0,
    };
    seconds.saturating_mul(SECOND)
}

/// `status.hostIP` and its one-element `hostIPs`: the node's address, as the kubelet reports it.
fn set_host_ip(status: &mut PodStatus, host_ip: Option<String>) {
    status.host_ips = host_ip.clone().map(|ip| {
        vec![HostIP {
            ip,
            ..Default::default()
        }]
    });
    status.host_ip = host_ip;
}

/// The virtual time SIGTERM is (or was) sent to `container` of a terminating `pod`: the start
/// of the termination (deletionTimestamp - deletionGracePeriodSeconds) plus its preStop hook,
/// cut at the grace period. `None` while the pod is not terminating.
pub fn sigterm_at(pod: &Pod, container: &Container) -> Option<Millis> {
    let end = millis_of(pod.metadata.deletion_timestamp.as_ref()?);
    let grace = pod
        .metadata
        .deletion_grace_period_seconds
        .unwrap_or(0)
        .max(0);
    let grace = Millis::try_from(grace).unwrap_or(0).saturating_mul(SECOND);
    Some(end.saturating_sub(grace) + pre_stop_ms(container).min(grace))
}

/// When a running container stopped with `grace` ms exits, and its exit code, as the kubelet's
/// `killContainer` does it: the preStop hook first (abandoned when the grace period ends), then
/// SIGTERM with what remains of the grace period, but at least 2 s, then SIGKILL (137).
/// `exit` is the app's own shutdown after SIGTERM (`None`: it ignores the signal).
///
/// Concrete example: preStop `sleep 5`, grace 30 s, nginx stopping in 0.3 s: SIGTERM at 5 s,
/// exit at 5.3 s with code 0; with preStop `sleep 40` the hook is cut at 30 s, SIGTERM then,
/// exit at 30.3 s; busybox (ignores SIGTERM) is killed at 32 s with 137.
fn kill_timing(pre_stop: Millis, exit: Option<(Millis, i32)>, grace: Millis) -> (Millis, i32) {
    let sigterm = pre_stop.min(grace);
    let window = grace.saturating_sub(sigterm).max(MIN_STOP_WINDOW_MS);
    match exit {
        Some((after, code)) if after <= window => (sigterm + after, code),
        _ => (sigterm.saturating_add(window), 137),
    }
}

/// How long `container` takes to stop within `grace` ms ([`kill_timing`]), drawing its app's
/// shutdown time from the image profile. The draw happens whatever the hook, so that adding
/// a preStop hook changes no other random value.
fn stop_time(cluster: &mut Cluster, container: &Container, grace: Millis) -> (Millis, i32) {
    let image = container.image.as_deref().unwrap_or("");
    let exit = match images::profile(image).on_sigterm {
        SigtermBehaviour::ExitsWithin(lo, hi, code) => {
            Some((images::draw((lo, hi), cluster.rng()), code))
        }
        SigtermBehaviour::Ignores => None,
    };
    kill_timing(pre_stop_ms(container), exit, grace)
}

/// Starts the graceful deletion of a pod, as `DELETE` on a pod does (the pod strategy's
/// `CheckGracefulDelete`): a pod that never reached a node, or has finished, or has a grace
/// period of 0, is removed at once; otherwise it gets `deletionTimestamp = now + grace` and
/// `deletionGracePeriodSeconds`, and is removed when its running apps exit after SIGTERM, or
/// at the end of the grace period for apps that ignore the signal. Returns the pod as it is
/// now (already gone from the store if removed at once).
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
        cluster.kubelet().forget(&uid_of(&pod));
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
    let mut exit_after: Millis = 0;
    for container in containers(&pod).to_vec() {
        record(
            cluster,
            &pod,
            "Normal",
            "Killing",
            format!("Stopping container {}", container.name),
        );
        let running = status_of(&pod, &container.name)
            .and_then(|c| c.state.as_ref())
            .is_some_and(|s| s.running.is_some());
        // Drawn for every container, so that the draws do not depend on the states.
        let stop = stop_time(cluster, &container, grace_ms).0;
        if running {
            exit_after = exit_after.max(stop);
        }
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

    fn with_pre_stop(handler: serde_json::Value) -> Container {
        let json = serde_json::json!({"name": "c", "lifecycle": {"preStop": handler}});
        crate::types::FromJson::from_json(json)
    }

    #[test]
    fn pre_stop_hooks_take_their_sleep() {
        let table = [
            (serde_json::json!({"sleep": {"seconds": 5}}), 5_000),
            (
                serde_json::json!({"exec": {"command": ["sleep", "10"]}}),
                10_000,
            ),
            (
                serde_json::json!({"exec": {"command": ["/bin/sleep", "3s"]}}),
                3_000,
            ),
            (
                serde_json::json!({"exec": {"command": ["sh", "-c", "sleep 15"]}}),
                15_000,
            ),
            (
                serde_json::json!({"exec": {"command": ["/bin/sh", "-c", "sleep 7"]}}),
                7_000,
            ),
            // Anything else returns at once: other commands, scripts that do more, httpGet.
            (
                serde_json::json!({"exec": {"command": ["sh", "-c", "sleep 5; nginx -s quit"]}}),
                0,
            ),
            (
                serde_json::json!({"exec": {"command": ["nginx", "-s", "quit"]}}),
                0,
            ),
            (
                serde_json::json!({"exec": {"command": ["sleep", "many"]}}),
                0,
            ),
            (
                serde_json::json!({"httpGet": {"path": "/drain", "port": 80}}),
                0,
            ),
            (serde_json::json!({"sleep": {"seconds": -1}}), 0),
        ];
        for (handler, expected) in table {
            assert_eq!(
                pre_stop_ms(&with_pre_stop(handler.clone())),
                expected,
                "{handler}"
            );
        }
        assert_eq!(pre_stop_ms(&Container::default()), 0);
    }

    #[test]
    fn the_kubelet_kills_after_the_hook_and_the_rest_of_the_grace_period() {
        // (preStop, the app's exit after SIGTERM, grace) -> (exit time, exit code), as
        // kuberuntime_container.go killContainer does it.
        let table = [
            // No hook: SIGTERM at once, the app exits by itself.
            (0, Some((300, 0)), 30_000, (300, 0)),
            // A 5 s sleep delays SIGTERM by 5 s.
            (5_000, Some((300, 0)), 30_000, (5_300, 0)),
            (5_000, Some((700, 143)), 30_000, (5_700, 143)),
            // The app ignores SIGTERM: SIGKILL at the end of the grace period.
            (0, None, 30_000, (30_000, 137)),
            (5_000, None, 30_000, (30_000, 137)),
            // A hook longer than the grace period is abandoned at its end; the app still gets
            // SIGTERM and 2 s more (minimumGracePeriodInSeconds) before SIGKILL.
            (40_000, Some((300, 0)), 30_000, (30_300, 0)),
            (40_000, Some((5_000, 0)), 30_000, (32_000, 137)),
            (40_000, None, 30_000, (32_000, 137)),
            // A hook that leaves less than 2 s still leaves 2 s.
            (29_000, None, 30_000, (31_000, 137)),
            // The app is slower than the rest of the grace period.
            (20_000, Some((5_200, 0)), 24_000, (24_000, 137)),
        ];
        for (pre_stop, exit, grace, expected) in table {
            assert_eq!(
                kill_timing(pre_stop, exit, grace),
                expected,
                "{pre_stop} {exit:?} {grace}"
            );
        }
    }
}
