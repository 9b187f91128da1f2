//! The scheduler: binds each pending pod to a node, as kube-scheduler's default profile would
//! for this small cluster.
//!
//! Filtering keeps the nodes a pod may run on: Ready and schedulable, every NoSchedule and
//! NoExecute taint tolerated (`TaintToleration`), the pod's nodeSelector matched
//! (`NodeAffinity`). Scoring spreads: first the fewest pods of the same owner (the default
//! `PodTopologySpread` constraint on `kubernetes.io/hostname`), then the fewest pods, then the
//! node name, so that a ReplicaSet's pods land on different workers deterministically.

use crate::kubelet::set_condition;
use crate::owner::controller_of;
use crate::pod;
use crate::store::{NodePods, Store};
use crate::types::{Node, Pod, PodStatus, Taint, Toleration};
use crate::vecmap::VecMap;
use crate::{Cluster, Kind, ObjectKey};
use std::collections::BTreeMap;

/// The scheduler's name in `spec.schedulerName` and in its events.
const SCHEDULER_NAME: &str = "default-scheduler";

/// Binds every pod that has no node yet, in creation order. Returns whether anything changed.
///
/// Deciding reads the store only; pods are copied just for the writes (a binding, or a new
/// reason to be unschedulable). A pod already marked unschedulable waits, as in the real
/// scheduler's unschedulable queue, until something happens that could make it fit
/// ([`retry_unschedulable`]) or it changes itself.
pub(crate) fn schedule_all(cluster: &mut Cluster) -> bool {
    let cursor = cluster.progress().scheduled_until;
    // Its own writes of this pass are read by the next (a pod it marked is looked at again).
    let head = cluster.store().feed().head();
    let retry = retry_unschedulable(cluster, cursor);
    let store = cluster.store();
    // Every other pod without a node was decided by an earlier pass and has not changed since:
    // it is bound, or waits marked unschedulable.
    let candidates: Vec<&Pod> = match retry {
        Retry::All => store.pods_on_node(None).collect(),
        Retry::Changed(keys) => {
            let pods = store.pods_at(keys).into_iter();
            pods.filter(|p| pod::node_name(p).is_none()).collect()
        }
    };
    let mut pending: Vec<&Pod> = candidates
        .into_iter()
        .filter(|p| !pod::is_terminating(p))
        .filter(|p| {
            let name = p.spec.as_ref().and_then(|s| s.scheduler_name.as_deref());
            name.is_none_or(|n| n == SCHEDULER_NAME)
        })
        .collect();
    if pending.is_empty() {
        cluster.progress_mut().scheduled_until = head;
        return false;
    }
    // The scheduling queue is FIFO for pods of equal priority.
    fn queue_key(p: &Pod) -> (Option<i64>, Option<&str>, Option<&str>) {
        (
            p.metadata.creation_timestamp.as_ref().map(|t| t.0),
            p.metadata.namespace.as_deref(),
            p.metadata.name.as_deref(),
        )
    }
    crate::sort::sort_by(&mut pending, |a, b| queue_key(a).cmp(&queue_key(b)));
    let nodes: Vec<&Node> = store.list::<Node>(None).collect();
    let mut loads = node_loads(store);
    let mut nowhere = None;
    let decisions: Vec<(Pod, Decision)> = pending
        .into_iter()
        .filter_map(|p| decide(p, &nodes, &mut loads, &mut nowhere).map(|d| (p.clone(), d)))
        .collect();
    cluster.progress_mut().scheduled_until = head;
    let changed = !decisions.is_empty();
    for (pod, decision) in decisions {
        match decision {
            Decision::Bind(node) => bind(cluster, pod, &node),
            Decision::Unschedulable(message) => unschedulable(cluster, pod, message),
        }
    }
    changed
}

/// Which pods without a node a scheduling pass looks at.
enum Retry<'a> {
    /// All of them, those marked unschedulable included.
    All,
    /// Only those changed since the last pass (with any other pod that changed).
    Changed(Vec<&'a ObjectKey>),
}

