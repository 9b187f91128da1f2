//! The Deployment controller, mirroring kubernetes `pkg/controller/deployment/`: a Deployment
//! owns ReplicaSets, one per pod template (named `<deployment>-<pod-template-hash>`), and
//! rolls pods from the old ones to the new one by resizing them. The ReplicaSet controller
//! creates and deletes the pods; this controller only writes ReplicaSets (spec.replicas and
//! annotations), the Deployment's revision annotation and its status, and Events.
//!
//! * [`sync_all`] / `sync_deployment`: `syncDeployment` of deployment_controller.go.
//! * `sync`: new/old ReplicaSets, revisions, scaling events, status (sync.go).
//! * `rolling` / `recreate`: the two strategies; `progress`: the Progressing condition.
//! * `util`: the arithmetic (deployment_util.go); `hash`: the pod-template-hash.

pub(crate) mod hash;
mod progress;
mod recreate;
mod rolling;
mod sync;
mod util;

pub use util::equal_ignore_hash;

pub(crate) use util::resolve_fenceposts;

use crate::api::ApiObject;
use crate::labels::{selector_is_empty, selector_matches};
use crate::owner::{controller_of, is_controlled_by, new_controller_ref};
use crate::types::{Deployment, DeploymentStatus, ReplicaSet};
use crate::Cluster;

/// The event source of everything this controller records (`kubectl describe` shows it).
const COMPONENT: &str = "deployment-controller";

/// Why a sync of one Deployment stopped early. The real controller logs it and requeues the
/// Deployment; here the fixpoint loop runs the controller again after any change, and nothing
/// else is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SyncError {
    /// maxSurge/maxUnavailable is not an integer or a percentage (validation rejects it).
    InvalidIntOrString,
    /// Another ReplicaSet already has the new one's name; collisionCount was bumped.
    HashCollision,
}

impl From<util::InvalidIntOrString> for SyncError {
    fn from(_: util::InvalidIntOrString) -> Self {
        SyncError::InvalidIntOrString
    }
}

/// The Deployment's ReplicaSets during one sync: the new one (template equal to the
/// Deployment's), if it exists yet, and all others.
#[derive(Debug, Clone)]
struct ReplicaSets {
    new: Option<ReplicaSet>,
    old: Vec<ReplicaSet>,
}

impl ReplicaSets {
    /// Old then new, as upstream's `append(oldRSs, newRS)`.
    fn all(&self) -> Vec<&ReplicaSet> {
        self.old.iter().chain(self.new.as_ref()).collect()
    }
}

/// Syncs once, in key order (namespace, name), every Deployment something happened to since
/// the last pass (see [`super::queue::deployments`]). Returns whether anything in the store
/// changed, so that the fixpoint loop knows to run the controllers again.
pub(crate) fn sync_all(cluster: &mut Cluster) -> bool {
    let before = cluster.store().resource_version();
    let mut cursor = cluster.progress().deployments.clone();
    let keys = super::queue::deployments(cluster, &mut cursor);
    cluster.progress_mut().deployments = cursor;
    for (namespace, name) in keys {
        if let Some(d) = cluster
            .store()
            .get::<Deployment>(&namespace, &name)
            .cloned()
        {
            // An early stop changes nothing further; see SyncError.
            let _ = sync_deployment(cluster, d);
        }
    }
    cluster.store().resource_version() != before
}

/// `syncDeployment`: one reconciliation pass over one Deployment.
fn sync_deployment(cluster: &mut Cluster, mut d: Deployment) -> Result<(), SyncError> {
    let selector_empty = d
        .spec
        .as_ref()
        .is_none_or(|s| selector_is_empty(&s.selector));
    if selector_empty {
        selecting_all(cluster, &mut d);
        return Ok(());
    }
    let rs_list = replica_sets_for_deployment(cluster, &d);
    if d.metadata.deletion_timestamp.is_some() {
        return sync::sync_status_only(cluster, &mut d, &rs_list);
    }
    sync::check_paused_conditions(cluster, &mut d);
    // A paused Deployment only scales (proportionally) and prunes history: template edits wait
    // for the resume. (The legacy rollback annotation of extensions/v1beta1, checked next
    // upstream, does not exist in apps/v1.)
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        return sync::sync(cluster, &mut d, &rs_list);
    }
    let scaling_event = sync::is_scaling_event(cluster, &mut d, &rs_list)?;
    // Checking may have brought the new ReplicaSet's revision up to date: read them again.
    let rs_list = replica_sets_for_deployment(cluster, &d);
    if scaling_event {
        return sync::sync(cluster, &mut d, &rs_list);
    }
    if util::is_recreate(&d) {
        recreate::rollout_recreate(cluster, &mut d, &rs_list)
    } else {
        rolling::rollout_rolling(cluster, &mut d, &rs_list)
    }
}

