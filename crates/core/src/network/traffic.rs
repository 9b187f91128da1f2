//! Traffic sources: clients that send requests to a Service at a steady rate, and the counters
//! of what answered them.
//!
//! A source outside the cluster connects to the Service's load-balancer address when it has
//! one, else to its nodePort on the first node; a source in a pod resolves the Service's name
//! through cluster DNS and connects to the answer (the ClusterIP, or for a headless Service
//! the first ready pod). Request `k` of a source started at `t0` with rate `r` goes out at
//! `t0 + k * 1000 / r` ms (integer arithmetic), so the rate is exact over any second and the
//! times do not depend on how the clock was advanced. Each request is one new connection.

use super::connect::{self, Origin, Outcome};
use crate::dns::{self, Answer as DnsAnswer};
use crate::time::{Millis, SECOND};
use crate::types::{Node, Pod, Service};
use crate::vecmap::VecMap;
use crate::Cluster;
use std::collections::VecDeque;

/// The highest rate a source may send at, in requests per second.
pub const MAX_RATE: u32 = 1_000;

/// How many seconds of per-second counters are kept (for the web app's chart).
pub const WINDOW_SECONDS: usize = 60;

/// How many of the latest requests are kept for the web app to animate.
pub const RECENT_REQUESTS: usize = 256;

/// A client sending requests to one Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Where the requests come from.
    pub from: Origin,
    /// Requests per second.
    pub rate: u32,
    started: Millis,
    sent: u64,
}

impl Source {
    /// When the next request goes out.
    fn next_at(&self) -> Millis {
        let offset = self.sent.saturating_mul(SECOND) / u64::from(self.rate.max(1));
        self.started.saturating_add(offset)
    }
}

/// The counters of one second of virtual time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Second {
    /// The second (virtual time / 1000).
    pub second: u64,
    /// Answered requests, by the version (image tag) that answered.
    pub answered: VecMap<String, u32>,
    /// Requests that failed: refused or timed out.
    pub failed: u32,
}

/// One request, as the web app animates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// A running number over all requests, for the app to know which ones it has drawn.
    pub id: u64,
    /// When it was sent.
    pub at: Millis,
    /// The Service (namespace, name) it was sent to.
    pub service: (String, String),
    /// What became of it.
    pub outcome: Outcome,
}

/// Every source and the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traffic {
    sources: VecMap<(String, String), Source>,
    seconds: VecDeque<Second>,
    answered_total: VecMap<String, u64>,
    failed_total: u64,
    recent: VecDeque<Request>,
    sent_total: u64,
}

impl Traffic {
    /// The sources, by Service (namespace, name).
    pub fn sources(&self) -> &VecMap<(String, String), Source> {
        &self.sources
    }

    /// Per-second counters of the last [`WINDOW_SECONDS`] seconds that saw requests, oldest first.
    pub fn seconds(&self) -> &VecDeque<Second> {
        &self.seconds
    }

    /// Answered requests since the cluster started, by version.
    pub fn answered_total(&self) -> &VecMap<String, u64> {
        &self.answered_total
    }

    /// Failed requests since the cluster started.
    pub fn failed_total(&self) -> u64 {
        self.failed_total
    }

    /// The latest requests, oldest first.
    pub fn recent(&self) -> &VecDeque<Request> {
        &self.recent
    }

    /// Whether nothing was ever sent and nothing is sending (a cluster without traffic).
    pub fn is_idle(&self) -> bool {
        self.sources.is_empty() && self.sent_total == 0
    }

    fn count(&mut self, at: Millis, service: (String, String), outcome: Outcome) {
        let second = at / SECOND;
        if self.seconds.back().map(|s| s.second) != Some(second) {
            if self.seconds.len() >= WINDOW_SECONDS {
                self.seconds.pop_front();
            }
            self.seconds.push_back(Second {
                second,
                ..Second::default()
            });
        }
        if let Some(current) = self.seconds.back_mut() {
            match &outcome {
                Outcome::Answered(answer) => {
                    let version = version_of(&answer.image).to_string();
                    *current.answered.entry_or_default(version.clone()) += 1;
                    *self.answered_total.entry_or_default(version) += 1;
                }
                Outcome::Refused | Outcome::TimedOut | Outcome::Dropped(_) => {
                    current.failed += 1;
                    self.failed_total += 1;
                }
            }
        }
        if self.recent.len() >= RECENT_REQUESTS {
            self.recent.pop_front();
        }
        self.recent.push_back(Request {
            id: self.sent_total,
            at,
            service,
            outcome,
        });
        self.sent_total += 1;
    }
}

/// The version a response carries: the image's tag (`flask-app:v2` → `v2`), `latest` without one.
pub fn version_of(image: &str) -> &str {
    let name_start = image.rfind('/').map_or(0, |i| i + 1);
    let tail = image.get(name_start..).unwrap_or(image);
    let tail = tail.split('@').next().unwrap_or(tail);
    match tail.split_once(':') {
        Some((_, tag)) if !tag.is_empty() => tag,
        _ => "latest",
    }
}