/// What the change feed says since the scheduler's last pass (at `cursor`) about pods it
/// found unschedulable: all are tried again when a node changed or a slot may have been freed
/// (a pod was removed or finished), as the real scheduler moves its unschedulable queue on
/// such cluster events; otherwise only the pods that changed themselves. A pod that fit no
/// node still fits none when only other pods were bound: the first reason each node refuses
/// it (cordoned, a taint, its nodeSelector, or full) stays the same.
fn retry_unschedulable(cluster: &Cluster, cursor: u64) -> Retry<'_> {
    let store = cluster.store();
    let (events, missed) = store.feed().since(cursor);
    if missed {
        return Retry::All;
    }
    let mut changed = Vec::new();
    for event in events {
        let key = &event.key;
        match key.kind {
            Kind::Node => return Retry::All,
            Kind::Pod => match store.get::<Pod>(&key.namespace, &key.name) {
                None => return Retry::All,
                Some(p) if matches!(pod::phase(p), "Succeeded" | "Failed") => return Retry::All,
                Some(_) => changed.push(key),
            },
            _ => {}
        }
    }
    Retry::Changed(changed)
}

/// What one node runs, as the scheduler's cache sees it.
#[derive(Debug, Default)]
struct NodeLoad<'a> {
    /// Pods bound to the node and not finished (terminating ones still hold their slot).
    pods: u32,
    /// Non-terminating pods per controller uid (what PodTopologySpread counts), borrowed from
    /// the store: counting allocates nothing.
    by_owner: VecMap<&'a str, u32>,
}

/// The scheduler's cache: what each node runs, as the store's node index keeps it, copied once
/// per scheduling round and kept up to date as pods are bound, so that a queue of many pending
/// pods costs pods x nodes.
fn node_loads(store: &Store) -> VecMap<&str, NodeLoad<'_>> {
    let loads = store
        .node_loads()
        .map(|(node, pods)| (node, NodeLoad::of(pods)));
    loads.collect()
}

impl<'a> NodeLoad<'a> {
    fn of(pods: &'a NodePods) -> NodeLoad<'a> {
        let by_owner = pods.by_owner.iter().map(|(owner, n)| (owner.as_str(), *n));
        NodeLoad {
            pods: pods.holding,
            by_owner: by_owner.collect(),
        }
    }
}

/// What the scheduler writes for one pending pod.
#[derive(Debug)]
enum Decision {
    /// Bind the pod to this node.
    Bind(String),
    /// No node fits, for a reason the pod does not show yet (this message).
    Unschedulable(String),
}

/// What a pod asks of a node, as the filters read it: its tolerations and nodeSelector.
type Needs<'a> = (
    Option<&'a [Toleration]>,
    Option<&'a BTreeMap<String, String>>,
);

fn needs(pod: &Pod) -> Needs<'_> {
    let spec = pod.spec.as_ref();
    (
        spec.and_then(|s| s.tolerations.as_deref()),
        spec.and_then(|s| s.node_selector.as_ref()),
    )
}

