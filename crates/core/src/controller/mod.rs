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
pub(crate) mod queue;
mod replicaset;
mod sorted_patch;

use crate::{Cluster, Kind, Millis};
/// The Deployment controller's template comparison, for kubectl's `describe` to find the
/// new ReplicaSet the same way.
pub use deployment::equal_ignore_hash;

/// A safety net: a pass that keeps changing things after this many rounds is a bug in a
/// controller, and the loop stops instead of hanging the host.
const MAX_PASSES: u32 = 100;

/// One controller as the loop runs it, with what gives it work: like a real controller's
/// informers, it is woken by changes to the kinds it watches; one that reads the clock is also
/// woken when time moved.
struct Controller {
    /// The kinds whose changes give it work; `None`: it has work on every pass (it keeps state
    /// outside the store, or follows the change feed itself and is cheap when nothing is new).
    watches: Option<&'static [Kind]>,
    /// Whether what it does depends on the time (availability after minReadySeconds, progress
    /// deadlines, the pod chosen to delete).
    reads_clock: bool,
    /// Whether one pass leaves it nothing to do until something else changes (it writes the
    /// whole desired state each time), so its own writes do not wake it again.
    settles_in_one_pass: bool,
}

/// The controllers in the order changes flow (Deployment, ReplicaSet, garbage collector,
/// scheduler, kubelet admission, Endpoints, EndpointSlice, load balancers: see [`sync`]).
const CONTROLLERS: [Controller; 8] = [
    // Deployment
    Controller::watching(&[Kind::Deployment, Kind::ReplicaSet, Kind::Pod]).reading_the_clock(),
    // ReplicaSet
    Controller::watching(&[Kind::ReplicaSet, Kind::Pod]).reading_the_clock(),
    // garbage collector: follows the change feed itself
    Controller::ALWAYS,
    // scheduler
    Controller::watching(&[Kind::Pod, Kind::Node]).settling_in_one_pass(),
    // kubelet (admission): keeps state outside the store
    Controller::ALWAYS,
    // Endpoints
    Controller::watching(&[Kind::Service, Kind::Pod, Kind::Endpoints]).settling_in_one_pass(),
    // EndpointSlice
    Controller::watching(&[Kind::Service, Kind::Pod, Kind::EndpointSlice]).settling_in_one_pass(),
    // load balancers: keep state outside the store
    Controller::ALWAYS,
];

/// Where a controller left off with nothing more to do: the store's resourceVersion, the time
/// and the number of objects (a deletion may make room for a create the limits refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Settled {
    resource_version: u64,
    at: Millis,
    objects: usize,
}

/// What the loop remembers between runs, kept in the [`Cluster`] (and cloned with it, so a
/// copy goes on exactly as the original would).
#[derive(Debug, Clone, Default)]
pub(crate) struct Progress {
    /// Per controller (in [`CONTROLLERS`] order), where it settled, if it has.
    settled: [Option<Settled>; CONTROLLERS.len()],
    /// How far the garbage collector has read the change feed.
    pub(crate) collected_until: u64,
    /// How far the endpoints controller has read the change feed.
    pub(crate) endpoints_read_until: u64,
    /// How far the EndpointSlice controller has read the change feed.
    pub(crate) slices_read_until: u64,
    /// Where the ReplicaSet controller read the change feed and the timers.
    pub(crate) replica_sets: queue::Cursor,
    /// The ReplicaSet controller's surveys, kept between its syncs.
    pub(crate) surveys: replicaset::Surveys,
    /// Where the Deployment controller read the change feed and the timers.
    pub(crate) deployments: queue::Cursor,
    /// The timers that fired for the controllers.
    pub(crate) wakes: queue::Wakes,
    /// How far the scheduler has read the change feed.
    pub(crate) scheduled_until: u64,
    /// How far the kubelets have read the change feed for pods to admit.
    pub(crate) admitted_until: u64,
}

impl Controller {
    /// A controller that has work on every pass.
    const ALWAYS: Controller = Controller {
        watches: None,
        reads_clock: false,
        settles_in_one_pass: false,
    };

    /// A controller woken by changes to `kinds`.
    const fn watching(kinds: &'static [Kind]) -> Controller {
        Controller {
            watches: Some(kinds),
            ..Controller::ALWAYS
        }
    }

