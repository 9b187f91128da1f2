//! The cluster network: kube-proxy's view of the endpoints, one connection's route, and the
//! traffic sources that send requests to Services at a steady rate.
//!
//! None of it changes the API objects: requests only feed the counters, the recent-requests
//! list the web app animates, and the apps' access logs. Everything random here (which
//! endpoint a connection gets) draws from the network's own seeded stream.

pub mod connect;
pub mod policy;
pub mod proxy;
pub mod traffic;

use crate::random::SimRng;
use crate::time::Millis;
use crate::types::Pod;
use crate::vecmap::VecMap;
use crate::{Cluster, Kind};
use connect::Answer;
use std::collections::VecDeque;

/// How many access-log lines each pod keeps (the newest).
pub const ACCESS_LOG_LINES: usize = 200;

/// The network's memory, held by the [`crate::Cluster`].
#[derive(Debug, Clone)]
pub struct State {
    proxy: proxy::ProxyState,
    rng: SimRng,
    traffic: traffic::Traffic,
    /// Per pod (namespace, name): the requests its app answered.
    access: VecMap<(String, String), VecDeque<Access>>,
}

/// One request a pod's app answered, for its access log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// When it came.
    pub at: Millis,
    /// The container whose app answered it.
    pub container: String,
    /// The address it came from.
    pub client: String,
    /// The client's `User-Agent`.
    pub agent: String,
    /// The path it asked for.
    pub path: String,
}

impl State {
    /// The network of a new cluster: its random stream is the seed's second stream, so it
    /// never shifts the controllers' draws.
    pub(crate) fn new(seed: u64) -> Self {
        let rng = SimRng::new(seed, 1);
        State {
            proxy: proxy::ProxyState::default(),
            rng,
            traffic: traffic::Traffic::default(),
            access: VecMap::new(),
        }
    }

    /// kube-proxy's view of the endpoints.
    pub fn proxy(&self) -> &proxy::ProxyState {
        &self.proxy
    }

    /// The traffic sources and their counters.
    pub fn traffic(&self) -> &traffic::Traffic {
        &self.traffic
    }

    /// The requests pod `namespace/name` answered, oldest first.
    pub fn access_log(&self, namespace: &str, name: &str) -> impl Iterator<Item = &Access> {
        self.access
            .get(&(namespace.to_string(), name.to_string()))
            .into_iter()
            .flatten()
    }

    pub(crate) fn proxy_mut(&mut self) -> &mut proxy::ProxyState {
        &mut self.proxy
    }

    pub(crate) fn traffic_mut(&mut self) -> &mut traffic::Traffic {
        &mut self.traffic
    }

    pub(crate) fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    /// Notes an answered request in the pod's access log.
    pub(crate) fn log_access(&mut self, answer: &Answer, access: Access) {
        let log = self
            .access
            .entry_or_default((answer.namespace.clone(), answer.pod.clone()));
        if log.len() >= ACCESS_LOG_LINES {
            log.pop_front();
        }
        log.push_back(access);
    }
}

/// Brings the network up to date with the API after a reconcile: kube-proxy's record of the
/// endpoints, and the access logs of pods that are gone.
pub(crate) fn observe(cluster: &mut Cluster) {
    let Some(seen) = proxy::observe(cluster) else {
        return;
    };
    if !cluster.store().changed_since(&[Kind::Pod], seen) {
        return;
    }
    // One pass over the logs (the map is a sorted vector: removing keys one by one would be
    // quadratic in a large rollout).
    let live: Vec<bool> = cluster
        .network()
        .access
        .keys()
        .map(|(namespace, name)| cluster.store().get::<Pod>(namespace, name).is_some())
        .collect();
    let mut live = live.into_iter();
    cluster
        .network_mut()
        .access
        .retain(|_, _| live.next().unwrap_or(true));
}
