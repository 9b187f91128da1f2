//! The scheduler: binds each pending pod to a node, as kube-scheduler's default profile would
//! for this small cluster.
//!
//! Filtering keeps the nodes a pod may run on: Ready and schedulable, every NoSchedule and
//! NoExecute taint tolerated (`TaintToleration`), the pod's nodeSelector matched
//! (`NodeAffinity`). Scoring spreads: first the fewest pods of the same owner (the default
//! `PodTopologySpread` constraint on `kubernetes.io/hostname`), then the fewest pods, then the
//! node name, so that a ReplicaSet's pods land on different workers deterministically.

use crate::kubelet::set_condition;
use crate::pod;
use crate::time::Millis;
use crate::Cluster;
use k8s_openapi::api::core::v1::{Node, Pod, PodStatus, Taint, Toleration};
use std::collections::BTreeMap;

/// The scheduler's name in `spec.schedulerName` and in its events.
const SCHEDULER_NAME: &str = "default-scheduler";

/// Binds every pod that has no node yet, in creation order. Returns whether anything changed.
pub(crate) fn schedule_all(cluster: &mut Cluster) -> bool {
    let before = cluster.store().resource_version();
    let mut pending: Vec<Pod> = cluster
        .store()
        .list::<Pod>(None)
        .filter(|p| node_of(p).is_none() && !pod::is_terminating(p))
        .filter(|p| {
            let name = p.spec.as_ref().and_then(|s| s.scheduler_name.as_deref());
            name.is_none_or(|n| n == SCHEDULER_NAME)
        })
        .cloned()
        .collect();
    // The scheduling queue is FIFO for pods of equal priority.
    pending.sort_by(|a, b| {
        let key = |p: &Pod| {
            (
                p.metadata.creation_timestamp.as_ref().map(|t| t.0),
                p.metadata.namespace.clone(),
                p.metadata.name.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    for pod in pending {
        schedule_one(cluster, pod);
    }
    cluster.store().resource_version() != before
}

fn node_of(pod: &Pod) -> Option<&str> {
    pod.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .filter(|n| !n.is_empty())
}

fn schedule_one(cluster: &mut Cluster, mut pod: Pod) {
    let now = cluster.now();
    let nodes: Vec<Node> = cluster.store().list::<Node>(None).cloned().collect();
    let mut reasons: BTreeMap<String, u32> = BTreeMap::new();
    let mut feasible = Vec::new();
    for node in &nodes {
        match unfit_reason(&pod, node) {
            Some(reason) => *reasons.entry(reason).or_default() += 1,
            None => feasible.push(node),
        }
    }
    let best = feasible
        .iter()
        .min_by_key(|node| {
            let name = node.metadata.name.clone().unwrap_or_default();
            let (same_owner, all) = pods_on(cluster, &pod, &name);
            (same_owner, all, name)
        })
        .and_then(|node| node.metadata.name.clone());
    prepare_status(&mut pod);
    let Some(node) = best else {
        unschedulable(cluster, pod, nodes.len(), &reasons, now);
        return;
    };
    let status = pod.status.get_or_insert_with(PodStatus::default);
    set_condition(status, "PodScheduled", "True", None, now);
    if let Some(spec) = pod.spec.as_mut() {
        spec.node_name = Some(node.clone());
    }
    let message = format!(
        "Successfully assigned {}/{} to {node}",
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.name.as_deref().unwrap_or("")
    );
    if let Some(bound) = cluster.write(pod) {
        let object = crate::api::ApiObject::into_object(bound);
        cluster.record_event(&object, "Normal", "Scheduled", message, SCHEDULER_NAME);
    }
}

/// The status the API server gives a new pod (`PrepareForCreate`: phase Pending and the QoS
/// class), filled in if the pod does not have it yet. The kubelet uses it too, for pods
/// created with `spec.nodeName` already set, which never pass through the scheduler.
pub(crate) fn prepare_status(pod: &mut Pod) {
    let qos = pod_qos(pod);
    let status = pod.status.get_or_insert_with(PodStatus::default);
    status.phase.get_or_insert_with(|| "Pending".into());
    status.qos_class.get_or_insert(qos);
}

/// `GetPodQOS`, simplified to what the playground's pods use: no requests or limits at all is
/// BestEffort; limits equal to requests for cpu and memory in every container is Guaranteed.
fn pod_qos(pod: &Pod) -> String {
    let containers = pod.spec.iter().flat_map(|s| s.containers.iter());
    let mut any = false;
    let mut guaranteed = true;
    for container in containers {
        let resources = container.resources.clone().unwrap_or_default();
        let requests = resources.requests.unwrap_or_default();
        let limits = resources.limits.unwrap_or_default();
        any |= !requests.is_empty() || !limits.is_empty();
        for resource in ["cpu", "memory"] {
            let limit = limits.get(resource);
            let request = requests.get(resource).or(limit);
            guaranteed &= limit.is_some() && request == limit;
        }
    }
    match (any, guaranteed) {
        (false, _) => "BestEffort",
        (true, true) => "Guaranteed",
        (true, false) => "Burstable",
    }
    .to_string()
}

/// Why `node` cannot take `pod`, in kube-scheduler's words, or `None` if it can.
fn unfit_reason(pod: &Pod, node: &Node) -> Option<String> {
    let spec = node.spec.clone().unwrap_or_default();
    if spec.unschedulable == Some(true) {
        return Some("node(s) were unschedulable".into());
    }
    let ready = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True");
    if !ready {
        return Some("node(s) had untolerated taint {node.kubernetes.io/not-ready: }".into());
    }
    let tolerations = pod
        .spec
        .as_ref()
        .and_then(|s| s.tolerations.clone())
        .unwrap_or_default();
    for taint in spec.taints.iter().flatten() {
        let blocks = matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute");
        if blocks && !tolerations.iter().any(|t| tolerates(t, taint)) {
            return Some(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.as_deref().unwrap_or("")
            ));
        }
    }
    let selector = pod.spec.as_ref().and_then(|s| s.node_selector.as_ref());
    let labels = node.metadata.labels.clone().unwrap_or_default();
    let selected = selector
        .into_iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    if !selected {
        return Some("node(s) didn't match Pod's node affinity/selector".into());
    }
    None
}

/// `Toleration.ToleratesTaint`: same effect (or any), and the key matched by `Exists` or
/// equal key and value (`Equal`, the default operator).
fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    let effect_ok = toleration
        .effect
        .as_deref()
        .is_none_or(|e| e.is_empty() || e == taint.effect);
    let key = toleration.key.as_deref().unwrap_or("");
    if !effect_ok || (!key.is_empty() && key != taint.key) {
        return false;
    }
    match toleration.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" => {
            !key.is_empty()
                && toleration.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
        }
        _ => false,
    }
}

