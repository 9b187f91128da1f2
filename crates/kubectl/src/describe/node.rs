//! The Node describer (`describeNode` and `describeNodeResource` in describe.go, v1.32).

use super::quantity::Quantity;
use super::{
    annotations_multiline, describe_events, events_for, labels_multiline, rfc1123z, Writer,
};
use crate::printers::table::age;
use kplay_core::store::Store;
use kplay_core::time::{millis_of, timestamp};
use kplay_core::types::{Node, Pod};
use kplay_core::{Kind, Millis};
use std::collections::BTreeMap;

/// How often the kubelet renews its node Lease (`renewInterval`: a quarter of the 40 s
/// lease duration, pkg/kubelet/nodelease), which the Lease section's RenewTime reflects.
const LEASE_RENEW_MS: Millis = 10_000;

/// `describeNode`.
pub(super) fn node(w: &mut Writer, store: &Store, n: &Node, now: Millis) {
    let meta = &n.metadata;
    let name = meta.name.as_deref().unwrap_or("");
    let spec = n.spec.clone().unwrap_or_default();
    let status = n.status.clone().unwrap_or_default();
    w.field(0, "Name", name);
    let roles = roles(meta.labels.as_ref());
    w.field(0, "Roles", if roles.is_empty() { "<none>" } else { &roles });
    labels_multiline(w, "Labels", meta.labels.as_ref());
    annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    let created = meta.creation_timestamp.unwrap_or_default();
    w.field(0, "CreationTimestamp", &rfc1123z(&created));
    w.write(0, "Taints:\t");
    let mut taints = spec.taints.clone().unwrap_or_default();
    if taints.is_empty() {
        w.write(0, "<none>\n");
    }
    kplay_core::sort::sort_by(&mut taints, |a, b| {
        (a.effect.as_str(), a.key.as_str()).cmp(&(b.effect.as_str(), b.key.as_str()))
    });
    for (i, t) in taints.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        // Taint.ToString: key[=value]:effect.
        let value = t.value.as_deref().filter(|v| !v.is_empty());
        let key = value.map_or(t.key.clone(), |v| format!("{}={v}", t.key));
        w.write(0, &format!("{key}:{}\n", t.effect));
    }
    w.field(
        0,
        "Unschedulable",
        &spec.unschedulable.unwrap_or(false).to_string(),
    );
    // The kubelet's Lease in kube-node-lease, renewed every 10 s since the node started.
    let created_ms = millis_of(&created);
    let renewed = now - (now.saturating_sub(created_ms)) % LEASE_RENEW_MS;
    w.write(0, "Lease:\n");
    w.field(1, "HolderIdentity", name);
    w.field(1, "AcquireTime", "<unset>");
    w.field(1, "RenewTime", &rfc1123z(&timestamp(renewed)));
    if let Some(conditions) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    rfc1123z(&c.last_heartbeat_time.unwrap_or_default()),
                    rfc1123z(&c.last_transition_time.unwrap_or_default()),
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    for a in status.addresses.iter().flatten() {
        w.field(1, &a.type_, &a.address);
    }
    for (title, list) in [
        ("Capacity", &status.capacity),
        ("Allocatable", &status.allocatable),
    ] {
        if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
            w.write(0, &format!("{title}:\n"));
            for (resource, value) in list {
                w.field(1, resource, &Quantity::parse(&value.0).to_string());
            }
        }
    }
    let info = status.node_info.clone().unwrap_or_default();
    w.write(0, "System Info:\n");
    for (title, value) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        w.field(1, title, value);
    }
    if let Some(cidr) = spec.pod_cidr.as_deref().filter(|c| !c.is_empty()) {
        w.field(0, "PodCIDR", cidr);
    }
    if let Some(cidrs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.field(0, "PodCIDRs", &cidrs.join(","));
    }
    if let Some(id) = spec.provider_id.as_deref().filter(|c| !c.is_empty()) {
        w.field(0, "ProviderID", id);
    }
    let allocatable = status
        .allocatable
        .clone()
        .filter(|a| !a.is_empty())
        .or(status.capacity.clone())
        .unwrap_or_default();
    let pods: Vec<&Pod> = store
        .list::<Pod>(None)
        .filter(|p| kplay_core::pod::node_name(p) == Some(name))
        .filter(|p| !matches!(kplay_core::pod::phase(p), "Succeeded" | "Failed"))
        .collect();
    node_resources(w, &pods, &allocatable, now);
    describe_events(w, events_for(store, Some(Kind::Node), meta), now);
}

