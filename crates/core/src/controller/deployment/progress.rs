//! The Progressing condition after a rollout step: kubernetes
//! `pkg/controller/deployment/progress.go` (`syncRolloutStatus`, `requeueStuckDeployment`).

use super::sync::{calculate_status, write_deployment};
use super::util::{self, reason};
use super::ReplicaSets;
use crate::api::ApiObject;
use crate::time::{millis_of, Millis, SECOND};
use crate::types::Deployment;
use crate::Cluster;

/// `syncRolloutStatus`: the calculated status plus the Progressing condition, written if it
/// changed. Progressing is only kept with a progress deadline; once the rollout completed
/// (NewReplicaSetAvailable) it is left alone until a new rollout starts.
pub(super) fn sync_rollout_status(cluster: &mut Cluster, d: &mut Deployment, rss: &ReplicaSets) {
    let mut status = calculate_status(cluster, d, rss);
    if !util::has_progress_deadline(d) {
        util::remove_condition(&mut status, reason::PROGRESSING);
    }
    let current = util::get_condition(d.status.as_ref(), reason::PROGRESSING).cloned();
    let complete_before = status.replicas == status.updated_replicas
        && current
            .as_ref()
            .is_some_and(|c| c.reason.as_deref() == Some(reason::NEW_REPLICA_SET_AVAILABLE));
    if util::has_progress_deadline(d) && !complete_before {
        let subject = match &rss.new {
            Some(rs) => format!(
                "ReplicaSet \"{}\"",
                rs.metadata.name.as_deref().unwrap_or("")
            ),
            None => format!(
                "Deployment \"{}\"",
                d.metadata.name.as_deref().unwrap_or("")
            ),
        };
        if util::deployment_complete(d, &status) {
            let condition = util::new_condition(
                reason::PROGRESSING,
                "True",
                reason::NEW_REPLICA_SET_AVAILABLE,
                format!("{subject} has successfully progressed."),
                cluster.now(),
            );
            util::set_condition(&mut status, condition);
        } else if util::deployment_progressing(d, &status) {
            // Progress bumps lastUpdateTime even when the reason stays the same (which
            // SetDeploymentCondition would ignore), keeping lastTransitionTime while True.
            let mut condition = util::new_condition(
                reason::PROGRESSING,
                "True",
                reason::REPLICA_SET_UPDATED,
                format!("{subject} is progressing."),
                cluster.now(),
            );
            if let Some(current) = &current {
                if current.status == "True" {
                    condition
                        .last_transition_time
                        .clone_from(&current.last_transition_time);
                }
                util::remove_condition(&mut status, reason::PROGRESSING);
            }
            util::set_condition(&mut status, condition);
        } else if util::deployment_timed_out(d, &status, cluster.now()) {
            // The rollout is left as it is: no rollback, old pods keep serving.
            let condition = util::new_condition(
                reason::PROGRESSING,
                "False",
                reason::TIMED_OUT,
                format!("{subject} has timed out progressing."),
                cluster.now(),
            );
            util::set_condition(&mut status, condition);
        }
    }
    if d.status.as_ref() != Some(&status) {
        d.status = Some(status);
        write_deployment(cluster, d);
    }
    requeue_stuck_deployment(cluster, d);
}

/// `requeueStuckDeployment`: a rollout that is neither complete nor timed out is checked again
/// when its deadline passes: the Progressing condition's lastUpdateTime + progressDeadlineSeconds,
/// plus the second upstream adds against clock skew. Every other Deployment has no wake-up.
/// Concrete example: progress last reported at 3 min, deadline 600 s -> checked at 13 min 1 s.
fn requeue_stuck_deployment(cluster: &mut Cluster, d: &Deployment) {
    let key = d.clone().into_object().key();
    let condition = util::get_condition(d.status.as_ref(), reason::PROGRESSING);
    let deadline = d.spec.as_ref().and_then(|s| s.progress_deadline_seconds);
    let complete = d
        .status
        .as_ref()
        .is_some_and(|status| util::deployment_complete(d, status));
    let at = match (condition, deadline) {
        (Some(c), Some(deadline))
            if util::has_progress_deadline(d)
                && !complete
                && c.reason.as_deref() != Some(reason::TIMED_OUT)
                && c.reason.as_deref() != Some(reason::NEW_REPLICA_SET_AVAILABLE) =>
        {
            let from = c.last_update_time.as_ref().map_or(0, millis_of);
            let deadline_ms = Millis::try_from(deadline)
                .unwrap_or(0)
                .saturating_mul(SECOND);
            Some(from.saturating_add(deadline_ms).saturating_add(SECOND))
        }
        _ => None,
    };
    cluster.set_wake_up(&key, at);
}