/// Starts (or restarts, with new settings) sending `rate` requests per second from `from` to
/// the Service `namespace/name`. `Err` is the message to show; nothing changes then.
pub fn start(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
    from: Origin,
    rate: u32,
) -> Result<(), String> {
    if rate == 0 || rate > MAX_RATE {
        return Err(format!(
            "error: the rate must be between 1 and {MAX_RATE} requests per second"
        ));
    }
    let Some(service) = cluster.store().get::<Service>(namespace, name) else {
        return Err(format!(
            "Error from server (NotFound): services \"{name}\" not found"
        ));
    };
    match &from {
        Origin::Outside => {
            if outside_address(cluster, service).is_none() {
                return Err(format!(
                    "error: service \"{name}\" is not reachable from outside the cluster: it is \
                     {}; expose it as a NodePort or LoadBalancer Service, or send from a pod",
                    service_type(service)
                ));
            }
        }
        Origin::Pod(pod_namespace, pod_name) => {
            if cluster
                .store()
                .get::<Pod>(pod_namespace, pod_name)
                .is_none()
            {
                return Err(format!(
                    "Error from server (NotFound): pods \"{pod_name}\" not found"
                ));
            }
        }
    }
    let source = Source {
        from,
        rate,
        started: cluster.now(),
        sent: 0,
    };
    cluster
        .network_mut()
        .traffic_mut()
        .sources
        .insert((namespace.to_string(), name.to_string()), source);
    Ok(())
}

/// Stops the source sending to `namespace/name`; whether there was one.
pub fn stop(cluster: &mut Cluster, namespace: &str, name: &str) -> bool {
    cluster
        .network_mut()
        .traffic_mut()
        .sources
        .remove(&(namespace.to_string(), name.to_string()))
        .is_some()
}

/// When the next request of any source goes out.
pub(crate) fn next_request_at(cluster: &Cluster) -> Option<Millis> {
    cluster
        .network()
        .traffic()
        .sources
        .values()
        .map(Source::next_at)
        .min()
}

/// Sends every request due at the cluster's current time, source by source.
pub(crate) fn send_due(cluster: &mut Cluster) {
    let now = cluster.now();
    let due: Vec<((String, String), Origin)> = cluster
        .network()
        .traffic()
        .sources
        .iter()
        .filter(|(_, s)| s.next_at() <= now)
        .map(|(key, s)| (key.clone(), s.from.clone()))
        .collect();
    for (key, from) in due {
        if let Some(source) = cluster.network_mut().traffic_mut().sources.get_mut(&key) {
            source.sent += 1;
        }
        if client_runs(cluster, &from) {
            let outcome = send(cluster, &key.0, &key.1, &from);
            cluster.network_mut().traffic_mut().count(now, key, outcome);
        }
    }
}

/// Whether the client can send now: always from outside; from a pod only while it is running
/// with an IP (a pending, finished or deleted client pod sends nothing, so nothing fails).
fn client_runs(cluster: &Cluster, from: &Origin) -> bool {
    match from {
        Origin::Outside => true,
        Origin::Pod(namespace, name) => cluster
            .store()
            .get::<Pod>(namespace, name)
            .is_some_and(|p| crate::pod::phase(p) == "Running" && connect::pod_ip(p).is_some()),
    }
}

/// One request from `from` to the Service `namespace/name`.
fn send(cluster: &mut Cluster, namespace: &str, name: &str, from: &Origin) -> Outcome {
    let Some(service) = cluster.store().get::<Service>(namespace, name) else {
        return Outcome::TimedOut;
    };
    let port = service
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .next();
    let address = match from {
        Origin::Outside => outside_address(cluster, service),
        Origin::Pod(pod_namespace, _) => {
            let ip = match dns::resolve(cluster, pod_namespace, &format!("{name}.{namespace}")) {
                DnsAnswer::Addresses(ips) => ips.into_iter().next(),
                DnsAnswer::Cname(_) | DnsAnswer::NxDomain => None,
            };
            ip.zip(port.map(|p| p.port))
        }
    };
    let protocol = port
        .and_then(|p| p.protocol.clone())
        .unwrap_or_else(|| "TCP".into());
    let Some((ip, port)) = address else {
        return Outcome::TimedOut;
    };
    connect::connect(
        cluster,
        from,
        &ip,
        port,
        &protocol,
        connect::TRAFFIC_REQUEST,
    )
}

/// The address a client outside the cluster uses: the load balancer's, else the first node's
/// IP and the nodePort.
fn outside_address(cluster: &Cluster, service: &Service) -> Option<(String, i32)> {
    let port = service.spec.as_ref()?.ports.as_ref()?.first()?;
    let balancer = service
        .status
        .iter()
        .flat_map(|s| s.load_balancer.iter())
        .flat_map(|lb| lb.ingress.iter().flatten())
        .find_map(|i| i.ip.clone());
    if let Some(ip) = balancer {
        return Some((ip, port.port));
    }
    let node_port = port.node_port?;
    let node_ip = cluster
        .store()
        .list::<Node>(None)
        .flat_map(|n| n.status.iter().flat_map(|s| s.addresses.iter().flatten()))
        .find(|a| a.type_ == "InternalIP")
        .map(|a| a.address.clone())?;
    Some((node_ip, node_port))
}

/// The Service's type as its spec says (ClusterIP by default).
fn service_type(service: &Service) -> &str {
    service
        .spec
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("ClusterIP")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_image_tag() {
        let table = [
            ("nginx:1.27", "1.27"),
            ("flask-app:v2", "v2"),
            ("nginx", "latest"),
            ("registry.k8s.io/coredns/coredns:v1.11.3", "v1.11.3"),
            ("localhost:5000/app", "latest"),
            ("localhost:5000/app:v3", "v3"),
            ("nginx:1.27@sha256:abc", "1.27"),
        ];
        for (image, version) in table {
            assert_eq!(version_of(image), version, "{image}");
        }
    }

    #[test]
    fn requests_go_out_at_exact_times_for_the_rate() {
        let source = |rate, sent| Source {
            from: Origin::Outside,
            rate,
            started: 500,
            sent,
        };
        let table = [
            (1, 0, 500),
            (1, 3, 3_500),
            (3, 1, 833),
            (3, 3, 1_500),
            (1_000, 7, 507),
        ];
        for (rate, sent, at) in table {
            assert_eq!(
                source(rate, sent).next_at(),
                at,
                "rate {rate}, request {sent}"
            );
        }
    }
}
