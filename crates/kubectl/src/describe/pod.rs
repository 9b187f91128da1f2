//! The Pod describer and its container states, as describe.go (v1.32) writes them.

use super::pod_template::{describe_containers, describe_volumes, tolerations_multiline};
use super::{
    annotations_multiline, controlled_by, describe_events, events_for, labels_multiline, rfc1123z,
    Writer,
};
use crate::printers::table::age;
use kplay_core::store::Store;
use kplay_core::types::{ContainerState, Pod, ToJson};
use kplay_core::Millis;

/// `describePod`.
pub(super) fn pod(w: &mut Writer, store: &Store, p: &Pod, now: Millis) {
    let meta = &p.metadata;
    let spec = p.spec.clone().unwrap_or_default();
    let status = p.status.clone().unwrap_or_default();
    w.field(0, "Name", meta.name.as_deref().unwrap_or(""));
    w.field(0, "Namespace", meta.namespace.as_deref().unwrap_or(""));
    if let Some(priority) = spec.priority {
        w.field(0, "Priority", &priority.to_string());
    }
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.field(0, "Service Account", sa);
    }
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        None => w.field(0, "Node", "<none>"),
        Some(node) => w.field(
            0,
            "Node",
            &format!("{node}/{}", status.host_ip.as_deref().unwrap_or("")),
        ),
    }
    if let Some(start) = &status.start_time {
        w.field(0, "Start Time", &rfc1123z(start));
    }
    labels_multiline(w, "Labels", meta.labels.as_ref());
    annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    let phase = status.phase.as_deref().unwrap_or("");
    match &meta.deletion_timestamp {
        Some(deleted) if phase != "Failed" && phase != "Succeeded" => {
            w.field(
                0,
                "Status",
                &format!("Terminating (lasts {})", age(Some(deleted), now)),
            );
            w.field(
                0,
                "Termination Grace Period",
                &format!("{}s", meta.deletion_grace_period_seconds.unwrap_or(0)),
            );
        }
        _ => w.field(0, "Status", phase),
    }
    if let Some(reason) = status.reason.as_deref().filter(|r| !r.is_empty()) {
        w.field(0, "Reason", reason);
    }
    if let Some(message) = status.message.as_deref().filter(|m| !m.is_empty()) {
        w.field(0, "Message", message);
    }
    w.field(0, "IP", status.pod_ip.as_deref().unwrap_or(""));
    match status.pod_ips.as_ref().filter(|ips| !ips.is_empty()) {
        None => w.field(0, "IPs", "<none>"),
        Some(ips) => {
            w.write(0, "IPs:\n");
            for ip in ips {
                w.field(1, "IP", &ip.ip);
            }
        }
    }
    if let Some(owner) = controlled_by(meta) {
        w.field(0, "Controlled By", &owner);
    }
    if let Some(nominated) = status
        .nominated_node_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        w.field(0, "NominatedNodeName", nominated);
    }
    // The spec as JSON shows the fields kplay does not type (env, volumeMounts, volumes).
    let pod_json = p.to_json();
    let spec_json = &pod_json["spec"];
    if spec_json["initContainers"]
        .as_array()
        .is_some_and(|c| !c.is_empty())
    {
        let statuses = status.init_container_statuses.clone().unwrap_or_default();
        describe_containers(
            w,
            "Init Containers",
            &spec_json["initContainers"],
            Some(&statuses),
            Some(&pod_json),
            "",
        );
    }
    let statuses = status.container_statuses.clone().unwrap_or_default();
    describe_containers(
        w,
        "Containers",
        &spec_json["containers"],
        Some(&statuses),
        Some(&pod_json),
        "",
    );
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let status = status
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == g.condition_type)
                .map_or("<none>", |c| c.status.as_str());
            w.write(1, &format!("{} \t{status} \n", g.condition_type));
        }
    }
    if let Some(conditions) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.write(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    describe_volumes(w, &spec_json["volumes"], "");
    w.field(0, "QoS Class", &qos_class(p));
    labels_multiline(w, "Node-Selectors", spec.node_selector.as_ref());
    tolerations_multiline(w, "Tolerations", &spec_json["tolerations"]);
    describe_events(w, events_for(store, None, meta), now);
}

/// `qos.GetPodQOS`: the status's class, else computed from the containers' resources:
/// BestEffort without any request or limit, Guaranteed when every container limits CPU and
/// memory and requests what it limits, Burstable otherwise.
fn qos_class(p: &Pod) -> String {
    if let Some(class) = p
        .status
        .as_ref()
        .and_then(|s| s.qos_class.clone())
        .filter(|c| !c.is_empty())
    {
        return class;
    }
    let containers = p.spec.as_ref().map_or(&[][..], |s| s.containers.as_slice());
    let resources: Vec<_> = containers
        .iter()
        .map(|c| c.resources.clone().unwrap_or_default())
        .collect();
    let any = resources.iter().any(|r| {
        r.requests.as_ref().is_some_and(|m| !m.is_empty())
            || r.limits.as_ref().is_some_and(|m| !m.is_empty())
    });
    if !any {
        return "BestEffort".into();
    }
    let guaranteed = resources.iter().all(|r| {
        let limits = r.limits.clone().unwrap_or_default();
        ["cpu", "memory"].iter().all(|name| {
            let limit = limits.get(*name);
            let request = r.requests.as_ref().and_then(|m| m.get(*name)).or(limit);
            limit.is_some() && request == limit
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
    .into()
}

/// `describeStatus`: Running with its start, Waiting with its reason, Terminated with reason,
/// exit code and times; no state at all prints as Waiting.
pub(super) fn describe_state(w: &mut Writer, title: &str, state: Option<&ContainerState>) {
    let state = state.cloned().unwrap_or_default();
    if let Some(running) = &state.running {
        w.field(2, title, "Running");
        w.field(
            3,
            "Started",
            &rfc1123z(&running.started_at.unwrap_or_default()),
        );
    } else if let Some(waiting) = &state.waiting {
        w.field(2, title, "Waiting");
        if let Some(reason) = waiting.reason.as_deref().filter(|r| !r.is_empty()) {
            w.field(3, "Reason", reason);
        }
    } else if let Some(t) = &state.terminated {
        w.field(2, title, "Terminated");
        if let Some(reason) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.field(3, "Reason", reason);
        }
        if let Some(message) = t.message.as_deref().filter(|m| !m.is_empty()) {
            w.field(3, "Message", message);
        }
        w.field(3, "Exit Code", &t.exit_code.to_string());
        if let Some(signal) = t.signal.filter(|s| *s > 0) {
            w.field(3, "Signal", &signal.to_string());
        }
        w.field(3, "Started", &rfc1123z(&t.started_at.unwrap_or_default()));
        w.field(3, "Finished", &rfc1123z(&t.finished_at.unwrap_or_default()));
    } else {
        w.field(2, title, "Waiting");
    }
}