/// Filters and scores the nodes for `pod` (see the module documentation). `None` when there is
/// nothing to write: the pod stays unschedulable for the reason it already shows.
///
/// `nowhere` remembers what fit no node since the last bind, and why: a queue of pods that ask
/// the same and fit nowhere (a rollout waiting for old pods to free their slots) is filtered
/// once, not once per pod, since nothing a filter reads changed in between.
fn decide<'a>(
    pod: &'a Pod,
    nodes: &[&'a Node],
    loads: &mut VecMap<&'a str, NodeLoad<'a>>,
    nowhere: &mut Option<(Needs<'a>, String)>,
) -> Option<Decision> {
    let needs = needs(pod);
    if let Some((_, message)) = nowhere.as_ref().filter(|(asked, _)| *asked == needs) {
        return unschedulable_unless_shown(pod, message);
    }
    let node = match best_node(pod, nodes, loads) {
        Ok(node) => node,
        Err(message) => {
            let decision = unschedulable_unless_shown(pod, &message);
            *nowhere = Some((needs, message));
            return decision;
        }
    };
    *nowhere = None;
    let load = loads.entry_or_default(node);
    load.pods += 1;
    if let Some(owner) = controller_uid(pod) {
        *load.by_owner.entry_or_default(owner) += 1;
    }
    Some(Decision::Bind(node.to_string()))
}

/// Marks `pod` unschedulable with `message`, unless it already shows it (nothing to write).
fn unschedulable_unless_shown(pod: &Pod, message: &str) -> Option<Decision> {
    let shown =
        pod::condition(pod, "PodScheduled").is_some_and(|c| c.message.as_deref() == Some(message));
    (!shown).then(|| Decision::Unschedulable(message.to_string()))
}

/// The node `pod` goes to (fewest pods of its controller, then fewest pods, then name), or
/// the scheduler's message when none fits.
fn best_node<'a>(
    pod: &Pod,
    nodes: &[&'a Node],
    loads: &VecMap<&'a str, NodeLoad<'a>>,
) -> Result<&'a str, String> {
    let owner = controller_uid(pod);
    let mut reasons: VecMap<String, u32> = VecMap::new();
    let mut best: Option<(u32, u32, &str)> = None;
    for node in nodes {
        let name = node.metadata.name.as_deref().unwrap_or("");
        let load = loads.get(name);
        match unfit_reason(pod, node, load.map_or(0, |l| l.pods)) {
            Some(reason) => *reasons.entry_or_default(reason) += 1,
            None => {
                let same_owner = owner
                    .and_then(|o| load.and_then(|l| l.by_owner.get(o)))
                    .copied()
                    .unwrap_or(0);
                let score = (same_owner, load.map_or(0, |l| l.pods), name);
                if best.is_none_or(|b| score < b) {
                    best = Some(score);
                }
            }
        }
    }
    best.map(|(_, _, node)| node)
        .ok_or_else(|| fit_error(nodes.len(), &reasons))
}