/// `findNodeRoles`: `node-role.kubernetes.io/ROLE` labels and `kubernetes.io/role`, sorted.
fn roles(labels: Option<&BTreeMap<String, String>>) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in labels.into_iter().flatten() {
        if let Some(role) = k
            .strip_prefix("node-role.kubernetes.io/")
            .filter(|r| !r.is_empty())
        {
            roles.push(role.to_string());
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    kplay_core::sort::sort(&mut roles);
    roles.dedup();
    roles.join(",")
}

/// A pod's total requests and limits of one resource (`resourcehelper.PodRequestsAndLimits`:
/// the sum over its containers, at least the largest init container's).
fn pod_total(p: &Pod, resource: &str) -> (Quantity, Quantity) {
    let spec = p.spec.clone().unwrap_or_default();
    let of = |c: &kplay_core::types::Container, limits: bool| {
        let r = c.resources.clone().unwrap_or_default();
        let list = if limits { r.limits } else { r.requests };
        list.and_then(|l| l.get(resource).map(|q| Quantity::parse(&q.0)))
            .unwrap_or_default()
    };
    let mut totals = (Quantity::default(), Quantity::default());
    for c in &spec.containers {
        totals = (totals.0.add(of(c, false)), totals.1.add(of(c, true)));
    }
    for c in spec.init_containers.iter().flatten() {
        let (request, limit) = (of(c, false), of(c, true));
        if request.milli > totals.0.milli {
            totals.0 = request;
        }
        if limit.milli > totals.1.milli {
            totals.1 = limit;
        }
    }
    totals
}

/// `value (N%)` of the allocatable amount, truncated as kubectl's `int64(fraction)` does.
fn with_percent(value: Quantity, allocatable: Quantity) -> String {
    let percent = if allocatable.milli == 0 {
        0
    } else {
        value.milli.saturating_mul(100) / allocatable.milli
    };
    format!("{value} ({percent}%)")
}

/// `describeNodeResource`: the non-terminated pods with their requests and limits, then the
/// node's allocated totals.
fn node_resources(
    w: &mut Writer,
    pods: &[&Pod],
    allocatable: &BTreeMap<String, kplay_core::types::Quantity>,
    now: Millis,
) {
    let alloc = |name: &str| {
        allocatable
            .get(name)
            .map(|q| Quantity::parse(&q.0))
            .unwrap_or_default()
    };
    w.field(
        0,
        "Non-terminated Pods",
        &format!("({} in total)", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut totals: kplay_core::vecmap::VecMap<&str, (Quantity, Quantity)> = Default::default();
    for p in pods {
        let mut cells = vec![
            p.metadata.namespace.clone().unwrap_or_default(),
            p.metadata.name.clone().unwrap_or_default(),
            String::new(),
        ];
        for resource in ["cpu", "memory", "ephemeral-storage"] {
            let (request, limit) = pod_total(p, resource);
            let total = totals.entry_or_default(resource);
            *total = (total.0.add(request), total.1.add(limit));
            if resource != "ephemeral-storage" {
                cells.push(with_percent(request, alloc(resource)));
                cells.push(with_percent(limit, alloc(resource)));
            }
        }
        cells.push(age(p.metadata.creation_timestamp.as_ref(), now));
        w.write(1, &format!("{}\n", cells.join("\t")));
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    for resource in ["cpu", "memory", "ephemeral-storage"] {
        let (request, limit) = totals.get(resource).copied().unwrap_or_default();
        let a = alloc(resource);
        w.write(
            1,
            &format!(
                "{resource}\t{}\t{}\n",
                with_percent(request, a),
                with_percent(limit, a)
            ),
        );
    }
    for resource in allocatable.keys().filter(|k| k.starts_with("hugepages-")) {
        let a = alloc(resource);
        let zero = with_percent(Quantity::default(), a);
        w.write(1, &format!("{resource}\t{zero}\t{zero}\n"));
    }
}
