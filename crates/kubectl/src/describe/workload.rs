//! The Deployment and ReplicaSet describers, as describe.go
//! (v1.32) writes them.

use super::pod_template::describe_pod_template;
use super::{
    annotations_multiline, controlled_by, describe_events, events_for, labels_multiline, rfc1123z,
    Writer,
};
use crate::labels::{format_selector, selector_matches};
use kplay_core::controller::equal_ignore_hash;
use kplay_core::store::Store;
use kplay_core::types::{Deployment, IntOrString, Pod, ReplicaSet, ToJson};
use kplay_core::{Kind, Millis};

/// `describeDeployment`.
pub(super) fn deployment(w: &mut Writer, store: &Store, d: &Deployment, now: Millis) {
    let meta = &d.metadata;
    let spec = d.spec.clone().unwrap_or_default();
    let status = d.status.clone().unwrap_or_default();
    w.field(0, "Name", meta.name.as_deref().unwrap_or(""));
    w.field(0, "Namespace", meta.namespace.as_deref().unwrap_or(""));
    w.field(
        0,
        "CreationTimestamp",
        &rfc1123z(&meta.creation_timestamp.unwrap_or_default()),
    );
    labels_multiline(w, "Labels", meta.labels.as_ref());
    annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    w.field(0, "Selector", &format_selector(Some(&spec.selector)));
    w.field(
        0,
        "Replicas",
        &format!(
            "{} desired | {} updated | {} total | {} available | {} unavailable",
            spec.replicas.unwrap_or(1),
            status.updated_replicas.unwrap_or(0),
            status.replicas.unwrap_or(0),
            status.available_replicas.unwrap_or(0),
            status.unavailable_replicas.unwrap_or(0)
        ),
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    w.field(0, "StrategyType", strategy.type_.as_deref().unwrap_or(""));
    w.field(
        0,
        "MinReadySeconds",
        &spec.min_ready_seconds.unwrap_or(0).to_string(),
    );
    if let Some(ru) = &strategy.rolling_update {
        w.field(
            0,
            "RollingUpdateStrategy",
            &format!(
                "{} max unavailable, {} max surge",
                int_or_string(ru.max_unavailable.as_ref()),
                int_or_string(ru.max_surge.as_ref())
            ),
        );
    }
    describe_pod_template(w, Some(&spec.template.to_json()));
    if let Some(conditions) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in conditions {
            let reason = c.reason.as_deref().unwrap_or("");
            w.write(1, &format!("{} \t{}\t{reason}\n", c.type_, c.status));
        }
    }
    let (old, new) = replica_sets_of(store, d);
    if !old.is_empty() || new.is_some() {
        w.field(0, "OldReplicaSets", &replica_sets_by_labels(&old));
        w.field(
            0,
            "NewReplicaSet",
            &replica_sets_by_labels(&new.into_iter().collect::<Vec<_>>()),
        );
    }
    describe_events(w, events_for(store, Some(Kind::Deployment), meta), now);
}

/// `intstr.IntOrString.String()`; an unset bound prints as Go's zero value.
fn int_or_string(value: Option<&IntOrString>) -> String {
    match value {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "0".to_string(),
    }
}

/// kubectl's `deploymentutil.GetAllReplicaSetsInChunks`: the Deployment's ReplicaSets (by
/// controller reference) oldest first; the new one is the oldest whose template equals the
/// Deployment's apart from the pod-template-hash label, every other one is old.
fn replica_sets_of<'a>(
    store: &'a Store,
    d: &'a Deployment,
) -> (Vec<&'a ReplicaSet>, Option<&'a ReplicaSet>) {
    let uid = d.metadata.uid.as_deref().unwrap_or("");
    let mut owned: Vec<&ReplicaSet> = store
        .list::<ReplicaSet>(d.metadata.namespace.as_deref())
        .filter(|rs| kplay_core::owner::is_controlled_by(&rs.metadata, uid))
        .collect();
    kplay_core::sort::sort_by(&mut owned, |a, b| {
        (a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
    });
    // kubectl's own copy of `EqualIgnoreHash` (`pkg/util/deployment`) is the controller's.
    let template = d.spec.as_ref().map(|s| &s.template);
    let new = owned.iter().position(|rs| {
        let rs_template = rs.spec.as_ref().and_then(|s| s.template.as_ref());
        match (rs_template, template) {
            (Some(a), Some(b)) => equal_ignore_hash(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    });
    let new_rs = new.and_then(|i| owned.get(i).copied());
    let old = owned
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != new)
        .map(|(_, rs)| *rs)
        .collect();
    (old, new_rs)
}

/// `printReplicaSetsByLabels`: `name (current/desired replicas created)`, comma-joined.
fn replica_sets_by_labels(sets: &[&ReplicaSet]) -> String {
    if sets.is_empty() {
        return "<none>".to_string();
    }
    sets.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name.as_deref().unwrap_or(""),
                rs.status.as_ref().map_or(0, |s| s.replicas),
                rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `describeReplicaSet`.
pub(super) fn replica_set(w: &mut Writer, store: &Store, rs: &ReplicaSet, now: Millis) {
    let meta = &rs.metadata;
    let spec = rs.spec.clone().unwrap_or_default();
    let status = rs.status.clone().unwrap_or_default();
    w.field(0, "Name", meta.name.as_deref().unwrap_or(""));
    w.field(0, "Namespace", meta.namespace.as_deref().unwrap_or(""));
    w.field(0, "Selector", &format_selector(Some(&spec.selector)));
    labels_multiline(w, "Labels", meta.labels.as_ref());
    annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    if let Some(owner) = controlled_by(meta) {
        w.field(0, "Controlled By", &owner);
    }
    w.field(
        0,
        "Replicas",
        &format!(
            "{} current / {} desired",
            status.replicas,
            spec.replicas.unwrap_or(1)
        ),
    );
    let [running, waiting, succeeded, failed] = pod_phases(
        store,
        meta.namespace.as_deref(),
        &spec.selector,
        meta.uid.as_deref(),
    );
    w.field(
        0,
        "Pods Status",
        &format!("{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"),
    );
    describe_pod_template(w, spec.template.as_ref().map(ToJson::to_json).as_ref());
    if let Some(conditions) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in conditions {
            let reason = c.reason.as_deref().unwrap_or("");
            w.write(1, &format!("{} \t{}\t{reason}\n", c.type_, c.status));
        }
    }
    describe_events(w, events_for(store, Some(Kind::ReplicaSet), meta), now);
}

/// `getPodStatusForController`: the controller's own pods (matching its selector and
/// controlled by its uid) counted by phase: Running, Pending, Succeeded, Failed.
fn pod_phases(
    store: &Store,
    namespace: Option<&str>,
    selector: &kplay_core::types::LabelSelector,
    uid: Option<&str>,
) -> [usize; 4] {
    let mut counts = [0; 4];
    for pod in store.list::<Pod>(namespace) {
        if !selector_matches(Some(selector), pod.metadata.labels.as_ref())
            || !kplay_core::owner::is_controlled_by(&pod.metadata, uid.unwrap_or(""))
        {
            continue;
        }
        let slot = match kplay_core::pod::phase(pod) {
            "Running" => 0,
            "Pending" => 1,
            "Succeeded" => 2,
            "Failed" => 3,
            _ => continue,
        };
        if let Some(c) = counts.get_mut(slot) {
            *c += 1;
        }
    }
    counts
}