/// Binds `pod` to `node` (PodScheduled True) with the scheduler's `Scheduled` event.
fn bind(cluster: &mut Cluster, mut pod: Pod, node: &str) {
    let now = cluster.now();
    prepare_status(&mut pod);
    let status = pod.status.get_or_insert_with(PodStatus::default);
    set_condition(status, "PodScheduled", "True", None, now);
    if let Some(spec) = pod.spec.as_mut() {
        spec.node_name = Some(node.to_string());
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

/// `NodeResourcesFit`'s reason when a node already runs its allocatable number of pods (110
/// on kind's nodes, the kubelet's default `maxPods`). Preemption could free a slot, so the
/// scheduler tries it (and, with every pod at priority 0, finds no victims).
const TOO_MANY_PODS: &str = "Too many pods";

/// Why `node`, running `pods` pods already, cannot take `pod`, in kube-scheduler's words, or
/// `None` if it can. The filters run in the default profile's order (NodeUnschedulable,
/// TaintToleration, NodeAffinity, NodeResourcesFit) and the first failure is the reason.
fn unfit_reason(pod: &Pod, node: &Node, pods: u32) -> Option<String> {
    let spec = node.spec.as_ref();
    let tolerations = pod
        .spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or_default();
    // NodeUnschedulable: a cordoned node takes only pods that tolerate
    // `node.kubernetes.io/unschedulable:NoSchedule` (DaemonSet pods do).
    if spec.and_then(|s| s.unschedulable) == Some(true) {
        let cordon = Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        if !tolerations.iter().any(|t| tolerates(t, &cordon)) {
            return Some("node(s) were unschedulable".into());
        }
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
    for taint in spec.and_then(|s| s.taints.as_deref()).unwrap_or_default() {
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
    let labels = node.metadata.labels.as_ref();
    let selected = selector
        .into_iter()
        .flatten()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
    if !selected {
        return Some("node(s) didn't match Pod's node affinity/selector".into());
    }
    let allocatable = node
        .status
        .as_ref()
        .and_then(|s| s.allocatable.as_ref())
        .and_then(|a| a.get("pods"))
        .and_then(|q| q.0.parse::<u32>().ok());
    if allocatable.is_some_and(|max| pods >= max) {
        return Some(TOO_MANY_PODS.into());
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

fn controller_uid(pod: &Pod) -> Option<&str> {
    controller_of(&pod.metadata).map(|r| r.uid.as_str())
}

/// The scheduler's `FitError` message when no node fits, e.g.
/// `0/4 nodes are available: 1 node(s) had untolerated taint {...}, 3 Too many pods.
/// preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No
/// preemption victims found for incoming pod.` (both lists sorted, as `FitError.Error` does):
/// preemption cannot help on a node whose failure no eviction resolves.
fn fit_error(nodes: usize, reasons: &VecMap<String, u32>) -> String {
    let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    crate::sort::sort(&mut parts);
    let victims_possible = reasons.get(TOO_MANY_PODS).copied().unwrap_or(0);
    let not_helpful = u32::try_from(nodes)
        .unwrap_or(u32::MAX)
        .saturating_sub(victims_possible);
    let mut preemption = Vec::new();
    if not_helpful > 0 {
        preemption.push(format!(
            "{not_helpful} Preemption is not helpful for scheduling"
        ));
    }
    if victims_possible > 0 {
        preemption.push(format!(
            "{victims_possible} No preemption victims found for incoming pod"
        ));
    }
    crate::sort::sort(&mut preemption);
    format!(
        "0/{nodes} nodes are available: {}. preemption: 0/{nodes} nodes are available: {}.",
        parts.join(", "),
        preemption.join(", ")
    )
}

/// No node fits: PodScheduled False, reason Unschedulable, with the `FailedScheduling` event.
fn unschedulable(cluster: &mut Cluster, mut pod: Pod, message: String) {
    let now = cluster.now();
    prepare_status(&mut pod);
    let status = pod.status.get_or_insert_with(PodStatus::default);
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
            ..Default::default()
        }
    }

    fn toleration(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: (!key.is_empty()).then(|| key.to_string()),
            operator: (!op.is_empty()).then(|| op.to_string()),
            value: (!value.is_empty()).then(|| value.to_string()),
            effect: (!effect.is_empty()).then(|| effect.to_string()),
            toleration_seconds: None,
            ..Default::default()
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

    #[test]
    fn cordoned_nodes_take_no_new_pods() {
        // kind's four nodes with every worker cordoned, as kube-scheduler v1.32 words it.
        let node = |name: &str, cordoned: bool, control_plane: bool| Node {
            metadata: crate::types::ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(crate::types::NodeSpec {
                unschedulable: cordoned.then_some(true),
                taints: control_plane.then(|| {
                    vec![taint(
                        "node-role.kubernetes.io/control-plane",
                        "",
                        "NoSchedule",
                    )]
                }),
                ..Default::default()
            }),
            status: Some(crate::types::NodeStatus {
                conditions: Some(vec![crate::types::NodeCondition {
                    type_: "Ready".into(),
                    status: "True".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let nodes = [
            node("kplay-control-plane", false, true),
            node("kplay-worker", true, false),
            node("kplay-worker2", true, false),
            node("kplay-worker3", true, false),
        ];
        let pod = Pod::default();
        let mut reasons: VecMap<String, u32> = VecMap::new();
        for n in &nodes {
            if let Some(r) = unfit_reason(&pod, n, 0) {
                *reasons.entry_or_default(r) += 1;
            }
        }
        assert_eq!(
            fit_error(nodes.len(), &reasons),
            "0/4 nodes are available: 1 node(s) had untolerated taint \
             {node-role.kubernetes.io/control-plane: }, 3 node(s) were unschedulable. \
             preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
        );
        let tolerant = Pod {
            spec: Some(crate::types::PodSpec {
                tolerations: Some(vec![toleration(
                    "node.kubernetes.io/unschedulable",
                    "Exists",
                    "",
                    "NoSchedule",
                )]),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(unfit_reason(&tolerant, &nodes[1], 0), None);
    }
}
