//! The controllers, run in a fixed order until none changes anything at the current instant.
//!
//! Real controllers run concurrently and react to watch events; here one pass runs each in
//! the order changes flow (Deployment → ReplicaSet → garbage collector → scheduler →
//! kubelet admission → endpoints → endpoint slices → load balancers) and passes repeat until one changes nothing. That is the state a fast
//! real control plane settles in before any virtual time passes.

pub(crate) mod deployment;
pub mod endpoints;
pub mod endpointslice;
mod garbage_collector;
pub mod load_balancer;
mod replicaset;

use crate::Cluster;

/// A safety net: a pass that keeps changing things after this many rounds is a bug in a
/// controller, and the loop stops instead of hanging the host.
const MAX_PASSES: u32 = 100;

/// Runs every controller in order, repeatedly, until a full pass changes nothing.
pub(crate) fn run_to_fixpoint(cluster: &mut Cluster) {
    garbage_collector::expire_events(cluster);
    for _ in 0..MAX_PASSES {
        let mut changed = deployment::sync_all(cluster);
        changed |= replicaset::sync_all(cluster);
        changed |= garbage_collector::collect(cluster);
        changed |= crate::scheduler::schedule_all(cluster);
        changed |= crate::kubelet::sync_all(cluster);
        changed |= endpoints::sync_all(cluster);
        changed |= endpointslice::sync_all(cluster);
        changed |= load_balancer::sync_all(cluster);
        if !changed {
            return;
        }
    }
}
