//! What `kubectl get pods` derives from a pod: the READY, STATUS and RESTARTS columns, as
//! `printPod` in kubernetes `pkg/printers/internalversion/printers.go` (v1.32) computes them.

use kplay_core::time::millis_of;
use kplay_core::types::{ContainerStatus, Pod};
use kplay_core::Millis;

/// The columns of a pod's row that come from its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRow {
    /// Ready containers (running and ready, plus started ready sidecars).
    pub ready: usize,
    /// Containers, counting restartable init containers (sidecars).
    pub total: usize,
    /// The STATUS column.
    pub status: String,
    /// Restarts of the regular (or, while initializing, init) containers.
    pub restarts: i32,
    /// When the most recent restart's container terminated, if known.
    pub last_restart: Option<Millis>,
}

/// The STATUS column kubectl derives for a pod (Pending, ContainerCreating, Running,
/// Terminating, Completed, ErrImagePull, CrashLoopBackOff, ...), as printers.go printPod does.
pub fn pod_status(pod: &Pod) -> String {
    pod_row(pod).status
}

/// Every status-derived column of a pod's row, in printPod's order of decisions.
pub fn pod_row(pod: &Pod) -> PodRow {
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("");
    let mut reason = match status.and_then(|s| s.reason.as_deref()) {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.to_string(),
    };
    let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);
    if conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }

    let init_specs = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[]);
    let is_sidecar = |name: &str| {
        init_specs
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let mut total = spec.map_or(0, |s| s.containers.len());
    total += init_specs
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .count();
    let mut ready = 0;
    let mut restarts = 0;
    let mut last_restart: Option<Millis> = None;
    let mut sidecar_restarts = 0;
    let mut sidecar_last_restart: Option<Millis> = None;

    let mut initializing = false;
    let init_statuses = status
        .and_then(|s| s.init_container_statuses.as_deref())
        .unwrap_or(&[]);
    for (i, container) in init_statuses.iter().enumerate() {
        restarts += container.restart_count;
        note_restart(container, &mut last_restart);
        let sidecar = is_sidecar(&container.name);
        if sidecar {
            sidecar_restarts += container.restart_count;
            note_restart(container, &mut sidecar_last_restart);
        }
        let state = container.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if sidecar && container.started == Some(true) {
            if container.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            reason = match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ if t.signal.unwrap_or(0) != 0 => format!("Init:Signal:{}", t.signal.unwrap_or(0)),
                _ => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(r) = waiting
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    let initialized = conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        let statuses = status
            .and_then(|s| s.container_statuses.as_deref())
            .unwrap_or(&[]);
        // printPod walks the containers from last to first, so the first container's
        // reason wins.
        for container in statuses.iter().rev() {
            restarts += container.restart_count;
            note_restart(container, &mut last_restart);
            let state = container.state.as_ref();
            let waiting = state.and_then(|s| s.waiting.as_ref());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty())
            {
                reason = r.to_string();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ if t.signal.unwrap_or(0) != 0 => format!("Signal:{}", t.signal.unwrap_or(0)),
                    _ => format!("ExitCode:{}", t.exit_code),
                };
            } else if container.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let has_ready_condition = conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if has_ready_condition {
                "Running"
            } else {
                "NotReady"
            }
            .to_string();
        }
    }

    if pod.metadata.deletion_timestamp.is_some() {
        if status.and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
            reason = "Unknown".to_string();
        } else if !matches!(phase, "Succeeded" | "Failed") {
            reason = "Terminating".to_string();
        }
    }

    PodRow {
        ready,
        total,
        status: reason,
        restarts,
        last_restart,
    }
}