/// How many pods of the same controller (not terminating, as PodTopologySpread counts them)
/// and how many pods in all (terminating ones still hold their resources) are bound to `node`.
fn pods_on(cluster: &Cluster, pod: &Pod, node: &str) -> (u32, u32) {
    let owner = controller_uid(pod);
    let mut same = 0;
    let mut all = 0;
    for other in cluster.store().list::<Pod>(None) {
        if node_of(other) != Some(node) || matches!(pod::phase(other), "Succeeded" | "Failed") {
            continue;
        }
        all += 1;
        if owner.is_some() && controller_uid(other) == owner && !pod::is_terminating(other) {
            same += 1;
        }
    }
    (same, all)
}

fn controller_uid(pod: &Pod) -> Option<&str> {
    pod.metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.as_str())
}

/// No node fits: PodScheduled False with the scheduler's `FitError` message, e.g.
/// `0/4 nodes are available: 1 node(s) had untolerated taint {...}, 3 node(s) didn't match
/// Pod's node affinity/selector. preemption: ...` (reasons sorted, as `FitError.Error` does).
fn unschedulable(
    cluster: &mut Cluster,
    mut pod: Pod,
    nodes: usize,
    reasons: &BTreeMap<String, u32>,
    now: Millis,
) {
    let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    let message = format!(
        "0/{nodes} nodes are available: {}. preemption: 0/{nodes} nodes are available: \
         {nodes} Preemption is not helpful for scheduling.",
        parts.join(", ")
    );
    let status = pod.status.get_or_insert_with(PodStatus::default);
    let unchanged = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "PodScheduled" && c.message.as_deref() == Some(message.as_str()));
    if unchanged {
        return;
    }
    let reason = ("Unschedulable".to_string(), message.clone());
    set_condition(status, "PodScheduled", "False", Some(&reason), now);
    if let Some(written) = cluster.write(pod) {
        let object = crate::api::ApiObject::into_object(written);
        cluster.record_event(
            &object,
            "Warning",
            "FailedScheduling",
            message,
            SCHEDULER_NAME,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: (!value.is_empty()).then(|| value.to_string()),
            effect: effect.into(),
            time_added: None,
        }
    }

    fn toleration(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: (!key.is_empty()).then(|| key.to_string()),
            operator: (!op.is_empty()).then(|| op.to_string()),
            value: (!value.is_empty()).then(|| value.to_string()),
            effect: (!effect.is_empty()).then(|| effect.to_string()),
            toleration_seconds: None,
        }
    }

    #[test]
    fn tolerations_match_taints_as_kubernetes_does() {
        let cp = taint("node-role.kubernetes.io/control-plane", "", "NoSchedule");
        let table = [
            (
                "exists on key",
                toleration("node-role.kubernetes.io/control-plane", "Exists", "", ""),
                true,
            ),
            (
                "exists on everything",
                toleration("", "Exists", "", ""),
                true,
            ),
            (
                "equal with empty value",
                toleration(
                    "node-role.kubernetes.io/control-plane",
                    "Equal",
                    "",
                    "NoSchedule",
                ),
                true,
            ),
            (
                "other effect",
                toleration(
                    "node-role.kubernetes.io/control-plane",
                    "Exists",
                    "",
                    "NoExecute",
                ),
                false,
            ),
            (
                "other key",
                toleration("node.kubernetes.io/not-ready", "Exists", "", ""),
                false,
            ),
            (
                "other value",
                toleration("node-role.kubernetes.io/control-plane", "Equal", "x", ""),
                false,
            ),
        ];
        for (name, t, expected) in table {
            assert_eq!(tolerates(&t, &cp), expected, "{name}");
        }
    }
}
