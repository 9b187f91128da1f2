//! The kubelet model: how a pod's status moves through time on its node.

use crate::Cluster;
use k8s_openapi::api::core::v1::Pod;

/// A step in a pod's life that happens at a scheduled instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodStep {
    /// The grace period is over, or the app exited: the pod goes away.
    Terminated,
}

/// Starts the graceful deletion of a pod.
pub(crate) fn begin_termination(cluster: &mut Cluster, pod: Pod) -> Pod {
    let key = crate::api::ApiObject::into_object(pod.clone()).key();
    cluster.remove(&key);
    pod
}

/// Carries out a scheduled step.
pub(crate) fn step(_cluster: &mut Cluster, _pod: Pod, _step: PodStep) {}