/// A Deployment whose selector is empty would select every pod: upstream warns
/// (`SelectingAll`) and only records that it saw this generation. The warning is recorded
/// once per generation here, where upstream repeats it on every resync.
fn selecting_all(cluster: &mut Cluster, d: &mut Deployment) {
    let generation = d.metadata.generation.unwrap_or(0);
    let status = d.status.get_or_insert_with(DeploymentStatus::default);
    if status.observed_generation.unwrap_or(0) >= generation {
        return;
    }
    status.observed_generation = Some(generation);
    cluster.record_event(
        &d.clone().into_object(),
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.".to_string(),
        COMPONENT,
    );
    sync::write_deployment(cluster, d);
}

/// `getReplicaSetsForDeployment`: the ReplicaSets the Deployment controls, after claiming
/// (`ClaimReplicaSets`): an orphan whose labels match the selector is adopted (it gets the
/// Deployment as controller owner); an owned one whose labels no longer match is released.
/// A Deployment being deleted neither adopts nor releases.
fn replica_sets_for_deployment(cluster: &mut Cluster, d: &Deployment) -> Vec<ReplicaSet> {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let Some(selector) = d.spec.as_ref().map(|s| &s.selector) else {
        return Vec::new();
    };
    let namespace = d.metadata.namespace.clone().unwrap_or_default();
    let deleting = d.metadata.deletion_timestamp.is_some();
    // Only this Deployment's ReplicaSets and orphans are copied: this runs for every
    // Deployment on every pass, and the namespace may hold many others' ReplicaSets.
    let candidates: Vec<ReplicaSet> = cluster
        .store()
        .list::<ReplicaSet>(Some(&namespace))
        .filter(|rs| is_controlled_by(&rs.metadata, &uid) || controller_of(&rs.metadata).is_none())
        .cloned()
        .collect();
    let mut owned = Vec::new();
    for mut rs in candidates {
        let matches = selector_matches(selector, rs.metadata.labels.as_ref());
        let has_controller = controller_of(&rs.metadata).is_some();
        if is_controlled_by(&rs.metadata, &uid) {
            if matches || deleting {
                owned.push(rs);
            } else if let Some(refs) = rs.metadata.owner_references.as_mut() {
                refs.retain(|r| r.uid != uid);
                cluster.put(rs);
            }
        } else if !has_controller
            && matches
            && !deleting
            && rs.metadata.deletion_timestamp.is_none()
        {
            rs.metadata
                .owner_references
                .get_or_insert_with(Vec::new)
                .push(new_controller_ref(d));
            if let Some(written) = cluster.write(rs) {
                owned.push(written);
            }
        }
    }
    owned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Event;
    use crate::{Kind, Object};
    use serde_json::json;

    fn manifest(selector: serde_json::Value) -> serde_json::Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": 3,
                "selector": selector,
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}
                }
            }
        })
    }

    #[test]
    fn a_settled_deployment_needs_no_further_pass() {
        let mut cluster = Cluster::new(1);
        let created = cluster.create_json(
            Kind::Deployment,
            manifest(json!({"matchLabels": {"app": "web"}})),
        );
        assert!(created.is_ok(), "{created:?}");
        // The fixpoint after the create left nothing to do, and neither does any later instant.
        assert!(!sync_all(&mut cluster));
        // Bounded: the kube-system add-ons' probe timers never end.
        while let Some(at) = cluster.next_timer_at().filter(|&at| at <= 120_000) {
            cluster.advance(at - cluster.now());
            assert!(!sync_all(&mut cluster), "at {} ms", cluster.now());
        }
    }

    #[test]
    fn an_empty_selector_is_warned_about_once_per_generation() {
        // Validation rejects such a Deployment, so it can only be stored directly.
        let object = Object::from_json(Kind::Deployment, manifest(json!({})));
        let mut cluster = Cluster::new(1);
        cluster.insert(object);
        assert!(sync_all(&mut cluster));
        assert!(!sync_all(&mut cluster));
        let warnings: Vec<(Option<String>, Option<i32>)> = cluster
            .store()
            .list::<Event>(Some("default"))
            .map(|e| (e.reason.clone(), e.count))
            .collect();
        assert_eq!(warnings, vec![(Some("SelectingAll".to_string()), Some(1))]);
        let d = cluster.store().get::<Deployment>("default", "web");
        let observed = d
            .and_then(|d| d.status.as_ref())
            .and_then(|s| s.observed_generation);
        assert_eq!(observed, Some(1));
        assert_eq!(
            cluster.store().list::<ReplicaSet>(Some("default")).count(),
            0
        );
    }
}
