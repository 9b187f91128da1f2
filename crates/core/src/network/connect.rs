//! One TCP (or UDP) connection through the cluster network: from a client to an address and
//! port, through kube-proxy's rules when the address is a Service's, to a pod that accepts it,
//! refuses it, or never answers.
//!
//! Where the address leads, in the order a packet meets the rules:
//! - a Service's ClusterIP and one of its ports, a node's IP and a Service's nodePort, or a
//!   LoadBalancer's external IP and one of its ports: kube-proxy picks one endpoint at random
//!   per connection (iptables `statistic --mode random`), among the *ready* endpoints its
//!   rules hold ([`super::proxy`]), or, when none is ready, among the serving terminating ones
//!   (KEP-1669, GA in 1.28); with no endpoint at all it rejects (connection refused);
//! - a pod's IP: the pod itself;
//! - anything else (an unknown address, a ClusterIP on a port the Service does not have):
//!   nothing answers and the client times out.

use super::policy::{self, End, Verdict};
use crate::listen::Listening;
use crate::types::{Node, Pod, Service};
use crate::Cluster;
use rand_core::Rng;

/// Where a connection starts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A client outside the cluster (a laptop hitting a NodePort or a load balancer).
    Outside,
    /// A pod in the cluster, by namespace and name.
    Pod(String, String),
}

/// The pod that answered a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub pod: String,
    /// The container whose app accepted the connection.
    pub container: String,
    /// That container's image: the "version" that answered.
    pub image: String,
    /// The pod's IP.
    pub ip: String,
    /// The port on the pod.
    pub port: i32,
}

/// What became of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A pod's app accepted the connection.
    Answered(Answer),
    /// Refused: nothing listens on the pod's port (a TCP reset), or the Service has no
    /// endpoints (kube-proxy's reject rule).
    Refused,
    /// Nothing answered: no one has the address, or the rules send it nowhere.
    TimedOut,
    /// The network plugin dropped it: a NetworkPolicy isolates the source's egress or the
    /// destination's ingress and allows nothing that matches (the client times out).
    Dropped(Box<Dropped>),
}

/// A connection the network plugin dropped: the pod it was headed for, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The destination pod's name (kube-proxy had already picked it).
    pub pod: String,
    /// Which policies isolate the ends, and that no rule allowed it.
    pub verdict: Verdict,
}

/// Where a Service address leads before an endpoint is picked.
struct ServiceRoute {
    namespace: String,
    name: String,
    port_name: String,
}

/// The HTTP request a connection carries, for the answering app's access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// The client's `User-Agent`.
    pub agent: &'a str,
    /// The path asked for.
    pub path: &'a str,
}

/// What traffic sources send: `GET /` with a generic agent of the playground's own.
pub const TRAFFIC_REQUEST: Request<'static> = Request {
    agent: "kplay-traffic/1.0",
    path: "/",
};

/// Opens a connection from `origin` to `ip:port` over `protocol` ("TCP" or "UDP") at the
/// cluster's current time, carrying `request`. Picking among a Service's endpoints draws
/// from the traffic's own random stream, so sending requests never changes what the
/// controllers draw.
pub fn connect(
    cluster: &mut Cluster,
    origin: &Origin,
    ip: &str,
    port: i32,
    protocol: &str,
    request: Request<'_>,
) -> Outcome {
    let client = client_ip(cluster, origin, ip);
    let outcome = route(cluster, (origin, &client), ip, port, protocol);
    // A connection that carries no request (a port check) leaves no access-log line.
    if let (Outcome::Answered(answer), false) = (&outcome, request.path.is_empty()) {
        let access = super::Access {
            at: cluster.now(),
            container: answer.container.clone(),
            client,
            agent: request.agent.to_string(),
            path: request.path.to_string(),
        };
        cluster.network_mut().log_access(answer, access);
    }
    outcome
}

/// The address the app sees the connection come from: the client pod's IP, or for a client
/// outside the cluster the node it entered by (kube-proxy masquerades external traffic to a
/// Service with `externalTrafficPolicy: Cluster`).
fn client_ip(cluster: &Cluster, origin: &Origin, dest: &str) -> String {
    match origin {
        Origin::Pod(namespace, name) => cluster
            .store()
            .get::<Pod>(namespace, name)
            .and_then(pod_ip)
            .unwrap_or_default()
            .to_string(),
        Origin::Outside => {
            let mut nodes = cluster.store().list::<Node>(None);
            let first = nodes.next().and_then(|n| node_ips(n).next());
            let entered = cluster
                .store()
                .list::<Node>(None)
                .flat_map(node_ips)
                .find(|a| *a == dest);
            entered.or(first).unwrap_or_default().to_string()
        }
    }
}

