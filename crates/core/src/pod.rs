//! Facts about a pod that several controllers need (`podutil` in Kubernetes).

use crate::time::{millis_of, Millis, SECOND};
use crate::types::Pod;

/// The pod's condition of `type_`, with its status (`"True"`, `"False"`, `"Unknown"`) and
/// last transition time.
pub fn condition<'a>(pod: &'a Pod, type_: &str) -> Option<&'a crate::types::PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

/// Whether the pod's Ready condition is True (`podutil.IsPodReady`).
pub fn is_ready(pod: &Pod) -> bool {
    condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

/// Whether the pod is available: Ready for at least `min_ready_seconds`
/// (`podutil.IsPodAvailable`: Ready and `lastTransitionTime + minReadySeconds < now`).
pub fn is_available(pod: &Pod, min_ready_seconds: i32, now: Millis) -> bool {
    let Some(ready) = condition(pod, "Ready").filter(|c| c.status == "True") else {
        return false;
    };
    if min_ready_seconds <= 0 {
        return true;
    }
    let since = ready.last_transition_time.as_ref().map_or(0, millis_of);
    let min_ready = Millis::try_from(min_ready_seconds).unwrap_or(0) * SECOND;
    since + min_ready < now
}

/// Whether the pod is being deleted (`deletionTimestamp` set).
pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// The pod's phase (`Pending` when the status is not written yet).
pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

/// Whether the pod counts for its ReplicaSet (`controller.IsPodActive`): not Succeeded or
/// Failed, and not being deleted.
pub fn is_active(pod: &Pod) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && !is_terminating(pod)
}

/// The node the pod is bound to (`spec.nodeName`), if any.
pub fn node_name(pod: &Pod) -> Option<&str> {
    pod.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .filter(|n| !n.is_empty())
}
