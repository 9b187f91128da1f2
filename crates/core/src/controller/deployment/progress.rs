//! The Progressing condition after a rollout step: kubernetes
//! `pkg/controller/deployment/progress.go` (`syncRolloutStatus`).

use super::sync::{calculate_status, write_deployment};
use super::util::{self, reason};
use super::ReplicaSets;
use crate::Cluster;
use k8s_openapi::api::apps::v1::Deployment;

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
        }
        // Not modelled yet: upstream's third branch, DeploymentTimedOut, which turns a
        // rollout without progress for progressDeadlineSeconds into ProgressDeadlineExceeded.
    }
    if d.status.as_ref() != Some(&status) {
        d.status = Some(status);
        write_deployment(cluster, d);
    }
}