/// Where `ip:port` leads at the cluster's current time.
fn route(cluster: &mut Cluster, from: From<'_>, ip: &str, port: i32, protocol: &str) -> Outcome {
    let Some(route) = service_route(cluster, ip, port, protocol) else {
        return to_pod(cluster, from, ip, port, protocol);
    };
    let now = cluster.now();
    let backends = cluster
        .network()
        .proxy()
        .backends(&route.namespace, &route.name, now);
    let any_ready = backends.iter().any(|b| b.ready);
    // Counted, then only the one picked is copied: a request goes out every few milliseconds
    // under traffic, and a Service may have hundreds of endpoints.
    let usable = |b: &&super::proxy::Backend| if any_ready { b.ready } else { b.serving };
    let Ok(count) = u32::try_from(backends.iter().filter(usable).count()) else {
        return Outcome::TimedOut;
    };
    if count == 0 {
        return Outcome::Refused;
    }
    let pick = cluster.network_mut().rng().next_u32() % count;
    let backends = cluster
        .network()
        .proxy()
        .backends(&route.namespace, &route.name, now);
    let Some(backend) = backends.iter().filter(usable).nth(pick as usize) else {
        return Outcome::Refused;
    };
    // (pod IP, pod name, the target port of the Service port on that pod)
    let target = backend
        .ports
        .iter()
        .find(|(name, _, proto)| *name == route.port_name && proto == protocol)
        .map(|(_, target, _)| *target);
    let (backend_ip, pod_name) = (backend.ip.clone(), backend.pod.clone());
    let Some(target) = target else {
        return Outcome::Refused;
    };
    // The rules may still name a pod that is gone: its address then leads nowhere.
    let Some(pod) = cluster
        .store()
        .get::<Pod>(&route.namespace, &pod_name)
        .filter(|p| pod_ip(p) == Some(&*backend_ip))
    else {
        return Outcome::TimedOut;
    };
    // Pod addresses are unique (each node hands out its own range), so the pod the rules
    // name is the one its address leads to, unless it has finished.
    if is_finished(pod) {
        return to_pod(cluster, from, &backend_ip, target, protocol);
    }
    to_this_pod(cluster, from, pod, &backend_ip, target, protocol)
}

fn is_finished(pod: &Pod) -> bool {
    matches!(crate::pod::phase(pod), "Succeeded" | "Failed")
}

/// The Service whose ClusterIP, nodePort or external IP `ip:port` is.
fn service_route(cluster: &Cluster, ip: &str, port: i32, protocol: &str) -> Option<ServiceRoute> {
    let is_node = cluster
        .store()
        .list::<Node>(None)
        .any(|n| node_ips(n).any(|a| a == ip));
    for service in cluster.store().list::<Service>(None) {
        let Some(spec) = &service.spec else { continue };
        let cluster_ip = spec.cluster_ip.as_deref().filter(|c| *c != "None");
        let external = service
            .status
            .iter()
            .flat_map(|s| s.load_balancer.iter())
            .flat_map(|lb| lb.ingress.iter().flatten())
            .any(|i| i.ip.as_deref() == Some(ip));
        for p in spec.ports.iter().flatten() {
            if p.protocol.as_deref().unwrap_or("TCP") != protocol {
                continue;
            }
            let by_service_ip = (cluster_ip == Some(ip) || external) && p.port == port;
            let by_node_port = is_node && p.node_port == Some(port);
            if by_service_ip || by_node_port {
                return Some(ServiceRoute {
                    namespace: service.metadata.namespace.clone().unwrap_or_default(),
                    name: service.metadata.name.clone().unwrap_or_default(),
                    port_name: p.name.clone().unwrap_or_default(),
                });
            }
        }
    }
    None
}

/// Who opens a connection: the origin, and the client address its packets carry.
type From<'a> = (&'a Origin, &'a str);

/// A connection straight to a pod's IP: the network plugin's NetworkPolicy verdict first, then
/// whether the pod's app accepts it.
fn to_pod(cluster: &Cluster, from: From<'_>, ip: &str, port: i32, protocol: &str) -> Outcome {
    let pod = cluster
        .store()
        .list::<Pod>(None)
        .find(|p| pod_ip(p) == Some(ip) && !is_finished(p));
    let Some(pod) = pod else {
        // A node's own address answers, with nothing listening on other ports.
        let is_node = cluster
            .store()
            .list::<Node>(None)
            .any(|n| node_ips(n).any(|a| a == ip));
        return if is_node {
            Outcome::Refused
        } else {
            Outcome::TimedOut
        };
    };
    to_this_pod(cluster, from, pod, ip, port, protocol)
}

/// `pod` (whose address is `ip`) receives the connection: the NetworkPolicies judge it, then
/// something must listen on the port.
fn to_this_pod(
    cluster: &Cluster,
    from: From<'_>,
    pod: &Pod,
    ip: &str,
    port: i32,
    protocol: &str,
) -> Outcome {
    let source = match from.0 {
        Origin::Pod(namespace, name) => cluster.store().get::<Pod>(namespace, name).map(End::Pod),
        Origin::Outside => Some(End::Address(from.1)),
    };
    if let Some(source) = source {
        let verdict = policy::judge(cluster, source, End::Pod(pod), port, protocol);
        if !verdict.allowed() {
            let pod = pod.metadata.name.clone().unwrap_or_default();
            return Outcome::Dropped(Box::new(Dropped { pod, verdict }));
        }
    }
    match crate::listen::accepts(cluster, pod, port, protocol) {
        Listening::Accepts { container } => {
            let image = pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .find(|c| c.name == container)
                .and_then(|c| c.image.clone())
                .unwrap_or_default();
            Outcome::Answered(Answer {
                namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                pod: pod.metadata.name.clone().unwrap_or_default(),
                container,
                image,
                ip: ip.to_string(),
                port,
            })
        }
        Listening::Refused => Outcome::Refused,
    }
}

/// A pod's IP, once it has one.
pub fn pod_ip(pod: &Pod) -> Option<&str> {
    pod.status.as_ref().and_then(|s| s.pod_ip.as_deref())
}

/// A node's addresses.
pub fn node_ips(node: &Node) -> impl Iterator<Item = &str> {
    node.status
        .iter()
        .flat_map(|s| s.addresses.iter().flatten())
        .map(|a| a.address.as_str())
}