/// Keeps the latest `lastState.terminated.finishedAt` seen.
fn note_restart(container: &ContainerStatus, latest: &mut Option<Millis>) {
    let finished = container
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
        .map(millis_of);
    if let Some(at) = finished {
        if latest.is_none_or(|l| at > l) {
            *latest = Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::types::Time;
    use kplay_core::types::{
        Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
        ContainerStateWaiting, PodCondition, PodSpec, PodStatus,
    };

    fn pod(phase: &str, states: Vec<(ContainerState, bool, i32)>, deleting: bool) -> Pod {
        let containers = (0..states.len())
            .map(|i| Container {
                name: format!("c{i}"),
                ..Container::default()
            })
            .collect();
        Pod {
            metadata: kplay_core::types::ObjectMeta {
                deletion_timestamp: deleting.then(|| Time(kplay_core::time::timestamp(0).0)),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers,
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.to_string()),
                conditions: Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: if phase == "Running" { "True" } else { "False" }.into(),
                    ..PodCondition::default()
                }]),
                container_statuses: Some(
                    states
                        .into_iter()
                        .enumerate()
                        .map(|(i, (state, ready, restarts))| ContainerStatus {
                            name: format!("c{i}"),
                            state: Some(state),
                            ready,
                            restart_count: restarts,
                            ..ContainerStatus::default()
                        })
                        .collect(),
                ),
                ..PodStatus::default()
            }),
            ..Default::default()
        }
    }

    fn waiting(reason: &str) -> ContainerState {
        ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(reason.into()),
                message: None,
                ..Default::default()
            }),
            ..ContainerState::default()
        }
    }

    fn running() -> ContainerState {
        ContainerState {
            running: Some(ContainerStateRunning::default()),
            ..ContainerState::default()
        }
    }

    fn terminated(reason: Option<&str>, exit_code: i32) -> ContainerState {
        ContainerState {
            terminated: Some(ContainerStateTerminated {
                reason: reason.map(str::to_string),
                exit_code,
                ..ContainerStateTerminated::default()
            }),
            ..ContainerState::default()
        }
    }

    #[test]
    fn pod_status_table() {
        // Each row mirrors a case of printers_test.go TestPrintPod / printPod's branches.
        let cases: Vec<(&str, Pod, &str, usize, i32)> = vec![
            (
                "no container status yet",
                pod("Pending", vec![], false),
                "Pending",
                0,
                0,
            ),
            (
                "creating",
                pod(
                    "Pending",
                    vec![(waiting("ContainerCreating"), false, 0)],
                    false,
                ),
                "ContainerCreating",
                0,
                0,
            ),
            (
                "image pull failed",
                pod("Pending", vec![(waiting("ErrImagePull"), false, 0)], false),
                "ErrImagePull",
                0,
                0,
            ),
            (
                "running and ready",
                pod("Running", vec![(running(), true, 0)], false),
                "Running",
                1,
                0,
            ),
            (
                "running, not ready",
                pod("Running", vec![(running(), false, 0)], false),
                "Running",
                0,
                0,
            ),
            (
                "crash looping",
                pod(
                    "Running",
                    vec![(waiting("CrashLoopBackOff"), false, 4)],
                    false,
                ),
                "CrashLoopBackOff",
                0,
                4,
            ),
            (
                "completed",
                pod(
                    "Succeeded",
                    vec![(terminated(Some("Completed"), 0), false, 0)],
                    false,
                ),
                "Completed",
                0,
                0,
            ),
            (
                "exit code without reason",
                pod("Failed", vec![(terminated(None, 2), false, 0)], false),
                "ExitCode:2",
                0,
                0,
            ),
            (
                "first container's reason wins",
                pod(
                    "Running",
                    vec![
                        (waiting("ImagePullBackOff"), false, 0),
                        (running(), true, 1),
                    ],
                    false,
                ),
                "ImagePullBackOff",
                1,
                1,
            ),
            (
                "one completed, one running",
                pod(
                    "Running",
                    vec![
                        (terminated(Some("Completed"), 0), false, 0),
                        (running(), true, 0),
                    ],
                    false,
                ),
                "Running",
                1,
                0,
            ),
            (
                "terminating",
                pod("Running", vec![(running(), true, 0)], true),
                "Terminating",
                1,
                0,
            ),
            (
                "terminal pods do not show Terminating",
                pod(
                    "Succeeded",
                    vec![(terminated(Some("Completed"), 0), false, 0)],
                    true,
                ),
                "Completed",
                0,
                0,
            ),
        ];
        for (name, pod, status, ready, restarts) in cases {
            let row = pod_row(&pod);
            assert_eq!(row.status, status, "{name}");
            assert_eq!(row.ready, ready, "{name}");
            assert_eq!(row.restarts, restarts, "{name}");
            assert_eq!(pod_status(&pod), status, "{name}");
        }
    }

    #[test]
    fn the_last_restart_is_the_latest_last_termination() {
        // printPod: RESTARTS "N (AGE ago)" uses the latest lastState.terminated.finishedAt of
        // any container.
        let mut p = pod(
            "Running",
            vec![
                (waiting("CrashLoopBackOff"), false, 3),
                (running(), true, 1),
            ],
            false,
        );
        let finished = [40_000, 25_000];
        for (c, at) in p
            .status
            .iter_mut()
            .flat_map(|s| s.container_statuses.iter_mut().flatten())
            .zip(finished)
        {
            c.last_state = Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    exit_code: 1,
                    reason: Some("Error".into()),
                    finished_at: Some(Time(kplay_core::time::timestamp(at).0)),
                    ..ContainerStateTerminated::default()
                }),
                ..ContainerState::default()
            });
        }
        let row = pod_row(&p);
        assert_eq!(
            (row.status.as_str(), row.restarts, row.last_restart),
            ("CrashLoopBackOff", 4, Some(40_000))
        );
    }
}