    /// This controller, also woken when time moved.
    const fn reading_the_clock(self) -> Controller {
        Controller {
            reads_clock: true,
            ..self
        }
    }

    /// This controller, not woken by its own writes.
    const fn settling_in_one_pass(self) -> Controller {
        Controller {
            settles_in_one_pass: true,
            ..self
        }
    }

    /// Whether nothing it would act on happened since it settled at `settled`.
    fn idle(&self, settled: Option<Settled>, cluster: &Cluster) -> bool {
        let (Some(settled), Some(watches)) = (settled, self.watches) else {
            return false;
        };
        let store = cluster.store();
        (!self.reads_clock || settled.at == cluster.now())
            && settled.objects == store.count_without_events()
            && !store.changed_since(watches, settled.resource_version)
    }
}

/// Runs controller `index` of [`CONTROLLERS`] once over everything it manages; whether it
/// changed anything. (A `match`, not function pointers, so that the passes inline.)
fn sync(index: usize, cluster: &mut Cluster) -> bool {
    match index {
        0 => deployment::sync_all(cluster),
        1 => replicaset::sync_all(cluster),
        2 => garbage_collector::collect(cluster),
        3 => crate::scheduler::schedule_all(cluster),
        4 => crate::kubelet::sync_all(cluster),
        5 => endpoints::sync_all(cluster),
        6 => endpointslice::sync_all(cluster),
        7 => load_balancer::sync_all(cluster),
        _ => false,
    }
}

/// Runs the controllers in order, repeatedly, until a full pass changes nothing. A controller
/// with nothing new to act on (see [`Controller`]) is skipped: run, it would change nothing.
pub(crate) fn run_to_fixpoint(cluster: &mut Cluster) {
    garbage_collector::expire_events(cluster);
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for (i, controller) in CONTROLLERS.iter().enumerate() {
            if controller.idle(cluster.progress().settled[i], cluster) {
                continue;
            }
            let did = sync(i, cluster);
            changed |= did;
            let store = cluster.store();
            let settled = (!did || controller.settles_in_one_pass).then(|| Settled {
                resource_version: store.resource_version(),
                at: cluster.now(),
                objects: store.count_without_events(),
            });
            cluster.progress_mut().settled[i] = settled;
        }
        if !changed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{sync, CONTROLLERS};
    use crate::{Cluster, Kind};
    use serde_json::json;

    /// Runs every controller once on a copy, skipping none: at a fixpoint, none may change
    /// anything, or the loop skipped one that had work.
    fn assert_settled(cluster: &Cluster, moment: &str) {
        for i in 0..CONTROLLERS.len() {
            let mut copy = cluster.clone();
            // Forgotten progress: each looks at everything it manages, not only what is new.
            *copy.progress_mut() = super::Progress::default();
            assert!(!sync(i, &mut copy), "controller {i} had work {moment}");
        }
    }

    #[test]
    fn skipped_controllers_had_nothing_to_do() {
        let mut cluster = Cluster::new(3);
        let mut deployment = crate::testing::deployment("web", 5);
        deployment["spec"]["minReadySeconds"] = json!(2);
        let service = json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}
        });
        assert!(cluster.create_json(Kind::Deployment, deployment).is_ok());
        assert_settled(&cluster, "after the Deployment was created");
        assert!(cluster.create_json(Kind::Service, service).is_ok());
        assert_settled(&cluster, "after the Service was created");
        // Every step of the pods' start-up and of a rollout, timer by timer.
        for step in 0..400 {
            cluster.advance(250);
            assert_settled(&cluster, &format!("at step {step}"));
            if step == 100 {
                let mut d = cluster
                    .store()
                    .get::<crate::types::Deployment>("default", "web")
                    .cloned()
                    .expect("the Deployment");
                let spec = d.spec.as_mut().and_then(|s| s.template.spec.as_mut());
                spec.expect("a pod spec").containers[0].image = Some("nginx:1.1".into());
                assert!(cluster.update(crate::ApiObject::into_object(d)).is_ok());
                assert_settled(&cluster, "after the image changed");
            }
            if step == 250 {
                assert!(cluster.delete(Kind::Service, "default", "web").is_ok());
                assert!(cluster.delete(Kind::Deployment, "default", "web").is_ok());
                assert_settled(&cluster, "after the deletions");
            }
        }
    }
}
