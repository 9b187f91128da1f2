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

use crate::feed::WatchEventType;
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
    // The pods removed since the last look, from the change feed: one pod's step removes
    // none or one, and checking every logged pod was a tenth of a step at 300 pods.
    let removed: Option<Vec<(String, String)>> =
        cluster.store().feed().after_version(seen).map(|events| {
            let removals = events.filter(|e| e.event_type == WatchEventType::Deleted);
            let pods = removals.filter(|e| e.key.kind == Kind::Pod);
            pods.map(|e| (e.key.namespace.clone(), e.key.name.clone()))
                .collect()
        });
    if let Some(removed) = removed {
        for (namespace, name) in removed {
            // A pod of the same name may have been created again since.
            if cluster.store().get::<Pod>(&namespace, &name).is_none() {
                cluster.network_mut().access.remove(&(namespace, name));
            }
        }
        return;
    }
    // The feed no longer reaches back that far: one pass over the logs, keeping those whose
    // pod exists (the map is a sorted vector: one pass instead of a removal for each).
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

#[cfg(test)]
mod tests {
    use super::{observe, Access};
    use crate::network::connect::Answer;
    use crate::types::{Namespace, Pod};
    use crate::{Cluster, Kind};

    /// A request answered by pod `name`, logged as the traffic model logs it.
    fn log(cluster: &mut Cluster, name: &str) {
        let answer = Answer {
            namespace: "default".into(),
            pod: name.into(),
            container: "c".into(),
            image: "nginx:1.0".into(),
            ip: "10.244.1.2".into(),
            port: 80,
        };
        let access = Access {
            at: cluster.now(),
            container: "c".into(),
            client: "10.244.0.1".into(),
            agent: "test".into(),
            path: "/".into(),
        };
        cluster.network_mut().log_access(&answer, access);
    }

    fn logged(cluster: &Cluster) -> Vec<String> {
        let keys = cluster.network().access.keys();
        keys.map(|(_, name)| name.clone()).collect()
    }

    /// The access logs of pods that are gone are forgotten: from the change feed after each
    /// reconcile, or, when the network last looked longer ago than the feed reaches back, by
    /// checking every logged pod.
    #[test]
    fn access_logs_of_removed_pods_are_forgotten() {
        let mut cluster = Cluster::new(3);
        let manifest = crate::testing::deployment("web", 3);
        cluster
            .create_json(Kind::Deployment, manifest)
            .expect("created");
        cluster.advance(20_000);
        let mut names: Vec<String> = (cluster.store().list::<Pod>(Some("default")))
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        crate::sort::sort(&mut names);
        for name in &names {
            log(&mut cluster, name);
        }
        cluster
            .delete_with_grace(Kind::Pod, "default", &names[0], Some(0))
            .expect("deleted");
        assert_eq!(logged(&cluster), names[1..], "read from the feed");

        // A log for the gone pod again, and more writes than the feed keeps since the
        // network last looked.
        log(&mut cluster, &names[0]);
        for n in 0..crate::feed::Feed::CAPACITY {
            let namespace = cluster.store().get::<Namespace>("", "default");
            let mut namespace = namespace.cloned().expect("the namespace");
            let labels = namespace
                .metadata
                .labels
                .get_or_insert_with(Default::default);
            labels.insert("n".into(), n.to_string());
            // Written without a reconcile, which would have the network look.
            cluster.put(namespace);
        }
        cluster.network_mut().proxy_mut().seen_version = 0;
        observe(&mut cluster);
        assert_eq!(logged(&cluster), names[1..], "every logged pod checked");
    }
}
